#include "tests/integration/daemon_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <thread>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "caraudio/v1/admin.grpc.pb.h"
#include "caraudio/v1/audio_control.grpc.pb.h"

extern char** environ;

#ifndef CARAUDIO_AUDIOCONTROLD_PATH
#error "CARAUDIO_AUDIOCONTROLD_PATH must name the audiocontrold binary (set by CMake)"
#endif

namespace caraudio::testing {
namespace {

std::string ErrnoText(const char* what) { return absl::StrCat(what, ": ", std::strerror(errno)); }

ExitStatus FromWaitStatus(int status) {
  ExitStatus result;
  if (WIFEXITED(status)) {
    result.exited = true;
    result.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

void SleepBriefly() { std::this_thread::sleep_for(std::chrono::milliseconds(2)); }

// argv[1] of the exec wrapper: <self> --caraudio-exec-dying-with-parent PARENT_PID PROGRAM ARGS...
constexpr char kExecWrapperFlag[] = "--caraudio-exec-dying-with-parent";

}  // namespace

std::string DefaultDaemonBinary() {
  const char* override_path = std::getenv("CARAUDIO_AUDIOCONTROLD");
  if (override_path != nullptr && override_path[0] != '\0') return override_path;
  return CARAUDIO_AUDIOCONTROLD_PATH;
}

std::optional<int> RunHarnessChildIfRequested(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], kExecWrapperFlag) != 0) return std::nullopt;
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s %s PARENT_PID PROGRAM [ARG...]\n", argv[0], kExecWrapperFlag);
    return 2;
  }
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // survives execv
  int parent = 0;
  if (!absl::SimpleAtoi(argv[2], &parent) || ::getppid() != parent) return 3;  // parent gone
  ::execv(argv[3], argv + 3);
  std::fprintf(stderr, "exec %s: %s\n", argv[3], std::strerror(errno));
  return 127;
}

grpc::ChannelArguments FastReconnectChannelArguments() {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 10);
  arguments.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 10);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 100);
  // Each test channel gets its own connection, so one test's dead connection
  // (a killed daemon) is never reused by another channel.
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return arguments;
}

// ---------------------------------------------------------------------------
// ExitStatus

std::string ExitStatus::ToString() const {
  if (exited) return absl::StrCat("exit code ", code);
  return absl::StrCat("killed by signal ", signal, " (", ::strsignal(signal), ")");
}

// ---------------------------------------------------------------------------
// Subprocess

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Spawn(Options options) {
  if (options.argv.empty()) return absl::InvalidArgumentError("Subprocess: empty argv");
  if (options.log_path.empty()) return absl::InvalidArgumentError("Subprocess: no log_path");

  int pipe_fds[2] = {-1, -1};
  if (options.pipe_stdout && ::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return absl::InternalError(ErrnoText("pipe2"));
  }

  // stdin from /dev/null; stderr (and stdout unless piped) to the log file.
  // The caller's own stdout/stderr (ctest's pipes) never reach the child.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, options.log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (options.pipe_stdout) {
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  } else {
    posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  }

  // Default dispositions and an empty mask: whatever the test process
  // ignores or blocks (gRPC ignores SIGPIPE) must not leak into the child.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t empty_mask;
  sigemptyset(&empty_mask);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int signal_number : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD}) {
    sigaddset(&defaults, signal_number);
  }
  posix_spawnattr_setsigmask(&attributes, &empty_mask);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> args = options.argv;
  if (options.die_with_parent) {
    std::error_code error;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) {
      posix_spawn_file_actions_destroy(&actions);
      posix_spawnattr_destroy(&attributes);
      if (options.pipe_stdout) {
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
      }
      return absl::InternalError("cannot resolve /proc/self/exe: " + error.message());
    }
    args.insert(args.begin(), {self.string(), kExecWrapperFlag, absl::StrCat(::getpid())});
  }
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  // This process's environment, with options.environment's keys replaced.
  std::vector<std::string> environment = options.environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    const std::string_view key = variable.substr(0, variable.find('='));
    const bool replaced = std::any_of(environment.begin(), environment.end(),
                                      [key](const std::string& added) {
                                        return added.substr(0, added.find('=')) == key;
                                      });
    if (!replaced) environment.emplace_back(variable);
  }
  std::vector<char*> envp;
  for (std::string& variable : environment) envp.push_back(variable.data());
  envp.push_back(nullptr);

  pid_t pid = -1;
  const int error =
      ::posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (options.pipe_stdout) ::close(pipe_fds[1]);
  if (error != 0) {
    if (options.pipe_stdout) ::close(pipe_fds[0]);
    return absl::InternalError(absl::StrCat("posix_spawn ", argv[0], ": ", std::strerror(error)));
  }
  const int stdout_fd = pipe_fds[0];
  return std::unique_ptr<Subprocess>(new Subprocess(std::move(options), pid, stdout_fd));
}

