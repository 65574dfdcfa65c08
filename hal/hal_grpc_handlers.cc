#include "hal/hal_grpc_handlers.h"

#include <memory>
#include <set>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carservice/grpc_status.h"
#include "hal/hal_request_validation.h"

namespace caraudio {
namespace {

// What GetInterfaceInfo reports (audio_control.proto, InterfaceInfo).
constexpr int32_t kModelledAidlVersion = 2;
constexpr char kImplementationName[] = "caraudiocontrol";

grpc::ServerUnaryReactor* FinishNow(grpc::CallbackServerContext* context, grpc::Status status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(std::move(status));
  return reactor;
}

// A stream that ends at once with `status`, before any message.
template <typename Message>
grpc::ServerWriteReactor<Message>* FinishedStream(grpc::Status status) {
  std::shared_ptr<StreamWriter<Message>> stream = StreamWriter<Message>::Create();
  stream->Finish(std::move(status));
  return stream.get();
}

// A oneway call ends OK once its work is queued; UNAVAILABLE if it was not.
grpc::ServerUnaryReactor* FinishOneway(grpc::CallbackServerContext* context, bool queued) {
  return FinishNow(context, queued ? grpc::Status::OK : HalShuttingDownStatus());
}

// GetHalState's answer from the HAL's snapshot.
void ToProto(const AudioControlHal::Snapshot& snapshot, v1::HalState* state) {
  state->set_focus_listener_id(snapshot.focus_listener_id);
  state->set_focus_listener_name(snapshot.focus_listener_name);
  for (const VehicleFocusRequests::Active& active : snapshot.vehicle_focus_requests) {
    v1::HalVehicleFocusRequest* request = state->add_vehicle_focus_requests();
    request->set_usage(static_cast<v1::AudioUsage>(active.usage));
    request->set_zone_id(active.zone_id);
    request->set_gain(static_cast<v1::FocusGain>(active.gain));
    request->set_holders(active.holders);
    request->set_status(static_cast<v1::FocusChange>(active.status.value_or(0)));
  }
  for (const AudioControlHal::Snapshot::Hold& hold : snapshot.holds) {
    v1::HalHold* out = state->add_holds();
    out->set_usage(static_cast<v1::AudioUsage>(hold.usage));
    out->set_zone_id(hold.zone_id);
    out->set_source_name(hold.source_name);
  }
  for (const AudioControlHal::Snapshot::Sound& sound : snapshot.sounds) {
    v1::HalSound* out = state->add_sounds();
    out->set_sound_id(sound.sound_id);
    out->set_usage(static_cast<v1::AudioUsage>(sound.usage));
    out->set_zone_id(sound.zone_id);
    out->set_source_name(sound.source_name);
    out->set_device_address(sound.device_address);
    for (const std::string& address : sound.muted_addresses) out->add_muted_addresses(address);
    out->set_holds_focus(sound.holds_focus);
  }
  std::set<int32_t> zones;
  for (const auto& [zone_id, addresses] : snapshot.ducked) {
    if (!addresses.empty()) zones.insert(zone_id);
  }
  for (const auto& [zone_id, addresses] : snapshot.muted) {
    if (!addresses.empty()) zones.insert(zone_id);
  }
  for (int32_t zone_id : zones) {
    v1::HalZoneDevices* zone = state->add_zones();
    zone->set_zone_id(zone_id);
    if (auto ducked = snapshot.ducked.find(zone_id); ducked != snapshot.ducked.end()) {
      for (const std::string& address : ducked->second) zone->add_ducked_device_addresses(address);
    }
    if (auto muted = snapshot.muted.find(zone_id); muted != snapshot.muted.end()) {
      for (const std::string& address : muted->second) zone->add_muted_device_addresses(address);
    }
  }
  for (const AppIdentity& app : snapshot.silenced_apps) {
    v1::AppIdentity* out = state->add_silenced_apps();
    out->set_package_name(app.package_name);
    out->set_uid(app.uid);
  }
  state->set_stream_level_watches(snapshot.stream_level_watches);
}

}  // namespace

// ---------------------------------------------------------------------------
// AudioControl

grpc::ServerUnaryReactor* AudioControlHal::AudioControlHandlers::GetInterfaceInfo(
    grpc::CallbackServerContext* context, const v1::GetInterfaceInfoRequest* /*request*/,
    v1::InterfaceInfo* response) {
  const absl::Status allowed = hal_->CheckCaller(*context, "AudioControl.GetInterfaceInfo");
  if (!allowed.ok()) return FinishNow(context, ToGrpcStatus(allowed));
  if (hal_->shutting_down()) return FinishNow(context, HalShuttingDownStatus());
  response->set_aidl_version(kModelledAidlVersion);
  response->set_focus(true);
  response->set_focus_with_metadata(false);
  response->set_ducking(true);
  response->set_group_muting(true);
  response->set_gain_callback(true);
  response->set_module_change_callback(false);
  response->set_audio_configuration(false);
  response->set_silenced_apps(true);
  response->set_stream_levels(true);
  response->set_implementation(kImplementationName);
  return FinishNow(context, grpc::Status::OK);
}

grpc::ServerWriteReactor<v1::FocusListenerCall>*
AudioControlHal::AudioControlHandlers::RegisterFocusListener(
    grpc::CallbackServerContext* context, const v1::RegisterFocusListenerRequest* request) {
  const absl::Status allowed = hal_->CheckCaller(*context, "AudioControl.RegisterFocusListener");
  if (!allowed.ok()) return FinishedStream<v1::FocusListenerCall>(ToGrpcStatus(allowed));
  std::shared_ptr<FocusListenerStream> stream = FocusListenerStream::Create();
  AudioControlHal* hal = hal_;
  hal->OnStreamCancelled(stream, [hal](const std::weak_ptr<FocusListenerStream>& cancelled) {
    hal->UnregisterFocusListener(cancelled);
  });
  if (!hal->Post([hal, stream, name = request->name()] { hal->RegisterFocusListener(stream, name); })) {
    stream->Finish(HalShuttingDownStatus());
  }
  return stream.get();
}

grpc::ServerUnaryReactor* AudioControlHal::AudioControlHandlers::OnAudioFocusChange(
    grpc::CallbackServerContext* context, const v1::OnAudioFocusChangeRequest* request,
    v1::OnAudioFocusChangeResponse* /*response*/) {
  const absl::Status allowed = hal_->CheckCaller(*context, "AudioControl.OnAudioFocusChange");
  if (!allowed.ok()) return FinishNow(context, ToGrpcStatus(allowed));
  absl::Status valid = ValidateUsage(request->usage());
  if (valid.ok()) valid = ValidateZone(hal_->zone_ids(), request->zone_id());
  if (valid.ok()) valid = ValidateFocusChange(request->focus_change());
  if (!valid.ok()) return FinishNow(context, ToGrpcStatus(valid));
  AudioControlHal* hal = hal_;
  return FinishOneway(context, hal->Post([hal, usage = request->usage(),
                                          zone_id = request->zone_id(),
                                          focus_change = request->focus_change()] {
    hal->ApplyFocusChange(usage, zone_id, focus_change);
  }));
}

grpc::ServerUnaryReactor* AudioControlHal::AudioControlHandlers::OnDevicesToDuckChange(
    grpc::CallbackServerContext* context, const v1::OnDevicesToDuckChangeRequest* request,
    v1::OnDevicesToDuckChangeResponse* /*response*/) {
  const absl::Status allowed = hal_->CheckCaller(*context, "AudioControl.OnDevicesToDuckChange");
  if (!allowed.ok()) return FinishNow(context, ToGrpcStatus(allowed));
  if (absl::Status valid = ValidateDuckingRequest(hal_->zone_ids(), *request); !valid.ok()) {
    return FinishNow(context, ToGrpcStatus(valid));
  }
  AudioControlHal* hal = hal_;
  return FinishOneway(context,
                      hal->Post([hal, request = *request] { hal->ApplyDucking(request); }));
}

grpc::ServerUnaryReactor* AudioControlHal::AudioControlHandlers::SetAudioDeviceGains(
    grpc::CallbackServerContext* context, const v1::SetAudioDeviceGainsRequest* request,
    v1::SetAudioDeviceGainsResponse* /*response*/) {
  const absl::Status allowed = hal_->CheckCaller(*context, "AudioControl.SetAudioDeviceGains");
  if (!allowed.ok()) return FinishNow(context, ToGrpcStatus(allowed));
  if (absl::Status valid = ValidateDeviceGainsRequest(hal_->zone_ids(), *request); !valid.ok()) {
    return FinishNow(context, ToGrpcStatus(valid));
  }
  AudioControlHal* hal = hal_;
  return FinishOneway(context,
                      hal->Post([hal, request = *request] { hal->ApplyDeviceGains(request); }));
}

grpc::ServerUnaryReactor* AudioControlHal::AudioControlHandlers::OnDevicesToMuteChange(
    grpc::CallbackServerContext* context, const v1::OnDevicesToMuteChangeRequest* request,
    v1::OnDevicesToMuteChangeResponse* /*response*/) {
  const absl::Status allowed = hal_->CheckCaller(*context, "AudioControl.OnDevicesToMuteChange");
  if (!allowed.ok()) return FinishNow(context, ToGrpcStatus(allowed));
  if (absl::Status valid = ValidateMutingRequest(hal_->zone_ids(), *request); !valid.ok()) {
    return FinishNow(context, ToGrpcStatus(valid));
  }
  AudioControlHal* hal = hal_;
  return FinishOneway(context,
                      hal->Post([hal, request = *request] { hal->ApplyMuting(request); }));
}

grpc::ServerUnaryReactor* AudioControlHal::AudioControlHandlers::SetBalanceTowardRight(
    grpc::CallbackServerContext* context, const v1::SetBalanceTowardRightRequest* request,
    v1::SetBalanceTowardRightResponse* /*response*/) {
  const absl::Status allowed = hal_->CheckCaller(*context, "AudioControl.SetBalanceTowardRight");
  if (!allowed.ok()) return FinishNow(context, ToGrpcStatus(allowed));
  absl::StatusOr<float> balance = ClampToUnitRange(request->value(), "value");
  if (!balance.ok()) return FinishNow(context, ToGrpcStatus(balance.status()));
  AudioControlHal* hal = hal_;
  return FinishOneway(context,
                      hal->Post([hal, balance = *balance] { hal->ApplyBalance(balance); }));
}

grpc::ServerUnaryReactor* AudioControlHal::AudioControlHandlers::SetFadeTowardFront(
    grpc::CallbackServerContext* context, const v1::SetFadeTowardFrontRequest* request,
    v1::SetFadeTowardFrontResponse* /*response*/) {
  const absl::Status allowed = hal_->CheckCaller(*context, "AudioControl.SetFadeTowardFront");
  if (!allowed.ok()) return FinishNow(context, ToGrpcStatus(allowed));
  absl::StatusOr<float> fade = ClampToUnitRange(request->value(), "value");
  if (!fade.ok()) return FinishNow(context, ToGrpcStatus(fade.status()));
  AudioControlHal* hal = hal_;
  return FinishOneway(context, hal->Post([hal, fade = *fade] { hal->ApplyFade(fade); }));
}

grpc::ServerWriteReactor<v1::GainCallbackEvent>*
AudioControlHal::AudioControlHandlers::RegisterGainCallback(
    grpc::CallbackServerContext* context, const v1::RegisterGainCallbackRequest* request) {
  const absl::Status allowed = hal_->CheckCaller(*context, "AudioControl.RegisterGainCallback");
  if (!allowed.ok()) return FinishedStream<v1::GainCallbackEvent>(ToGrpcStatus(allowed));
  std::shared_ptr<GainCallbackStream> stream = GainCallbackStream::Create();
  AudioControlHal* hal = hal_;
  hal->OnStreamCancelled(stream, [hal](const std::weak_ptr<GainCallbackStream>& cancelled) {
    hal->UnregisterGainCallback(cancelled);
  });
  if (!hal->Post([hal, stream, name = request->name()] { hal->RegisterGainCallback(stream, name); })) {
    stream->Finish(HalShuttingDownStatus());
  }
  return stream.get();
}

grpc::ServerUnaryReactor* AudioControlHal::AudioControlHandlers::SetSilencedApps(
    grpc::CallbackServerContext* context, const v1::SetSilencedAppsRequest* request,
    v1::SetSilencedAppsResponse* /*response*/) {
  const absl::Status allowed = hal_->CheckCaller(*context, "AudioControl.SetSilencedApps");
  if (!allowed.ok()) return FinishNow(context, ToGrpcStatus(allowed));
  absl::StatusOr<std::set<AppIdentity>> apps = ValidateSilencedApps(*request);
  if (!apps.ok()) return FinishNow(context, ToGrpcStatus(apps.status()));
  AudioControlHal* hal = hal_;
  return FinishOneway(context, hal->Post([hal, apps = *std::move(apps)]() mutable {
    hal->ApplySilencedApps(std::move(apps));
  }));
}

grpc::ServerWriteReactor<v1::StreamLevelsReport>*
AudioControlHal::AudioControlHandlers::WatchStreamLevels(
    grpc::CallbackServerContext* context, const v1::WatchStreamLevelsRequest* request) {
  const absl::Status allowed = hal_->CheckCaller(*context, "AudioControl.WatchStreamLevels");
  if (!allowed.ok()) return FinishedStream<v1::StreamLevelsReport>(ToGrpcStatus(allowed));
  std::shared_ptr<LevelStream> stream = LevelStream::Create();
  absl::StatusOr<absl::Duration> interval = ValidateStreamLevelsInterval(*request);
  if (!interval.ok()) {
    stream->Finish(ToGrpcStatus(interval.status()));
    return stream.get();
  }
  AudioControlHal* hal = hal_;
  hal->OnStreamCancelled(stream, [hal](const std::weak_ptr<LevelStream>& cancelled) {
    hal->EndLevelWatch(cancelled);
  });
  if (!hal->Post([hal, stream, interval = *interval] { hal->StartLevelWatch(stream, interval); })) {
    stream->Finish(HalShuttingDownStatus());
  }
  return stream.get();
}

grpc::ServerUnaryReactor* AudioControlHal::AudioControlHandlers::GetHalState(
    grpc::CallbackServerContext* context, const v1::GetHalStateRequest* /*request*/,
    v1::HalState* response) {
  const absl::Status allowed = hal_->CheckCaller(*context, "AudioControl.GetHalState");
  if (!allowed.ok()) return FinishNow(context, ToGrpcStatus(allowed));
  // Answered from the executor, after the work of every call posted before.
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  AudioControlHal* hal = hal_;
  if (!hal->Post([hal, reactor, response] {
        ToProto(hal->SnapshotOnExecutor(), response);
        reactor->Finish(grpc::Status::OK);
      })) {
    reactor->Finish(HalShuttingDownStatus());
  }
  return reactor;
}

// ---------------------------------------------------------------------------
// HalFocus

grpc::ServerWriteReactor<v1::HalFocusStatus>* AudioControlHal::HalFocusHandlers::HoldFocus(
    grpc::CallbackServerContext* context, const v1::HoldFocusRequest* request) {
  const absl::Status allowed = hal_->CheckCaller(*context, "HalFocus.HoldFocus");
  if (!allowed.ok()) return FinishedStream<v1::HalFocusStatus>(ToGrpcStatus(allowed));
  std::shared_ptr<HoldStream> stream = HoldStream::Create();
  if (absl::Status valid = ValidateHoldFocusRequest(hal_->zone_ids(), *request); !valid.ok()) {
    stream->Finish(ToGrpcStatus(valid));
    return stream.get();
  }
  AudioControlHal* hal = hal_;
  hal->OnStreamCancelled(stream, [hal](const std::weak_ptr<HoldStream>& cancelled) {
    hal->EndHold(cancelled);
  });
  if (!hal->Post([hal, stream, request = *request] { hal->StartHold(stream, request); })) {
    stream->Finish(HalShuttingDownStatus());
  }
  return stream.get();
}

grpc::ServerWriteReactor<v1::HalFocusStatus>* AudioControlHal::HalFocusHandlers::PlaySound(
    grpc::CallbackServerContext* context, const v1::PlaySoundRequest* request) {
  const absl::Status allowed = hal_->CheckCaller(*context, "HalFocus.PlaySound");
  if (!allowed.ok()) return FinishedStream<v1::HalFocusStatus>(ToGrpcStatus(allowed));
  std::shared_ptr<HoldStream> stream = HoldStream::Create();
  if (absl::Status valid = ValidatePlaySoundRequest(hal_->zone_ids(), *request); !valid.ok()) {
    stream->Finish(ToGrpcStatus(valid));
    return stream.get();
  }
  AudioControlHal* hal = hal_;
  hal->OnStreamCancelled(stream, [hal](const std::weak_ptr<HoldStream>& cancelled) {
    hal->EndSoundOfStream(cancelled);
  });
  if (!hal->Post([hal, stream, request = *request] { hal->StartSound(stream, request); })) {
    stream->Finish(HalShuttingDownStatus());
  }
  return stream.get();
}

grpc::ServerUnaryReactor* AudioControlHal::HalFocusHandlers::ReleaseFocus(
    grpc::CallbackServerContext* context, const v1::ReleaseFocusRequest* request,
    v1::ReleaseFocusResponse* response) {
  const absl::Status allowed = hal_->CheckCaller(*context, "HalFocus.ReleaseFocus");
  if (!allowed.ok()) return FinishNow(context, ToGrpcStatus(allowed));
  if (absl::Status valid = ValidateReleaseFocusRequest(hal_->zone_ids(), *request);
      !valid.ok()) {
    return FinishNow(context, ToGrpcStatus(valid));
  }
  // Not oneway: the answer carries the count, so it is sent from the executor.
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  AudioControlHal* hal = hal_;
  if (!hal->Post([hal, reactor, response, usage = request->usage(), zone_id = request->zone_id()] {
        if (hal->stopped_) {
          reactor->Finish(HalShuttingDownStatus());
          return;
        }
        response->set_released_holders(hal->ReleasePair(usage, zone_id));
        reactor->Finish(grpc::Status::OK);
      })) {
    reactor->Finish(HalShuttingDownStatus());
  }
  return reactor;
}

}  // namespace caraudio
