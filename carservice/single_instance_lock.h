// SingleInstanceLock: an exclusive flock() on "<socket path>.lock", held for
// the life of the daemon. gRPC 1.51 silently unlinks and re-binds a unix
// socket path that another live server listens on, so without this a second
// daemon would steal the first one's clients. The lock file records the
// holder's pid for the error message. Released (and the lock file kept, which
// is harmless) when the object is destroyed or the process dies.

#ifndef CARAUDIO_CARSERVICE_SINGLE_INSTANCE_LOCK_H_
#define CARAUDIO_CARSERVICE_SINGLE_INSTANCE_LOCK_H_

#include <string>

#include "absl/status/statusor.h"

namespace caraudio {

class SingleInstanceLock {
 public:
  // FailedPrecondition naming the holder's pid when another process holds it.
  static absl::StatusOr<SingleInstanceLock> Acquire(const std::string& socket_path);

  SingleInstanceLock(SingleInstanceLock&& other) noexcept;
  SingleInstanceLock& operator=(SingleInstanceLock&& other) noexcept;
  SingleInstanceLock(const SingleInstanceLock&) = delete;
  SingleInstanceLock& operator=(const SingleInstanceLock&) = delete;
  ~SingleInstanceLock();

  const std::string& lock_path() const { return lock_path_; }

 private:
  SingleInstanceLock(int fd, std::string lock_path) : fd_(fd), lock_path_(std::move(lock_path)) {}

  int fd_ = -1;
  std::string lock_path_;
};

// The default socket: $XDG_RUNTIME_DIR/caraudio/audiocontrol.sock when
// XDG_RUNTIME_DIR is set, else /run/caraudio/audiocontrol.sock.
std::string DefaultSocketPath();

// Creates the socket's parent directory (mode 0755) if missing.
absl::Status EnsureParentDirectory(const std::string& socket_path);

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_SINGLE_INSTANCE_LOCK_H_
