// SystemdNotifier speaks sd_notify itself: datagrams reach a socket at a
// path and one in the abstract namespace ("@name"), multi-line STATUS is one
// line, and the watchdog applies only when $WATCHDOG_PID is unset or ours.

#include "carservice/systemd_notifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tests/testing/notify_socket.h"
#include "tests/testing/temp_dir.h"

namespace caraudio {
namespace {

using ::caraudio::testing::NotifyMessage;
using ::caraudio::testing::NotifySocket;

// Sets the sd_notify variables for one test and clears them afterwards.
class SystemdNotifierTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const char* name : {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"}) ::unsetenv(name);
  }
};

TEST_F(SystemdNotifierTest, EveryMessageReachesTheSocketAtNotifySocket) {
  absl::StatusOr<testing::TempDir> dir = testing::TempDir::Create("systemd_notifier_test");
  ASSERT_TRUE(dir.ok()) << dir.status();
  absl::StatusOr<std::unique_ptr<NotifySocket>> socket = NotifySocket::Bind(dir->File("notify"));
  ASSERT_TRUE(socket.ok()) << socket.status();
  ::setenv("NOTIFY_SOCKET", (*socket)->path().c_str(), 1);
  const SystemdNotifier notifier;
  ASSERT_TRUE(notifier.active());

  notifier.Ready("3 zones\n0 clients");
  std::optional<NotifyMessage> ready = (*socket)->Next(absl::Seconds(2));
  ASSERT_TRUE(ready.has_value());
  EXPECT_TRUE(ready->Has("READY=1"));
  EXPECT_EQ(ready->Get("STATUS"), "3 zones 0 clients") << "STATUS is one line";

  notifier.Reloading("reloading");
  std::optional<NotifyMessage> reloading = (*socket)->Next(absl::Seconds(2));
  ASSERT_TRUE(reloading.has_value());
  EXPECT_TRUE(reloading->Has("RELOADING=1"));
  int64_t usec = 0;
  EXPECT_TRUE(absl::SimpleAtoi(reloading->Get("MONOTONIC_USEC").value_or(""), &usec) && usec > 0);

  notifier.Watchdog();
  notifier.Stopping("bye");
  std::optional<NotifyMessage> watchdog = (*socket)->Next(absl::Seconds(2));
  std::optional<NotifyMessage> stopping = (*socket)->Next(absl::Seconds(2));
  ASSERT_TRUE(watchdog.has_value() && stopping.has_value());
  EXPECT_EQ(watchdog->text, "WATCHDOG=1");
  EXPECT_TRUE(stopping->Has("STOPPING=1"));
}

TEST_F(SystemdNotifierTest, AnAbstractSocketNameWorksToo) {
  const std::string name = absl::StrCat("caraudio-notify-test-", ::getpid());
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  address.sun_path[0] = '\0';
  name.copy(address.sun_path + 1, name.size());
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address),
                   static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size())),
            0);
  ::setenv("NOTIFY_SOCKET", ("@" + name).c_str(), 1);
  SystemdNotifier().Watchdog();
  timeval timeout{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  char buffer[64];
  const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
  ::close(fd);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buffer, static_cast<size_t>(n)), "WATCHDOG=1");
}

TEST_F(SystemdNotifierTest, TheWatchdogAppliesOnlyToItsOwnProcess) {
  ::setenv("NOTIFY_SOCKET", "/nonexistent/notify", 1);
  ::setenv("WATCHDOG_USEC", "4000000", 1);
  EXPECT_EQ(SystemdNotifier().watchdog_timeout(), absl::Seconds(4));
  ::setenv("WATCHDOG_PID", absl::StrCat(::getpid()).c_str(), 1);
  EXPECT_EQ(SystemdNotifier().watchdog_timeout(), absl::Seconds(4));
  ::setenv("WATCHDOG_PID", absl::StrCat(::getpid() + 1).c_str(), 1);
  EXPECT_EQ(SystemdNotifier().watchdog_timeout(), std::nullopt) << "another process's watchdog";
  ::unsetenv("WATCHDOG_PID");
  ::setenv("WATCHDOG_USEC", "0", 1);
  EXPECT_EQ(SystemdNotifier().watchdog_timeout(), std::nullopt);
  ::setenv("WATCHDOG_USEC", "4000000", 1);
  ::unsetenv("NOTIFY_SOCKET");
  const SystemdNotifier inactive;
  EXPECT_FALSE(inactive.active());
  EXPECT_EQ(inactive.watchdog_timeout(), std::nullopt) << "no service manager to feed";
}

TEST_F(SystemdNotifierTest, AnUnusableNotifySocketSendsNothingAndDoesNotFail) {
  ::setenv("NOTIFY_SOCKET", "relative/path", 1);
  const SystemdNotifier relative;
  EXPECT_TRUE(relative.active());
  relative.Ready("up");  // logs a warning, nothing else
  ::setenv("NOTIFY_SOCKET", "/nonexistent/notify", 1);
  SystemdNotifier().Watchdog();
}

}  // namespace
}  // namespace caraudio
