// StreamWriter<T>: the one server-streaming reactor every streaming RPC uses
// (RequestFocus, RegisterFocusListener, HoldFocus, WatchEvents,
// RegisterGainCallback). It owns the per-stream outbound queue, so producers
// never block: Send() from any thread queues the message and returns.
//
// Lifetime: Create() returns a shared_ptr; the writer also holds a reference
// to itself until gRPC calls OnDone(), so it outlives every pending operation
// no matter who else drops it. Producers keep a shared_ptr (or weak_ptr) to
// address it later.
//
// Ending: Finish(status) ends the stream after the queued messages are
// written. When the peer cancels or disconnects, `on_cancel` runs once (on a
// gRPC thread; it should only post work) and the stream finishes CANCELLED.
// A writer whose queue exceeds `max_queue` is finished with
// RESOURCE_EXHAUSTED rather than grow without bound behind a stalled reader.

#ifndef CARAUDIO_CARSERVICE_STREAM_WRITER_H_
#define CARAUDIO_CARSERVICE_STREAM_WRITER_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/server_callback.h>

#include "absl/base/thread_annotations.h"

namespace caraudio {

template <typename Message>
class StreamWriter : public grpc::ServerWriteReactor<Message> {
  struct Passkey {};

 public:
  using CancelHook = std::function<void()>;

  static std::shared_ptr<StreamWriter> Create(size_t max_queue = 1024) {
    auto writer = std::make_shared<StreamWriter>(Passkey{}, max_queue);
    std::lock_guard lock(writer->mutex_);
    writer->self_ = writer;
    return writer;
  }

  StreamWriter(Passkey, size_t max_queue) : max_queue_(max_queue) {}

  // Set before the stream is returned to gRPC.
  void set_on_cancel(CancelHook hook) {
    std::lock_guard lock(mutex_);
    on_cancel_ = std::move(hook);
  }

  // Queues `message`. False when the stream is finishing or finished.
  bool Send(Message message) {
    Action action;
    bool accepted = false;
    {
      std::lock_guard lock(mutex_);
      if (finish_status_ || done_) return false;
      if (queue_.size() >= max_queue_) {
        finish_status_ = grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                      "reader too slow: outbound queue overflowed");
      } else {
        queue_.push_back(std::move(message));
        accepted = true;
      }
      action = NextActionLocked();
    }
    Perform(action);
    return accepted;
  }

  // Ends the stream with `status` once the queue is written. Later calls are
  // ignored.
  void Finish(grpc::Status status) {
    Action action;
    {
      std::lock_guard lock(mutex_);
      if (finish_status_ || done_) return;
      finish_status_ = std::move(status);
      action = NextActionLocked();
    }
    Perform(action);
  }

  // True once Finish() was called or the stream was cancelled.
  bool finishing() const {
    std::lock_guard lock(mutex_);
    return finish_status_.has_value() || done_;
  }

 private:
  // What to do after a state change, done outside the lock because gRPC may
  // run reactions inline.
  struct Action {
    const Message* write = nullptr;
    std::optional<grpc::Status> finish;
  };

  Action NextActionLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    Action action;
    if (writing_ || finished_) return action;
    if (!queue_.empty() && !cancelled_) {
      writing_ = true;
      action.write = &queue_.front();  // deque push_back keeps this valid
    } else if (finish_status_) {
      finished_ = true;
      action.finish = *finish_status_;
    }
    return action;
  }

  void Perform(const Action& action) {
    if (action.write != nullptr) this->StartWrite(action.write);
    if (action.finish) grpc::ServerWriteReactor<Message>::Finish(*action.finish);
  }

  void OnWriteDone(bool ok) override {
    Action action;
    {
      std::lock_guard lock(mutex_);
      writing_ = false;
      if (!queue_.empty()) queue_.pop_front();
      if (!ok) {
        // The peer is gone; drop the rest and finish.
        queue_.clear();
        cancelled_ = true;
        if (!finish_status_) finish_status_ = grpc::Status::CANCELLED;
      }
      action = NextActionLocked();
    }
    Perform(action);
  }

  void OnCancel() override {
    CancelHook hook;
    Action action;
    {
      std::lock_guard lock(mutex_);
      hook = std::move(on_cancel_);
      on_cancel_ = nullptr;
      cancelled_ = true;
      if (!writing_) queue_.clear();
      if (!finish_status_) finish_status_ = grpc::Status::CANCELLED;
      action = NextActionLocked();
    }
    Perform(action);
    if (hook) hook();
  }

  void OnDone() override {
    std::shared_ptr<StreamWriter> keep_alive_until_return;
    std::lock_guard lock(mutex_);
    done_ = true;
    on_cancel_ = nullptr;
    keep_alive_until_return = std::move(self_);
  }

  const size_t max_queue_;
  mutable std::mutex mutex_;
  std::deque<Message> queue_ ABSL_GUARDED_BY(mutex_);
  bool writing_ ABSL_GUARDED_BY(mutex_) = false;
  bool finished_ ABSL_GUARDED_BY(mutex_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mutex_) = false;
  bool done_ ABSL_GUARDED_BY(mutex_) = false;
  std::optional<grpc::Status> finish_status_ ABSL_GUARDED_BY(mutex_);
  CancelHook on_cancel_ ABSL_GUARDED_BY(mutex_);
  std::shared_ptr<StreamWriter> self_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_STREAM_WRITER_H_
