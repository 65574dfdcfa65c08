// ResilientFocusClient: an app's focus request that outlives a daemon restart.
//
// It holds one desired FocusRequest and keeps an AudioFocus.RequestFocus
// stream open for it on its own channel to `target`. Focus lives as long as
// the stream (audio_focus.proto), so a killed audiocontrold forgets it; the
// daemon that comes back rebuilds its focus stacks from the apps' new
// requests. When the stream ends with UNAVAILABLE (the channel dropped, or
// no daemon answers yet) the client requests again after a backoff that
// starts at `initial_backoff`, grows by `multiplier` up to `max_backoff`
// (each wait jittered by ±`jitter`), and starts over once a daemon answered.
//
// Any other end is the daemon's word and final: a FAILED result, a permanent
// LOSS, `replaced`, `abandoned`, or another status. The client then stops
// and reports why (State::ended); it never re-requests what the policy
// refused.
//
// Focus changes are not interpreted: State keeps the last result and the
// last change, `on_event` (optional) sees every event as it arrives. The
// destructor (or Stop) cancels the stream, which abandons the request.
//
// Thread-safe. One thread per client, reading the stream and sleeping the
// backoff; `on_event` runs on it and must not call Stop() or the destructor.

#ifndef CARAUDIO_TOOLS_RESILIENT_FOCUS_CLIENT_H_
#define CARAUDIO_TOOLS_RESILIENT_FOCUS_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "caraudio/v1/audio_focus.grpc.pb.h"

namespace caraudio {

class ResilientFocusClient {
 public:
  struct Options {
    absl::Duration initial_backoff = absl::Milliseconds(50);
    absl::Duration max_backoff = absl::Seconds(2);
    double multiplier = 2.0;
    // Fraction of each wait added or taken at random, so apps that lost the
    // same daemon do not all come back in the same millisecond.
    double jitter = 0.2;
    // Called on the client's thread for every event of every stream.
    std::function<void(const v1::FocusEvent&)> on_event;
  };

  // What the client knows, as of the last event or stream end.
  struct State {
    // RequestFocus calls made, the first one included.
    int requests = 0;
    // Streams that a daemon answered (a result arrived).
    int answered = 0;
    // Streams that ended UNAVAILABLE and were requested again.
    int drops = 0;
    // The result of the current (or last) answered stream.
    std::optional<v1::RequestResult> result;
    // The last focus change of that stream; nullopt when none came since
    // its result.
    std::optional<v1::FocusChange> last_change;
    // A stream is open and answered right now.
    bool connected = false;
    // Set when the client gave up for good: the daemon's final word
    // ("result FAILED", "LOSS", "replaced", "abandoned", or the status).
    std::optional<std::string> ended;
  };

  // Starts requesting `desired` from the daemon at `target` ("unix:PATH" or
  // "HOST:PORT") at once.
  static std::unique_ptr<ResilientFocusClient> Start(const std::string& target,
                                                     v1::FocusRequest desired,
                                                     Options options);
  static std::unique_ptr<ResilientFocusClient> Start(const std::string& target,
                                                     v1::FocusRequest desired) {
    return Start(target, std::move(desired), Options());
  }

  ResilientFocusClient(const ResilientFocusClient&) = delete;
  ResilientFocusClient& operator=(const ResilientFocusClient&) = delete;
  ~ResilientFocusClient();  // Stop()

  // Cancels the stream (abandoning the request) and joins. Idempotent.
  void Stop();

  State state() const;
  // Waits up to `timeout` for `done(state)`; the state it saw last.
  State AwaitState(const std::function<bool(const State&)>& done, absl::Duration timeout) const;

  const v1::FocusRequest& desired() const { return desired_; }

 private:
  struct PrivateTag {};

 public:
  ResilientFocusClient(PrivateTag, const std::string& target, v1::FocusRequest desired,
                       Options options);

 private:
  void Run();
  // One RequestFocus stream; returns its final status.
  grpc::Status RunStream();
  // Records one event and wakes waiters; the final word it carries, if any.
  std::optional<std::string> OnEvent(const v1::FocusEvent& event);
  std::optional<std::string> RecordEvent(const v1::FocusEvent& event);
  // Sleeps `wait` unless stopped first; false when stopped.
  bool SleepUnlessStopped(absl::Duration wait);

  const v1::FocusRequest desired_;
  const Options options_;
  std::unique_ptr<v1::AudioFocus::Stub> stub_;

  // std::mutex so ThreadSanitizer sees the locking (scripts/tsan.supp).
  mutable std::mutex mutex_;
  // Signalled whenever state_ or stopping_ changes.
  mutable std::condition_variable changed_;
  State state_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  // The open call's context, for Stop() to cancel.
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mutex_) = nullptr;

  std::thread thread_;  // last: started when everything above exists
};

}  // namespace caraudio

#endif  // CARAUDIO_TOOLS_RESILIENT_FOCUS_CLIENT_H_
