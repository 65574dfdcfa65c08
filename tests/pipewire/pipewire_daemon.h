// PipeWireDaemon: a private `pipewire` process for one test binary, running
// tests/pipewire/pipewire-test.conf in a fresh runtime directory.
//
// Contract:
//  * Start() creates /tmp/caraudio-pw.XXXXXX (mode 0700), then sets
//    XDG_RUNTIME_DIR and PIPEWIRE_RUNTIME_DIR to it and unsets
//    PIPEWIRE_REMOTE *in the current process*, so every PipeWireLoop
//    connected afterwards (and every child process started afterwards)
//    reaches this daemon. The destructor restores the previous values.
//    Because the environment is process-wide, keep at most one
//    PipeWireDaemon per process, start it before other threads might read
//    the environment (setenv is not thread-safe), and do not change these
//    variables while it exists.
//  * Start() and Restart() return once the daemon answers a core round trip
//    (connect + sync), or fail after `ready_timeout` with the log's tail.
//  * The daemon's stdin is /dev/null and its stdout/stderr go to
//    runtime_dir()/pipewire.log; it inherits no other descriptor, so it never
//    holds ctest's pipes open. It gets SIGKILL if the thread that started it
//    exits (PR_SET_PDEATHSIG), so a crashed test leaves no daemon behind:
//    start it from a long-lived thread (the test's main thread).
//  * Every process is stopped by PID and reaped (no zombies, never by name).
//    The destructor sends SIGTERM, waits up to 2 s, then SIGKILL; then it
//    removes the runtime directory.
//  * Not thread-safe: use one PipeWireDaemon from one thread.

#ifndef CARAUDIO_TESTS_PIPEWIRE_PIPEWIRE_DAEMON_H_
#define CARAUDIO_TESTS_PIPEWIRE_PIPEWIRE_DAEMON_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caraudio::testing {

class PipeWireDaemon {
 public:
  struct Options {
    // Absolute path of the daemon config; tests/pipewire/pipewire-test.conf
    // when empty.
    std::string config_path;
    // The daemon binary, looked up in $PATH when it has no '/'.
    std::string binary = "pipewire";
    absl::Duration ready_timeout = absl::Seconds(5);
  };

  // The checked-in test config (absolute path, fixed at build time).
  static std::string DefaultConfigPath();

  static absl::StatusOr<std::unique_ptr<PipeWireDaemon>> Start(Options options);
  static absl::StatusOr<std::unique_ptr<PipeWireDaemon>> Start() { return Start(Options{}); }

  ~PipeWireDaemon();
  PipeWireDaemon(const PipeWireDaemon&) = delete;
  PipeWireDaemon& operator=(const PipeWireDaemon&) = delete;

  // PID of the running daemon, -1 after Kill().
  pid_t pid() const { return pid_; }
  const std::string& runtime_dir() const { return runtime_dir_; }
  std::string log_path() const { return runtime_dir_ + "/pipewire.log"; }
  // The whole log so far (for failure messages).
  std::string ReadLog() const;

  // SIGKILL, then waitpid. Clients see their connection drop (EPIPE).
  // No-op when not running.
  absl::Status Kill();
  // Kill() if running, then start again in the same runtime dir (same
  // socket path) and wait until it answers.
  absl::Status Restart();

 private:
  // Lets Start() use std::make_unique with a constructor nobody else can call.
  struct PrivateTag {};

 public:
  PipeWireDaemon(PrivateTag, Options options, std::string runtime_dir);

 private:
  struct SavedVariable {
    std::string name;
    std::optional<std::string> value;
  };

  absl::Status Spawn();
  absl::Status WaitUntilReady();
  // Sends `signal_number`, waits up to `grace` for the exit, reaps.
  bool StopWith(int signal_number, absl::Duration grace);
  void ExportEnvironment();
  void RestoreEnvironment();

  const Options options_;
  const std::string runtime_dir_;
  std::string binary_path_;
  pid_t pid_ = -1;
  std::vector<SavedVariable> saved_environment_;
};

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_PIPEWIRE_PIPEWIRE_DAEMON_H_
