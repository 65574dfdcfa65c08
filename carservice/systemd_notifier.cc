#include "carservice/systemd_notifier.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace caraudio {
namespace {

// A STATUS= value is one line.
std::string StatusLine(std::string_view status) {
  std::string line(status);
  for (char& c : line) {
    if (c == '\n') c = ' ';
  }
  return absl::StrCat("STATUS=", line);
}

// Closes a descriptor when it goes out of scope.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// $WATCHDOG_USEC when $WATCHDOG_PID is unset or this process (a watchdog for
// the main process of a unit whose main process is someone else is not ours).
std::optional<uint64_t> WatchdogUsec() {
  const char* usec_text = std::getenv("WATCHDOG_USEC");
  uint64_t usec = 0;
  if (usec_text == nullptr || !absl::SimpleAtoi(usec_text, &usec) || usec == 0) {
    return std::nullopt;
  }
  if (const char* pid_text = std::getenv("WATCHDOG_PID"); pid_text != nullptr) {
    int64_t pid = 0;
    if (!absl::SimpleAtoi(pid_text, &pid) || pid != ::getpid()) return std::nullopt;
  }
  return usec;
}

}  // namespace

SystemdNotifier::SystemdNotifier() {
  if (const char* socket = std::getenv("NOTIFY_SOCKET"); socket != nullptr) socket_path_ = socket;
  active_ = !socket_path_.empty();
  if (std::optional<uint64_t> usec = WatchdogUsec(); active_ && usec) {
    watchdog_timeout_ = absl::Microseconds(*usec);
  }
}

void SystemdNotifier::Send(const std::string& state) const {
  if (!active_) return;
  auto fail = [&state](const std::string& why) {
    LogWarning("audiocontrold", absl::StrCat("sd_notify failed: ", why), {{"state", state}});
  };
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if ((socket_path_[0] != '/' && socket_path_[0] != '@') ||
      socket_path_.size() > sizeof(address.sun_path)) {
    return fail(absl::StrCat("NOTIFY_SOCKET=", socket_path_, " is not a unix socket address"));
  }
  std::memcpy(address.sun_path, socket_path_.data(), socket_path_.size());
  if (socket_path_[0] == '@') address.sun_path[0] = '\0';  // abstract namespace
  const socklen_t length =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_path_.size());
  const Descriptor socket(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (socket.get() < 0) return fail(std::strerror(errno));
  if (::sendto(socket.get(), state.data(), state.size(), MSG_NOSIGNAL,
               reinterpret_cast<const sockaddr*>(&address), length) < 0) {
    return fail(std::strerror(errno));
  }
}

void SystemdNotifier::Ready(std::string_view status) const {
  Send(absl::StrCat("READY=1\n", StatusLine(status)));
}

void SystemdNotifier::Status(std::string_view status) const { Send(StatusLine(status)); }

void SystemdNotifier::Watchdog() const { Send("WATCHDOG=1"); }

void SystemdNotifier::Reloading(std::string_view status) const {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  const int64_t usec = int64_t{now.tv_sec} * 1000000 + now.tv_nsec / 1000;
  Send(absl::StrCat("RELOADING=1\nMONOTONIC_USEC=", usec, "\n", StatusLine(status)));
}

void SystemdNotifier::Stopping(std::string_view status) const {
  Send(absl::StrCat("STOPPING=1\n", StatusLine(status)));
}

}  // namespace caraudio
