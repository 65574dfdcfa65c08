// SerialExecutor: runs tasks one at a time, in submission order (a strand).
// It is the single place where the focus engine, the ducking planner and the
// HAL focus bookkeeping are touched: gRPC handlers only translate and submit,
// so the engine itself needs no locks.
//
// Post() queues the task for the worker thread and never blocks on it.
// Dispatch() runs the task at once on the calling thread when the strand is
// idle (nothing running, nothing queued) and queues it otherwise: the common
// uncontended request then costs no thread hop, and tasks still never overlap
// or overtake each other. A task that submits more work gets it queued, never
// run re-entrantly. Run() posts and waits for the result; never call it from
// a task (it would deadlock). The destructor runs every task already
// submitted, waits for one running on another thread, then joins.

#ifndef CARAUDIO_CARSERVICE_SERIAL_EXECUTOR_H_
#define CARAUDIO_CARSERVICE_SERIAL_EXECUTOR_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>

#include "absl/base/thread_annotations.h"

namespace caraudio {

class SerialExecutor {
 public:
  SerialExecutor();
  ~SerialExecutor();

  SerialExecutor(const SerialExecutor&) = delete;
  SerialExecutor& operator=(const SerialExecutor&) = delete;

  // Queues `task`; returns false (and drops it) once shutdown has begun.
  bool Post(std::function<void()> task);

  // Runs `task` inline when the strand is idle, else queues it like Post().
  // Returns false (and drops it) once shutdown has begun.
  bool Dispatch(std::function<void()> task);

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

  // True on the thread that is running a task of this executor.
  bool IsCurrent() const;

  // Tasks submitted and not yet started (the running one not counted).
  size_t queued() const;

 private:
  void Loop();

  // std::mutex rather than absl::Mutex: ThreadSanitizer sees through it
  // (Debian's absl is not instrumented), see scripts/tsan.supp.
  mutable std::mutex mutex_;
  // Signalled whenever the worker's wait condition may have become true.
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  // Set while a task runs, on the worker or inline in Dispatch().
  bool running_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread::id running_thread_ ABSL_GUARDED_BY(mutex_);
  std::thread worker_;
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_SERIAL_EXECUTOR_H_
