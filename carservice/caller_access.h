// CallerAccess: identifies the caller of a gRPC call from its connection,
// never from the request, and applies the AccessPolicy to it. Shared by the
// car service's and the HAL's handlers (docs/security.md).
//
// Identification, from ServerContext::peer() and auth_context():
//   "fd:N" recorded in the PeerCredentialsRegistry (a unix-socket connection
//       the UnixSocketAcceptor accepted)        -> kUnixPeer, kernel uid/pid;
//   a peer with a verified TLS client certificate -> kTlsPeer, named by the
//       certificate's common name (the TCP listener requires one);
//   "unknown", which gRPC 1.51 reports for its in-process transport only
//       (every socket transport names its peer)  -> kInProcess;
//   anything else (e.g. a descriptor no longer in the registry) -> kUnknown.
//
// Immutable; thread-safe. The registry must outlive this object.

#ifndef CARAUDIO_CARSERVICE_CALLER_ACCESS_H_
#define CARAUDIO_CARSERVICE_CALLER_ACCESS_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "carservice/access_policy.h"
#include "carservice/app_confinement.h"
#include "carservice/peer_credentials.h"

namespace caraudio {

class CallerAccess {
 public:
  CallerAccess(AccessPolicy policy, const PeerCredentialsRegistry* registry)
      : policy_(std::move(policy)), registry_(registry) {}

  Caller Identify(const grpc::ServerContextBase& context) const;

  // OK when the caller of `context` holds `permission`, else
  // PERMISSION_DENIED saying who may not do `what` (e.g. "call
  // CarAudioAdmin.SetRestrictFocus") and which flag would allow it.
  absl::Status Require(const grpc::ServerContextBase& context, Permission permission,
                       absl::string_view what) const;

  // What an app caller may ask for itself: nullopt when it may speak for any
  // uid (trusted); otherwise its own uid and whether it may name zones.
  // PERMISSION_DENIED, saying `what` was refused, for an unidentified caller
  // and for a uid that does not fit FocusRequest.uid (int32).
  absl::StatusOr<std::optional<AppConfinement>> Confinement(
      const grpc::ServerContextBase& context, absl::string_view what) const;

  const AccessPolicy& policy() const { return policy_; }

 private:
  AccessPolicy policy_;
  const PeerCredentialsRegistry* registry_;
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_CALLER_ACCESS_H_
