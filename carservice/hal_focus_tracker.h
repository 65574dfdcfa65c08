// HalFocusTracker: the car service's bookkeeping of focus requested by the
// AudioControl HAL through IFocusListener — AAOS HalAudioFocus
// (focus-rules.md §4.3).
//
// At most one request per (usage, zone). Each is submitted to the FocusEngine
// like an app request, with its own client id (HalFocusClientId) and the zone
// forced through the requested zone id. Engine callbacks addressed to those
// ids are turned into onAudioFocusChange reports for the HAL by
// OnFocusCallback. The tracker does not own the engine; both live in the
// service's serialised core. Not thread-safe.

#ifndef CARAUDIO_CARSERVICE_HAL_FOCUS_TRACKER_H_
#define CARAUDIO_CARSERVICE_HAL_FOCUS_TRACKER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "carservice/focus_decision.h"
#include "carservice/focus_engine.h"

namespace caraudio {

// IAudioControl.onAudioFocusChange(usage, zoneId, focusChange).
struct HalFocusChange {
  int32_t usage = 0;
  int32_t zone_id = 0;
  int32_t focus_change = 0;  // a FocusChange value, or the granted gain (1..4)

  friend bool operator==(const HalFocusChange&, const HalFocusChange&) = default;
};

// What one HAL operation produced: engine callbacks to dispatch (some may be
// for other HAL entries: pass them to OnFocusCallback), reports for the HAL
// in order, and the zones whose holders changed.
struct HalFocusResult {
  std::vector<FocusCallback> callbacks;
  std::vector<HalFocusChange> reports;
  std::vector<int32_t> changed_zones;
  // The engine's decision for a new request, for logs; absent otherwise.
  std::optional<FocusDecision> decision;
};

// The client id used for the HAL's request of `usage` in `zone_id`. Apps may
// not use ids with this prefix.
std::string HalFocusClientId(int32_t zone_id, int32_t usage);
inline constexpr absl::string_view kHalFocusClientIdPrefix = "hal-focus/";
bool IsHalFocusClientId(absl::string_view client_id);

class HalFocusTracker {
 public:
  // The uid the HAL's requests are made as (AID_AUDIOSERVER-like).
  static constexpr int32_t kHalUid = 1041;

  explicit HalFocusTracker(FocusEngine* engine) : engine_(engine) {}

  // requestAudioFocus. InvalidArgument for unknown zones or gains outside 1..4.
  // Tracked pairs are not requested again; the HAL is told the tracked status.
  absl::StatusOr<HalFocusResult> RequestAudioFocus(int32_t usage, int32_t zone_id, FocusGain gain);

  // abandonAudioFocus. InvalidArgument for unknown zones; untracked is a no-op.
  absl::StatusOr<HalFocusResult> AbandonAudioFocus(int32_t usage, int32_t zone_id);

  // An engine callback: if it is for a HAL entry, update the status (LOSS
  // forgets the entry) and return the report to forward; else nullopt.
  std::optional<HalFocusChange> OnFocusCallback(const FocusCallback& callback);

  // HAL death: abandon every tracked request in every zone.
  HalFocusResult Reset();

  // Tracked (zone, usage) -> last status sent to the HAL.
  const std::map<std::pair<int32_t, int32_t>, int32_t>& tracked() const { return tracked_; }

 private:
  FocusEngine* engine_;
  std::map<std::pair<int32_t, int32_t>, int32_t> tracked_;  // (zone, usage) -> status
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_HAL_FOCUS_TRACKER_H_
