#include "carservice/deadline_timer.h"

namespace caraudio {

DeadlineTimer::DeadlineTimer() : thread_([this] { Loop(); }) {}

DeadlineTimer::~DeadlineTimer() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  thread_.join();
}

uint64_t DeadlineTimer::RunAt(absl::Time when, std::function<void()> callback) {
  absl::MutexLock lock(&mutex_);
  const uint64_t id = ++last_id_;
  pending_.emplace(std::make_pair(when, id), std::move(callback));
  return id;
}

void DeadlineTimer::Cancel(uint64_t id) {
  absl::MutexLock lock(&mutex_);
  std::erase_if(pending_, [id](const auto& entry) { return entry.first.second == id; });
}

void DeadlineTimer::Loop() {
  absl::MutexLock lock(&mutex_);
  while (!stopping_) {
    if (pending_.empty()) {
      mutex_.Await(absl::Condition(
          +[](DeadlineTimer* self) ABSL_NO_THREAD_SAFETY_ANALYSIS {
            return self->stopping_ || !self->pending_.empty();
          },
          this));
      continue;
    }
    const absl::Time next = pending_.begin()->first.first;
    if (absl::Now() < next) {
      // Wakes early when an earlier deadline is added or on stop.
      const size_t count = pending_.size();
      const absl::Time head = next;
      struct Wake {
        DeadlineTimer* self;
        size_t count;
        absl::Time head;
      } wake{this, count, head};
      mutex_.AwaitWithDeadline(
          absl::Condition(
              +[](Wake* w) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                return w->self->stopping_ || w->self->pending_.size() != w->count ||
                       (!w->self->pending_.empty() && w->self->pending_.begin()->first.first != w->head);
              },
              &wake),
          next);
      continue;
    }
    std::function<void()> callback = std::move(pending_.begin()->second);
    pending_.erase(pending_.begin());
    mutex_.Unlock();
    callback();
    mutex_.Lock();
  }
}

}  // namespace caraudio
