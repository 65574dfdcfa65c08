#include "carservice/ducking_planner.h"

#include <algorithm>
#include <utility>

#include "carservice/audio_usage.h"

namespace caraudio {
namespace {

constexpr ContextMask Mask(std::initializer_list<AudioContext> contexts) {
  ContextMask mask = 0;
  for (AudioContext context : contexts) mask |= ContextBit(context);
  return mask;
}

using C = AudioContext;
constexpr ContextMask kEverything = (1u << kAudioContextCount) - 1;

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

void AddUnique(std::vector<std::string>& list, const std::string& value) {
  if (!value.empty() && !Contains(list, value)) list.push_back(value);
}

}  // namespace

// focus-rules.md §4.2: each holder context ducks these contexts.
const std::array<ContextMask, kAudioContextCount> kDuckTable = {
    /* INVALID        */ 0,
    /* MUSIC          */ 0,
    /* NAVIGATION     */
    Mask({C::kMusic, C::kCallRing, C::kCall, C::kAlarm, C::kNotification, C::kSystemSound,
          C::kVehicleStatus, C::kAnnouncement}),
    /* VOICE_COMMAND  */ Mask({C::kCallRing}),
    /* CALL_RING      */ 0,
    /* CALL           */ Mask({C::kCallRing, C::kAlarm, C::kNotification, C::kVehicleStatus}),
    /* ALARM          */ Mask({C::kMusic}),
    /* NOTIFICATION   */ Mask({C::kMusic, C::kAlarm, C::kAnnouncement}),
    /* SYSTEM_SOUND   */ Mask({C::kMusic, C::kAlarm, C::kAnnouncement}),
    /* EMERGENCY      */ Mask({C::kCall}),
    /* SAFETY         */ kEverything & ~Mask({C::kInvalid, C::kEmergency, C::kSafety}),
    /* VEHICLE_STATUS */ Mask({C::kMusic, C::kCallRing, C::kAnnouncement}),
    /* ANNOUNCEMENT   */ 0,
};

ContextMask ContextsToDuck(const std::vector<AudioContext>& holder_contexts) {
  ContextMask present = 0;
  ContextMask ducked = 0;
  for (AudioContext context : holder_contexts) {
    if (context == AudioContext::kInvalid) continue;
    present |= ContextBit(context);
    ducked |= kDuckTable[ContextIndex(context)];
  }
  return ducked & present;
}

DuckingInfo ComputeDuckingInfo(int32_t zone_id, const std::vector<FocusEntry>& holders,
                               const ContextDeviceMap& devices,
                               const std::vector<std::string>& previously_ducked) {
  DuckingInfo info;
  info.zone_id = zone_id;

  // 1. Attributes holding focus, unique by usage, first seen first.
  std::vector<int32_t> usages;
  std::vector<AudioContext> contexts;
  for (const FocusEntry& holder : holders) {
    contexts.push_back(holder.context);
    if (std::find(usages.begin(), usages.end(), holder.request.usage) != usages.end()) continue;
    usages.push_back(holder.request.usage);
    info.usages_holding_focus.push_back(XsdUsageName(holder.request.usage));
    info.playback_metadata_holding_focus.push_back(PlaybackTrackMetadata{
        holder.request.usage, holder.request.content_type,
        devices[ContextIndex(holder.context)]});
  }

  // 2-3. Addresses of ducked contexts, minus any address an unducked holder
  // context plays on: a device shared with an unducked context is left alone.
  const ContextMask ducked = ContextsToDuck(contexts);
  std::vector<std::string> unducked_addresses;
  for (AudioContext context : contexts) {
    if (context == AudioContext::kInvalid || (ducked & ContextBit(context)) != 0) continue;
    AddUnique(unducked_addresses, devices[ContextIndex(context)]);
  }
  for (AudioContext context : kAllAudioContexts) {
    if ((ducked & ContextBit(context)) == 0) continue;
    const std::string& address = devices[ContextIndex(context)];
    if (!Contains(unducked_addresses, address)) AddUnique(info.addresses_to_duck, address);
  }

  // 4. What was ducked before and no longer is.
  for (const std::string& address : previously_ducked) {
    if (!Contains(info.addresses_to_duck, address)) info.addresses_to_unduck.push_back(address);
  }
  return info;
}

DuckingPlanner::DuckingPlanner(std::map<int32_t, ContextDeviceMap> zone_devices)
    : zone_devices_(std::move(zone_devices)) {}

DuckingInfo DuckingPlanner::Update(int32_t zone_id, const std::vector<FocusEntry>& holders) {
  static const ContextDeviceMap kNoDevices{};
  auto devices = zone_devices_.find(zone_id);
  std::vector<std::string>& ducked = ducked_[zone_id];
  DuckingInfo info = ComputeDuckingInfo(
      zone_id, holders, devices == zone_devices_.end() ? kNoDevices : devices->second, ducked);
  ducked = info.addresses_to_duck;
  return info;
}

std::vector<DuckingInfo> DuckingPlanner::SetZoneDevices(
    std::map<int32_t, ContextDeviceMap> zone_devices) {
  std::vector<DuckingInfo> removed;
  for (auto it = ducked_.begin(); it != ducked_.end();) {
    if (zone_devices.contains(it->first)) {
      ++it;
      continue;
    }
    DuckingInfo info;
    info.zone_id = it->first;
    info.addresses_to_unduck = std::move(it->second);
    removed.push_back(std::move(info));
    it = ducked_.erase(it);
  }
  zone_devices_ = std::move(zone_devices);
  return removed;
}

const std::vector<std::string>& DuckingPlanner::ducked_addresses(int32_t zone_id) const {
  static const std::vector<std::string> kNone;
  auto it = ducked_.find(zone_id);
  return it == ducked_.end() ? kNone : it->second;
}

}  // namespace caraudio
