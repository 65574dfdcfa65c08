#include "carservice/hal_link.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace caraudio {

void HalLink::LogFailure(const char* name, const grpc::Status& status) {
  if (status.ok()) return;
  LogWarning("carservice", absl::StrCat("HAL ", name, " failed: ", status.error_code(), ": ",
                                        status.error_message()));
}

grpc::ChannelArguments HalLink::ChannelArguments() {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  arguments.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 2000);
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 2000);
  arguments.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  return arguments;
}

HalLink::HalLink(std::shared_ptr<grpc::Channel> channel, Callbacks callbacks)
    : stub_(v1::AudioControl::NewStub(std::move(channel))), callbacks_(std::move(callbacks)) {}

HalLink::~HalLink() { Stop(); }

void HalLink::Start() {
  listener_ = std::thread([this] {
    KeepStreamOpen([this](grpc::ClientContext& context) { return ListenOnce(context); },
                   grpc::StatusCode::ABORTED);
  });
  level_watcher_ = std::thread([this] {
    KeepStreamOpen([this](grpc::ClientContext& context) { return WatchLevelsOnce(context); },
                   std::nullopt);
  });
}

void HalLink::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (grpc::ClientContext* context : active_contexts_) context->TryCancel();
  }
  stopping_changed_.notify_all();
  if (listener_.joinable()) listener_.join();
  if (level_watcher_.joinable()) level_watcher_.join();
  std::unique_ptr<SerialExecutor> outbound;
  {
    std::lock_guard lock(outbound_mutex_);
    closed_ = true;
    outbound = std::move(outbound_);
  }
  outbound.reset();  // joins; tasks still queued see closed_ and return
}

void HalLink::PostOneway(std::function<void()> call) {
  std::lock_guard lock(outbound_mutex_);
  if (closed_ || !outbound_) return;
  outbound_->Post([this, call = std::move(call)] {
    if (!closed_) call();
  });
}

bool HalLink::SleepUnlessStopping(absl::Duration delay) {
  std::unique_lock lock(mutex_);
  stopping_changed_.wait_for(lock, absl::ToChronoNanoseconds(delay), [this] { return stopping_; });
  return !stopping_;
}

void HalLink::KeepStreamOpen(const std::function<StreamOutcome(grpc::ClientContext&)>& session,
                             std::optional<grpc::StatusCode> give_up_on) {
  absl::Duration backoff = absl::Milliseconds(100);
  for (;;) {
    grpc::ClientContext context;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      active_contexts_.push_back(&context);
    }
    const StreamOutcome outcome = session(context);
    {
      std::lock_guard lock(mutex_);
      std::erase(active_contexts_, &context);
    }
    if (give_up_on && outcome.status.error_code() == *give_up_on) return;
    if (outcome.delivered) backoff = absl::Milliseconds(100);
    if (!SleepUnlessStopping(backoff)) return;
    backoff = std::min(backoff * 2, absl::Seconds(2));
  }
}

HalLink::StreamOutcome HalLink::ListenOnce(grpc::ClientContext& context) {
  v1::RegisterFocusListenerRequest request;
  request.set_name("carservice");
  std::unique_ptr<grpc::ClientReader<v1::FocusListenerCall>> reader =
      stub_->RegisterFocusListener(&context, request);
  v1::FocusListenerCall call;
  StreamOutcome outcome;
  while (reader->Read(&call)) {
    switch (call.call_case()) {
      case v1::FocusListenerCall::kRegistered:
        outcome.delivered = true;
        registered_ = true;
        callbacks_.on_registered(call.registered().registration_id());
        break;
      case v1::FocusListenerCall::kRequestAudioFocus:
        callbacks_.on_request(call.request_audio_focus());
        break;
      case v1::FocusListenerCall::kAbandonAudioFocus:
        callbacks_.on_abandon(call.abandon_audio_focus());
        break;
      case v1::FocusListenerCall::CALL_NOT_SET:
        break;
    }
  }
  outcome.status = reader->Finish();
  registered_ = false;
  if (outcome.delivered) callbacks_.on_lost(outcome.status);
  if (outcome.status.error_code() == grpc::StatusCode::ABORTED) {
    LogWarning("carservice", absl::StrCat("another focus listener replaced this one (",
                                          outcome.status.error_message(),
                                          "); not re-registering"));
  }
  return outcome;
}

HalLink::StreamOutcome HalLink::WatchLevelsOnce(grpc::ClientContext& context) {
  v1::WatchStreamLevelsRequest request;
  request.set_interval_ms(kLevelIntervalMs);
  std::unique_ptr<grpc::ClientReader<v1::StreamLevelsReport>> reader =
      stub_->WatchStreamLevels(&context, request);
  v1::StreamLevelsReport report;
  StreamOutcome outcome;
  while (reader->Read(&report)) {
    outcome.delivered = true;
    if (callbacks_.on_levels) callbacks_.on_levels(report);
  }
  outcome.status = reader->Finish();
  if (outcome.delivered && callbacks_.on_levels_lost) callbacks_.on_levels_lost();
  return outcome;
}

void HalLink::OnAudioFocusChange(v1::OnAudioFocusChangeRequest request) {
  PostCall("onAudioFocusChange", &v1::AudioControl::Stub::OnAudioFocusChange, std::move(request));
}

void HalLink::OnDevicesToDuckChange(v1::OnDevicesToDuckChangeRequest request) {
  PostCall("onDevicesToDuckChange", &v1::AudioControl::Stub::OnDevicesToDuckChange,
           std::move(request));
}

void HalLink::OnDevicesToMuteChange(v1::OnDevicesToMuteChangeRequest request) {
  PostCall("onDevicesToMuteChange", &v1::AudioControl::Stub::OnDevicesToMuteChange,
           std::move(request));
}

void HalLink::SetAudioDeviceGains(v1::SetAudioDeviceGainsRequest request) {
  PostCall("setAudioDeviceGains", &v1::AudioControl::Stub::SetAudioDeviceGains,
           std::move(request));
}

void HalLink::SetSilencedApps(v1::SetSilencedAppsRequest request) {
  PostCall("setSilencedApps", &v1::AudioControl::Stub::SetSilencedApps, std::move(request));
}

}  // namespace caraudio
