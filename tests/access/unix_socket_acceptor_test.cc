// UnixSocketAcceptor on a real socket file: born 0660, connections handed
// off with their credentials recorded, the file gone after Stop().

#include "carservice/unix_socket_acceptor.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tests/testing/temp_dir.h"

namespace caraudio {
namespace {

using testing::TempDir;

int Connect(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Descriptors handed off by the acceptor's thread.
class HandedOff {
 public:
  void Add(int fd) {
    absl::MutexLock lock(&mutex_);
    fds_.push_back(fd);
  }
  // Waits until `count` arrived; the descriptors so far.
  std::vector<int> Await(size_t count) {
    absl::MutexLock lock(&mutex_);
    auto enough = [this, count] { return fds_.size() >= count; };
    mutex_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(5));
    return fds_;
  }
  ~HandedOff() {
    for (int fd : fds_) ::close(fd);
  }

 private:
  absl::Mutex mutex_;
  std::vector<int> fds_;
};

TEST(UnixSocketAcceptorTest, AcceptsWithCredentialsAndCleansUp) {
  absl::StatusOr<TempDir> dir = TempDir::Create("acceptor-test");
  ASSERT_TRUE(dir.ok()) << dir.status();
  const std::string path = dir->File("test.sock");
  { std::ofstream stale(path); }  // a stale file from a crashed daemon

  PeerCredentialsRegistry registry;
  absl::StatusOr<std::unique_ptr<UnixSocketAcceptor>> acceptor =
      UnixSocketAcceptor::Listen(path, std::nullopt, &registry);
  ASSERT_TRUE(acceptor.ok()) << acceptor.status();
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0660u);

  // A client may connect before Start(): it waits in the backlog.
  const int early = Connect(path);
  ASSERT_GE(early, 0) << std::strerror(errno);
  HandedOff handed_off;
  (*acceptor)->Start([&handed_off](int fd) { handed_off.Add(fd); });
  const int late = Connect(path);
  ASSERT_GE(late, 0) << std::strerror(errno);
  const std::vector<int> fds = handed_off.Await(2);
  ASSERT_EQ(fds.size(), 2u);
  for (int fd : fds) {
    EXPECT_NE(::fcntl(fd, F_GETFL) & O_NONBLOCK, 0) << "gRPC needs non-blocking descriptors";
    EXPECT_NE(::fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
    std::optional<PeerCredentials> credentials = registry.Lookup(FdPeerName(fd));
    ASSERT_TRUE(credentials.has_value()) << fd;
    EXPECT_EQ(credentials->uid, ::getuid());
    EXPECT_EQ(credentials->pid, ::getpid());
  }

  (*acceptor)->Stop();
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_LT(Connect(path), 0) << "still accepting after Stop()";
  (*acceptor)->Stop();  // idempotent
  ::close(early);
  ::close(late);
}

TEST(UnixSocketAcceptorTest, APathTooLongForASocketIsRefused) {
  PeerCredentialsRegistry registry;
  absl::StatusOr<std::unique_ptr<UnixSocketAcceptor>> acceptor =
      UnixSocketAcceptor::Listen("/tmp/" + std::string(200, 'x'), std::nullopt, &registry);
  ASSERT_FALSE(acceptor.ok());
  EXPECT_EQ(acceptor.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caraudio
