#include "tests/integration/test_certificates.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "carservice/tls_credentials.h"
#include "tests/integration/daemon_process.h"

namespace caraudio::testing {
namespace {

constexpr char kOpenssl[] = "/usr/bin/openssl";

// What every identity's certificate says about itself.
constexpr char kExtensions[] =
    "subjectAltName=IP:127.0.0.1,IP:10.213.0.1,IP:10.213.0.2,DNS:localhost\n"
    "extendedKeyUsage=serverAuth,clientAuth\n";

absl::Status RunOpenssl(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), kOpenssl);
  return RunToCompletion(std::move(args), dir.File("openssl.log"), absl::Seconds(20));
}

// A self-signed CA: <name>.pem and <name>.key.
absl::Status MakeCa(const TempDir& dir, const std::string& name) {
  return RunOpenssl(dir, {"req", "-x509", "-newkey", "ec", "-pkeyopt",
                          "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj",
                          "/CN=" + name, "-keyout", dir.File(name + ".key"), "-out",
                          dir.File(name + ".pem")});
}

// An identity `name` signed by CA `ca`, trusting CA `trusted_ca`.
absl::StatusOr<TlsIdentityFiles> MakeIdentity(const TempDir& dir, const std::string& name,
                                              const std::string& ca,
                                              const std::string& trusted_ca, int serial) {
  const std::string csr = dir.File(name + ".csr");
  TlsIdentityFiles files{dir.File(trusted_ca + ".pem"), dir.File(name + ".pem"),
                         dir.File(name + ".key")};
  if (absl::Status status = RunOpenssl(
          dir, {"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj",
                "/CN=" + name, "-keyout", files.key, "-out", csr});
      !status.ok()) {
    return status;
  }
  if (absl::Status status = RunOpenssl(
          dir, {"x509", "-req", "-in", csr, "-CA", dir.File(ca + ".pem"), "-CAkey",
                dir.File(ca + ".key"), "-set_serial", absl::StrCat(serial), "-days", "1",
                "-extfile", dir.File("extensions.cnf"), "-out", files.cert});
      !status.ok()) {
    return status;
  }
  return files;
}

}  // namespace

std::vector<std::string> TlsIdentityFiles::Flags() const {
  return {"--tls_ca=" + ca, "--tls_cert=" + cert, "--tls_key=" + key};
}

std::shared_ptr<grpc::ChannelCredentials> TlsIdentityFiles::ChannelCredentials() const {
  absl::StatusOr<std::optional<TlsIdentity>> identity = LoadTlsIdentity({ca, cert, key}, "--tls_");
  if (!identity.ok() || !identity->has_value()) return nullptr;
  return MutualTlsChannelCredentials(**identity);
}

absl::StatusOr<std::unique_ptr<TestCertificates>> TestCertificates::Create() {
  absl::StatusOr<TempDir> dir = TempDir::Create("caraudio-certs");
  if (!dir.ok()) return dir.status();
  std::unique_ptr<TestCertificates> certificates(new TestCertificates(std::move(*dir)));
  const TempDir& d = certificates->dir_;
  std::ofstream(d.File("extensions.cnf")) << kExtensions;
  for (const char* ca : {"ca", "rogue-ca"}) {
    if (absl::Status status = MakeCa(d, ca); !status.ok()) return status;
  }
  absl::StatusOr<TlsIdentityFiles> hal = MakeIdentity(d, "hal", "ca", "ca", 1);
  if (!hal.ok()) return hal.status();
  absl::StatusOr<TlsIdentityFiles> carservice = MakeIdentity(d, "carservice", "ca", "ca", 2);
  if (!carservice.ok()) return carservice.status();
  absl::StatusOr<TlsIdentityFiles> intruder = MakeIdentity(d, "intruder", "rogue-ca", "ca", 3);
  if (!intruder.ok()) return intruder.status();
  certificates->hal_ = *std::move(hal);
  certificates->carservice_ = *std::move(carservice);
  certificates->intruder_ = *std::move(intruder);
  return certificates;
}

absl::StatusOr<int> PickFreeLocalPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    ::close(fd);
    return absl::InternalError(absl::StrCat("bind 127.0.0.1:0: ", std::strerror(error)));
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace caraudio::testing
