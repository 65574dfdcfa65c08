// DaemonLoop: signals arrive through the signalfd on the loop's own thread
// (no handler), a signal handled with `true` keeps the loop running, and
// timers tick at their period, which callbacks may change.
//
// The signals are sent to this thread only (pthread_kill), never to the
// process, so no other thread of the test binary can take one.

#include "carservice/daemon_loop.h"

#include <pthread.h>
#include <signal.h>

#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caraudio {
namespace {

using ::testing::ElementsAre;

// Restores the thread's signal mask after each test.
class DaemonLoopTest : public ::testing::Test {
 protected:
  void SetUp() override { pthread_sigmask(SIG_SETMASK, nullptr, &saved_mask_); }
  void TearDown() override { pthread_sigmask(SIG_SETMASK, &saved_mask_, nullptr); }
  sigset_t saved_mask_;
};

TEST_F(DaemonLoopTest, SignalsAreTakenOnTheLoopThreadUntilOneStopsIt) {
  absl::StatusOr<std::unique_ptr<DaemonLoop>> loop = DaemonLoop::Create({SIGUSR1, SIGUSR2});
  ASSERT_TRUE(loop.ok()) << loop.status();
  const pthread_t self = pthread_self();
  int ticks = 0;
  ASSERT_TRUE((*loop)->AddTimer(absl::Milliseconds(5), [&] {
    if (++ticks == 1) pthread_kill(self, SIGUSR1);
  }).ok());
  std::vector<int> seen;
  const int stopped_by = (*loop)->Run([&](int signal_number) {
    EXPECT_TRUE(pthread_equal(pthread_self(), self));
    seen.push_back(signal_number);
    if (signal_number == SIGUSR1) {
      pthread_kill(self, SIGUSR2);  // handled on the next turn, not re-entrantly
      return true;
    }
    return false;
  });
  EXPECT_EQ(stopped_by, SIGUSR2);
  EXPECT_THAT(seen, ElementsAre(SIGUSR1, SIGUSR2));
}

TEST_F(DaemonLoopTest, TimersTickAtTheirPeriodWhichCallbacksMayChange) {
  absl::StatusOr<std::unique_ptr<DaemonLoop>> loop = DaemonLoop::Create({SIGUSR1});
  ASSERT_TRUE(loop.ok()) << loop.status();
  const pthread_t self = pthread_self();
  std::vector<absl::Time> ticks;
  absl::StatusOr<size_t> timer = absl::InternalError("not yet");
  timer = (*loop)->AddTimer(absl::Milliseconds(10), [&] {
    ticks.push_back(absl::Now());
    if (ticks.size() == 3) (*loop)->SetPeriod(*timer, absl::Milliseconds(100));
    if (ticks.size() == 5) pthread_kill(self, SIGUSR1);
  });
  ASSERT_TRUE(timer.ok()) << timer.status();
  EXPECT_EQ((*loop)->Run([](int) { return false; }), SIGUSR1);
  ASSERT_EQ(ticks.size(), 5u);
  // Generous bounds: the machine is shared, but 10 ms and 100 ms differ.
  EXPECT_LT(ticks[2] - ticks[1], absl::Milliseconds(60));
  EXPECT_GE(ticks[3] - ticks[2], absl::Milliseconds(95));
  EXPECT_GE(ticks[4] - ticks[3], absl::Milliseconds(95));
}

TEST_F(DaemonLoopTest, ATimerNeedsAPositivePeriod) {
  absl::StatusOr<std::unique_ptr<DaemonLoop>> loop = DaemonLoop::Create({SIGUSR1});
  ASSERT_TRUE(loop.ok()) << loop.status();
  EXPECT_EQ((*loop)->AddTimer(absl::ZeroDuration(), [] {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caraudio
