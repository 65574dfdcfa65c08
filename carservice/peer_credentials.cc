#include "carservice/peer_credentials.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace caraudio {

absl::StatusOr<PeerCredentials> ReadPeerCredentials(int fd) {
  struct ucred credentials {};
  socklen_t length = sizeof(credentials);
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) {
    return absl::InternalError(absl::StrCat("SO_PEERCRED: ", std::strerror(errno)));
  }
  return PeerCredentials{credentials.uid, credentials.gid, credentials.pid};
}

std::string FdPeerName(int fd) { return absl::StrCat("fd:", fd); }

absl::Status PeerCredentialsRegistry::Record(int fd, const PeerCredentials& credentials) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    return absl::InternalError(absl::StrCat("fstat(", fd, "): ", std::strerror(errno)));
  }
  std::lock_guard lock(mutex_);
  std::erase_if(records_, [](const auto& entry) { return !StillOpen(entry.first, entry.second); });
  records_[fd] = SocketRecord{credentials, info.st_dev, info.st_ino};
  return absl::OkStatus();
}

std::optional<PeerCredentials> PeerCredentialsRegistry::Lookup(absl::string_view peer) const {
  int fd = -1;
  if (!absl::ConsumePrefix(&peer, "fd:") || !absl::SimpleAtoi(peer, &fd) || fd < 0) {
    return std::nullopt;
  }
  std::lock_guard lock(mutex_);
  auto it = records_.find(fd);
  if (it == records_.end()) return std::nullopt;
  if (!StillOpen(fd, it->second)) {
    records_.erase(it);
    return std::nullopt;
  }
  return it->second.credentials;
}

size_t PeerCredentialsRegistry::size() const {
  std::lock_guard lock(mutex_);
  return records_.size();
}

bool PeerCredentialsRegistry::StillOpen(int fd, const SocketRecord& record) {
  struct stat info {};
  return ::fstat(fd, &info) == 0 && S_ISSOCK(info.st_mode) && info.st_dev == record.device &&
         info.st_ino == record.inode;
}

}  // namespace caraudio
