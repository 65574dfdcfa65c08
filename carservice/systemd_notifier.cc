#include "carservice/systemd_notifier.h"

#include <systemd/sd-daemon.h>
#include <time.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

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

}  // namespace

SystemdNotifier::SystemdNotifier() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  active_ = socket != nullptr && socket[0] != '\0';
  uint64_t usec = 0;
  if (active_ && sd_watchdog_enabled(/*unset_environment=*/0, &usec) > 0 && usec > 0) {
    watchdog_timeout_ = absl::Microseconds(usec);
  }
}

void SystemdNotifier::Send(const std::string& state) const {
  if (!active_) return;
  if (const int result = sd_notify(/*unset_environment=*/0, state.c_str()); result < 0) {
    LogWarning("audiocontrold", absl::StrCat("sd_notify failed: ", std::strerror(-result)),
               {{"state", state}});
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
