// ServiceSupervisor with real SerialExecutors and a real sd_notify socket:
// READY=1 waits for every component, STATUS= follows changes, a watchdog
// ping needs a probe to pass through every executor (so a blocked executor
// stops the pings, with one probe queued at most), reloads send RELOADING=1
// and READY=1, and nothing is sent after STOPPING=1.

#include "carservice/service_supervisor.h"

#include <stdlib.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "carservice/serial_executor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/notify_socket.h"
#include "tests/testing/temp_dir.h"

namespace caraudio {
namespace {

using ::caraudio::testing::NotifyMessage;
using ::caraudio::testing::NotifySocket;
using ::caraudio::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Optional;

constexpr absl::Duration kTimeout = absl::Seconds(3);
// Only for checking that nothing is sent.
constexpr absl::Duration kQuiet = absl::Milliseconds(200);

// A component on its own executor whose health the test sets.
class Component {
 public:
  void Set(bool ready, std::string summary) {
    std::lock_guard lock(mutex_);
    health_ = ComponentHealth{ready, std::move(summary)};
  }
  HealthProbe Probe() {
    return [this](std::function<void(ComponentHealth)> report) {
      ++probes_;
      executor_.Post([this, report] {
        ComponentHealth health;
        {
          std::lock_guard lock(mutex_);
          health = health_;
        }
        report(health);
      });
    };
  }
  SerialExecutor& executor() { return executor_; }
  int probes() const { return probes_.load(); }

 private:
  std::mutex mutex_;
  ComponentHealth health_ ABSL_GUARDED_BY(mutex_);
  std::atomic<int> probes_{0};
  SerialExecutor executor_;
};

class ServiceSupervisorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TempDir> dir = TempDir::Create("caraudio-notify");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = std::make_unique<TempDir>(*std::move(dir));
    absl::StatusOr<std::unique_ptr<NotifySocket>> socket = NotifySocket::Bind(dir_->File("notify"));
    ASSERT_TRUE(socket.ok()) << socket.status();
    socket_ = *std::move(socket);
    // sd_notify reads it at every call; no thread of this test reads the
    // environment concurrently.
    ::setenv("NOTIFY_SOCKET", socket_->path().c_str(), 1);
    notifier_ = std::make_unique<SystemdNotifier>();
    car_.Set(true, "3 zones");
    hal_.Set(true, "PipeWire connected");
    supervisor_ = std::make_unique<ServiceSupervisor>(
        notifier_.get(), std::vector<HealthProbe>{car_.Probe(), hal_.Probe()});
  }

  void TearDown() override {
    supervisor_.reset();
    ::unsetenv("NOTIFY_SOCKET");
  }

  std::optional<NotifyMessage> AwaitLine(const std::string& assignment) {
    return socket_->Await([&](const NotifyMessage& m) { return m.Has(assignment); }, kTimeout);
  }

  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<NotifySocket> socket_;
  std::unique_ptr<SystemdNotifier> notifier_;
  // Executors outlive the supervisor: probes may still be queued on them.
  Component car_;
  Component hal_;
  std::unique_ptr<ServiceSupervisor> supervisor_;
};

TEST_F(ServiceSupervisorTest, ReadyWaitsForEveryComponentThenCarriesTheStatus) {
  ASSERT_TRUE(notifier_->active());
  hal_.Set(false, "waiting for PipeWire");
  supervisor_->Tick(false);
  std::optional<NotifyMessage> waiting = socket_->Next(kTimeout);
  ASSERT_TRUE(waiting.has_value());
  EXPECT_FALSE(waiting->Has("READY=1")) << waiting->text;
  EXPECT_THAT(waiting->Get("STATUS"), Optional(std::string("3 zones; waiting for PipeWire")));
  EXPECT_FALSE(supervisor_->ready());

  hal_.Set(true, "PipeWire connected");
  supervisor_->Tick(false);
  std::optional<NotifyMessage> ready = socket_->Next(kTimeout);
  ASSERT_TRUE(ready.has_value());
  EXPECT_TRUE(ready->Has("READY=1")) << ready->text;
  EXPECT_THAT(ready->Get("STATUS"), Optional(std::string("3 zones; PipeWire connected")));
  EXPECT_TRUE(supervisor_->ready());
}

