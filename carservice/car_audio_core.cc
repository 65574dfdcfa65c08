#include "carservice/car_audio_core.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace caraudio {

absl::StatusOr<std::unique_ptr<CarAudioCore>> CarAudioCore::Create(CarAudioConfig config) {
  absl::StatusOr<FocusEngine> engine = FocusEngine::Create(config.ZoneIds());
  if (!engine.ok()) return engine.status();
  return std::make_unique<CarAudioCore>(Passkey{}, std::move(config), std::move(*engine));
}

CarAudioCore::CarAudioCore(Passkey, CarAudioConfig config, FocusEngine engine)
    : config_(std::move(config)),
      engine_(std::move(engine)),
      ducking_(config_.DeviceMaps()),
      hal_focus_(&engine_),
      volume_groups_(config_) {}

void CarAudioCore::Complete(std::vector<FocusCallback> callbacks,
                            const std::vector<int32_t>& zones, CoreOutput& output) {
  for (FocusCallback& callback : callbacks) {
    if (std::optional<HalFocusChange> report = hal_focus_.OnFocusCallback(callback)) {
      output.hal_reports.push_back(*report);
    } else if (!IsHalFocusClientId(callback.client_id)) {
      output.app_callbacks.push_back(std::move(callback));
    }
  }
  std::vector<int32_t> unique_zones;
  for (int32_t zone : zones) {
    if (std::find(unique_zones.begin(), unique_zones.end(), zone) == unique_zones.end()) {
      unique_zones.push_back(zone);
    }
  }
  for (int32_t zone : unique_zones) {
    if (const ZoneFocus* focus = engine_.zone(zone)) {
      output.ducking.push_back(ducking_.Update(zone, focus->holders()));
    }
  }
}

CoreOutput CarAudioCore::RequestFocus(const FocusRequest& request, absl::Time now) {
  CoreOutput output;
  const int32_t zone_id = engine_.ZoneForRequest(request);
  if (hardening_.mode(zone_id) != HardeningMode::kOff) {
    const absl::Time at = std::max(now, lifecycle_.now());
    absl::StatusOr<HardeningDecision> check =
        hardening_.CheckFocusRequest(zone_id, AppKey{request.package_name, request.uid}, at);
    if (check.ok()) RecordHardening(*check, output);
    if (!check.ok() || check->action == HardeningAction::kDeny) {
      FocusDecision failed;
      failed.zone_id = zone_id;
      failed.result = RequestResult::kFailed;
      failed.explanation.rule = DecisionRule::kHardening;
      failed.explanation.request_context = request.context();
      failed.explanation.text =
          check.ok() ? check->focus_explanation
                     : absl::StrCat("hardening: ", check.status().message());
      output.decision = std::move(failed);
      return output;
    }
  }
  FocusDecision decision = engine_.RequestFocus(request);
  std::vector<FocusCallback> callbacks = std::move(decision.callbacks);
  decision.callbacks.clear();
  Complete(std::move(callbacks), {decision.zone_id}, output);
  output.decision = std::move(decision);
  return output;
}

CoreOutput CarAudioCore::AbandonFocus(absl::string_view client_id,
                                      std::optional<int32_t> zone_id) {
  CoreOutput output;
  FocusChanges changes = engine_.AbandonFocus(client_id, zone_id);
  Complete(std::move(changes.callbacks), changes.changed_zones, output);
  return output;
}

CoreOutput CarAudioCore::SetRestrictFocus(bool restricted) {
  CoreOutput output;
  FocusChanges changes = engine_.SetRestrictFocus(restricted);
  Complete(std::move(changes.callbacks), changes.changed_zones, output);
  return output;
}

absl::Status CarAudioCore::SetNavigationRejectedDuringCall(int32_t zone_id, bool rejected) {
  return engine_.SetNavigationRejectedDuringCall(zone_id, rejected);
}

absl::StatusOr<CoreOutput> CarAudioCore::SetZoneForUid(int32_t uid, int32_t zone_id) {
  absl::StatusOr<FocusChanges> changes = engine_.SetZoneForUid(uid, zone_id);
  if (!changes.ok()) return changes.status();
  CoreOutput output;
  output.moves = changes->moves;
  Complete(std::move(changes->callbacks), changes->changed_zones, output);
  return output;
}

CoreOutput CarAudioCore::ClearZoneForUid(int32_t uid) {
  CoreOutput output;
  FocusChanges changes = engine_.ClearZoneForUid(uid);
  output.moves = changes.moves;
  Complete(std::move(changes.callbacks), changes.changed_zones, output);
  return output;
}

