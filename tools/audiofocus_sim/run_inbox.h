// RunInbox<T>: what the RequestFocus reader threads hand to the runner's
// thread. Each item is stamped with the steady_clock time at which it was
// pushed, under the lock, so items come out in arrival order with
// non-decreasing times; the runner uses the stamp to decide whether a focus
// event arrived at or before an expectation's time.
//
// Thread-safe: any thread pushes, one thread (the runner) waits and pops.

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_RUN_INBOX_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_RUN_INBOX_H_

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"

namespace caraudio::sim {

template <typename T>
class RunInbox {
 public:
  using Clock = std::chrono::steady_clock;

  struct Stamped {
    T item;
    Clock::time_point at;
  };

  void Push(T item) {
    {
      std::lock_guard lock(mutex_);
      items_.push_back(Stamped{std::move(item), Clock::now()});
    }
    pushed_.notify_all();
  }

  // Waits until an item is there or `deadline` passes; true when one is.
  bool WaitUntil(Clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return pushed_.wait_until(lock, deadline, [this] { return !items_.empty(); });
  }

  // The oldest item if it was pushed at or before `until`.
  std::optional<Stamped> PopUntil(Clock::time_point until) {
    std::lock_guard lock(mutex_);
    if (items_.empty() || items_.front().at > until) return std::nullopt;
    Stamped stamped = std::move(items_.front());
    items_.pop_front();
    return stamped;
  }

 private:
  // std::mutex so ThreadSanitizer sees the locking (see scripts/tsan.supp).
  std::mutex mutex_;
  std::condition_variable pushed_;
  std::deque<Stamped> items_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_RUN_INBOX_H_
