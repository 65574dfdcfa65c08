// VolumeGroups: the user volume and mute of every volume group of every zone,
// as AOSP CarVolumeGroup keeps them: a gain index between 0 and
// (maxGain - minGain) / stepValue, in millibel steps from the config.
//
// Setting a mute yields the MutingInfo the HAL must get (AAOS
// CarVolumeGroupMuting: the group's device addresses to mute or unmute).
// Pure state; not thread-safe; the service serialises calls.

#ifndef CARAUDIO_CARSERVICE_VOLUME_GROUPS_H_
#define CARAUDIO_CARSERVICE_VOLUME_GROUPS_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "zones/car_audio_config.h"

namespace caraudio {

// android.hardware.automotive.audiocontrol.MutingInfo.
struct MutingInfo {
  int32_t zone_id = 0;
  std::vector<std::string> addresses_to_mute;
  std::vector<std::string> addresses_to_unmute;

  friend bool operator==(const MutingInfo&, const MutingInfo&) = default;
};

struct VolumeGroupState {
  int32_t zone_id = 0;
  std::string name;
  int32_t gain_index = 0;
  int32_t max_index = 0;  // min index is 0
  int32_t min_gain_mb = 0;
  int32_t step_mb = 0;
  bool muted = false;
  std::vector<std::string> addresses;

  int32_t gain_mb() const { return min_gain_mb + gain_index * step_mb; }
};

class VolumeGroups {
 public:
  explicit VolumeGroups(const CarAudioConfig& config);
  // The groups of `config` after a reload: a group that `previous` also has
  // (same zone and name) keeps the user's gain — the same millibel, on the
  // nearest step of the new range, clamped into it — and its mute; the
  // others start at their default gain, unmuted.
  VolumeGroups(const CarAudioConfig& config, const VolumeGroups& previous);

  // InvalidArgument for an unknown zone or group, or an index outside
  // 0..max_index.
  absl::Status SetGainIndex(int32_t zone_id, absl::string_view group, int32_t gain_index);
  // What SetGainIndex would answer, without changing anything.
  absl::Status ValidateGainIndex(int32_t zone_id, absl::string_view group,
                                 int32_t gain_index) const;
  // The muting change for the HAL; an unchanged mute gives empty lists.
  absl::StatusOr<MutingInfo> SetMute(int32_t zone_id, absl::string_view group, bool muted);
  absl::StatusOr<VolumeGroupState> Get(int32_t zone_id, absl::string_view group) const;

  // Every group, ordered by zone then config order.
  std::vector<VolumeGroupState> All() const;
  // Muted device addresses of a zone.
  std::vector<std::string> MutedAddresses(int32_t zone_id) const;

 private:
  absl::StatusOr<VolumeGroupState*> Find(int32_t zone_id, absl::string_view group);

  std::vector<VolumeGroupState> groups_;
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_VOLUME_GROUPS_H_
