#include "carservice/access_policy.h"

#include <cstdint>
#include <limits>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace caraudio {
namespace {

const std::set<uid_t>& UidsFor(const AccessPolicy::Uids& uids, Permission permission) {
  switch (permission) {
    case Permission::kSpeakForOtherUids:
      return uids.trusted;
    case Permission::kTargetZones:
      return uids.zone_targeting;
    case Permission::kHal:
      return uids.hal;
    case Permission::kAdmin:
      return uids.admin;
  }
  return uids.admin;
}

}  // namespace

const char* PermissionFlag(Permission permission) {
  switch (permission) {
    case Permission::kSpeakForOtherUids:
      return "--trusted_uids";
    case Permission::kTargetZones:
      return "--zone_targeting_uids";
    case Permission::kHal:
      return "--hal_uids";
    case Permission::kAdmin:
      return "--admin_uids";
  }
  return "?";
}

AccessPolicy::AccessPolicy(uid_t daemon_uid, Uids uids, int max_focus_requests_per_app)
    : uids_(std::move(uids)), max_focus_requests_per_app_(max_focus_requests_per_app) {
  for (std::set<uid_t>* set : {&uids_.trusted, &uids_.zone_targeting, &uids_.hal, &uids_.admin}) {
    set->insert(0);
    set->insert(daemon_uid);
  }
}

bool AccessPolicy::Allows(const Caller& caller, Permission permission) const {
  switch (caller.kind) {
    case Caller::Kind::kInProcess:
    case Caller::Kind::kTlsPeer:
      return true;
    case Caller::Kind::kUnknown:
      return false;
    case Caller::Kind::kUnixPeer:
      break;
  }
  if (UidsFor(uids_, permission).contains(caller.uid)) return true;
  // Whoever may speak for any uid may also name the zone.
  return permission == Permission::kTargetZones && uids_.trusted.contains(caller.uid);
}

absl::Status AccessPolicy::Check(const Caller& caller, Permission permission,
                                 absl::string_view what) const {
  if (Allows(caller, permission)) return absl::OkStatus();
  if (caller.kind == Caller::Kind::kUnknown) {
    return absl::PermissionDeniedError(
        absl::StrCat(caller.description, " may not ", what, ": the caller is not identified"));
  }
  return absl::PermissionDeniedError(absl::StrCat(caller.description, " may not ", what,
                                                  " (not in ", PermissionFlag(permission), ")"));
}

std::string AccessPolicy::Describe() const {
  auto list = [](const std::set<uid_t>& uids) { return absl::StrJoin(uids, ","); };
  return absl::StrCat("trusted uids ", list(uids_.trusted), "; zone-targeting uids ",
                      list(uids_.zone_targeting), "; hal uids ", list(uids_.hal),
                      "; admin uids ", list(uids_.admin), "; at most ",
                      max_focus_requests_per_app_, " focus requests per app");
}

absl::StatusOr<std::set<uid_t>> ParseUidList(absl::string_view text, absl::string_view flag) {
  std::set<uid_t> uids;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    item = absl::StripAsciiWhitespace(item);
    uint32_t uid = 0;
    // (uid_t)-1 is "no uid" to chown() and setresuid(): never a caller.
    if (!absl::SimpleAtoi(item, &uid) || uid == std::numeric_limits<uint32_t>::max()) {
      return absl::InvalidArgumentError(
          absl::StrCat(flag, ": \"", item, "\" is not a uid (a decimal number)"));
    }
    uids.insert(static_cast<uid_t>(uid));
  }
  return uids;
}

}  // namespace caraudio
