#include "tests/pipewire/pipewire_daemon.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "pipewire-bridge/pipewire_loop.h"

#ifndef CARAUDIO_PIPEWIRE_TEST_CONF
#error "CARAUDIO_PIPEWIRE_TEST_CONF must name tests/pipewire/pipewire-test.conf (set by CMake)"
#endif

namespace caraudio::testing {
namespace {

constexpr const char* kExportedVariables[] = {"XDG_RUNTIME_DIR", "PIPEWIRE_RUNTIME_DIR",
                                              "PIPEWIRE_REMOTE"};

std::string ErrnoText(const std::string& what) {
  return absl::StrCat(what, ": ", std::strerror(errno));
}

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return absl::StrCat("exit code ", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    return absl::StrCat("killed by signal ", WTERMSIG(status), " (", strsignal(WTERMSIG(status)),
                        ")");
  }
  return absl::StrCat("wait status ", status);
}

// `binary` itself when it has a '/', else the first executable in $PATH.
absl::StatusOr<std::string> ResolveBinary(const std::string& binary) {
  if (binary.find('/') != std::string::npos) return binary;
  const char* path = std::getenv("PATH");
  for (absl::string_view dir : absl::StrSplit(path != nullptr ? path : "/usr/bin:/bin", ':')) {
    if (dir.empty()) continue;
    std::string candidate = absl::StrCat(dir, "/", binary);
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return absl::NotFoundError(absl::StrCat("\"", binary, "\" not found in $PATH"));
}

std::string Tail(const std::string& text, size_t max_chars) {
  return text.size() <= max_chars ? text : "..." + text.substr(text.size() - max_chars);
}

}  // namespace

std::string PipeWireDaemon::DefaultConfigPath() { return CARAUDIO_PIPEWIRE_TEST_CONF; }

PipeWireDaemon::PipeWireDaemon(PrivateTag, Options options, std::string runtime_dir)
    : options_(std::move(options)), runtime_dir_(std::move(runtime_dir)) {}

absl::StatusOr<std::unique_ptr<PipeWireDaemon>> PipeWireDaemon::Start(Options options) {
  if (options.config_path.empty()) options.config_path = DefaultConfigPath();
  if (options.config_path.front() != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("PipeWireDaemon: config path must be absolute: ", options.config_path));
  }
  if (::access(options.config_path.c_str(), R_OK) != 0) {
    return absl::NotFoundError(ErrnoText("PipeWireDaemon: config " + options.config_path));
  }
  absl::StatusOr<std::string> binary_path = ResolveBinary(options.binary);
  if (!binary_path.ok()) return binary_path.status();

  // mkdtemp creates the directory with mode 0700, which PipeWire expects of
  // a runtime dir.
  std::string pattern = "/tmp/caraudio-pw.XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) return absl::InternalError(ErrnoText("mkdtemp"));

  // From here on the destructor cleans up (kill by PID, remove the dir,
  // restore the environment), also when a later step fails.
  auto daemon = std::make_unique<PipeWireDaemon>(PrivateTag{}, std::move(options), pattern);
  daemon->binary_path_ = *std::move(binary_path);
  daemon->ExportEnvironment();
  if (absl::Status spawned = daemon->Spawn(); !spawned.ok()) return spawned;
  if (absl::Status ready = daemon->WaitUntilReady(); !ready.ok()) return ready;
  return daemon;
}

PipeWireDaemon::~PipeWireDaemon() {
  if (pid_ > 0 && !StopWith(SIGTERM, absl::Seconds(2))) Kill().IgnoreError();
  std::error_code ignored;
  std::filesystem::remove_all(runtime_dir_, ignored);
  RestoreEnvironment();
}

void PipeWireDaemon::ExportEnvironment() {
  for (const char* name : kExportedVariables) {
    const char* value = std::getenv(name);
    saved_environment_.push_back(
        {name, value != nullptr ? std::optional<std::string>(value) : std::nullopt});
  }
  ::setenv("XDG_RUNTIME_DIR", runtime_dir_.c_str(), 1);
  ::setenv("PIPEWIRE_RUNTIME_DIR", runtime_dir_.c_str(), 1);
  // A remote name from the caller's environment would send clients elsewhere.
  ::unsetenv("PIPEWIRE_REMOTE");
}

void PipeWireDaemon::RestoreEnvironment() {
  for (const SavedVariable& variable : saved_environment_) {
    if (variable.value.has_value()) {
      ::setenv(variable.name.c_str(), variable.value->c_str(), 1);
    } else {
      ::unsetenv(variable.name.c_str());
    }
  }
  saved_environment_.clear();
}

