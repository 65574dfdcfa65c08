#include "zones/car_audio_config.h"

#include <algorithm>

namespace caraudio {
namespace {

bool Carries(const DeviceConfig& device, AudioContext context) {
  return std::find(device.contexts.begin(), device.contexts.end(), context) != device.contexts.end();
}

}  // namespace

std::string ZoneConfig::DeviceForContext(AudioContext context) const {
  for (const VolumeGroupConfig& group : volume_groups) {
    for (const DeviceConfig& device : group.devices) {
      if (Carries(device, context)) return device.address;
    }
  }
  return "";
}

ContextDeviceMap ZoneConfig::DeviceMap() const {
  ContextDeviceMap map;
  // First routing wins, as in DeviceForContext.
  for (const VolumeGroupConfig& group : volume_groups) {
    for (const DeviceConfig& device : group.devices) {
      for (AudioContext context : device.contexts) {
        std::string& slot = map[ContextIndex(context)];
        if (slot.empty()) slot = device.address;
      }
    }
  }
  return map;
}

const DeviceConfig* ZoneConfig::FindDevice(absl::string_view address) const {
  for (const VolumeGroupConfig& group : volume_groups) {
    for (const DeviceConfig& device : group.devices) {
      if (device.address == address) return &device;
    }
  }
  return nullptr;
}

const VolumeGroupConfig* ZoneConfig::VolumeGroupForContext(AudioContext context) const {
  for (const VolumeGroupConfig& group : volume_groups) {
    for (const DeviceConfig& device : group.devices) {
      if (Carries(device, context)) return &group;
    }
  }
  return nullptr;
}

const ZoneConfig* CarAudioConfig::FindZone(int32_t zone_id) const {
  for (const ZoneConfig& zone : zones) {
    if (zone.id == zone_id) return &zone;
  }
  return nullptr;
}

const ZoneConfig* CarAudioConfig::FindZoneForOccupant(int32_t occupant_zone_id) const {
  if (occupant_zone_id == kNoOccupantZone) return nullptr;
  for (const ZoneConfig& zone : zones) {
    if (zone.occupant_zone_id == occupant_zone_id) return &zone;
  }
  return nullptr;
}

const ZoneConfig* CarAudioConfig::PrimaryZone() const {
  for (const ZoneConfig& zone : zones) {
    if (zone.is_primary) return &zone;
  }
  return nullptr;
}

std::vector<int32_t> CarAudioConfig::ZoneIds() const {
  std::vector<int32_t> ids;
  ids.reserve(zones.size());
  for (const ZoneConfig& zone : zones) ids.push_back(zone.id);
  return ids;
}

std::map<int32_t, ContextDeviceMap> CarAudioConfig::DeviceMaps() const {
  std::map<int32_t, ContextDeviceMap> maps;
  for (const ZoneConfig& zone : zones) maps.emplace(zone.id, zone.DeviceMap());
  return maps;
}

}  // namespace caraudio
