// UnixSocketAcceptor: the daemon's own listener on one unix-socket path, so
// that it learns who connects. gRPC 1.51's unix listener reports a caller as
// "unix:PATH" with no uid; this one accepts each connection itself, records
// its SO_PEERCRED in a PeerCredentialsRegistry, and only then hands the
// descriptor over (in audiocontrold: to grpc::AddInsecureChannelFromFd,
// which makes gRPC call the peer "fd:N").
//
// Listen() creates the socket file: a stale file at the path is removed (the
// caller must hold the path's SingleInstanceLock), the socket is bound with
// mode 0660 from the start (never briefly open to others) and owned by
// `group` when given, and it listens at once, so clients that connect before
// Start() wait in the backlog instead of failing.
//
// Start() runs the accept loop on its own thread. Accepted descriptors are
// non-blocking and close-on-exec; `hand_off` owns each one. Stop() ends the
// loop (joined), closes the listening socket and removes the socket file;
// connections already handed off are not touched. Idempotent; the destructor
// calls it. Call Start() and Stop() from one thread.

#ifndef CARAUDIO_CARSERVICE_UNIX_SOCKET_ACCEPTOR_H_
#define CARAUDIO_CARSERVICE_UNIX_SOCKET_ACCEPTOR_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "carservice/peer_credentials.h"

namespace caraudio {

class UnixSocketAcceptor {
 public:
  // Takes ownership of a connected descriptor.
  using HandOff = std::function<void(int fd)>;

  // `registry` must outlive the acceptor.
  static absl::StatusOr<std::unique_ptr<UnixSocketAcceptor>> Listen(
      const std::string& path, std::optional<gid_t> group, PeerCredentialsRegistry* registry);

  ~UnixSocketAcceptor();
  UnixSocketAcceptor(const UnixSocketAcceptor&) = delete;
  UnixSocketAcceptor& operator=(const UnixSocketAcceptor&) = delete;

  void Start(HandOff hand_off);
  void Stop();

  const std::string& path() const { return path_; }

 private:
  struct PrivateTag {};

 public:
  UnixSocketAcceptor(PrivateTag, std::string path, int listen_fd, int wake_fd,
                     PeerCredentialsRegistry* registry);

 private:
  void AcceptLoop();
  // Accepts one pending connection, if any, and hands it off.
  void AcceptOne();

  const std::string path_;
  int listen_fd_;
  int wake_fd_;  // eventfd: written by Stop() to end the loop
  PeerCredentialsRegistry* const registry_;
  HandOff hand_off_;
  std::thread thread_;
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_UNIX_SOCKET_ACCEPTOR_H_
