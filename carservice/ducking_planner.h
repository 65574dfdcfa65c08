// DuckingPlanner: which device addresses a zone's HAL must duck, computed
// from the zone's focus holders — AAOS CarDucking / CarDuckingUtils
// (focus-rules.md §4.2).
//
// The duck table is constexpr data (kDuckTable). ComputeDuckingInfo is a pure
// function; DuckingPlanner only remembers each zone's previous duck set so it
// can report what to unduck. Not thread-safe; the service serialises calls.

#ifndef CARAUDIO_CARSERVICE_DUCKING_PLANNER_H_
#define CARAUDIO_CARSERVICE_DUCKING_PLANNER_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "carservice/audio_context.h"
#include "carservice/focus_entry.h"

namespace caraudio {

// Bit i set = context id i. kDuckTable[holder] = contexts that holder ducks.
using ContextMask = uint32_t;
constexpr ContextMask ContextBit(AudioContext context) { return 1u << ContextIndex(context); }

// The AAOS duck table, identical from Android 12 to main.
extern const std::array<ContextMask, kAudioContextCount> kDuckTable;

// The device address each context is routed to in one zone; "" = unrouted.
using ContextDeviceMap = std::array<std::string, kAudioContextCount>;

// PlaybackTrackMetadata of AIDL IAudioControl v2, one per unique usage.
struct PlaybackTrackMetadata {
  int32_t usage = 0;
  int32_t content_type = 0;
  std::string device_address;

  friend bool operator==(const PlaybackTrackMetadata&, const PlaybackTrackMetadata&) = default;
};

// android.hardware.automotive.audiocontrol.DuckingInfo.
struct DuckingInfo {
  int32_t zone_id = 0;
  std::vector<std::string> addresses_to_duck;
  std::vector<std::string> addresses_to_unduck;
  std::vector<std::string> usages_holding_focus;  // XSD strings, "AUDIO_USAGE_MEDIA"
  std::vector<PlaybackTrackMetadata> playback_metadata_holding_focus;

  friend bool operator==(const DuckingInfo&, const DuckingInfo&) = default;
};

// Contexts ducked by a set of holder contexts: the union of their duck lists
// intersected with the contexts present (INVALID never counts as present).
ContextMask ContextsToDuck(const std::vector<AudioContext>& holder_contexts);

// Steps 1-4 of §4.2 for one zone. `previously_ducked` is the last duck set.
DuckingInfo ComputeDuckingInfo(int32_t zone_id, const std::vector<FocusEntry>& holders,
                               const ContextDeviceMap& devices,
                               const std::vector<std::string>& previously_ducked);

class DuckingPlanner {
 public:
  // One device map per zone. Every zone starts with nothing ducked.
  explicit DuckingPlanner(std::map<int32_t, ContextDeviceMap> zone_devices);

  // Computes the zone's new DuckingInfo from its holders and remembers the
  // duck set. Unknown zones give an info with no addresses.
  DuckingInfo Update(int32_t zone_id, const std::vector<FocusEntry>& holders);

  // A config reload: the zones are now those of `zone_devices`. A zone that
  // is gone is forgotten, and its info unducking everything it had ducked
  // is returned (zones in id order); the others keep their duck sets, so the
  // next Update() for them unducks what the new routing no longer ducks.
  std::vector<DuckingInfo> SetZoneDevices(std::map<int32_t, ContextDeviceMap> zone_devices);

  // The addresses currently ducked in a zone.
  const std::vector<std::string>& ducked_addresses(int32_t zone_id) const;

  const std::map<int32_t, ContextDeviceMap>& zone_devices() const { return zone_devices_; }

 private:
  std::map<int32_t, ContextDeviceMap> zone_devices_;
  std::map<int32_t, std::vector<std::string>> ducked_;
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_DUCKING_PLANNER_H_
