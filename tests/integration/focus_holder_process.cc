#include "tests/integration/focus_holder_process.h"

#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "caraudio/v1/audio_focus.grpc.pb.h"

namespace caraudio::testing {
namespace {

// argv of the child: <self> --caraudio-focus-holder <address> <hex request> <parent pid>
constexpr const char* kChildFlag = "--caraudio-focus-holder";

void PrintLine(const std::string& line) {
  std::fprintf(stdout, "%s\n", line.c_str());
  std::fflush(stdout);
}

int RunChild(const std::string& address, const std::string& hex_request,
             const std::string& parent) {
  // Die with the parent; if it is already gone, do not start at all.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  int parent_pid = 0;
  if (!absl::SimpleAtoi(parent, &parent_pid) || ::getppid() != parent_pid) return 3;

  v1::FocusRequest request;
  if (!request.ParseFromString(absl::HexStringToBytes(hex_request))) {
    std::fprintf(stderr, "focus holder: cannot parse the request\n");
    return 2;
  }
  std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
      address, grpc::InsecureChannelCredentials(), FastReconnectChannelArguments());
  std::unique_ptr<v1::AudioFocus::Stub> stub = v1::AudioFocus::NewStub(channel);
  grpc::ClientContext context;
  context.set_wait_for_ready(true);
  std::unique_ptr<grpc::ClientReader<v1::FocusEvent>> reader =
      stub->RequestFocus(&context, request);
  v1::FocusEvent event;
  while (reader->Read(&event)) {
    switch (event.event_case()) {
      case v1::FocusEvent::kResult:
        PrintLine(
            absl::StrCat("result ", event.result().result(), " zone ", event.result().zone_id()));
        break;
      case v1::FocusEvent::kFocusChange:
        PrintLine(absl::StrCat("change ", event.focus_change().change(), " zone ",
                               event.focus_change().zone_id()));
        break;
      case v1::FocusEvent::kReplaced:
        PrintLine("replaced");
        break;
      case v1::FocusEvent::kAbandoned:
        PrintLine("abandoned");
        break;
      case v1::FocusEvent::EVENT_NOT_SET:
        PrintLine("unknown");
        break;
    }
  }
  const grpc::Status status = reader->Finish();
  PrintLine(absl::StrCat("end ", status.error_code(), " ", status.error_message()));
  // Leave without running exit-time hooks (gRPC teardown, a sanitizer's leak
  // check): the parent judges this child by its output and exit code.
  std::_Exit(0);
}

}  // namespace

absl::StatusOr<std::unique_ptr<FocusHolderProcess>> FocusHolderProcess::Start(
    const std::string& address, const v1::FocusRequest& request) {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return absl::InternalError("cannot resolve /proc/self/exe: " + error.message());
  absl::StatusOr<TempDir> dir = TempDir::Create("caraudio-holder");
  if (!dir.ok()) return dir.status();

  Subprocess::Options options;
  options.argv = {self.string(), kChildFlag, address,
                  absl::BytesToHexString(request.SerializeAsString()), absl::StrCat(::getpid())};
  options.log_path = dir->File("focus-holder.log");
  options.pipe_stdout = true;
  options.stop_grace = absl::Seconds(1);
  absl::StatusOr<std::unique_ptr<Subprocess>> process = Subprocess::Spawn(std::move(options));
  if (!process.ok()) return process.status();
  return std::unique_ptr<FocusHolderProcess>(
      new FocusHolderProcess(std::move(*dir), std::move(*process)));
}

std::optional<int> RunFocusHolderChildIfRequested(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], kChildFlag) != 0) return std::nullopt;
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s %s ADDRESS HEX_REQUEST PARENT_PID\n", argv[0], kChildFlag);
    return 2;
  }
  return RunChild(argv[2], argv[3], argv[4]);
}

std::optional<int> RunTestChildIfRequested(int argc, char** argv) {
  if (std::optional<int> code = RunHarnessChildIfRequested(argc, argv)) return code;
  return RunFocusHolderChildIfRequested(argc, argv);
}

}  // namespace caraudio::testing