TEST_F(ServiceSupervisorTest, StatusIsSentOnlyWhenItChanges) {
  supervisor_->Tick(false);
  ASSERT_TRUE(AwaitLine("READY=1"));
  supervisor_->Tick(false);
  EXPECT_FALSE(socket_->Next(kQuiet).has_value()) << "unchanged status sent again";

  car_.Set(true, "3 zones, 1 focus client");
  supervisor_->Tick(false);
  std::optional<NotifyMessage> status = socket_->Next(kTimeout);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->text, "STATUS=3 zones, 1 focus client; PipeWire connected");
}

TEST_F(ServiceSupervisorTest, ABlockedExecutorStopsTheWatchdogPingsWithOneProbeQueued) {
  supervisor_->Tick(true);
  ASSERT_TRUE(AwaitLine("WATCHDOG=1")) << "no ping while every executor runs";

  absl::Notification release;
  absl::Notification blocked;
  hal_.executor().Post([&] {
    blocked.Notify();
    release.WaitForNotification();
  });
  blocked.WaitForNotification();
  const int probes_before = hal_.probes();
  for (int i = 0; i < 5; ++i) supervisor_->Tick(true);
  std::optional<NotifyMessage> ping =
      socket_->Await([](const NotifyMessage& m) { return m.Has("WATCHDOG=1"); }, kQuiet * 2);
  EXPECT_FALSE(ping.has_value()) << "pinged while the HAL executor was blocked: " << ping->text;
  EXPECT_EQ(hal_.probes() - probes_before, 1) << "probes piled up on the blocked executor";

  release.Notify();
  EXPECT_TRUE(AwaitLine("WATCHDOG=1")) << "no ping after the executor ran again";
}

TEST_F(ServiceSupervisorTest, AReloadIsBracketedByReloadingAndReady) {
  supervisor_->Tick(false);
  ASSERT_TRUE(AwaitLine("READY=1"));
  supervisor_->BeginReload("reloading car.xml");
  std::optional<NotifyMessage> reloading = socket_->Next(kTimeout);
  ASSERT_TRUE(reloading.has_value());
  EXPECT_TRUE(reloading->Has("RELOADING=1")) << reloading->text;
  EXPECT_TRUE(reloading->Get("MONOTONIC_USEC").has_value()) << reloading->text;
  EXPECT_THAT(reloading->Get("STATUS"), Optional(std::string("reloading car.xml")));

  car_.Set(true, "2 zones");
  supervisor_->Tick(false);  // no STATUS= of its own while reloading
  EXPECT_FALSE(socket_->Next(kQuiet).has_value());

  supervisor_->EndReload("config reloaded");
  std::optional<NotifyMessage> ready = socket_->Next(kTimeout);
  ASSERT_TRUE(ready.has_value());
  EXPECT_TRUE(ready->Has("READY=1")) << ready->text;
  EXPECT_THAT(ready->Get("STATUS"), Optional(std::string("config reloaded")));
  supervisor_->Tick(false);
  std::optional<NotifyMessage> status = socket_->Next(kTimeout);
  ASSERT_TRUE(status.has_value());
  EXPECT_THAT(status->Get("STATUS"), Optional(HasSubstr("2 zones")));
}

TEST_F(ServiceSupervisorTest, NothingIsSentAfterStopping) {
  supervisor_->Tick(false);
  ASSERT_TRUE(AwaitLine("READY=1"));
  supervisor_->Stop("shutting down");
  std::optional<NotifyMessage> stopping = socket_->Next(kTimeout);
  ASSERT_TRUE(stopping.has_value());
  EXPECT_TRUE(stopping->Has("STOPPING=1")) << stopping->text;
  car_.Set(true, "changed");
  supervisor_->Tick(true);
  supervisor_->BeginReload("late");
  EXPECT_FALSE(socket_->Next(kQuiet).has_value());
}

}  // namespace
}  // namespace caraudio
