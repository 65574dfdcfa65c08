// Bad input: every refused report says why and leaves the model exactly as
// it was — apps, services, budgets and the model time.

#include <functional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/lifecycle/lifecycle_test_util.h"

namespace caraudio {
namespace {

using lifecycle_test::App;
using lifecycle_test::LifecycleTest;
using lifecycle_test::Ok;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using Report = std::function<absl::StatusOr<std::vector<LifecycleTransition>>(
    AppLifecycle&, const AppKey&, absl::Time)>;

// One of each report, with harmless arguments.
std::vector<std::pair<std::string, Report>> AllReports() {
  return {
      {"SetVisibility",
       [](AppLifecycle& l, const AppKey& a, absl::Time t) {
         return l.SetVisibility(a, Visibility::kVisible, t);
       }},
      {"StartForegroundService",
       [](AppLifecycle& l, const AppKey& a, absl::Time t) {
         return l.StartForegroundService(a, FgsType::kLocation, FgsStartOrigin::kSystemDelegation, t);
       }},
      {"StopForegroundService",
       [](AppLifecycle& l, const AppKey& a, absl::Time t) {
         return l.StopForegroundService(a, FgsType::kMediaPlayback, t);
       }},
      {"SetPlaybackState",
       [](AppLifecycle& l, const AppKey& a, absl::Time t) {
         return l.SetPlaybackState(a, PlaybackState::kPlaying, t);
       }},
      {"ReportUserInteraction",
       [](AppLifecycle& l, const AppKey& a, absl::Time t) {
         return l.ReportUserInteraction(a, t);
       }},
  };
}

class LifecycleInputTest : public LifecycleTest {
 protected:
  // A model with something in it: a paused media app 5 min into its idle
  // spell (deadline pending) and a dataSync app with budget used.
  void SetUp() override {
    Start(App(), FgsType::kMediaPlayback, FgsStartOrigin::kUserInteraction);
    Playback(App(), PlaybackState::kPaused);
    Start(App("com.example.sync"), FgsType::kDataSync, FgsStartOrigin::kUserInteraction);
    AdvanceBy(absl::Minutes(5));
  }

  // Everything observable about the model at the clock's time.
  struct Observed {
    std::vector<AppKey> apps;
    std::vector<AppSnapshot> snapshots;
    absl::Time now;
    std::optional<absl::Time> next_deadline;
    bool operator==(const Observed&) const = default;
  };
  Observed Observe() const {
    Observed observed;
    observed.apps = lifecycle_.Apps();
    for (const AppKey& app : observed.apps) observed.snapshots.push_back(Snap(app));
    observed.now = lifecycle_.now();
    observed.next_deadline = lifecycle_.NextDeadline();
    return observed;
  }

  void ExpectRefused(const absl::StatusOr<std::vector<LifecycleTransition>>& result,
                     absl::StatusCode code, absl::string_view message_part) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), code) << result.status();
    EXPECT_THAT(std::string(result.status().message()), HasSubstr(std::string(message_part)));
  }
};

TEST_F(LifecycleInputTest, BadKeysAreRefusedByEveryReport) {
  const std::vector<std::pair<AppKey, std::string>> bad_keys = {
      {AppKey{"", 10057}, "empty package name"},
      {AppKey{"com.example radio", 10057}, "whitespace"},
      {AppKey{"com.example.radio\n", 10057}, "control character"},
      {AppKey{std::string("com.x\0y", 7), 10057}, "control character"},
      {AppKey{"com.example.radio", -1}, "uid -1 is negative"},
  };
  const Observed before = Observe();
  for (const auto& [name, report] : AllReports()) {
    for (const auto& [key, message] : bad_keys) {
      SCOPED_TRACE(name + " " + message);
      ExpectRefused(report(lifecycle_, key, clock_.Now()), absl::StatusCode::kInvalidArgument,
                    message);
    }
  }
  EXPECT_EQ(Observe(), before);
}

TEST_F(LifecycleInputTest, TimeGoingBackwardsIsRefusedByEveryReport) {
  const Observed before = Observe();
  for (const auto& [name, report] : AllReports()) {
    SCOPED_TRACE(name);
    ExpectRefused(report(lifecycle_, App(), clock_.Now() - absl::Nanoseconds(1)),
                  absl::StatusCode::kInvalidArgument, "is before the model time");
  }
  EXPECT_EQ(Observe(), before);
}

TEST_F(LifecycleInputTest, InfiniteTimeIsRefused) {
  const Observed before = Observe();
  for (const auto& [name, report] : AllReports()) {
    SCOPED_TRACE(name);
    ExpectRefused(report(lifecycle_, App(), absl::InfiniteFuture()),
                  absl::StatusCode::kInvalidArgument, "time must be finite");
    ExpectRefused(report(lifecycle_, App(), absl::InfinitePast()),
                  absl::StatusCode::kInvalidArgument, "time must be finite");
  }
  EXPECT_EQ(Observe(), before);
}

TEST_F(LifecycleInputTest, ValuesOutsideTheEnumsAreRefused) {
  const Observed before = Observe();
  ExpectRefused(lifecycle_.SetVisibility(App(), static_cast<Visibility>(7), clock_.Now()),
                absl::StatusCode::kInvalidArgument, "unknown visibility 7");
  ExpectRefused(lifecycle_.SetPlaybackState(App(), static_cast<PlaybackState>(-1), clock_.Now()),
                absl::StatusCode::kInvalidArgument, "unknown playback state -1");
  ExpectRefused(lifecycle_.StartForegroundService(App(), static_cast<FgsType>(32),
                                                  FgsStartOrigin::kWhileVisible, clock_.Now()),
                absl::StatusCode::kInvalidArgument, "unknown foreground service type 32");
  ExpectRefused(lifecycle_.StartForegroundService(App(), FgsType::kLocation,
                                                  static_cast<FgsStartOrigin>(6), clock_.Now()),
                absl::StatusCode::kInvalidArgument, "unknown foreground service start origin 6");
  ExpectRefused(lifecycle_.StopForegroundService(App(), static_cast<FgsType>(3), clock_.Now()),
                absl::StatusCode::kInvalidArgument, "unknown foreground service type 3");
  EXPECT_EQ(Observe(), before);
}

