#include "carservice/serial_executor.h"

namespace caraudio {

SerialExecutor::SerialExecutor() : worker_([this] { Loop(); }) {}

SerialExecutor::~SerialExecutor() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  worker_.join();
}

bool SerialExecutor::Post(std::function<void()> task) {
  absl::MutexLock lock(&mutex_);
  if (stopping_) return false;
  tasks_.push_back(std::move(task));
  return true;
}

bool SerialExecutor::Dispatch(std::function<void()> task) {
  {
    absl::MutexLock lock(&mutex_);
    if (stopping_) return false;
    if (running_ || !tasks_.empty()) {
      tasks_.push_back(std::move(task));
      return true;
    }
    running_ = true;
    running_thread_ = std::this_thread::get_id();
  }
  task();
  absl::MutexLock lock(&mutex_);
  running_ = false;  // the worker's Await sees this and takes what queued up meanwhile
  running_thread_ = std::thread::id();
  return true;
}

bool SerialExecutor::IsCurrent() const {
  absl::MutexLock lock(&mutex_);
  return running_ && running_thread_ == std::this_thread::get_id();
}

void SerialExecutor::Loop() {
  for (;;) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mutex_);
      mutex_.Await(absl::Condition(
          +[](SerialExecutor* self) ABSL_NO_THREAD_SAFETY_ANALYSIS {
            return !self->running_ && (self->stopping_ || !self->tasks_.empty());
          },
          this));
      if (tasks_.empty()) return;  // stopping, drained, and no inline task left
      task = std::move(tasks_.front());
      tasks_.pop_front();
      running_ = true;
      running_thread_ = std::this_thread::get_id();
    }
    task();
    absl::MutexLock lock(&mutex_);
    running_ = false;
    running_thread_ = std::thread::id();
  }
}

}  // namespace caraudio
