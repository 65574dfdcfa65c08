// CallerProcess: one gRPC call made by another user, so that tests running as
// root can show what the daemon lets an unprivileged caller do.
//
// The child is this test binary again (posix_spawn of /proc/self/exe, like
// FocusHolderProcess), which runs RunCallerChildIfRequested() from main()
// first: still root, it drops every supplementary group, then setresgid()s
// and setresuid()s to the given ids (irreversibly, before gRPC starts), and
// only then connects, so the daemon sees those ids in SO_PEERCRED. The call
// goes through grpc::GenericStub by full method name
// ("/caraudio.v1.CarAudioAdmin/SetRestrictFocus") with the request's bytes,
// so any unary or server-streaming RPC works. It prints to stdout (a pipe to
// the parent):
//
//   message <hex of the response bytes>     one per message received
//   end <grpc status code> <message>        last
//
// With `hold`, a server stream is read until it ends or the child is
// stopped; without it, the child cancels after the first message (a unary
// call has exactly one). The caller must be able to reach the socket: the
// daemon's --socket_group must be `gid`'s group and the socket's directory
// searchable by others. The child dies with the parent (PR_SET_PDEATHSIG).
// Not thread-safe.

#ifndef CARAUDIO_TESTS_INTEGRATION_CALLER_PROCESS_H_
#define CARAUDIO_TESTS_INTEGRATION_CALLER_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/integration/daemon_process.h"

namespace caraudio::testing {

// The uid and gid of "nobody" / "nogroup".
inline constexpr uid_t kUnprivilegedUid = 65534;
inline constexpr gid_t kUnprivilegedGid = 65534;

struct CallerOptions {
  uid_t uid = kUnprivilegedUid;
  gid_t gid = kUnprivilegedGid;
  // The daemon's address, e.g. "unix:/tmp/caraudio-it.X/audiocontrol.sock".
  std::string address;
  // The full method name: "/caraudio.v1.AudioFocus/RequestFocus".
  std::string method;
  std::string request_bytes;
  // Keep reading a server stream (see the file comment).
  bool hold = false;
};

// How a call ended, as the child saw it.
struct CallOutcome {
  grpc::StatusCode code = grpc::StatusCode::UNKNOWN;
  std::string message;
  // The bytes of every message received, in order.
  std::vector<std::string> responses;
};

class CallerProcess {
 public:
  static absl::StatusOr<std::unique_ptr<CallerProcess>> Start(CallerOptions options);

  // The next message's bytes, or the outcome once the call ended: nullopt
  // when a message came (it is appended to outcome().responses).
  // DEADLINE_EXCEEDED when neither came within `timeout`.
  absl::StatusOr<std::optional<CallOutcome>> Next(absl::Duration timeout);
  // Reads until the call ends.
  absl::StatusOr<CallOutcome> Finish(absl::Duration timeout);

  Subprocess& process() { return *process_; }

 private:
  CallerProcess(TempDir dir, std::unique_ptr<Subprocess> process)
      : dir_(std::move(dir)), process_(std::move(process)) {}

  CallOutcome outcome_;
  TempDir dir_;
  std::unique_ptr<Subprocess> process_;  // declared last: stopped before dir_ goes
};

// Makes one call as `uid`/`gid` and waits for its end.
absl::StatusOr<CallOutcome> CallAs(uid_t uid, gid_t gid, const std::string& address,
                                   const std::string& method,
                                   const google::protobuf::Message& request);

// Call first in main(). When argv asks for the caller child, runs it and
// returns its exit code; otherwise returns nullopt.
std::optional<int> RunCallerChildIfRequested(int argc, char** argv);

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_INTEGRATION_CALLER_PROCESS_H_
