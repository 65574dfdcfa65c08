#include "tests/testing/notify_socket.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace caraudio::testing {

std::optional<std::string> NotifyMessage::Get(const std::string& key) const {
  const std::string prefix = key + "=";
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, prefix)) return std::string(line.substr(prefix.size()));
  }
  return std::nullopt;
}

bool NotifyMessage::Has(const std::string& assignment) const {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line == assignment) return true;
  }
  return false;
}

absl::StatusOr<std::unique_ptr<NotifySocket>> NotifySocket::Bind(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof(address.sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat("socket path too long: ", path));
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    const int error = errno;
    ::close(fd);
    return absl::InternalError(absl::StrCat("bind ", path, ": ", std::strerror(error)));
  }
  return std::unique_ptr<NotifySocket>(new NotifySocket(fd, path));
}

NotifySocket::~NotifySocket() {
  ::close(fd_);
  ::unlink(path_.c_str());
}

std::optional<NotifyMessage> NotifySocket::Next(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    const int wait_ms = static_cast<int>(
        std::max<int64_t>(0, absl::ToInt64Milliseconds(deadline - absl::Now())));
    pollfd ready{fd_, POLLIN, 0};
    const int polled = ::poll(&ready, 1, wait_ms);
    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0) return std::nullopt;
    char buffer[4096];
    const ssize_t size = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (size < 0) return std::nullopt;
    return NotifyMessage{std::string(buffer, static_cast<size_t>(size)), absl::Now()};
  }
}

std::optional<NotifyMessage> NotifySocket::Await(
    const std::function<bool(const NotifyMessage&)>& match, absl::Duration timeout,
    std::vector<NotifyMessage>* seen) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    std::optional<NotifyMessage> message = Next(deadline - absl::Now());
    if (!message) return std::nullopt;
    if (seen != nullptr) seen->push_back(*message);
    if (match(*message)) return message;
  }
}

}  // namespace caraudio::testing
