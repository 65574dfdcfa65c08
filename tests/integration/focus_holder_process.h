// FocusHolderProcess: an app that holds audio focus from a separate process,
// so a test can SIGKILL it and watch what the daemon does with its focus.
//
// The child is this test binary again (posix_spawn of /proc/self/exe), which
// runs RunFocusHolderChildIfRequested() from main() before anything else: a
// fresh process with a fresh gRPC, not a fork() of a process whose gRPC
// threads are running. The child opens AudioFocus.RequestFocus, prints every
// event it receives as one line on stdout (a private pipe to the parent):
//
//   result <RequestResult> zone <zone_id>
//   change <FocusChange> zone <zone_id>
//   replaced | abandoned
//   end <grpc status code> <message>
//
// and holds the stream until it ends or the child is killed. It dies with the
// parent (PR_SET_PDEATHSIG), so a crashed test leaves no holder behind.
// Not thread-safe.

#ifndef CARAUDIO_TESTS_INTEGRATION_FOCUS_HOLDER_PROCESS_H_
#define CARAUDIO_TESTS_INTEGRATION_FOCUS_HOLDER_PROCESS_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caraudio/v1/audio_focus.pb.h"
#include "tests/integration/daemon_process.h"

namespace caraudio::testing {

class FocusHolderProcess {
 public:
  // Spawns the child; it requests `request` from the daemon at `address`.
  static absl::StatusOr<std::unique_ptr<FocusHolderProcess>> Start(const std::string& address,
                                                                   const v1::FocusRequest& request);

  // The child's next event line (see the file comment).
  absl::StatusOr<std::string> NextLine(absl::Duration timeout) {
    return process_->ReadLine(timeout);
  }

  Subprocess& process() { return *process_; }
  pid_t pid() const { return process_->pid(); }
  std::string ReadLog() const { return process_->ReadLog(); }

 private:
  FocusHolderProcess(TempDir dir, std::unique_ptr<Subprocess> process)
      : dir_(std::move(dir)), process_(std::move(process)) {}

  TempDir dir_;
  std::unique_ptr<Subprocess> process_;  // declared last: stopped before dir_ goes
};

// Call first in main(). When argv asks for the focus-holder child, runs it and
// returns its exit code; otherwise returns nullopt and the test runs.
std::optional<int> RunFocusHolderChildIfRequested(int argc, char** argv);

// Call first in main() of a test binary whose tests start daemons with
// die_with_parent and focus holders: runs whichever of the two children argv
// asks for (RunHarnessChildIfRequested, RunFocusHolderChildIfRequested) and
// returns its exit code; otherwise nullopt.
std::optional<int> RunTestChildIfRequested(int argc, char** argv);

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_INTEGRATION_FOCUS_HOLDER_PROCESS_H_
