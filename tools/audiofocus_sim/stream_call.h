// StreamCall<Message>: one server-streaming call of audiofocus-sim (an app's
// AudioFocus.RequestFocus, a HalFocus.PlaySound chime), read on the call's
// own thread. Every message, and then the call's end, is handed to the
// callbacks there; the runner's callbacks only queue them (RunInbox), so all
// decisions stay on the runner's thread.
//
// The call lives as long as the object: destroying it cancels the call (the
// service treats a cancelled RequestFocus as an abandon, a cancelled
// PlaySound as the sound's end) and joins the thread.
//
// Thread-safe; callbacks must not destroy the object.

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_STREAM_CALL_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_STREAM_CALL_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <thread>
#include <utility>

namespace caraudio::sim {

template <typename Message>
class StreamCall {
 public:
  // Starts the call with the context it is given, e.g.
  //   [&](grpc::ClientContext* c) { return stub.RequestFocus(c, request); }
  using Starter = std::function<std::unique_ptr<grpc::ClientReader<Message>>(grpc::ClientContext*)>;
  using OnMessage = std::function<void(const Message& message)>;
  using OnEnd = std::function<void(const grpc::Status& status)>;

  StreamCall(Starter start, OnMessage on_message, OnEnd on_end)
      : reader_([this, start = std::move(start), on_message = std::move(on_message),
                 on_end = std::move(on_end)] {
          std::unique_ptr<grpc::ClientReader<Message>> reader = start(&context_);
          Message message;
          while (reader->Read(&message)) on_message(message);
          on_end(reader->Finish());
        }) {}

  ~StreamCall() {
    context_.TryCancel();
    reader_.join();
  }
  StreamCall(const StreamCall&) = delete;
  StreamCall& operator=(const StreamCall&) = delete;

 private:
  // Declared first: the reader thread uses it from its first instruction.
  grpc::ClientContext context_;
  std::thread reader_;
};

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_STREAM_CALL_H_
