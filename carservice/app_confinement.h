// AppConfinement: what an app may ask for when it is not trusted to speak
// for other uids (docs/security.md). Its uid is the one the kernel reported
// for its connection (CallerAccess), never the one it wrote in the request:
//
//  - a request's uid must be 0 (unset: it becomes the app's own) or the
//    app's own uid; another uid is PERMISSION_DENIED;
//  - it may not touch another uid's focus: a FocusRequest or AbandonFocus
//    naming a client id that another uid's entry (holder, loser or delayed)
//    uses is PERMISSION_DENIED. (Not NOT_FOUND, and not the OK of abandoning
//    nothing: the app must learn that the id is taken, not think it won.)
//  - unless `may_target_zones`, its zone is its uid's zone (the uid -> zone
//    map): an explicit zone naming another configured zone is
//    PERMISSION_DENIED; naming its own zone is dropped, so the entry follows
//    the uid map when CarAudioAdmin.SetZoneForUid moves the uid. (An
//    explicit zone naming no zone is ignored, as for everyone: AAOS.)
//  - it has at most `max_focus_entries` entries at once (0: no limit): a
//    request under a new client id beyond that is RESOURCE_EXHAUSTED; a
//    re-request of one of its own client ids replaces it and always may.
//
// Nothing changes when a check fails. Pure functions of the engine's state;
// call them where the engine lives (the service's executor).

#ifndef CARAUDIO_CARSERVICE_APP_CONFINEMENT_H_
#define CARAUDIO_CARSERVICE_APP_CONFINEMENT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "carservice/focus_engine.h"
#include "carservice/focus_request.h"

namespace caraudio {

struct AppConfinement {
  int32_t uid = 0;
  bool may_target_zones = false;
  int max_focus_entries = 0;  // 0: no limit
};

// Makes `request` the app's own (uid set, own zone dropped), or says why not.
absl::Status ConfineFocusRequest(const AppConfinement& app, const FocusEngine& engine,
                                 FocusRequest& request);

// AbandonFocus(client_id, zone_id) by the app.
absl::Status ConfineAbandon(const AppConfinement& app, const FocusEngine& engine,
                            absl::string_view client_id, std::optional<int32_t> zone_id);

// A volume-group call (SetGroupVolume / SetGroupMute) in `zone_id` naming
// `uid`: `uid` becomes the app's own; another uid, or another configured
// zone than the uid's without `may_target_zones`, is PERMISSION_DENIED.
absl::Status ConfineVolumeCall(const AppConfinement& app, const FocusEngine& engine,
                               int32_t zone_id, int32_t& uid);

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_APP_CONFINEMENT_H_
