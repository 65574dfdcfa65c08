// FocusEngine: the multi-zone front of the focus policy — AAOS
// CarZonesAudioFocus (focus-rules.md §4.1). One ZoneFocus per configured zone,
// fully independent; this class only picks the zone and fans out settings.
//
// Zone choice for a request: an explicit requested zone id if it names a
// configured zone, else the uid -> zone map, else the primary zone 0. An
// unknown explicit zone id is ignored, as in AAOS.
//
// Every operation reports the zones whose holders may have changed, so the
// caller can run the DuckingPlanner for them (AAOS calls CarFocusCallback
// after every request, abandon and restriction change).
//
// Pure and deterministic like ZoneFocus. Not thread-safe; the service
// serialises calls.

#ifndef CARAUDIO_CARSERVICE_FOCUS_ENGINE_H_
#define CARAUDIO_CARSERVICE_FOCUS_ENGINE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "carservice/focus_decision.h"
#include "carservice/focus_request.h"
#include "carservice/zone_focus.h"

namespace caraudio {

inline constexpr int32_t kPrimaryZoneId = 0;

// A client whose entry moved to another zone (SetZoneForUid).
struct ZoneMove {
  std::string client_id;
  int32_t from_zone = 0;
  int32_t to_zone = 0;

  friend bool operator==(const ZoneMove&, const ZoneMove&) = default;
};

// Callbacks produced by an operation other than a request, the zones it
// touched, and the clients it moved between zones.
struct FocusChanges {
  std::vector<FocusCallback> callbacks;
  std::vector<int32_t> changed_zones;
  std::vector<ZoneMove> moves;

  friend bool operator==(const FocusChanges&, const FocusChanges&) = default;
};

class FocusEngine {
 public:
  // `zone_ids` must contain the primary zone 0 and no duplicates.
  static absl::StatusOr<FocusEngine> Create(const std::vector<int32_t>& zone_ids);

  // Decides `request` in the zone chosen as described above; the decision
  // carries that zone id. The decided zone is the only changed zone.
  FocusDecision RequestFocus(const FocusRequest& request);

  // Abandons `client_id` in `zone_id`, or in every zone that holds it when
  // no zone is given. Unknown clients are a no-op.
  FocusChanges AbandonFocus(absl::string_view client_id,
                            std::optional<int32_t> zone_id = std::nullopt);

  // setRestrictFocus for all zones; every zone is reported as changed.
  FocusChanges SetRestrictFocus(bool restricted);

  // The per-zone CALL -> NAVIGATION setting. InvalidArgument for unknown zones.
  absl::Status SetNavigationRejectedDuringCall(int32_t zone_id, bool rejected);

  // setZoneIdForUid. Entries of that uid that were placed by the uid map move
  // to the new zone: removed from the old zone with LOSS_TRANSIENT, then
  // re-evaluated in the new one and told GAIN if granted, LOSS if rejected
  // (DELAYED ones wait as usual).
  absl::StatusOr<FocusChanges> SetZoneForUid(int32_t uid, int32_t zone_id);
  // Back to the default (primary zone) for that uid; moves entries likewise.
  FocusChanges ClearZoneForUid(int32_t uid);

  // A config reload: the car now has the zones `zone_ids` (same rules as
  // Create). Zones that stay keep their stacks and settings untouched;
  // removed zones tell every entry LOSS (ZoneFocus::LoseAll) and are
  // reported as changed; new zones start empty, restricted when the engine
  // is. uid -> zone entries naming a removed zone are dropped (those uids
  // go back to the primary zone). InvalidArgument, with nothing changed,
  // for a list Create would refuse.
  absl::StatusOr<FocusChanges> SetZones(const std::vector<int32_t>& zone_ids);

  // The zone a request would be decided in.
  int32_t ZoneForRequest(const FocusRequest& request) const;
  int32_t ZoneForUid(int32_t uid) const;

  bool HasZone(int32_t zone_id) const { return zones_.count(zone_id) != 0; }
  // nullptr for unknown zones.
  const ZoneFocus* zone(int32_t zone_id) const;
  const std::map<int32_t, ZoneFocus>& zones() const { return zones_; }
  const std::map<int32_t, int32_t>& uid_zones() const { return uid_zones_; }
  bool restricted() const { return restricted_; }

 private:
  explicit FocusEngine(std::map<int32_t, ZoneFocus> zones) : zones_(std::move(zones)) {}

  FocusChanges MoveUidEntries(int32_t uid, int32_t old_zone, int32_t new_zone);

  std::map<int32_t, ZoneFocus> zones_;
  std::map<int32_t, int32_t> uid_zones_;
  bool restricted_ = false;
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_FOCUS_ENGINE_H_
