// PeerCredentials: who is at the other end of a unix-socket connection, as
// the kernel recorded it when the peer connected (SO_PEERCRED): not what the
// peer says about itself.
//
// PeerCredentialsRegistry: the credentials of every connection the daemon
// accepted itself and handed to gRPC, found again from inside a call by the
// call's gRPC peer string.
//
// gRPC 1.51 names a connection added with grpc::AddInsecureChannelFromFd
// "fd:N", N being the descriptor (grpc_server_add_channel_from_fd in
// chttp2_server.cc), and closes N when the connection ends. A call keeps its
// connection, so N cannot be closed (nor reused) while a handler runs.
// Descriptor numbers are reused afterwards, though: by the next accepted
// connection, which Record() overwrites before gRPC sees it, or by anything
// else the process opens. So each record also keeps the socket's identity
// (device and inode), and Lookup() answers only while descriptor N still is
// that very socket. Records of closed connections are dropped at the next
// Record() (so the map never holds more than the open connections plus the
// ones closed since the last accept) and whenever Lookup() finds them stale.
//
// Thread-safe.

#ifndef CARAUDIO_CARSERVICE_PEER_CREDENTIALS_H_
#define CARAUDIO_CARSERVICE_PEER_CREDENTIALS_H_

#include <sys/types.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace caraudio {

struct PeerCredentials {
  uid_t uid = 0;
  gid_t gid = 0;
  pid_t pid = 0;

  friend bool operator==(const PeerCredentials&, const PeerCredentials&) = default;
};

// SO_PEERCRED of the connected unix socket `fd`.
absl::StatusOr<PeerCredentials> ReadPeerCredentials(int fd);

// The gRPC peer string of a connection handed over as descriptor `fd`.
std::string FdPeerName(int fd);

class PeerCredentialsRegistry {
 public:
  PeerCredentialsRegistry() = default;
  PeerCredentialsRegistry(const PeerCredentialsRegistry&) = delete;
  PeerCredentialsRegistry& operator=(const PeerCredentialsRegistry&) = delete;

  // Records the connected socket `fd` before it is handed to gRPC. Fails
  // (and records nothing) when `fd` is not an open descriptor.
  absl::Status Record(int fd, const PeerCredentials& credentials);

  // The credentials of the connection gRPC calls `peer` ("fd:N"); nullopt
  // for any other peer string and for a descriptor that is no longer the
  // recorded socket.
  std::optional<PeerCredentials> Lookup(absl::string_view peer) const;

  // Records held, closed connections not yet dropped included (for tests).
  size_t size() const;

 private:
  struct SocketRecord {
    PeerCredentials credentials;
    dev_t device = 0;
    ino_t inode = 0;
  };
  // True while `fd` is still the socket `record` was made for.
  static bool StillOpen(int fd, const SocketRecord& record);

  mutable std::mutex mutex_;  // std::mutex: ThreadSanitizer sees it (scripts/tsan.supp)
  mutable std::map<int, SocketRecord> records_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_PEER_CREDENTIALS_H_
