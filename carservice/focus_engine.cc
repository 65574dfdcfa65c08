#include "carservice/focus_engine.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace caraudio {

namespace {

// The zones Create accepts: unique ids including the primary zone.
absl::StatusOr<std::map<int32_t, ZoneFocus>> EmptyZones(const std::vector<int32_t>& zone_ids) {
  std::map<int32_t, ZoneFocus> zones;
  for (int32_t id : zone_ids) {
    if (!zones.emplace(id, ZoneFocus(id)).second) {
      return absl::InvalidArgumentError(absl::StrCat("duplicate audio zone id ", id));
    }
  }
  if (zones.count(kPrimaryZoneId) == 0) {
    return absl::InvalidArgumentError("the primary audio zone 0 is missing");
  }
  return zones;
}

}  // namespace

absl::StatusOr<FocusEngine> FocusEngine::Create(const std::vector<int32_t>& zone_ids) {
  absl::StatusOr<std::map<int32_t, ZoneFocus>> zones = EmptyZones(zone_ids);
  if (!zones.ok()) return zones.status();
  return FocusEngine(std::move(*zones));
}

absl::StatusOr<FocusChanges> FocusEngine::SetZones(const std::vector<int32_t>& zone_ids) {
  absl::StatusOr<std::map<int32_t, ZoneFocus>> wanted = EmptyZones(zone_ids);
  if (!wanted.ok()) return wanted.status();
  FocusChanges changes;
  for (auto it = zones_.begin(); it != zones_.end();) {
    if (wanted->contains(it->first)) {
      ++it;
      continue;
    }
    std::vector<FocusCallback> callbacks = it->second.LoseAll();
    changes.callbacks.insert(changes.callbacks.end(), std::make_move_iterator(callbacks.begin()),
                             std::make_move_iterator(callbacks.end()));
    changes.changed_zones.push_back(it->first);
    it = zones_.erase(it);
  }
  for (auto& [id, zone] : *wanted) {
    if (zones_.contains(id)) continue;
    zone.SetRestricted(restricted_);  // an empty zone: no callbacks
    zones_.emplace(id, std::move(zone));
  }
  std::erase_if(uid_zones_, [this](const auto& entry) { return !HasZone(entry.second); });
  return changes;
}

int32_t FocusEngine::ZoneForUid(int32_t uid) const {
  auto it = uid_zones_.find(uid);
  return it == uid_zones_.end() ? kPrimaryZoneId : it->second;
}

int32_t FocusEngine::ZoneForRequest(const FocusRequest& request) const {
  if (request.requested_zone_id && HasZone(*request.requested_zone_id)) {
    return *request.requested_zone_id;
  }
  return ZoneForUid(request.uid);
}

const ZoneFocus* FocusEngine::zone(int32_t zone_id) const {
  auto it = zones_.find(zone_id);
  return it == zones_.end() ? nullptr : &it->second;
}

FocusDecision FocusEngine::RequestFocus(const FocusRequest& request) {
  return zones_.at(ZoneForRequest(request)).Request(request);
}

FocusChanges FocusEngine::AbandonFocus(absl::string_view client_id,
                                       std::optional<int32_t> zone_id) {
  FocusChanges changes;
  for (auto& [id, zone] : zones_) {
    if (zone_id && *zone_id != id) continue;
    if (!zone.Contains(client_id)) continue;
    std::vector<FocusCallback> callbacks = zone.Abandon(client_id);
    changes.callbacks.insert(changes.callbacks.end(), std::make_move_iterator(callbacks.begin()),
                             std::make_move_iterator(callbacks.end()));
    changes.changed_zones.push_back(id);
  }
  return changes;
}

FocusChanges FocusEngine::SetRestrictFocus(bool restricted) {
  restricted_ = restricted;
  FocusChanges changes;
  for (auto& [id, zone] : zones_) {
    std::vector<FocusCallback> callbacks = zone.SetRestricted(restricted);
    changes.callbacks.insert(changes.callbacks.end(), std::make_move_iterator(callbacks.begin()),
                             std::make_move_iterator(callbacks.end()));
    changes.changed_zones.push_back(id);
  }
  return changes;
}

absl::Status FocusEngine::SetNavigationRejectedDuringCall(int32_t zone_id, bool rejected) {
  auto it = zones_.find(zone_id);
  if (it == zones_.end()) {
    return absl::InvalidArgumentError(absl::StrCat("unknown audio zone ", zone_id));
  }
  it->second.SetNavigationRejectedDuringCall(rejected);
  return absl::OkStatus();
}

absl::StatusOr<FocusChanges> FocusEngine::SetZoneForUid(int32_t uid, int32_t zone_id) {
  if (!HasZone(zone_id)) {
    return absl::InvalidArgumentError(absl::StrCat("unknown audio zone ", zone_id));
  }
  const int32_t old_zone = ZoneForUid(uid);
  uid_zones_[uid] = zone_id;
  return MoveUidEntries(uid, old_zone, zone_id);
}

FocusChanges FocusEngine::ClearZoneForUid(int32_t uid) {
  const int32_t old_zone = ZoneForUid(uid);
  uid_zones_.erase(uid);
  return MoveUidEntries(uid, old_zone, kPrimaryZoneId);
}

FocusChanges FocusEngine::MoveUidEntries(int32_t uid, int32_t old_zone, int32_t new_zone) {
  FocusChanges changes;
  if (old_zone == new_zone) return changes;
  ZoneFocus& from = zones_.at(old_zone);
  ZoneFocus& to = zones_.at(new_zone);
  // Entries that an explicit zone id placed in the old zone stay there.
  auto placed_by_uid = [&](const FocusEntry& entry) {
    return entry.request.uid == uid &&
           !(entry.request.requested_zone_id && HasZone(*entry.request.requested_zone_id));
  };
  std::vector<FocusRequest> moving;
  for (const std::vector<FocusEntry>* entries : {&from.holders(), &from.losers()}) {
    for (const FocusEntry& entry : *entries) {
      if (placed_by_uid(entry)) moving.push_back(entry.request);
    }
  }
  auto append = [&changes](std::vector<FocusCallback> callbacks) {
    changes.callbacks.insert(changes.callbacks.end(), std::make_move_iterator(callbacks.begin()),
                             std::make_move_iterator(callbacks.end()));
  };
  for (const FocusRequest& request : moving) {
    append(from.RemoveAndTransientlyLose(request.client_id));
  }
  for (const FocusRequest& request : moving) {
    changes.moves.push_back(ZoneMove{request.client_id, old_zone, new_zone});
    FocusDecision decision = to.ReevaluateAndRegain(request);
    append(std::move(decision.callbacks));
    // The client was told LOSS_TRANSIENT and now has no entry anywhere; tell
    // it the loss is final rather than leave it waiting for a GAIN.
    if (decision.result == RequestResult::kFailed) {
      changes.callbacks.push_back(
          FocusCallback{new_zone, request.client_id, request.usage, FocusChange::kLoss});
    }
  }
  if (!moving.empty()) changes.changed_zones = {old_zone, new_zone};
  return changes;
}

}  // namespace caraudio
