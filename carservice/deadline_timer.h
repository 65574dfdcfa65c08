// DeadlineTimer: runs callbacks at given times on one thread of its own. The
// HAL uses it to end vehicle sounds, the car service for app lifecycle
// deadlines; callbacks only post work to an executor, so they are short. Cancel(id) is best-effort: a callback already
// running completes. The destructor drops pending callbacks and joins.

#ifndef CARAUDIO_CARSERVICE_DEADLINE_TIMER_H_
#define CARAUDIO_CARSERVICE_DEADLINE_TIMER_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace caraudio {

class DeadlineTimer {
 public:
  DeadlineTimer();
  ~DeadlineTimer();
  DeadlineTimer(const DeadlineTimer&) = delete;
  DeadlineTimer& operator=(const DeadlineTimer&) = delete;

  // Runs `callback` at `when` (at once if past); returns an id for Cancel.
  uint64_t RunAt(absl::Time when, std::function<void()> callback);
  void Cancel(uint64_t id);

 private:
  void Loop();

  // std::mutex so ThreadSanitizer sees the locking (see scripts/tsan.supp).
  std::mutex mutex_;
  // Signalled on every change of pending_ or stopping_.
  std::condition_variable changed_;
  // (deadline, id) → callback; ids break ties in arrival order.
  std::map<std::pair<absl::Time, uint64_t>, std::function<void()>> pending_ ABSL_GUARDED_BY(mutex_);
  uint64_t last_id_ ABSL_GUARDED_BY(mutex_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_DEADLINE_TIMER_H_
