// Process plumbing for tests and benchmarks that drive the real binaries:
//
//   TempDir        (tests/testing/temp_dir.h) the daemon's own directory;
//   Subprocess     a child started with posix_spawn, stdout/stderr sent to a log
//                  file (or stdout to a private pipe), never to the caller's
//                  own stdout/stderr, so ctest's pipes close when the test ends;
//                  stopped by PID on destruction (SIGTERM, grace, SIGKILL) and
//                  always reaped, so no zombie or orphan is left behind;
//   DaemonProcess  `audiocontrold` in its own temp dir: spawned, waited on
//                  until an RPC answers (CarAudioAdmin.Ping, or
//                  AudioControl.GetInterfaceInfo for --role=hal), with early
//                  exits detected and the daemon's log attached to every error.
//
// Only processes these objects spawned are ever signalled, and only by PID.
// Not thread-safe: one owner per object.

#ifndef CARAUDIO_TESTS_INTEGRATION_DAEMON_PROCESS_H_
#define CARAUDIO_TESTS_INTEGRATION_DAEMON_PROCESS_H_

#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/testing/temp_dir.h"

namespace caraudio::testing {

// The audiocontrold this build produced (CMake $<TARGET_FILE:audiocontrold>),
// or $CARAUDIO_AUDIOCONTROLD when set (e.g. a sanitizer build of the daemon).
std::string DefaultDaemonBinary();

// How a child ended.
struct ExitStatus {
  bool exited = false;  // true: exit(code); false: killed by `signal`
  int code = -1;
  int signal = 0;

  bool Success() const { return exited && code == 0; }
  std::string ToString() const;
};

// A child process started with posix_spawn. Killed by PID and reaped on
// destruction unless it was already waited for.
class Subprocess {
 public:
  struct Options {
    // argv[0] is the executable path (no PATH lookup).
    std::vector<std::string> argv;
    // Where stderr goes, and stdout unless `pipe_stdout`. Required.
    std::string log_path;
    // Send stdout to a pipe this object reads with ReadLine().
    bool pipe_stdout = false;
    // KEY=VALUE entries set in the child's environment on top of (or
    // replacing) this process's own.
    std::vector<std::string> environment;
    // Time between SIGTERM and SIGKILL in Stop() and on destruction.
    absl::Duration stop_grace = absl::Seconds(3);
    // Have the kernel SIGKILL the child when this process dies without
    // cleaning up (a test killed by ctest's TIMEOUT, a crash): the child is
    // started through this program, /proc/self/exe, which sets
    // PR_SET_PDEATHSIG and execs argv. Needs main() to call
    // RunHarnessChildIfRequested() first. The signal follows the spawning
    // *thread*: spawn from a thread that outlives the child (main).
    bool die_with_parent = false;
  };

  static absl::StatusOr<std::unique_ptr<Subprocess>> Spawn(Options options);

  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;
  ~Subprocess();  // Stop() if still running

  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return options_.log_path; }

  // The exit status if the child has ended (waitpid WNOHANG), else nullopt.
  std::optional<ExitStatus> Poll();
  // Waits up to `timeout` for the child to end on its own.
  absl::StatusOr<ExitStatus> Wait(absl::Duration timeout);
  // SIGTERM, wait up to the grace time, then SIGKILL; always reaps.
  ExitStatus Stop();
  // SIGKILL and reap.
  ExitStatus Kill();
  // Sends `signal` without waiting (no-op once reaped).
  void Signal(int signal);

  // One line of the child's stdout without the newline (pipe_stdout only).
  // DEADLINE_EXCEEDED on timeout, OUT_OF_RANGE at end of file.
  absl::StatusOr<std::string> ReadLine(absl::Duration timeout);

  // The log file's contents so far.
  std::string ReadLog() const;

 private:
  Subprocess(Options options, pid_t pid, int stdout_fd);

  Options options_;
  pid_t pid_;
  int stdout_fd_;
  std::string stdout_buffer_;
  std::optional<ExitStatus> exit_status_;
};

// Runs a short-lived tool (openssl, ip) to its end: OK when it exits 0; else
// an error with the command line, how it ended and its output (stdout and
// stderr, appended to `log_path`).
absl::Status RunToCompletion(std::vector<std::string> argv, const std::string& log_path,
                             absl::Duration timeout);

