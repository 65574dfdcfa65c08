#include "carservice/volume_groups.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace caraudio {

VolumeGroups::VolumeGroups(const CarAudioConfig& config) {
  for (const ZoneConfig& zone : config.zones) {
    for (const VolumeGroupConfig& group : zone.volume_groups) {
      VolumeGroupState state;
      state.zone_id = zone.id;
      state.name = group.name;
      state.min_gain_mb = group.min_gain_mb;
      state.step_mb = group.step_mb;
      state.max_index = (group.max_gain_mb - group.min_gain_mb) / group.step_mb;
      state.gain_index = (group.default_gain_mb - group.min_gain_mb) / group.step_mb;
      for (const DeviceConfig& device : group.devices) state.addresses.push_back(device.address);
      groups_.push_back(std::move(state));
    }
  }
}

VolumeGroups::VolumeGroups(const CarAudioConfig& config, const VolumeGroups& previous)
    : VolumeGroups(config) {
  for (VolumeGroupState& state : groups_) {
    absl::StatusOr<VolumeGroupState> old = previous.Get(state.zone_id, state.name);
    if (!old.ok()) continue;
    const int32_t steps = static_cast<int32_t>(
        std::lround(static_cast<double>(old->gain_mb() - state.min_gain_mb) / state.step_mb));
    state.gain_index = std::clamp(steps, 0, state.max_index);
    state.muted = old->muted;
  }
}

namespace {

// Shared by the const and non-const lookups.
template <typename Groups>
auto FindGroup(Groups& groups, int32_t zone_id, absl::string_view group)
    -> absl::StatusOr<decltype(&groups.front())> {
  bool zone_known = false;
  for (auto& state : groups) {
    if (state.zone_id != zone_id) continue;
    zone_known = true;
    if (state.name == group) return &state;
  }
  if (!zone_known) return absl::InvalidArgumentError(absl::StrCat("unknown audio zone ", zone_id));
  return absl::InvalidArgumentError(
      absl::StrCat("zone ", zone_id, " has no volume group \"", group, "\""));
}

}  // namespace

absl::StatusOr<VolumeGroupState*> VolumeGroups::Find(int32_t zone_id, absl::string_view group) {
  return FindGroup(groups_, zone_id, group);
}

absl::Status VolumeGroups::ValidateGainIndex(int32_t zone_id, absl::string_view group,
                                             int32_t gain_index) const {
  absl::StatusOr<VolumeGroupState> state = Get(zone_id, group);
  if (!state.ok()) return state.status();
  if (gain_index < 0 || gain_index > state->max_index) {
    return absl::InvalidArgumentError(absl::StrCat("gain index ", gain_index, " of group \"", group,
                                                   "\" is outside 0..", state->max_index));
  }
  return absl::OkStatus();
}

absl::Status VolumeGroups::SetGainIndex(int32_t zone_id, absl::string_view group,
                                        int32_t gain_index) {
  if (absl::Status valid = ValidateGainIndex(zone_id, group, gain_index); !valid.ok()) return valid;
  (*Find(zone_id, group))->gain_index = gain_index;
  return absl::OkStatus();
}

absl::StatusOr<MutingInfo> VolumeGroups::SetMute(int32_t zone_id, absl::string_view group,
                                                 bool muted) {
  absl::StatusOr<VolumeGroupState*> state = Find(zone_id, group);
  if (!state.ok()) return state.status();
  MutingInfo info;
  info.zone_id = zone_id;
  if ((*state)->muted == muted) return info;
  (*state)->muted = muted;
  (muted ? info.addresses_to_mute : info.addresses_to_unmute) = (*state)->addresses;
  return info;
}

absl::StatusOr<VolumeGroupState> VolumeGroups::Get(int32_t zone_id, absl::string_view group) const {
  auto state = FindGroup(groups_, zone_id, group);
  if (!state.ok()) return state.status();
  return **state;
}

std::vector<VolumeGroupState> VolumeGroups::All() const { return groups_; }

std::vector<std::string> VolumeGroups::MutedAddresses(int32_t zone_id) const {
  std::vector<std::string> addresses;
  for (const VolumeGroupState& state : groups_) {
    if (state.zone_id != zone_id || !state.muted) continue;
    addresses.insert(addresses.end(), state.addresses.begin(), state.addresses.end());
  }
  return addresses;
}

}  // namespace caraudio
