// AccessPolicy: who may do what with the daemon (docs/security.md), as data:
// sets of uids per permission, from the command line. Pure: deciding needs
// no I/O; identifying the caller is CallerAccess's job (caller_access.h).
//
//   kSpeakForOtherUids  FocusRequest / volume calls for any uid, any client
//                       id (--trusted_uids); everyone else is confined to its
//                       own uid (app_confinement.h);
//   kTargetZones        an explicit zone in focus and volume calls
//                       (--zone_targeting_uids, e.g. the RSE controller);
//                       trusted uids may too;
//   kHal                every RPC of AudioControl and HalFocus (--hal_uids);
//   kAdmin              CarAudioAdmin's writes (--admin_uids).
//
// And how much a confined app may ask for: at most
// `max_focus_requests_per_app` focus entries at once (holders, losers and
// delayed requests, every zone; --max_focus_requests_per_app), so that one
// app cannot grow the focus stacks, and the daemon, without bound. Android's
// MediaFocusControl caps its whole stack at 100 the same way.
//
// Root and the daemon's own uid hold every permission: they own the daemon
// anyway. A caller reached through the in-process channel (the car service
// talking to its own HAL) or authenticated by a TLS client certificate our
// CA signed (a peer ECU) holds every permission too; a caller the daemon
// could not identify holds none.
//
// Immutable after construction; thread-safe.

#ifndef CARAUDIO_CARSERVICE_ACCESS_POLICY_H_
#define CARAUDIO_CARSERVICE_ACCESS_POLICY_H_

#include <sys/types.h>

#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace caraudio {

enum class Permission { kSpeakForOtherUids, kTargetZones, kHal, kAdmin };

// The flag that grants `permission`, e.g. "--admin_uids".
const char* PermissionFlag(Permission permission);

// The caller of one RPC, as the daemon identified it from the connection.
struct Caller {
  enum class Kind {
    kInProcess,  // the daemon's own in-process channel
    kUnixPeer,   // a unix-socket peer with kernel credentials
    kTlsPeer,    // a TCP peer with a client certificate our CA signed
    kUnknown,    // anything else: no permission at all
  };
  Kind kind = Kind::kUnknown;
  uid_t uid = 0;  // kUnixPeer only
  pid_t pid = 0;  // kUnixPeer only
  // For messages: "uid 65534 (pid 4711)", "TLS peer \"carservice\"", ...
  std::string description;
};

class AccessPolicy {
 public:
  struct Uids {
    std::set<uid_t> trusted;
    std::set<uid_t> zone_targeting;
    std::set<uid_t> hal;
    std::set<uid_t> admin;
  };
  static constexpr int kDefaultMaxFocusRequestsPerApp = 32;

  // Root and `daemon_uid` are added to every set. `max_focus_requests_per_app`
  // must be at least 1.
  AccessPolicy(uid_t daemon_uid, Uids uids,
               int max_focus_requests_per_app = kDefaultMaxFocusRequestsPerApp);

  bool Allows(const Caller& caller, Permission permission) const;
  // OK, or PERMISSION_DENIED naming the caller, `what` it tried and the flag
  // that would allow it.
  absl::Status Check(const Caller& caller, Permission permission, absl::string_view what) const;

  const Uids& uids() const { return uids_; }
  int max_focus_requests_per_app() const { return max_focus_requests_per_app_; }
  // One line for the daemon's start-up log.
  std::string Describe() const;

 private:
  Uids uids_;
  int max_focus_requests_per_app_;
};

// "1000,1001" (decimal uids, comma-separated, empty for none); the error
// names `flag`.
absl::StatusOr<std::set<uid_t>> ParseUidList(absl::string_view text, absl::string_view flag);

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_ACCESS_POLICY_H_