absl::Status PipeWireDaemon::Spawn() {
  std::vector<std::string> args = {binary_path_, "-c", options_.config_path};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  // Opened here (close-on-exec) so the child only needs dup2, which is
  // async-signal-safe; fork() in a threaded process allows nothing else.
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) return absl::InternalError(ErrnoText("open /dev/null"));
  const int log_fd = ::open(log_path().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    ::close(null_fd);
    return absl::InternalError(ErrnoText("open " + log_path()));
  }

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);  // the parent died before prctl
    if (::dup2(null_fd, STDIN_FILENO) < 0 || ::dup2(log_fd, STDOUT_FILENO) < 0 ||
        ::dup2(log_fd, STDERR_FILENO) < 0) {
      ::_exit(126);
    }
    // Nothing else from the test process (ctest's pipes, PipeWire sockets,
    // eventfds) may stay open in the daemon.
    ::close_range(3, ~0U, 0);
    // Whatever the test process blocks or ignores must not leak into the
    // daemon (SIGTERM must stop it).
    sigset_t empty;
    sigemptyset(&empty);
    ::sigprocmask(SIG_SETMASK, &empty, nullptr);
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    for (int signal_number = 1; signal_number < NSIG; ++signal_number) {
      ::sigaction(signal_number, &default_action, nullptr);  // fails harmlessly for KILL/STOP
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  const int fork_errno = errno;
  ::close(null_fd);
  ::close(log_fd);
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", std::strerror(fork_errno)));
  pid_ = pid;
  return absl::OkStatus();
}

absl::Status PipeWireDaemon::WaitUntilReady() {
  absl::StatusOr<std::unique_ptr<PipeWireLoop>> probe = PipeWireLoop::Create("pw-daemon-probe");
  if (!probe.ok()) return probe.status();
  const absl::Time deadline = absl::Now() + options_.ready_timeout;
  absl::Status last_attempt = absl::UnavailableError("not tried");
  while (true) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::InternalError(absl::StrCat("pipewire exited before answering (",
                                              DescribeWaitStatus(status), "); log:\n",
                                              Tail(ReadLog(), 4000)));
    }
    last_attempt = (*probe)->Connect([] {});
    if (last_attempt.ok()) {
      last_attempt = (*probe)->Sync(std::clamp(deadline - absl::Now(), absl::Milliseconds(10),
                                               absl::Seconds(1)));
      (*probe)->Disconnect();
      if (last_attempt.ok()) return absl::OkStatus();
    }
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "pipewire (pid ", pid_, ") did not answer within ",
          absl::FormatDuration(options_.ready_timeout), ": ", last_attempt.message(), "; log:\n",
          Tail(ReadLog(), 4000)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

bool PipeWireDaemon::StopWith(int signal_number, absl::Duration grace) {
  if (pid_ <= 0) return true;
  ::kill(pid_, signal_number);
  const absl::Time deadline = absl::Now() + grace;
  while (true) {
    int status = 0;
    const pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
    if (reaped == pid_ || (reaped < 0 && errno == ECHILD)) {
      pid_ = -1;
      return true;
    }
    if (absl::Now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

absl::Status PipeWireDaemon::Kill() {
  if (pid_ <= 0) return absl::OkStatus();
  if (::kill(pid_, SIGKILL) != 0 && errno != ESRCH) {
    return absl::InternalError(ErrnoText(absl::StrCat("kill ", pid_)));
  }
  int status = 0;
  pid_t reaped;
  do {
    reaped = ::waitpid(pid_, &status, 0);
  } while (reaped < 0 && errno == EINTR);
  const pid_t killed = pid_;
  pid_ = -1;
  if (reaped != killed && errno != ECHILD) {
    return absl::InternalError(ErrnoText(absl::StrCat("waitpid ", killed)));
  }
  return absl::OkStatus();
}

absl::Status PipeWireDaemon::Restart() {
  if (absl::Status killed = Kill(); !killed.ok()) return killed;
  if (absl::Status spawned = Spawn(); !spawned.ok()) return spawned;
  return WaitUntilReady();
}

std::string PipeWireDaemon::ReadLog() const {
  std::ifstream log(log_path());
  std::stringstream contents;
  contents << log.rdbuf();
  return contents.str();
}

}  // namespace caraudio::testing
