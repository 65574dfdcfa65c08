// StreamReader<T>: reads a server-streaming call on its own thread into a
// queue, so a test can wait for the next message with a deadline instead of
// blocking in ClientReader::Read or sleeping.
//
//   StreamReader<v1::FocusEvent> music([&](grpc::ClientContext* context) {
//     return stub->RequestFocus(context, request);
//   });
//   std::optional<v1::FocusEvent> first = music.Next(absl::Seconds(2));
//
// Destruction cancels the call and joins the thread. Thread-safe.

#ifndef CARAUDIO_TESTS_TESTING_STREAM_READER_H_
#define CARAUDIO_TESTS_TESTING_STREAM_READER_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"

namespace caraudio::testing {

template <typename Message>
class StreamReader {
 public:
  using Starter = std::function<std::unique_ptr<grpc::ClientReader<Message>>(grpc::ClientContext*)>;

  // A message and when this process received it.
  struct Received {
    Message message;
    std::chrono::steady_clock::time_point at;
  };

  // Starts the call on the reader thread. `deadline` bounds the whole call,
  // so a forgotten stream cannot hang a test.
  explicit StreamReader(Starter start, absl::Duration deadline = absl::Seconds(30)) {
    context_.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    thread_ = std::thread([this, start = std::move(start)] { Run(start); });
  }

  StreamReader(const StreamReader&) = delete;
  StreamReader& operator=(const StreamReader&) = delete;

  ~StreamReader() {
    Cancel();
    thread_.join();
  }

  // The next message, or nullopt when none arrives within `timeout` or the
  // stream has ended with nothing left to read.
  std::optional<Message> Next(absl::Duration timeout = absl::Seconds(5)) {
    std::optional<Received> received = NextReceived(timeout);
    if (!received) return std::nullopt;
    return std::move(received->message);
  }

  // As Next(), with the time of arrival.
  std::optional<Received> NextReceived(absl::Duration timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, absl::ToChronoNanoseconds(timeout),
                      [this] { return !queue_.empty() || status_.has_value(); });
    if (queue_.empty()) return std::nullopt;
    Received received = std::move(queue_.front());
    queue_.pop_front();
    return received;
  }

  // Waits up to `timeout` for the stream to end; its status, or nullopt if
  // it is still open. Unread messages stay readable.
  std::optional<grpc::Status> WaitForEnd(absl::Duration timeout = absl::Seconds(5)) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, absl::ToChronoNanoseconds(timeout),
                      [this] { return status_.has_value(); });
    return status_;
  }

  // True once the call has ended.
  bool ended() const {
    std::lock_guard lock(mutex_);
    return status_.has_value();
  }

  // Messages received and not yet taken.
  size_t pending() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

  // Cancels the call (the server sees the stream close). Idempotent.
  void Cancel() { context_.TryCancel(); }

 private:
  void Run(const Starter& start) {
    std::unique_ptr<grpc::ClientReader<Message>> reader = start(&context_);
    Message message;
    while (reader->Read(&message)) {
      const auto at = std::chrono::steady_clock::now();
      {
        std::lock_guard lock(mutex_);
        queue_.push_back(Received{std::move(message), at});
      }
      changed_.notify_all();
      message = Message();
    }
    grpc::Status status = reader->Finish();
    {
      std::lock_guard lock(mutex_);
      status_ = std::move(status);
    }
    changed_.notify_all();
  }

  grpc::ClientContext context_;
  // std::mutex so ThreadSanitizer sees the locking (see scripts/tsan.supp).
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Received> queue_ ABSL_GUARDED_BY(mutex_);
  std::optional<grpc::Status> status_ ABSL_GUARDED_BY(mutex_);
  std::thread thread_;
};

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_TESTING_STREAM_READER_H_
