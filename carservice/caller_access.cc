#include "carservice/caller_access.h"

#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace caraudio {
namespace {

// gRPC 1.51's name for a peer its transport could not name: only the
// in-process transport has no peer address.
constexpr absl::string_view kInProcessPeer = "unknown";

// The verified client certificate's common name, else its first SAN.
std::string CertificateName(const grpc::AuthContext& auth) {
  for (const char* property : {"x509_common_name", "x509_subject_alternative_name"}) {
    std::vector<grpc::string_ref> values = auth.FindPropertyValues(property);
    if (!values.empty()) return std::string(values.front().data(), values.front().size());
  }
  return "(no name)";
}

}  // namespace

Caller CallerAccess::Identify(const grpc::ServerContextBase& context) const {
  const std::string peer = context.peer();
  Caller caller;
  if (std::optional<PeerCredentials> credentials = registry_->Lookup(peer)) {
    caller.kind = Caller::Kind::kUnixPeer;
    caller.uid = credentials->uid;
    caller.pid = credentials->pid;
    caller.description = absl::StrCat("uid ", caller.uid, " (pid ", caller.pid, ")");
    return caller;
  }
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth != nullptr && auth->IsPeerAuthenticated()) {
    caller.kind = Caller::Kind::kTlsPeer;
    caller.description = absl::StrCat("TLS peer \"", CertificateName(*auth), "\" at ", peer);
    return caller;
  }
  if (peer == kInProcessPeer) {
    caller.kind = Caller::Kind::kInProcess;
    caller.description = "the in-process channel";
    return caller;
  }
  caller.kind = Caller::Kind::kUnknown;
  caller.description = absl::StrCat("peer ", peer);
  return caller;
}

absl::Status CallerAccess::Require(const grpc::ServerContextBase& context, Permission permission,
                                   absl::string_view what) const {
  return policy_.Check(Identify(context), permission, what);
}

absl::StatusOr<std::optional<AppConfinement>> CallerAccess::Confinement(
    const grpc::ServerContextBase& context, absl::string_view what) const {
  const Caller caller = Identify(context);
  if (policy_.Allows(caller, Permission::kSpeakForOtherUids)) return std::nullopt;
  if (caller.kind != Caller::Kind::kUnixPeer) {
    return policy_.Check(caller, Permission::kSpeakForOtherUids, what);
  }
  if (caller.uid > static_cast<uid_t>(std::numeric_limits<int32_t>::max())) {
    return absl::PermissionDeniedError(
        absl::StrCat(caller.description, " may not ", what, ": the uid does not fit an int32"));
  }
  return AppConfinement{static_cast<int32_t>(caller.uid),
                        policy_.Allows(caller, Permission::kTargetZones),
                        policy_.max_focus_requests_per_app()};
}

}  // namespace caraudio
