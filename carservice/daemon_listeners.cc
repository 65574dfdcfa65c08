#include "carservice/daemon_listeners.h"

#include <grpcpp/server_posix.h>

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace caraudio {

absl::StatusOr<DaemonListeners> DaemonListeners::Open(const std::vector<std::string>& addresses,
                                                      std::optional<gid_t> socket_group,
                                                      const std::optional<TlsIdentity>& tls,
                                                      PeerCredentialsRegistry* registry) {
  DaemonListeners listeners;
  listeners.addresses_ = addresses;
  for (const std::string& address : addresses) {
    if (absl::StartsWith(address, "unix-abstract:")) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot listen on ", address,
                       ": abstract unix sockets have no file permissions to guard them"));
    }
    if (!IsUnixAddress(address)) {
      if (!tls) {
        return absl::InvalidArgumentError(
            absl::StrCat("cannot listen on ", address,
                         " without mutual TLS: give --tls_cert, --tls_key and --tls_ca"));
      }
      if (!listeners.tcp_credentials_) {
        listeners.tcp_credentials_ = MutualTlsServerCredentials(*tls);
      }
      listeners.tcp_addresses_.push_back(address);
      continue;
    }
    const std::string path = address.substr(std::string("unix:").size());
    if (absl::Status status = EnsureParentDirectory(path); !status.ok()) return status;
    absl::StatusOr<SingleInstanceLock> lock = SingleInstanceLock::Acquire(path);
    if (!lock.ok()) return lock.status();
    listeners.locks_.push_back(std::move(*lock));
    absl::StatusOr<std::unique_ptr<UnixSocketAcceptor>> acceptor =
        UnixSocketAcceptor::Listen(path, socket_group, registry);
    if (!acceptor.ok()) return acceptor.status();
    listeners.acceptors_.push_back(std::move(*acceptor));
  }
  return listeners;
}

DaemonListeners::~DaemonListeners() { Stop(); }

void DaemonListeners::AddTo(grpc::ServerBuilder& builder) const {
  for (const std::string& address : tcp_addresses_) {
    builder.AddListeningPort(address, tcp_credentials_);
  }
}

void DaemonListeners::Serve(grpc::Server* server) {
  for (const std::unique_ptr<UnixSocketAcceptor>& acceptor : acceptors_) {
    acceptor->Start([server](int fd) { grpc::AddInsecureChannelFromFd(server, fd); });
  }
}

void DaemonListeners::Stop() {
  for (const std::unique_ptr<UnixSocketAcceptor>& acceptor : acceptors_) acceptor->Stop();
}

}  // namespace caraudio
