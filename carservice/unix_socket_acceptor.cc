#include "carservice/unix_socket_acceptor.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace caraudio {
namespace {

constexpr int kBacklog = 128;

absl::Status ErrnoError(const std::string& what) {
  return absl::UnavailableError(absl::StrCat(what, ": ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<UnixSocketAcceptor>> UnixSocketAcceptor::Listen(
    const std::string& path, std::optional<gid_t> group, PeerCredentialsRegistry* registry) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(address.sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat("unix socket path \"", path, "\" must be 1..",
                                                   sizeof(address.sun_path) - 1, " bytes"));
  }
  std::memcpy(address.sun_path, path.data(), path.size());

  const int listen_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listen_fd < 0) return ErrnoError("socket");
  auto fail = [listen_fd](absl::Status status) {
    ::close(listen_fd);
    return status;
  };
  ::unlink(path.c_str());  // stale: the caller holds the single-instance lock
  // The socket file's mode comes from the umask at bind(): born 0660. (The
  // umask is process-wide; this runs during start-up, before other threads
  // create files.)
  const mode_t previous_umask = ::umask(0117);
  const int bound = ::bind(listen_fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
  const int bind_errno = errno;
  ::umask(previous_umask);
  if (bound != 0) {
    errno = bind_errno;
    return fail(ErrnoError("cannot bind " + path));
  }
  if (::chmod(path.c_str(), 0660) != 0 ||
      (group && ::chown(path.c_str(), static_cast<uid_t>(-1), *group) != 0)) {
    absl::Status status =
        ErrnoError("cannot set the owner group and mode 0660 of " + path);
    ::unlink(path.c_str());
    return fail(std::move(status));
  }
  if (::listen(listen_fd, kBacklog) != 0) {
    absl::Status status = ErrnoError("cannot listen on " + path);
    ::unlink(path.c_str());
    return fail(std::move(status));
  }
  const int wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd < 0) {
    absl::Status status = ErrnoError("eventfd");
    ::unlink(path.c_str());
    return fail(std::move(status));
  }
  return std::make_unique<UnixSocketAcceptor>(PrivateTag{}, path, listen_fd, wake_fd, registry);
}

UnixSocketAcceptor::UnixSocketAcceptor(PrivateTag, std::string path, int listen_fd, int wake_fd,
                                       PeerCredentialsRegistry* registry)
    : path_(std::move(path)), listen_fd_(listen_fd), wake_fd_(wake_fd), registry_(registry) {}

UnixSocketAcceptor::~UnixSocketAcceptor() { Stop(); }

void UnixSocketAcceptor::Start(HandOff hand_off) {
  if (thread_.joinable() || listen_fd_ < 0) return;
  hand_off_ = std::move(hand_off);
  thread_ = std::thread([this] { AcceptLoop(); });
}

void UnixSocketAcceptor::Stop() {
  if (listen_fd_ < 0) return;
  const uint64_t one = 1;
  if (::write(wake_fd_, &one, sizeof(one)) < 0) {
    // Cannot fail for an eventfd below its maximum; the loop also polls.
  }
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
  ::close(wake_fd_);
  listen_fd_ = wake_fd_ = -1;
  ::unlink(path_.c_str());
}

void UnixSocketAcceptor::AcceptLoop() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    const int ready = ::poll(fds, 2, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      std::fprintf(stderr, "audiocontrold: %s: poll: %s; no longer accepting\n", path_.c_str(),
                   std::strerror(errno));
      return;
    }
    if (fds[1].revents != 0) return;
    if (fds[0].revents != 0) AcceptOne();
  }
}

void UnixSocketAcceptor::AcceptOne() {
  const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED) return;
    // Out of descriptors (EMFILE, ENFILE) or memory: the connection stays
    // in the backlog; try again a little later instead of spinning.
    std::fprintf(stderr, "audiocontrold: %s: accept: %s\n", path_.c_str(), std::strerror(errno));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return;
  }
  absl::StatusOr<PeerCredentials> credentials = ReadPeerCredentials(fd);
  absl::Status recorded = credentials.ok() ? registry_->Record(fd, *credentials)
                                           : credentials.status();
  if (!recorded.ok()) {
    // A caller nobody can identify is not served at all.
    std::fprintf(stderr, "audiocontrold: %s: connection refused: %s\n", path_.c_str(),
                 std::string(recorded.message()).c_str());
    ::close(fd);
    return;
  }
  hand_off_(fd);
}

}  // namespace caraudio
