// PeerCredentials and the registry: kernel credentials of a real socket, and
// answers only while the descriptor still is the recorded socket.

#include "carservice/peer_credentials.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <utility>

namespace caraudio {
namespace {

// A connected pair of unix sockets, closed on destruction.
struct SocketPair {
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0); }
  ~SocketPair() {
    for (int fd : fds) {
      if (fd >= 0) ::close(fd);
    }
  }
  void Close(int index) {
    ::close(fds[index]);
    fds[index] = -1;
  }
  int fds[2] = {-1, -1};
};

TEST(PeerCredentialsTest, ReadsTheKernelsCredentialsOfThePeer) {
  SocketPair pair;
  absl::StatusOr<PeerCredentials> credentials = ReadPeerCredentials(pair.fds[0]);
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(credentials->uid, ::getuid());
  EXPECT_EQ(credentials->gid, ::getgid());
  EXPECT_EQ(credentials->pid, ::getpid());
}

TEST(PeerCredentialsTest, NotASocketIsAnError) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  EXPECT_FALSE(ReadPeerCredentials(pipe_fds[0]).ok());
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
}

TEST(PeerCredentialsRegistryTest, FindsARecordedConnectionByItsGrpcPeerName) {
  SocketPair pair;
  PeerCredentialsRegistry registry;
  const PeerCredentials credentials{1000, 1001, 4242};
  ASSERT_TRUE(registry.Record(pair.fds[0], credentials).ok());
  EXPECT_EQ(FdPeerName(pair.fds[0]), "fd:" + std::to_string(pair.fds[0]));
  EXPECT_EQ(registry.Lookup(FdPeerName(pair.fds[0])), credentials);
  EXPECT_EQ(registry.Lookup(FdPeerName(pair.fds[1])), std::nullopt) << "never recorded";
  for (const char* peer : {"unix:/run/x.sock", "ipv4:127.0.0.1:5000", "unknown", "fd:", "fd:-1",
                           "fd:x", ""}) {
    EXPECT_EQ(registry.Lookup(peer), std::nullopt) << peer;
  }
}

TEST(PeerCredentialsRegistryTest, AClosedDescriptorIsNoLongerAnswered) {
  SocketPair pair;
  PeerCredentialsRegistry registry;
  const int fd = pair.fds[0];
  ASSERT_TRUE(registry.Record(fd, PeerCredentials{1000, 1000, 1}).ok());
  pair.Close(0);
  EXPECT_EQ(registry.Lookup(FdPeerName(fd)), std::nullopt);
}

TEST(PeerCredentialsRegistryTest, AReusedDescriptorNumberIsNotMistakenForTheOldConnection) {
  PeerCredentialsRegistry registry;
  SocketPair first;
  const int fd = first.fds[0];
  ASSERT_TRUE(registry.Record(fd, PeerCredentials{1000, 1000, 1}).ok());
  first.Close(0);
  // The lowest free number is reused at once, here by another socket that
  // nobody recorded.
  SocketPair second;
  ASSERT_EQ(second.fds[0], fd) << "the kernel did not reuse the descriptor number";
  EXPECT_EQ(registry.Lookup(FdPeerName(fd)), std::nullopt);
  // Recorded again (the acceptor's next connection): the new credentials.
  ASSERT_TRUE(registry.Record(fd, PeerCredentials{2000, 2000, 2}).ok());
  EXPECT_EQ(registry.Lookup(FdPeerName(fd)), (PeerCredentials{2000, 2000, 2}));
}

TEST(PeerCredentialsRegistryTest, RecordingDropsTheRecordsOfClosedConnections) {
  PeerCredentialsRegistry registry;
  {
    SocketPair a;
    SocketPair b;
    ASSERT_TRUE(registry.Record(a.fds[0], PeerCredentials{1, 1, 1}).ok());
    ASSERT_TRUE(registry.Record(b.fds[0], PeerCredentials{2, 2, 2}).ok());
    EXPECT_EQ(registry.size(), 2u);
  }
  SocketPair c;
  ASSERT_TRUE(registry.Record(c.fds[1], PeerCredentials{3, 3, 3}).ok());
  EXPECT_EQ(registry.size(), 1u);
  EXPECT_FALSE(registry.Record(-1, PeerCredentials{}).ok()) << "not a descriptor";
}

}  // namespace
}  // namespace caraudio
