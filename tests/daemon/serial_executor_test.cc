// SerialExecutor: tasks run one at a time in submission order, Dispatch runs
// inline only when the strand is idle, and queued() counts what waits (the
// figure the car service's admission control reads). (After a task ends the
// worker still marks the strand busy for a moment, so "idle" is only
// asserted on a strand that never ran anything.)

#include "carservice/serial_executor.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>
#include <vector>

namespace caraudio {
namespace {

TEST(SerialExecutorTest, QueuedCountsTasksWaitingBehindTheRunningOne) {
  SerialExecutor executor;
  std::promise<void> started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_TRUE(executor.Post([&started, released] {
    started.set_value();
    released.wait();
  }));
  started.get_future().wait();
  EXPECT_EQ(executor.queued(), 0u) << "the running task is not queued";

  std::vector<int> order;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(executor.Post([&order, i] { order.push_back(i); }));
  // Busy: Dispatch queues instead of running on this thread.
  const std::thread::id caller = std::this_thread::get_id();
  std::thread::id ran_on;
  ASSERT_TRUE(executor.Dispatch([&order, &ran_on] {
    ran_on = std::this_thread::get_id();
    order.push_back(3);
  }));
  EXPECT_EQ(executor.queued(), 4u);

  release.set_value();
  executor.Run([] {});  // after everything queued before it
  EXPECT_EQ(executor.queued(), 0u);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_NE(ran_on, caller) << "queued while busy, so the worker ran it";
}

TEST(SerialExecutorTest, DispatchOnAnIdleStrandRunsOnTheCaller) {
  SerialExecutor executor;  // nothing ever posted: idle
  std::thread::id ran_on;
  ASSERT_TRUE(executor.Dispatch([&ran_on] { ran_on = std::this_thread::get_id(); }));
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  EXPECT_EQ(executor.queued(), 0u);
}

}  // namespace
}  // namespace caraudio
