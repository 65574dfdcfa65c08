// DaemonListeners: audiocontrold's listening addresses (--listen), opened
// before the gRPC server is built and served once it runs.
//
//  - unix:PATH  guarded by the path's SingleInstanceLock (a second daemon is
//               refused), a socket of mode 0660 owned by `socket_group`,
//               accepted by a UnixSocketAcceptor so every caller's kernel
//               credentials are known (peer_credentials.h);
//  - HOST:PORT  a gRPC TCP port that requires mutual TLS: opening one
//               without a TLS identity fails, naming the flags, and never
//               falls back to plaintext;
//  - unix-abstract:NAME  refused: it has no file permissions to guard it.
//
// Errors: INVALID_ARGUMENT for addresses the command line should not have
// given (those two), anything else for a failure to listen (the lock held by
// another daemon: FAILED_PRECONDITION).
//
// Open() takes the locks and binds the unix sockets; AddTo() adds the TCP
// ports to the builder; Serve() starts accepting on the unix sockets (call
// it once the server runs); Stop() stops accepting and removes the socket
// files (call it before shutting the server down); the destructor stops
// too and then releases the locks. Not thread-safe: main() owns it.

#ifndef CARAUDIO_CARSERVICE_DAEMON_LISTENERS_H_
#define CARAUDIO_CARSERVICE_DAEMON_LISTENERS_H_

#include <sys/types.h>

#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "carservice/peer_credentials.h"
#include "carservice/single_instance_lock.h"
#include "carservice/tls_credentials.h"
#include "carservice/unix_socket_acceptor.h"

namespace caraudio {

class DaemonListeners {
 public:
  // `registry` must outlive this object.
  static absl::StatusOr<DaemonListeners> Open(const std::vector<std::string>& addresses,
                                              std::optional<gid_t> socket_group,
                                              const std::optional<TlsIdentity>& tls,
                                              PeerCredentialsRegistry* registry);

  DaemonListeners(DaemonListeners&&) = default;
  DaemonListeners& operator=(DaemonListeners&&) = default;
  ~DaemonListeners();

  void AddTo(grpc::ServerBuilder& builder) const;
  void Serve(grpc::Server* server);
  void Stop();

  const std::vector<std::string>& addresses() const { return addresses_; }

 private:
  DaemonListeners() = default;

  std::vector<std::string> addresses_;
  std::shared_ptr<grpc::ServerCredentials> tcp_credentials_;
  std::vector<std::string> tcp_addresses_;
  // Declared first: released last, after the acceptors removed the sockets.
  std::vector<SingleInstanceLock> locks_;
  std::vector<std::unique_ptr<UnixSocketAcceptor>> acceptors_;
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_DAEMON_LISTENERS_H_
