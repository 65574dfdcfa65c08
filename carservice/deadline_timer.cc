#include "carservice/deadline_timer.h"

namespace caraudio {

DeadlineTimer::DeadlineTimer() : thread_([this] { Loop(); }) {}

DeadlineTimer::~DeadlineTimer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_one();
  thread_.join();
}

uint64_t DeadlineTimer::RunAt(absl::Time when, std::function<void()> callback) {
  uint64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    id = ++last_id_;
    pending_.emplace(std::make_pair(when, id), std::move(callback));
  }
  changed_.notify_one();
  return id;
}

void DeadlineTimer::Cancel(uint64_t id) {
  {
    std::lock_guard lock(mutex_);
    std::erase_if(pending_, [id](const auto& entry) { return entry.first.second == id; });
  }
  changed_.notify_one();
}

void DeadlineTimer::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (pending_.empty()) {
      changed_.wait(lock);
      continue;
    }
    const absl::Time next = pending_.begin()->first.first;
    if (absl::Now() < next) {
      // Wakes early when the deadlines change or on stop; the loop re-reads them.
      changed_.wait_until(lock, absl::ToChronoTime(next));
      continue;
    }
    std::function<void()> callback = std::move(pending_.begin()->second);
    pending_.erase(pending_.begin());
    lock.unlock();
    callback();
    callback = nullptr;
    lock.lock();
  }
}

}  // namespace caraudio
