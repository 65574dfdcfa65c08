// HalLink: the car service's connection to the AudioControl HAL, over the
// same gRPC API whether the HAL runs in this process (in-process channel) or
// on another ECU (unix socket or TCP).
//
// It keeps an IFocusListener registered: a thread holds the
// RegisterFocusListener stream open, hands every request/abandon from the
// vehicle side to the owner, and re-registers with backoff (100 ms doubling
// to 2 s) when the stream drops. `on_lost` runs whenever a registration
// ends, so the owner can abandon the HAL's focus (AAOS HalAudioFocus.reset);
// `on_registered` runs for every new registration, so the owner can resend
// its duck and mute state. A stream ended with ABORTED means another car
// service took the HAL over: the link stands down instead of fighting.
//
// The IAudioControl calls (onAudioFocusChange, onDevicesToDuckChange,
// onDevicesToMuteChange) are "oneway": queued in order on the link's own
// thread with a short deadline, never blocking the caller.
//
// Stream levels (the caraudio WatchStreamLevels extension): a second thread
// keeps a level watch open the same way and hands every report to
// `on_levels`; `on_levels_lost` runs when a watch that delivered reports
// ends. A HAL without the extension (UNIMPLEMENTED) is asked again only
// every 2 s.
//
// Callbacks run on the link's stream threads; they should only post work.
// Thread-safe.

#ifndef CARAUDIO_CARSERVICE_HAL_LINK_H_
#define CARAUDIO_CARSERVICE_HAL_LINK_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/base/thread_annotations.h"
#include "caraudio/v1/audio_control.grpc.pb.h"
#include "carservice/serial_executor.h"

namespace caraudio {

class HalLink {
 public:
  struct Callbacks {
    std::function<void(uint64_t registration_id)> on_registered;
    std::function<void(const v1::RequestAudioFocusCall&)> on_request;
    std::function<void(const v1::AbandonAudioFocusCall&)> on_abandon;
    std::function<void(const grpc::Status&)> on_lost;
    std::function<void(const v1::StreamLevelsReport&)> on_levels;
    std::function<void()> on_levels_lost;
  };

  // Period of the level watch.
  static constexpr int kLevelIntervalMs = 50;

  // Channel arguments that make a restarted HAL reachable again quickly.
  static grpc::ChannelArguments ChannelArguments();

  HalLink(std::shared_ptr<grpc::Channel> channel, Callbacks callbacks);
  ~HalLink();  // Stop()

  HalLink(const HalLink&) = delete;
  HalLink& operator=(const HalLink&) = delete;

  // Begins registering. Call once, after the owner is ready for callbacks.
  void Start();
  // Cancels the streams, drops queued oneway calls and joins the threads; no
  // callback runs and no call is made after it returns.
  void Stop();

  void OnAudioFocusChange(v1::OnAudioFocusChangeRequest request);
  void OnDevicesToDuckChange(v1::OnDevicesToDuckChangeRequest request);
  void OnDevicesToMuteChange(v1::OnDevicesToMuteChangeRequest request);
  void SetAudioDeviceGains(v1::SetAudioDeviceGainsRequest request);
  void SetSilencedApps(v1::SetSilencedAppsRequest request);

  bool registered() const { return registered_.load(); }

 private:
  // How one attempt at a server stream went.
  struct StreamOutcome {
    grpc::Status status;
    bool delivered = false;  // it got going (registered / a report arrived)
  };
  // Calls `session` (open a stream on the context, read it to its end) until
  // Stop, sleeping with backoff (100 ms doubling to 2 s, reset after a
  // session that delivered) in between. Returns when stopping, or after a
  // session that ended with `give_up_on`.
  void KeepStreamOpen(const std::function<StreamOutcome(grpc::ClientContext&)>& session,
                      std::optional<grpc::StatusCode> give_up_on);
  StreamOutcome ListenOnce(grpc::ClientContext& context);
  StreamOutcome WatchLevelsOnce(grpc::ClientContext& context);
  // Sleeps up to `delay`, waking early on Stop(). False when stopping.
  bool SleepUnlessStopping(absl::Duration delay);
  // Queues a oneway call unless the link is closed.
  void PostOneway(std::function<void()> call);
  // Queues one unary IAudioControl call with a short deadline; failures are
  // logged, never returned (the calls are oneway).
  template <typename Request, typename Response>
  void PostCall(const char* name,
                grpc::Status (v1::AudioControl::Stub::*method)(grpc::ClientContext*,
                                                               const Request&, Response*),
                Request request) {
    PostOneway([this, name, method, request = std::move(request)] {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + kOnewayDeadline);
      Response response;
      LogFailure(name, (stub_.get()->*method)(&context, request, &response));
    });
  }
  static void LogFailure(const char* name, const grpc::Status& status);

  static constexpr std::chrono::seconds kOnewayDeadline{1};

  std::unique_ptr<v1::AudioControl::Stub> stub_;
  Callbacks callbacks_;
  std::atomic<bool> registered_{false};

  // std::mutex so ThreadSanitizer sees the locking (see scripts/tsan.supp).
  std::mutex mutex_;
  std::condition_variable stopping_changed_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::vector<grpc::ClientContext*> active_contexts_ ABSL_GUARDED_BY(mutex_);

  std::thread listener_;
  std::thread level_watcher_;
  // Oneway calls; once closed_ is set, queued calls are dropped, because the
  // channel may already be shutting down with the server.
  std::atomic<bool> closed_{false};
  std::mutex outbound_mutex_;
  std::unique_ptr<SerialExecutor> outbound_ ABSL_GUARDED_BY(outbound_mutex_) =
      std::make_unique<SerialExecutor>();
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_HAL_LINK_H_