// How to run audiocontrold.
struct DaemonOptions {
  // The executable; DefaultDaemonBinary() when empty.
  std::string binary;
  // --role: "all", "carservice" or "hal".
  std::string role = "all";
  // --listen addresses. Empty: unix:<the daemon's temp dir>/audiocontrol.sock.
  std::vector<std::string> listen;
  // --hal, for role "carservice".
  std::string hal;
  // --config; the embedded default car when empty.
  std::string config;
  // --audio: "memory" keeps tests off any PipeWire daemon the machine runs;
  // PipeWire tests pass "pipewire" with their private daemon's environment.
  std::string audio = "memory";
  // Appended as given.
  std::vector<std::string> extra_args;
  // KEY=VALUE entries added to the daemon's environment (e.g. NOTIFY_SOCKET).
  std::vector<std::string> environment;
  // Put before the binary, e.g. {"/usr/sbin/ip", "netns", "exec", NAME}. It
  // must exec the daemon in place, so that the PID held is the daemon's.
  std::vector<std::string> command_prefix;
  // Name in messages and the log file name, e.g. "carservice".
  std::string name = "audiocontrold";
  // See Subprocess::Options::die_with_parent.
  bool die_with_parent = false;
  // How long Start() waits for the first RPC to answer.
  absl::Duration ready_timeout = absl::Seconds(5);
  // Called on destruction when the daemon was still running and the
  // destructor stopped it (SIGTERM), with how it ended: a daemon must exit 0.
  // Tests report anything else as a failure.
  std::function<void(const ExitStatus&)> on_stopped;
  // Called on destruction, after on_stopped; when it returns true the
  // daemon's log is printed to stderr (tests pass "the current test has
  // failed").
  std::function<bool()> print_log_if;
};

// An audiocontrold process in its own temp dir (log file, default socket).
class DaemonProcess {
 public:
  // Spawns the daemon and waits until it answers an RPC. The error carries
  // the daemon's log when it exits early or never answers.
  static absl::StatusOr<std::unique_ptr<DaemonProcess>> Start(DaemonOptions options);
  // Spawns the daemon without waiting (for daemons expected to fail).
  static absl::StatusOr<std::unique_ptr<DaemonProcess>> Spawn(DaemonOptions options);

  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;
  ~DaemonProcess();  // SIGTERM -> wait -> SIGKILL by PID, prints the log if asked, removes the dir

  // Polls the readiness RPC until it answers, the daemon exits, or timeout.
  absl::Status WaitUntilReady(absl::Duration timeout);

  pid_t pid() const { return process_->pid(); }
  // The first listen address, e.g. "unix:/tmp/caraudio-it.Ab12Cd/audiocontrol.sock".
  const std::string& address() const { return addresses_.front(); }
  const std::vector<std::string>& addresses() const { return addresses_; }
  const std::string& name() const { return options_.name; }
  Subprocess& process() { return *process_; }

  // A new channel to address(), reconnecting quickly after a restart.
  std::shared_ptr<grpc::Channel> NewChannel() const;

  // Clean shutdown: SIGTERM, then waits up to `timeout` for the exit.
  absl::StatusOr<ExitStatus> Terminate(absl::Duration timeout = absl::Seconds(5));
  // kill -9 and reap.
  ExitStatus Kill() { return process_->Kill(); }

  std::string ReadLog() const { return process_->ReadLog(); }
  // "==== <name> (pid N) log ====\n<log>\n==== end ====".
  std::string FormatLog() const;

 private:
  DaemonProcess(DaemonOptions options, TempDir dir, std::vector<std::string> addresses,
                std::unique_ptr<Subprocess> process);
  // One readiness RPC with a short deadline; OK when the daemon answered.
  absl::Status ProbeOnce(const std::shared_ptr<grpc::Channel>& channel) const;

  DaemonOptions options_;
  TempDir dir_;
  std::vector<std::string> addresses_;
  std::unique_ptr<Subprocess> process_;
};

// Call first in main() of every program that spawns with die_with_parent:
// when argv is the harness's exec wrapper, sets the parent-death signal and
// execs the real program (returning only if that fails); otherwise returns
// nullopt.
std::optional<int> RunHarnessChildIfRequested(int argc, char** argv);

// Channel arguments for test clients: reconnect within 10..100 ms, so a
// restarted daemon is reachable again at once.
grpc::ChannelArguments FastReconnectChannelArguments();

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_INTEGRATION_DAEMON_PROCESS_H_
