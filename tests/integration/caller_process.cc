#include "tests/integration/caller_process.h"

#include <grp.h>
#include <grpcpp/generic/generic_stub.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace caraudio::testing {
namespace {

// argv: <self> --caraudio-call-as UID GID ADDRESS METHOD HEX_REQUEST hold|once PARENT_PID
constexpr const char* kChildFlag = "--caraudio-call-as";

// After the first message of a call that is not held, how long it may take
// to end by itself (a unary call ends at once) before the child cancels it.
constexpr auto kEndGrace = std::chrono::milliseconds(200);

void PrintLine(const std::string& line) {
  std::fprintf(stdout, "%s\n", line.c_str());
  std::fflush(stdout);
}

// Waits for the one operation in flight; its `ok`.
bool Await(grpc::CompletionQueue& queue) {
  void* tag = nullptr;
  bool ok = false;
  return queue.Next(&tag, &ok) && ok;
}

int RunChild(char** argv) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  uid_t uid = 0;
  gid_t gid = 0;
  int parent = 0;
  if (!absl::SimpleAtoi(argv[2], &uid) || !absl::SimpleAtoi(argv[3], &gid) ||
      !absl::SimpleAtoi(argv[8], &parent)) {
    std::fprintf(stderr, "caller: bad ids\n");
    return 2;
  }
  if (::getppid() != parent) return 3;
  // Groups first: setresuid() takes away the right to change them.
  if (::setgroups(0, nullptr) != 0 || ::setresgid(gid, gid, gid) != 0 ||
      ::setresuid(uid, uid, uid) != 0) {
    std::fprintf(stderr, "caller: cannot become uid %u gid %u: %s\n", uid, gid,
                 std::strerror(errno));
    return 4;
  }
  const std::string address = argv[4];
  const std::string method = argv[5];
  const std::string request_bytes = absl::HexStringToBytes(argv[6]);
  const bool hold = std::strcmp(argv[7], "hold") == 0;

  std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
      address, grpc::InsecureChannelCredentials(), FastReconnectChannelArguments());
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  if (!hold) context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(&context, method, &queue);
  void* const tag = call.get();
  call->StartCall(tag);
  if (Await(queue)) {
    grpc::Slice slice(request_bytes);
    grpc::ByteBuffer request(&slice, 1);
    call->Write(request, tag);
    if (Await(queue)) {
      call->WritesDone(tag);
      Await(queue);
    }
  }
  for (bool first = true;; first = false) {
    grpc::ByteBuffer response;
    call->Read(&response, tag);
    void* got = nullptr;
    bool ok = false;
    if (!hold && !first) {
      const grpc::CompletionQueue::NextStatus next = queue.AsyncNext(
          &got, &ok, std::chrono::system_clock::now() + kEndGrace);
      if (next == grpc::CompletionQueue::TIMEOUT) {
        context.TryCancel();
        Await(queue);
        break;
      }
    } else {
      queue.Next(&got, &ok);
    }
    if (!ok) break;
    std::vector<grpc::Slice> slices;
    std::string bytes;
    if (response.Dump(&slices).ok()) {
      for (const grpc::Slice& piece : slices) {
        bytes.append(reinterpret_cast<const char*>(piece.begin()), piece.size());
      }
    }
    PrintLine("message " + absl::BytesToHexString(bytes));
  }
  grpc::Status status;
  call->Finish(&status, tag);
  Await(queue);
  PrintLine(absl::StrCat("end ", status.error_code(), " ", status.error_message()));
  // As FocusHolderProcess: judged by its output, so no exit-time teardown.
  std::_Exit(0);
}

}  // namespace

absl::StatusOr<std::unique_ptr<CallerProcess>> CallerProcess::Start(CallerOptions options) {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return absl::InternalError("cannot resolve /proc/self/exe: " + error.message());
  absl::StatusOr<TempDir> dir = TempDir::Create("caraudio-caller");
  if (!dir.ok()) return dir.status();

  Subprocess::Options spawn;
  spawn.argv = {self.string(),
                kChildFlag,
                absl::StrCat(options.uid),
                absl::StrCat(options.gid),
                options.address,
                options.method,
                absl::BytesToHexString(options.request_bytes),
                options.hold ? "hold" : "once",
                absl::StrCat(::getpid())};
  spawn.log_path = dir->File("caller.log");
  spawn.pipe_stdout = true;
  spawn.stop_grace = absl::Seconds(1);
  absl::StatusOr<std::unique_ptr<Subprocess>> process = Subprocess::Spawn(std::move(spawn));
  if (!process.ok()) return process.status();
  return std::unique_ptr<CallerProcess>(new CallerProcess(std::move(*dir), std::move(*process)));
}

absl::StatusOr<std::optional<CallOutcome>> CallerProcess::Next(absl::Duration timeout) {
  absl::StatusOr<std::string> line = process_->ReadLine(timeout);
  if (!line.ok()) {
    return absl::Status(line.status().code(),
                        absl::StrCat(line.status().message(), "\ncaller log:\n", process_->ReadLog()));
  }
  std::vector<std::string> words = absl::StrSplit(*line, absl::MaxSplits(' ', 2));
  if (words.size() >= 2 && words[0] == "message") {
    outcome_.responses.push_back(absl::HexStringToBytes(words[1]));
    return std::nullopt;
  }
  int code = 0;
  if (words.size() >= 2 && words[0] == "end" && absl::SimpleAtoi(words[1], &code)) {
    outcome_.code = static_cast<grpc::StatusCode>(code);
    outcome_.message = words.size() == 3 ? words[2] : "";
    return outcome_;
  }
  return absl::InternalError("caller: unexpected line \"" + *line + "\"");
}

absl::StatusOr<CallOutcome> CallerProcess::Finish(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    absl::StatusOr<std::optional<CallOutcome>> next = Next(deadline - absl::Now());
    if (!next.ok()) return next.status();
    if (next->has_value()) return **next;
  }
}

absl::StatusOr<CallOutcome> CallAs(uid_t uid, gid_t gid, const std::string& address,
                                   const std::string& method,
                                   const google::protobuf::Message& request) {
  CallerOptions options;
  options.uid = uid;
  options.gid = gid;
  options.address = address;
  options.method = method;
  options.request_bytes = request.SerializeAsString();
  absl::StatusOr<std::unique_ptr<CallerProcess>> caller = CallerProcess::Start(std::move(options));
  if (!caller.ok()) return caller.status();
  return (*caller)->Finish(absl::Seconds(10));
}

std::optional<int> RunCallerChildIfRequested(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], kChildFlag) != 0) return std::nullopt;
  if (argc != 9) {
    std::fprintf(stderr, "usage: %s %s UID GID ADDRESS METHOD HEX_REQUEST hold|once PARENT_PID\n",
                 argv[0], kChildFlag);
    return 2;
  }
  return RunChild(argv);
}

}  // namespace caraudio::testing
