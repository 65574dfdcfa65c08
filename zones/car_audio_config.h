// CarAudioConfig: the car's audio zones, volume groups and devices, as read
// from an AOSP car_audio_configuration.xml (see car_audio_config_parser.h).
//
// A CarAudioConfig is a plain value: it owns its data and has no behaviour
// beyond lookups. One returned by the parser is valid: exactly one primary
// zone with id 0, unique zone ids, unique device addresses across the whole
// car, and in every zone each of the 12 contexts MUSIC..ANNOUNCEMENT routed to
// exactly one device (INVALID is never routed). Hand-built values carry no
// such guarantee. Thread-compatible: const methods may be called concurrently.

#ifndef CARAUDIO_ZONES_CAR_AUDIO_CONFIG_H_
#define CARAUDIO_ZONES_CAR_AUDIO_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "carservice/audio_context.h"
#include "carservice/ducking_planner.h"

namespace caraudio {

// Volume group gain defaults (millibel), used when the XML gives none.
inline constexpr int32_t kDefaultMinGainMb = -3200;
inline constexpr int32_t kDefaultMaxGainMb = 600;
inline constexpr int32_t kDefaultGainMb = 0;
inline constexpr int32_t kDefaultStepMb = 100;

// occupant_zone_id of a zone that no occupant zone maps to.
inline constexpr int32_t kNoOccupantZone = -1;

// One output device (an AAOS bus address) and the contexts routed to it.
struct DeviceConfig {
  std::string address;                 // "bus0_media_out"; never empty
  std::vector<AudioContext> contexts;  // in file order
  std::string output;                  // sink to connect to later; "" = null sink

  friend bool operator==(const DeviceConfig&, const DeviceConfig&) = default;
};

// A volume group: devices whose volume moves together, with its gain range.
// min_gain_mb <= default_gain_mb <= max_gain_mb, step_mb > 0 and the range is
// a whole number of steps.
struct VolumeGroupConfig {
  std::string name;
  std::vector<DeviceConfig> devices;
  int32_t min_gain_mb = kDefaultMinGainMb;
  int32_t max_gain_mb = kDefaultMaxGainMb;
  int32_t default_gain_mb = kDefaultGainMb;
  int32_t step_mb = kDefaultStepMb;

  friend bool operator==(const VolumeGroupConfig&, const VolumeGroupConfig&) = default;
};

// One audio zone (AAOS audioZoneId) and its volume groups.
struct ZoneConfig {
  int32_t id = 0;
  std::string name;
  bool is_primary = false;
  int32_t occupant_zone_id = kNoOccupantZone;
  std::string config_name;  // the version 3 <zoneConfig> used; "" in version 2
  std::vector<VolumeGroupConfig> volume_groups;

  // Address of the device the context is routed to; "" when unrouted.
  std::string DeviceForContext(AudioContext context) const;

  // DeviceForContext for every context, indexed by context id (INVALID = "").
  ContextDeviceMap DeviceMap() const;

  // The device with this address, or nullptr.
  const DeviceConfig* FindDevice(absl::string_view address) const;

  // The volume group whose devices carry the context, or nullptr.
  const VolumeGroupConfig* VolumeGroupForContext(AudioContext context) const;

  friend bool operator==(const ZoneConfig&, const ZoneConfig&) = default;
};

// The whole car. Zones are kept in file order.
struct CarAudioConfig {
  int version = 0;  // the file's version attribute: 2 or 3
  std::vector<ZoneConfig> zones;

  // The zone with this id, or nullptr.
  const ZoneConfig* FindZone(int32_t zone_id) const;

  // The zone an occupant zone maps to, or nullptr.
  const ZoneConfig* FindZoneForOccupant(int32_t occupant_zone_id) const;

  // The primary zone, or nullptr (never null for a parsed config).
  const ZoneConfig* PrimaryZone() const;

  // Zone ids in file order.
  std::vector<int32_t> ZoneIds() const;

  // Each zone's DeviceMap, keyed by zone id; what DuckingPlanner takes.
  std::map<int32_t, ContextDeviceMap> DeviceMaps() const;

  friend bool operator==(const CarAudioConfig&, const CarAudioConfig&) = default;
};

}  // namespace caraudio

#endif  // CARAUDIO_ZONES_CAR_AUDIO_CONFIG_H_
