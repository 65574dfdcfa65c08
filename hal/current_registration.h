// CurrentRegistration<Message>: the one registered callback stream of a kind
// (the focus listener, the gain callback), with AIDL's rules for
// registerFocusListener and registerGainCallback: a single registration, a
// new one replaces the old, and only the current one is dropped when its
// stream goes away (the HIDL ICloseHandle identity check,
// audiocontrol-hal.md §4 and §10.3).
//
// Registration ids increase from 1 for the life of the object; 0 means none.
// A replaced stream ends with ABORTED "superseded by registration N".
//
// Identity is by stream: cancel hooks hold a weak_ptr to their own stream,
// and IsCurrent() compares it with the registered one. While a stream is
// registered this object keeps it alive, so the comparison cannot be fooled
// by a reused address.
//
// Not thread-safe; the HAL calls it on its executor only.

#ifndef CARAUDIO_HAL_CURRENT_REGISTRATION_H_
#define CARAUDIO_HAL_CURRENT_REGISTRATION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "carservice/stream_writer.h"

namespace caraudio {

template <typename Message>
class CurrentRegistration {
 public:
  using Stream = StreamWriter<Message>;

  // Makes `stream` the current registration under the next id and returns
  // that id. The previous stream, if any, ends with ABORTED.
  uint64_t Replace(std::shared_ptr<Stream> stream, std::string name) {
    const uint64_t id = ++last_id_;
    if (stream_) {
      stream_->Finish(grpc::Status(grpc::StatusCode::ABORTED,
                                   absl::StrCat("superseded by registration ", id)));
    }
    id_ = id;
    name_ = std::move(name);
    stream_ = std::move(stream);
    return id;
  }

  // True when `stream` is the current registration.
  bool IsCurrent(const std::weak_ptr<Stream>& stream) const {
    return stream_ != nullptr && stream.lock() == stream_;
  }

  // Queues `message` on the current stream. False when there is none or it
  // no longer takes messages (cancelled, or its queue overflowed and it
  // finished with RESOURCE_EXHAUSTED); the caller should then Clear().
  bool Send(Message message) { return stream_ != nullptr && stream_->Send(std::move(message)); }

  // Forgets the current registration; its stream is left as it is.
  void Clear() {
    id_ = 0;
    name_.clear();
    stream_.reset();
  }

  // Ends the current stream with `status` and forgets it.
  void Finish(grpc::Status status) {
    if (stream_) stream_->Finish(std::move(status));
    Clear();
  }

  bool registered() const { return stream_ != nullptr; }
  // The current registration id; 0 when none.
  uint64_t id() const { return id_; }
  // The name the current client gave; empty when none.
  const std::string& name() const { return name_; }

 private:
  uint64_t last_id_ = 0;
  uint64_t id_ = 0;
  std::string name_;
  std::shared_ptr<Stream> stream_;
};

}  // namespace caraudio

#endif  // CARAUDIO_HAL_CURRENT_REGISTRATION_H_
