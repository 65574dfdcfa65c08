// DaemonLoop: audiocontrold's main thread once it serves. Signals arrive
// through a signalfd and timers through timerfds, all waited for with
// poll(): no signal handler ever runs, so nothing that is not
// async-signal-safe can happen in one, and the work a signal triggers
// (shutdown, reload) runs on this ordinary thread.
//
// The signals must be blocked in every thread: call BlockSignals() while the
// main thread is the only one, so every thread started later inherits the
// mask and the signals are only ever taken by Run(). Not thread-safe: the
// owner thread creates it, adds timers and runs it; callbacks run on that
// thread and may change timer periods.

#ifndef CARAUDIO_CARSERVICE_DAEMON_LOOP_H_
#define CARAUDIO_CARSERVICE_DAEMON_LOOP_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caraudio {

class DaemonLoop {
 public:
  // Blocks `signals` in the calling thread (and the threads it starts later).
  static absl::Status BlockSignals(const std::vector<int>& signals);
  // Blocks `signals` (again) and opens a signalfd for them.
  static absl::StatusOr<std::unique_ptr<DaemonLoop>> Create(const std::vector<int>& signals);
  ~DaemonLoop();
  DaemonLoop(const DaemonLoop&) = delete;
  DaemonLoop& operator=(const DaemonLoop&) = delete;

  // Calls `on_tick` every `period` (> 0) from Run(), the first time one
  // period from now. Returns the timer's index for SetPeriod.
  absl::StatusOr<size_t> AddTimer(absl::Duration period, std::function<void()> on_tick);
  // Changes a timer's period; the next tick is one new period from now.
  void SetPeriod(size_t timer, absl::Duration period);

  // Waits for signals and timers until `on_signal` returns false for a
  // signal; returns that signal's number.
  int Run(const std::function<bool(int signal_number)>& on_signal);

 private:
  struct Timer;
  explicit DaemonLoop(int signal_fd);

  int signal_fd_;
  std::vector<std::unique_ptr<Timer>> timers_;
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_DAEMON_LOOP_H_
