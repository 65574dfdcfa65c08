// SerialExecutor: one worker thread that runs posted tasks one at a time, in
// posting order. It is the single place where the focus engine, the ducking
// planner and the HAL focus bookkeeping are touched: gRPC handlers only
// translate and Post(), so the engine itself needs no locks.
//
// Post() is thread-safe and never blocks on the task. Run() posts and waits
// for the result; never call it from a task (it would deadlock). The
// destructor runs every task already posted, then joins.

#ifndef CARAUDIO_CARSERVICE_SERIAL_EXECUTOR_H_
#define CARAUDIO_CARSERVICE_SERIAL_EXECUTOR_H_

#include <deque>
#include <functional>
#include <future>
#include <thread>
#include <type_traits>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace caraudio {

class SerialExecutor {
 public:
  SerialExecutor();
  ~SerialExecutor();

  SerialExecutor(const SerialExecutor&) = delete;
  SerialExecutor& operator=(const SerialExecutor&) = delete;

  // Queues `task`; returns false (and drops it) once shutdown has begun.
  bool Post(std::function<void()> task);

  // Runs `task` on the executor and returns its result.
  template <typename Fn>
  auto Run(Fn&& task) -> std::invoke_result_t<Fn&> {
    using Result = std::invoke_result_t<Fn&>;
    std::packaged_task<Result()> packaged(std::forward<Fn>(task));
    std::future<Result> future = packaged.get_future();
    auto shared = std::make_shared<std::packaged_task<Result()>>(std::move(packaged));
    Post([shared] { (*shared)(); });
    return future.get();
  }

  // True on the executor's own thread.
  bool IsCurrent() const { return std::this_thread::get_id() == worker_.get_id(); }

 private:
  void Loop();

  absl::Mutex mutex_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread worker_;
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_SERIAL_EXECUTOR_H_
