#include "carservice/serial_executor.h"

namespace caraudio {

SerialExecutor::SerialExecutor() : worker_([this] { Loop(); }) {}

SerialExecutor::~SerialExecutor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  worker_.join();
}

bool SerialExecutor::Post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
  return true;
}

bool SerialExecutor::Dispatch(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    if (running_ || !tasks_.empty()) {
      tasks_.push_back(std::move(task));
      wake_.notify_one();
      return true;
    }
    running_ = true;
    running_thread_ = std::this_thread::get_id();
  }
  task();
  {
    std::lock_guard lock(mutex_);
    running_ = false;  // the worker may now take what queued up meanwhile
    running_thread_ = std::thread::id();
  }
  wake_.notify_one();
  return true;
}

size_t SerialExecutor::queued() const {
  std::lock_guard lock(mutex_);
  return tasks_.size();
}

bool SerialExecutor::IsCurrent() const {
  std::lock_guard lock(mutex_);
  return running_ && running_thread_ == std::this_thread::get_id();
}

void SerialExecutor::Loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return !running_ && (stopping_ || !tasks_.empty()); });
    if (tasks_.empty()) return;  // stopping, drained, and no inline task left
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    running_ = true;
    running_thread_ = std::this_thread::get_id();
    lock.unlock();
    task();
    task = nullptr;  // destroy the captures outside the lock: they may post work
    lock.lock();
    running_ = false;
    running_thread_ = std::thread::id();
  }
}

}  // namespace caraudio