absl::StatusOr<CoreOutput> CarAudioCore::HalRequestAudioFocus(int32_t usage, int32_t zone_id,
                                                              FocusGain gain) {
  absl::StatusOr<HalFocusResult> result = hal_focus_.RequestAudioFocus(usage, zone_id, gain);
  if (!result.ok()) return result.status();
  CoreOutput output;
  // Losses to others are reported before the HAL hears its own result.
  Complete(std::move(result->callbacks), result->changed_zones, output);
  output.hal_reports.insert(output.hal_reports.end(), result->reports.begin(),
                            result->reports.end());
  output.decision = std::move(result->decision);
  return output;
}

absl::StatusOr<CoreOutput> CarAudioCore::HalAbandonAudioFocus(int32_t usage, int32_t zone_id) {
  absl::StatusOr<HalFocusResult> result = hal_focus_.AbandonAudioFocus(usage, zone_id);
  if (!result.ok()) return result.status();
  CoreOutput output;
  output.hal_reports = std::move(result->reports);
  Complete(std::move(result->callbacks), result->changed_zones, output);
  return output;
}

CoreOutput CarAudioCore::HalReset() {
  HalFocusResult result = hal_focus_.Reset();
  CoreOutput output;
  // The HAL is gone: its LOSS reports have nobody to go to.
  Complete(std::move(result.callbacks), result.changed_zones, output);
  output.hal_reports.clear();
  return output;
}

void CarAudioCore::RecordHardening(const HardeningDecision& decision, CoreOutput& output) const {
  if (decision.action != HardeningAction::kAllow && !hardening_.suppressed_calls().empty()) {
    output.hardening.push_back(hardening_.suppressed_calls().back());
  }
}

std::set<AppKey> CarAudioCore::SilencedApps(
    const std::map<AppKey, std::set<int32_t>>& stream_zones, absl::Time now,
    CoreOutput& output) {
  std::map<AppKey, std::set<int32_t>> zones = stream_zones;
  for (const AppKey& app : lifecycle_.Apps()) {
    std::set<int32_t>& app_zones = zones[app];
    if (!app_zones.empty()) continue;
    auto uid_zone = engine_.uid_zones().find(app.uid);
    app_zones.insert(uid_zone == engine_.uid_zones().end() ? kPrimaryZoneId : uid_zone->second);
  }
  std::set<AppKey> silenced;
  for (const auto& [app, app_zones] : zones) {
    if (!ValidateAppKey(app).ok()) continue;
    for (int32_t zone_id : app_zones) {
      // Only the first decision of an episode is logged.
      const uint64_t logged_before = hardening_.suppressed_total();
      absl::StatusOr<HardeningDecision> decision =
          hardening_.ShouldSilencePlayback(zone_id, app, std::max(now, lifecycle_.now()));
      if (!decision.ok()) continue;
      if (hardening_.suppressed_total() != logged_before) RecordHardening(*decision, output);
      if (decision->action == HardeningAction::kDeny) silenced.insert(app);
    }
  }
  return silenced;
}

absl::Status CarAudioCore::CheckVolumeCall(int32_t zone_id, const std::optional<AppKey>& caller,
                                           VolumeCall call, absl::Time now, CoreOutput& output) {
  if (!caller.has_value()) return absl::OkStatus();
  if (absl::Status valid = ValidateAppKey(*caller); !valid.ok()) return valid;
  if (hardening_.mode(zone_id) == HardeningMode::kOff) return absl::OkStatus();
  absl::StatusOr<HardeningDecision> check =
      hardening_.CheckVolumeCall(zone_id, *caller, call, std::max(now, lifecycle_.now()));
  if (!check.ok()) return check.status();
  RecordHardening(*check, output);
  output.suppressed = check->action == HardeningAction::kDeny;
  return absl::OkStatus();
}

absl::StatusOr<CoreOutput> CarAudioCore::SetGroupVolume(int32_t zone_id, absl::string_view group,
                                                        int32_t gain_index,
                                                        const std::optional<AppKey>& caller,
                                                        absl::Time now) {
  // Validate before asking hardening, so a bad call is an error, not a log line.
  if (absl::Status valid = volume_groups_.ValidateGainIndex(zone_id, group, gain_index);
      !valid.ok()) {
    return valid;
  }
  CoreOutput output;
  if (absl::Status status = CheckVolumeCall(zone_id, caller, VolumeCall::kSetStreamVolume, now, output);
      !status.ok()) {
    return status;
  }
  if (output.suppressed) return output;
  if (absl::Status status = volume_groups_.SetGainIndex(zone_id, group, gain_index); !status.ok()) {
    return status;
  }
  return output;
}

