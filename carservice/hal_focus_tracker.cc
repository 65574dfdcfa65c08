#include "carservice/hal_focus_tracker.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace caraudio {

std::string HalFocusClientId(int32_t zone_id, int32_t usage) {
  return absl::StrCat(kHalFocusClientIdPrefix, "zone", zone_id, "/", UsageName(usage));
}

bool IsHalFocusClientId(absl::string_view client_id) {
  return absl::StartsWith(client_id, kHalFocusClientIdPrefix);
}

absl::StatusOr<HalFocusResult> HalFocusTracker::RequestAudioFocus(int32_t usage, int32_t zone_id,
                                                                  FocusGain gain) {
  if (!engine_->HasZone(zone_id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("requestAudioFocus: unknown audio zone ", zone_id));
  }
  if (!FocusGainFromInt(static_cast<int32_t>(gain))) {
    return absl::InvalidArgumentError(
        absl::StrCat("requestAudioFocus: focus gain ", static_cast<int32_t>(gain),
                     " is not one of 1..4"));
  }
  HalFocusResult result;
  const auto key = std::make_pair(zone_id, usage);
  if (auto tracked = tracked_.find(key); tracked != tracked_.end()) {
    // One request per (usage, zone): repeat the status instead of re-requesting.
    result.reports.push_back(HalFocusChange{usage, zone_id, tracked->second});
    return result;
  }

  FocusRequest request;
  request.client_id = HalFocusClientId(zone_id, usage);
  request.package_name = "audiocontrol-hal";
  request.uid = kHalUid;
  request.usage = usage;
  request.gain = gain;
  request.requested_zone_id = zone_id;
  FocusDecision decision = engine_->RequestFocus(request);
  result.callbacks = decision.callbacks;
  result.changed_zones.push_back(decision.zone_id);
  if (decision.result == RequestResult::kGranted) {
    const int32_t status = static_cast<int32_t>(gain);
    tracked_[key] = status;
    result.reports.push_back(HalFocusChange{usage, zone_id, status});
  } else {
    // Delayed focus is not supported for the HAL: anything but a grant is LOSS.
    result.reports.push_back(
        HalFocusChange{usage, zone_id, static_cast<int32_t>(FocusChange::kLoss)});
  }
  result.decision = std::move(decision);
  return result;
}

absl::StatusOr<HalFocusResult> HalFocusTracker::AbandonAudioFocus(int32_t usage, int32_t zone_id) {
  if (!engine_->HasZone(zone_id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("abandonAudioFocus: unknown audio zone ", zone_id));
  }
  HalFocusResult result;
  auto tracked = tracked_.find(std::make_pair(zone_id, usage));
  if (tracked == tracked_.end()) return result;
  // Forget first, so callbacks produced by the abandon cannot revive it.
  tracked_.erase(tracked);
  FocusChanges changes = engine_->AbandonFocus(HalFocusClientId(zone_id, usage), zone_id);
  result.callbacks = std::move(changes.callbacks);
  result.changed_zones = std::move(changes.changed_zones);
  result.reports.push_back(
      HalFocusChange{usage, zone_id, static_cast<int32_t>(FocusChange::kLoss)});
  return result;
}

std::optional<HalFocusChange> HalFocusTracker::OnFocusCallback(const FocusCallback& callback) {
  if (!IsHalFocusClientId(callback.client_id)) return std::nullopt;
  auto tracked = tracked_.find(std::make_pair(callback.zone_id, callback.usage));
  if (tracked == tracked_.end()) return std::nullopt;
  const int32_t change = static_cast<int32_t>(callback.change);
  if (callback.change == FocusChange::kLoss) {
    tracked_.erase(tracked);
  } else {
    tracked->second = change;
  }
  return HalFocusChange{callback.usage, callback.zone_id, change};
}

HalFocusResult HalFocusTracker::Reset() {
  HalFocusResult result;
  std::vector<std::pair<int32_t, int32_t>> keys;
  for (const auto& [key, status] : tracked_) keys.push_back(key);
  for (const auto& [zone_id, usage] : keys) {
    absl::StatusOr<HalFocusResult> abandoned = AbandonAudioFocus(usage, zone_id);
    if (!abandoned.ok()) continue;  // zones are fixed, so this cannot happen
    for (FocusCallback& callback : abandoned->callbacks) result.callbacks.push_back(std::move(callback));
    for (const HalFocusChange& report : abandoned->reports) result.reports.push_back(report);
    for (int32_t zone : abandoned->changed_zones) result.changed_zones.push_back(zone);
  }
  return result;
}

}  // namespace caraudio
