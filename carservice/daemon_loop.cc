#include "carservice/daemon_loop.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace caraudio {
namespace {

absl::Status ErrnoError(const char* what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

itimerspec PeriodicSpec(absl::Duration period) {
  itimerspec spec{};
  spec.it_interval = absl::ToTimespec(period);
  spec.it_value = spec.it_interval;
  return spec;
}

sigset_t SignalSet(const std::vector<int>& signals) {
  sigset_t mask;
  sigemptyset(&mask);
  for (int signal_number : signals) sigaddset(&mask, signal_number);
  return mask;
}

}  // namespace

struct DaemonLoop::Timer {
  explicit Timer(int timer_fd, std::function<void()> tick)
      : fd(timer_fd), on_tick(std::move(tick)) {}
  ~Timer() { ::close(fd); }
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  int fd;
  std::function<void()> on_tick;
};

absl::Status DaemonLoop::BlockSignals(const std::vector<int>& signals) {
  const sigset_t mask = SignalSet(signals);
  if (const int error = pthread_sigmask(SIG_BLOCK, &mask, nullptr); error != 0) {
    return absl::InternalError(absl::StrCat("pthread_sigmask: ", std::strerror(error)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<DaemonLoop>> DaemonLoop::Create(const std::vector<int>& signals) {
  if (absl::Status blocked = BlockSignals(signals); !blocked.ok()) return blocked;
  const sigset_t mask = SignalSet(signals);
  const int fd = ::signalfd(-1, &mask, SFD_CLOEXEC);
  if (fd < 0) return ErrnoError("signalfd");
  return std::unique_ptr<DaemonLoop>(new DaemonLoop(fd));
}

DaemonLoop::DaemonLoop(int signal_fd) : signal_fd_(signal_fd) {}

DaemonLoop::~DaemonLoop() {
  timers_.clear();
  ::close(signal_fd_);
}

absl::StatusOr<size_t> DaemonLoop::AddTimer(absl::Duration period, std::function<void()> on_tick) {
  if (period <= absl::ZeroDuration()) return absl::InvalidArgumentError("timer period must be > 0");
  const int fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  if (fd < 0) return ErrnoError("timerfd_create");
  timers_.push_back(std::make_unique<Timer>(fd, std::move(on_tick)));
  SetPeriod(timers_.size() - 1, period);
  return timers_.size() - 1;
}

void DaemonLoop::SetPeriod(size_t timer, absl::Duration period) {
  const itimerspec spec = PeriodicSpec(period);
  if (::timerfd_settime(timers_.at(timer)->fd, 0, &spec, nullptr) != 0) {
    LogError("audiocontrold", ErrnoError("timerfd_settime").ToString());
  }
}

int DaemonLoop::Run(const std::function<bool(int signal_number)>& on_signal) {
  std::vector<pollfd> fds;
  while (true) {
    fds.assign(1, pollfd{signal_fd_, POLLIN, 0});
    for (const std::unique_ptr<Timer>& timer : timers_) fds.push_back(pollfd{timer->fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      LogError("audiocontrold", ErrnoError("poll").ToString());
      return SIGTERM;  // cannot wait any more: stop as if asked to
    }
    if ((fds[0].revents & POLLIN) != 0) {
      signalfd_siginfo info{};
      if (::read(signal_fd_, &info, sizeof(info)) == static_cast<ssize_t>(sizeof(info))) {
        const int signal_number = static_cast<int>(info.ssi_signo);
        if (!on_signal(signal_number)) return signal_number;
      }
    }
    for (size_t i = 1; i < fds.size(); ++i) {
      if ((fds[i].revents & POLLIN) == 0) continue;
      uint64_t expirations = 0;
      // Several expirations while busy still make one tick: ticks are
      // "now is a good time", not a count.
      if (::read(fds[i].fd, &expirations, sizeof(expirations)) > 0) timers_[i - 1]->on_tick();
    }
  }
}

}  // namespace caraudio