Subprocess::Subprocess(Options options, pid_t pid, int stdout_fd)
    : options_(std::move(options)), pid_(pid), stdout_fd_(stdout_fd) {}

Subprocess::~Subprocess() {
  if (!exit_status_) Stop();
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

std::optional<ExitStatus> Subprocess::Poll() {
  if (exit_status_) return exit_status_;
  int status = 0;
  pid_t result;
  do {
    result = ::waitpid(pid_, &status, WNOHANG);
  } while (result < 0 && errno == EINTR);
  if (result == pid_) {
    exit_status_ = FromWaitStatus(status);
  } else if (result < 0) {
    // ECHILD: somebody else reaped it; never signal this PID again.
    exit_status_ = ExitStatus{};
  }
  return exit_status_;
}

absl::StatusOr<ExitStatus> Subprocess::Wait(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    if (std::optional<ExitStatus> status = Poll()) return *status;
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("pid ", pid_, " still running after ", absl::FormatDuration(timeout)));
    }
    SleepBriefly();
  }
}

void Subprocess::Signal(int signal_number) {
  if (Poll()) return;  // reaped: the PID may belong to someone else now
  ::kill(pid_, signal_number);
}

ExitStatus Subprocess::Stop() {
  Signal(SIGTERM);
  if (absl::StatusOr<ExitStatus> status = Wait(options_.stop_grace); status.ok()) return *status;
  std::fprintf(stderr, "[harness] pid %d (%s) ignored SIGTERM for %s; sending SIGKILL\n",
               static_cast<int>(pid_), options_.argv[0].c_str(),
               absl::FormatDuration(options_.stop_grace).c_str());
  return Kill();
}

ExitStatus Subprocess::Kill() {
  if (exit_status_) return *exit_status_;
  ::kill(pid_, SIGKILL);
  int status = 0;
  pid_t result;
  do {
    result = ::waitpid(pid_, &status, 0);
  } while (result < 0 && errno == EINTR);
  exit_status_ = result == pid_ ? FromWaitStatus(status) : ExitStatus{};
  return *exit_status_;
}

absl::StatusOr<std::string> Subprocess::ReadLine(absl::Duration timeout) {
  if (stdout_fd_ < 0) return absl::FailedPreconditionError("stdout is not piped");
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    if (size_t newline = stdout_buffer_.find('\n'); newline != std::string::npos) {
      std::string line = stdout_buffer_.substr(0, newline);
      stdout_buffer_.erase(0, newline + 1);
      return line;
    }
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      return absl::DeadlineExceededError(
          absl::StrCat("no line from pid ", pid_, " within ", absl::FormatDuration(timeout)));
    }
    pollfd fd{stdout_fd_, POLLIN, 0};
    const int ready = ::poll(&fd, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (ready < 0 && errno != EINTR) return absl::InternalError(ErrnoText("poll"));
    if (ready <= 0) continue;
    char buffer[512];
    const ssize_t n = ::read(stdout_fd_, buffer, sizeof(buffer));
    if (n < 0 && errno != EINTR && errno != EAGAIN) return absl::InternalError(ErrnoText("read"));
    if (n == 0) {
      return absl::OutOfRangeError(absl::StrCat("pid ", pid_, " closed its stdout"));
    }
    if (n > 0) stdout_buffer_.append(buffer, static_cast<size_t>(n));
  }
}