absl::StatusOr<CoreOutput> CarAudioCore::SetGroupMute(int32_t zone_id, absl::string_view group,
                                                      bool muted,
                                                      const std::optional<AppKey>& caller,
                                                      absl::Time now) {
  if (absl::Status valid = volume_groups_.Get(zone_id, group).status(); !valid.ok()) return valid;
  CoreOutput output;
  if (absl::Status status = CheckVolumeCall(zone_id, caller, VolumeCall::kSetStreamMute, now, output);
      !status.ok()) {
    return status;
  }
  if (output.suppressed) return output;
  absl::StatusOr<MutingInfo> muting = volume_groups_.SetMute(zone_id, group, muted);
  if (!muting.ok()) return muting.status();
  if (!muting->addresses_to_mute.empty() || !muting->addresses_to_unmute.empty()) {
    output.muting.push_back(std::move(*muting));
  }
  return output;
}

namespace {

// Every device address of `zone` that is not in `listed`, in config order.
std::vector<std::string> OtherAddresses(const ZoneConfig& zone,
                                        const std::vector<std::string>& listed) {
  std::vector<std::string> others;
  for (const VolumeGroupConfig& group : zone.volume_groups) {
    for (const DeviceConfig& device : group.devices) {
      if (std::find(listed.begin(), listed.end(), device.address) == listed.end()) {
        others.push_back(device.address);
      }
    }
  }
  return others;
}

}  // namespace

absl::StatusOr<CoreOutput> CarAudioCore::Reload(CarAudioConfig config) {
  absl::StatusOr<FocusChanges> changes = engine_.SetZones(config.ZoneIds());
  if (!changes.ok()) return changes.status();
  CoreOutput output;
  Complete(std::move(changes->callbacks), /*zones=*/{}, output);
  output.ducking = ducking_.SetZoneDevices(config.DeviceMaps());
  for (const auto& [zone_id, focus] : engine_.zones()) {
    output.ducking.push_back(ducking_.Update(zone_id, focus.holders()));
  }

  VolumeGroups groups(config, volume_groups_);
  std::set<int32_t> zones;
  for (const ZoneConfig& zone : config_.zones) zones.insert(zone.id);
  for (const ZoneConfig& zone : config.zones) zones.insert(zone.id);
  for (int32_t zone_id : zones) {
    const std::vector<std::string> before = volume_groups_.MutedAddresses(zone_id);
    const std::vector<std::string> after = groups.MutedAddresses(zone_id);
    MutingInfo info;
    info.zone_id = zone_id;
    for (const std::string& address : after) {
      if (std::find(before.begin(), before.end(), address) == before.end()) {
        info.addresses_to_mute.push_back(address);
      }
    }
    for (const std::string& address : before) {
      if (std::find(after.begin(), after.end(), address) == after.end()) {
        info.addresses_to_unmute.push_back(address);
      }
    }
    if (!info.addresses_to_mute.empty() || !info.addresses_to_unmute.empty()) {
      output.muting.push_back(std::move(info));
    }
  }
  volume_groups_ = std::move(groups);
  config_ = std::move(config);
  return output;
}

std::vector<DuckingInfo> CarAudioCore::CurrentDucking() const {
  std::vector<DuckingInfo> infos;
  for (const ZoneConfig& zone : config_.zones) {
    DuckingInfo info;
    info.zone_id = zone.id;
    info.addresses_to_duck = ducking_.ducked_addresses(zone.id);
    info.addresses_to_unduck = OtherAddresses(zone, info.addresses_to_duck);
    infos.push_back(std::move(info));
  }
  return infos;
}

std::vector<MutingInfo> CarAudioCore::CurrentMuting() const {
  std::vector<MutingInfo> infos;
  for (const ZoneConfig& zone : config_.zones) {
    MutingInfo info;
    info.zone_id = zone.id;
    info.addresses_to_mute = volume_groups_.MutedAddresses(zone.id);
    info.addresses_to_unmute = OtherAddresses(zone, info.addresses_to_mute);
    infos.push_back(std::move(info));
  }
  return infos;
}

}  // namespace caraudio
