#include "carservice/tls_credentials.h"

#include <tuple>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "zones/text_file.h"

namespace caraudio {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, const std::string& flag,
                                    absl::string_view what) {
  absl::StatusOr<std::string> pem = ReadTextFile(path, what);
  if (!pem.ok()) {
    return absl::Status(pem.status().code(), flag + ": " + std::string(pem.status().message()));
  }
  if (!absl::StrContains(*pem, "-----BEGIN ")) {
    return absl::InvalidArgumentError(absl::StrCat(flag, ": ", path, " is not a PEM file"));
  }
  return pem;
}

}  // namespace

absl::StatusOr<std::optional<TlsIdentity>> LoadTlsIdentity(const TlsFiles& files,
                                                           absl::string_view flag_prefix) {
  const std::string ca_flag = absl::StrCat(flag_prefix, "ca");
  const std::string cert_flag = absl::StrCat(flag_prefix, "cert");
  const std::string key_flag = absl::StrCat(flag_prefix, "key");
  const int given = !files.ca.empty() + !files.cert.empty() + !files.key.empty();
  if (given == 0) return std::nullopt;
  if (given != 3) {
    return absl::InvalidArgumentError(absl::StrCat(ca_flag, ", ", cert_flag, " and ", key_flag,
                                                   " go together: give all three or none"));
  }
  TlsIdentity identity;
  for (auto [path, flag, what, out] :
       {std::tuple{&files.ca, &ca_flag, "CA certificate", &identity.ca_pem},
        std::tuple{&files.cert, &cert_flag, "certificate", &identity.cert_pem},
        std::tuple{&files.key, &key_flag, "private key", &identity.key_pem}}) {
    absl::StatusOr<std::string> pem = ReadPem(*path, *flag, what);
    if (!pem.ok()) return pem.status();
    *out = std::move(*pem);
  }
  return identity;
}

std::shared_ptr<grpc::ServerCredentials> MutualTlsServerCredentials(const TlsIdentity& identity) {
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = identity.ca_pem;
  options.pem_key_cert_pairs.push_back({identity.key_pem, identity.cert_pem});
  return grpc::SslServerCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> MutualTlsChannelCredentials(const TlsIdentity& identity) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = identity.ca_pem;
  options.pem_private_key = identity.key_pem;
  options.pem_cert_chain = identity.cert_pem;
  return grpc::SslCredentials(options);
}

bool IsUnixAddress(absl::string_view address) {
  return absl::StartsWith(address, "unix:") || absl::StartsWith(address, "unix-abstract:");
}

}  // namespace caraudio