std::string Subprocess::ReadLog() const {
  std::ifstream file(options_.log_path);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

absl::Status RunToCompletion(std::vector<std::string> argv, const std::string& log_path,
                             absl::Duration timeout) {
  const std::string command = absl::StrJoin(argv, " ");
  Subprocess::Options options;
  options.argv = std::move(argv);
  options.log_path = log_path;
  absl::StatusOr<std::unique_ptr<Subprocess>> process = Subprocess::Spawn(std::move(options));
  if (!process.ok()) return process.status();
  absl::StatusOr<ExitStatus> exit = (*process)->Wait(timeout);
  if (!exit.ok()) return exit.status();  // the destructor stops it
  if (!exit->Success()) {
    return absl::FailedPreconditionError(
        absl::StrCat(command, ": ", exit->ToString(), "\n", (*process)->ReadLog()));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// DaemonProcess

absl::StatusOr<std::unique_ptr<DaemonProcess>> DaemonProcess::Spawn(DaemonOptions options) {
  if (options.binary.empty()) options.binary = DefaultDaemonBinary();
  absl::StatusOr<TempDir> dir = TempDir::Create("caraudio-it");
  if (!dir.ok()) return dir.status();

  std::vector<std::string> addresses = options.listen;
  if (addresses.empty()) addresses.push_back("unix:" + dir->File("audiocontrol.sock"));

  Subprocess::Options spawn;
  spawn.argv = options.command_prefix;
  for (std::string arg : {options.binary, "--role=" + options.role,
                          "--listen=" + absl::StrJoin(addresses, ",")}) {
    spawn.argv.push_back(std::move(arg));
  }
  if (!options.hal.empty()) spawn.argv.push_back("--hal=" + options.hal);
  if (!options.config.empty()) spawn.argv.push_back("--config=" + options.config);
  if (options.role != "carservice") spawn.argv.push_back("--audio=" + options.audio);
  for (const std::string& arg : options.extra_args) spawn.argv.push_back(arg);
  spawn.log_path = dir->File(options.name + ".log");
  spawn.die_with_parent = options.die_with_parent;
  spawn.environment = options.environment;

  absl::StatusOr<std::unique_ptr<Subprocess>> process = Subprocess::Spawn(std::move(spawn));
  if (!process.ok()) return process.status();
  return std::unique_ptr<DaemonProcess>(new DaemonProcess(
      std::move(options), std::move(*dir), std::move(addresses), std::move(*process)));
}

absl::StatusOr<std::unique_ptr<DaemonProcess>> DaemonProcess::Start(DaemonOptions options) {
  const absl::Duration timeout = options.ready_timeout;
  absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon = Spawn(std::move(options));
  if (!daemon.ok()) return daemon.status();
  if (absl::Status ready = (*daemon)->WaitUntilReady(timeout); !ready.ok()) return ready;
  return daemon;
}

DaemonProcess::DaemonProcess(DaemonOptions options, TempDir dir, std::vector<std::string> addresses,
                             std::unique_ptr<Subprocess> process)
    : options_(std::move(options)),
      dir_(std::move(dir)),
      addresses_(std::move(addresses)),
      process_(std::move(process)) {}

DaemonProcess::~DaemonProcess() {
  const bool was_running = !process_->Poll().has_value();
  const ExitStatus status = process_->Stop();
  if (was_running && options_.on_stopped) options_.on_stopped(status);
  if (options_.print_log_if && options_.print_log_if()) {
    std::fprintf(stderr, "%s\n[harness] %s (pid %d) ended: %s\n", FormatLog().c_str(),
                 options_.name.c_str(), static_cast<int>(process_->pid()),
                 status.ToString().c_str());
  }
  process_.reset();  // before dir_ goes: the log lives there
}

std::shared_ptr<grpc::Channel> DaemonProcess::NewChannel() const {
  return grpc::CreateCustomChannel(address(), grpc::InsecureChannelCredentials(),
                                   FastReconnectChannelArguments());
}

absl::Status DaemonProcess::ProbeOnce(const std::shared_ptr<grpc::Channel>& channel) const {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(200));
  context.set_wait_for_ready(true);  // wait for the socket to appear, not fail fast
  grpc::Status status;
  if (options_.role == "hal") {
    v1::GetInterfaceInfoRequest request;
    v1::InterfaceInfo response;
    status = v1::AudioControl::NewStub(channel)->GetInterfaceInfo(&context, request, &response);
  } else {
    v1::PingRequest request;
    v1::PingResponse response;
    status = v1::CarAudioAdmin::NewStub(channel)->Ping(&context, request, &response);
  }
  if (status.ok()) return absl::OkStatus();
  return absl::UnavailableError(
      absl::StrCat("readiness RPC: ", status.error_code(), " ", status.error_message()));
}

absl::Status DaemonProcess::WaitUntilReady(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  std::shared_ptr<grpc::Channel> channel = NewChannel();
  absl::Status last = absl::UnavailableError("not probed");
  for (;;) {
    if (std::optional<ExitStatus> exit = process_->Poll()) {
      return absl::FailedPreconditionError(absl::StrCat(
          options_.name, " exited before it was ready (", exit->ToString(), ")\n", FormatLog()));
    }
    last = ProbeOnce(channel);
    if (last.ok()) return absl::OkStatus();
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat(options_.name, " not ready within ",
                                                      absl::FormatDuration(timeout), " (",
                                                      last.message(), ")\n", FormatLog()));
    }
    SleepBriefly();
  }
}

absl::StatusOr<ExitStatus> DaemonProcess::Terminate(absl::Duration timeout) {
  process_->Signal(SIGTERM);
  return process_->Wait(timeout);
}

std::string DaemonProcess::FormatLog() const {
  return absl::StrCat("==== ", options_.name, " (pid ", process_->pid(),
                      ") log: ", process_->log_path(), " ====\n", ReadLog(), "==== end of ",
                      options_.name, " log ====");
}

}  // namespace caraudio::testing
