// Mutual TLS for every TCP connection of CarAudioControl (docs/security.md):
// the PEM files of one identity — its certificate (chain), its private key
// and the CA that must have signed the other side's certificate — and the
// gRPC credentials made from them. A server built with them refuses clients
// without a certificate of that CA (GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_
// CERTIFICATE_AND_VERIFY); a channel built with them presents its own
// certificate and checks the server's against the CA and the target's host
// name or IP address (the server certificate's subjectAltName must name it).
//
// Unix sockets never use TLS: there the kernel names the peer
// (peer_credentials.h).

#ifndef CARAUDIO_CARSERVICE_TLS_CREDENTIALS_H_
#define CARAUDIO_CARSERVICE_TLS_CREDENTIALS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace caraudio {

// Where the PEM files are; empty paths are "not given".
struct TlsFiles {
  std::string ca;
  std::string cert;
  std::string key;
};

// The files' contents.
struct TlsIdentity {
  std::string ca_pem;
  std::string cert_pem;
  std::string key_pem;
};

// nullopt when no file is given; INVALID_ARGUMENT when only some are (all
// three go together) or a file is not PEM; the file's own error when it
// cannot be read. Messages name the flags as `flag_prefix` + "ca" / "cert" /
// "key", e.g. "--tls_".
absl::StatusOr<std::optional<TlsIdentity>> LoadTlsIdentity(const TlsFiles& files,
                                                           absl::string_view flag_prefix);

std::shared_ptr<grpc::ServerCredentials> MutualTlsServerCredentials(const TlsIdentity& identity);
std::shared_ptr<grpc::ChannelCredentials> MutualTlsChannelCredentials(const TlsIdentity& identity);

// "unix:PATH" (or "unix-abstract:..."): a local socket, no TLS; anything
// else is a network address.
bool IsUnixAddress(absl::string_view address);

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_TLS_CREDENTIALS_H_
