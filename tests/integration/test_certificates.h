// TestCertificates: throwaway mutual-TLS identities for one test, made with
// the `openssl` command line in a fresh temp dir (removed with the object):
//
//   ca              the CA every daemon of the test trusts (--tls_ca);
//   hal, carservice identities signed by `ca`, each usable as a server and a
//                   client (extendedKeyUsage serverAuth, clientAuth), named
//                   for 127.0.0.1, 10.213.0.1, 10.213.0.2 and localhost
//                   (subjectAltName), the addresses the tests listen on;
//   rogue_ca, intruder  another CA, and a client identity it signed: a
//                   certificate that is valid, just not ours.
//
// EC P-256 keys, valid for one day. Not thread-safe: one owner.

#ifndef CARAUDIO_TESTS_INTEGRATION_TEST_CERTIFICATES_H_
#define CARAUDIO_TESTS_INTEGRATION_TEST_CERTIFICATES_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/testing/temp_dir.h"

namespace caraudio::testing {

// One identity: its certificate and key, and the CA its peers must match.
struct TlsIdentityFiles {
  std::string ca;    // the CA this identity trusts
  std::string cert;
  std::string key;

  // --tls_ca=... --tls_cert=... --tls_key=... for audiocontrold / audioctl.
  std::vector<std::string> Flags() const;
  // Client credentials presenting this identity.
  std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials() const;
};

class TestCertificates {
 public:
  static absl::StatusOr<std::unique_ptr<TestCertificates>> Create();

  const TlsIdentityFiles& hal() const { return hal_; }
  const TlsIdentityFiles& carservice() const { return carservice_; }
  // Signed by the rogue CA (and trusting ours, so only the peer can object).
  const TlsIdentityFiles& intruder() const { return intruder_; }
  const std::string& ca() const { return hal_.ca; }

 private:
  explicit TestCertificates(TempDir dir) : dir_(std::move(dir)) {}

  TempDir dir_;
  TlsIdentityFiles hal_;
  TlsIdentityFiles carservice_;
  TlsIdentityFiles intruder_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then
// released), for a daemon to listen on.
absl::StatusOr<int> PickFreeLocalPort();

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_INTEGRATION_TEST_CERTIFICATES_H_