TEST_F(LifecycleInputTest, StoppingAnFgsTheAppDoesNotHaveIsRefused) {
  const Observed before = Observe();
  ExpectRefused(lifecycle_.StopForegroundService(App(), FgsType::kDataSync, clock_.Now()),
                absl::StatusCode::kFailedPrecondition,
                "com.example.radio (uid 10057) has no dataSync FGS to stop");
  // An app the model has never seen has no FGS either; it is not created.
  ExpectRefused(
      lifecycle_.StopForegroundService(App("com.example.new"), FgsType::kMediaPlayback, clock_.Now()),
      absl::StatusCode::kFailedPrecondition, "com.example.new (uid 10057) has no mediaPlayback FGS");
  EXPECT_EQ(Observe(), before);
}

TEST_F(LifecycleInputTest, StartingARunningFgsAgainIsRefused) {
  const Observed before = Observe();
  ExpectRefused(lifecycle_.StartForegroundService(App(), FgsType::kMediaPlayback,
                                                  FgsStartOrigin::kMediaSessionEvent, clock_.Now()),
                absl::StatusCode::kFailedPrecondition,
                "com.example.radio (uid 10057) already runs a mediaPlayback FGS");
  EXPECT_EQ(Observe(), before);
}

TEST_F(LifecycleInputTest, RefusedWhileVisibleStartChangesNothing) {
  const Observed before = Observe();
  ExpectRefused(lifecycle_.StartForegroundService(App("com.example.sync"), FgsType::kLocation,
                                                  FgsStartOrigin::kWhileVisible, clock_.Now()),
                absl::StatusCode::kFailedPrecondition, "no visible activity");
  EXPECT_EQ(Observe(), before);
}

// A refused report at a later time does not move the model's time, and the
// transitions due before it are still delivered by the next AdvanceTo.
TEST_F(LifecycleInputTest, RefusedReportDoesNotAdvanceTime) {
  const absl::Time model_time = lifecycle_.now();
  const absl::Time later = clock_.Advance(absl::Minutes(6));  // idle deadline passed
  ExpectRefused(lifecycle_.StopForegroundService(App(), FgsType::kCamera, later),
                absl::StatusCode::kFailedPrecondition, "has no camera FGS");
  EXPECT_EQ(lifecycle_.now(), model_time);
  const std::vector<LifecycleTransition> transitions = lifecycle_.AdvanceTo(later);
  ASSERT_EQ(transitions.size(), 1u);
  EXPECT_EQ(transitions[0].kind, LifecycleTransitionKind::kLeftForeground);
  EXPECT_EQ(transitions[0].at, model_time + absl::Minutes(5));
}

TEST_F(LifecycleInputTest, LateAdvanceIsANoOp) {
  const Observed before = Observe();
  EXPECT_THAT(lifecycle_.AdvanceTo(clock_.Now() - absl::Minutes(1)), IsEmpty());
  EXPECT_THAT(lifecycle_.AdvanceTo(clock_.Now()), IsEmpty());
  EXPECT_THAT(lifecycle_.AdvanceTo(absl::InfiniteFuture()), IsEmpty());
  EXPECT_EQ(Observe(), before);
}

TEST_F(LifecycleInputTest, ReportAtTheModelTimeIsAccepted) {
  EXPECT_TRUE(lifecycle_.SetVisibility(App(), Visibility::kVisible, lifecycle_.now()).ok());
}

TEST_F(LifecycleInputTest, QueriesBeforeTheModelTimeSeeTheModelTime) {
  clock_.Advance(absl::Minutes(6));
  lifecycle_.AdvanceTo(clock_.Now());
  EXPECT_FALSE(lifecycle_.Evaluate(App(), clock_.Now() - absl::Hours(1)).valid);
  EXPECT_EQ(Ok(lifecycle_.Snapshot(App(), absl::InfinitePast())).services[0].status,
            FgsStatus::kLeftForeground);
}

TEST_F(LifecycleInputTest, SnapshotErrors) {
  EXPECT_EQ(lifecycle_.Snapshot(App("com.example.none"), clock_.Now()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(lifecycle_.Snapshot(AppKey{"", 1}, clock_.Now()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(AppKeyTest, Validation) {
  EXPECT_TRUE(ValidateAppKey(AppKey{"com.example.radio", 0}).ok());
  EXPECT_TRUE(ValidateAppKey(AppKey{"a", 1010057}).ok());
  EXPECT_FALSE(ValidateAppKey(AppKey{"", 0}).ok());
  EXPECT_FALSE(ValidateAppKey(AppKey{" com.x", 0}).ok());
  EXPECT_FALSE(ValidateAppKey(AppKey{"com.x\t", 0}).ok());
  EXPECT_FALSE(ValidateAppKey(AppKey{"com.x\x7f", 0}).ok());
  EXPECT_FALSE(ValidateAppKey(AppKey{"com.x", -5}).ok());
  EXPECT_THAT(std::string(ValidateAppKey(AppKey{"com.x", -5}).message()), HasSubstr("com.x"));
}

}  // namespace
}  // namespace caraudio
