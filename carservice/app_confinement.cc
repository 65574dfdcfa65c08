#include "carservice/app_confinement.h"

#include "absl/strings/str_cat.h"

namespace caraudio {
namespace {

// Calls `visit` with the request of every entry (holders, losers, delayed)
// in `zone_id`, or in every zone.
template <typename Visit>
void ForEachRequest(const FocusEngine& engine, std::optional<int32_t> zone_id, Visit visit) {
  for (const auto& [id, zone] : engine.zones()) {
    if (zone_id && *zone_id != id) continue;
    for (const auto* entries : {&zone.holders(), &zone.losers()}) {
      for (const FocusEntry& entry : *entries) visit(entry.request);
    }
    if (const std::optional<FocusRequest>& delayed = zone.delayed_request()) visit(*delayed);
  }
}

// Another uid than `uid` whose entry uses `client_id` (in `zone_id`, or in
// any zone), if any.
std::optional<int32_t> OtherOwner(const FocusEngine& engine, absl::string_view client_id,
                                  std::optional<int32_t> zone_id, int32_t uid) {
  std::optional<int32_t> owner;
  ForEachRequest(engine, zone_id, [&](const FocusRequest& request) {
    if (!owner && request.client_id == client_id && request.uid != uid) owner = request.uid;
  });
  return owner;
}

// The entries (holders, losers, delayed; every zone) of `uid`, and whether
// one of them uses `client_id`.
struct EntriesOfUid {
  int count = 0;
  bool uses_client_id = false;
};
EntriesOfUid CountEntries(const FocusEngine& engine, int32_t uid, absl::string_view client_id) {
  EntriesOfUid result;
  ForEachRequest(engine, std::nullopt, [&](const FocusRequest& request) {
    if (request.uid != uid) return;
    ++result.count;
    result.uses_client_id |= request.client_id == client_id;
  });
  return result;
}

absl::Status WithinLimit(const AppConfinement& app, const FocusEngine& engine,
                         absl::string_view client_id) {
  if (app.max_focus_entries <= 0) return absl::OkStatus();
  const EntriesOfUid entries = CountEntries(engine, app.uid, client_id);
  if (entries.uses_client_id || entries.count < app.max_focus_entries) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      "uid ", app.uid, " already has ", entries.count, " focus requests, the most an app may ",
      "have (--max_focus_requests_per_app); abandon one, or re-request under one of its ids"));
}

absl::Status OwnUid(const AppConfinement& app, int32_t& uid) {
  if (uid == 0) uid = app.uid;
  if (uid == app.uid) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("uid ", app.uid, " may not speak for uid ", uid, " (not in --trusted_uids)"));
}

absl::Status OwnZone(const AppConfinement& app, const FocusEngine& engine, int32_t zone_id) {
  const int32_t own_zone = engine.ZoneForUid(app.uid);
  if (app.may_target_zones || zone_id == own_zone) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("uid ", app.uid, " plays in zone ", own_zone,
                                                  " and may not target zone ", zone_id,
                                                  " (not in --zone_targeting_uids)"));
}

absl::Status OwnClientId(const AppConfinement& app, const FocusEngine& engine,
                         absl::string_view client_id, std::optional<int32_t> zone_id) {
  if (std::optional<int32_t> owner = OtherOwner(engine, client_id, zone_id, app.uid)) {
    return absl::PermissionDeniedError(absl::StrCat("client id \"", client_id,
                                                    "\" belongs to uid ", *owner, ", not to uid ",
                                                    app.uid));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ConfineFocusRequest(const AppConfinement& app, const FocusEngine& engine,
                                 FocusRequest& request) {
  int32_t uid = request.uid;
  if (absl::Status status = OwnUid(app, uid); !status.ok()) return status;
  std::optional<int32_t> zone = request.requested_zone_id;
  if (zone && engine.HasZone(*zone)) {
    if (absl::Status status = OwnZone(app, engine, *zone); !status.ok()) return status;
  }
  if (absl::Status status = OwnClientId(app, engine, request.client_id, std::nullopt);
      !status.ok()) {
    return status;
  }
  if (absl::Status status = WithinLimit(app, engine, request.client_id); !status.ok()) {
    return status;
  }
  request.uid = uid;
  if (!app.may_target_zones && zone && engine.HasZone(*zone)) request.requested_zone_id.reset();
  return absl::OkStatus();
}

absl::Status ConfineAbandon(const AppConfinement& app, const FocusEngine& engine,
                            absl::string_view client_id, std::optional<int32_t> zone_id) {
  return OwnClientId(app, engine, client_id, zone_id);
}

absl::Status ConfineVolumeCall(const AppConfinement& app, const FocusEngine& engine,
                               int32_t zone_id, int32_t& uid) {
  int32_t own = uid;
  if (absl::Status status = OwnUid(app, own); !status.ok()) return status;
  // An unknown zone is left to the call's own validation (INVALID_ARGUMENT).
  if (engine.HasZone(zone_id)) {
    if (absl::Status status = OwnZone(app, engine, zone_id); !status.ok()) return status;
  }
  uid = own;
  return absl::OkStatus();
}

}  // namespace caraudio
