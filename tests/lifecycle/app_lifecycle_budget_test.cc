// Android 15 FGS timeouts (seeds.md §5): dataSync and mediaProcessing may
// each run 6 hours in a 24-hour window, tracked per type; at the limit the
// FGS times out, and no new FGS of the type starts until the user interacts
// with the app, which also resets the budget. Every test runs for both types.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/lifecycle/lifecycle_test_util.h"

namespace caraudio {
namespace {

using lifecycle_test::App;
using lifecycle_test::LifecycleTest;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class FgsBudgetTest : public LifecycleTest, public ::testing::WithParamInterface<FgsType> {
 protected:
  FgsType type() const { return GetParam(); }
  // The other budgeted type: its budget must not move.
  FgsType other_type() const {
    return type() == FgsType::kDataSync ? FgsType::kMediaProcessing : FgsType::kDataSync;
  }
  std::string type_name() const { return FgsTypeName(type()); }

  // A background start with WIU, so the app is valid until the timeout.
  void StartInBackground() { Start(App(), type(), FgsStartOrigin::kUserInteraction); }

  LifecycleTransition TimedOutAt(absl::Time at, bool valid_after = false) const {
    return LifecycleTransition{
        .at = at,
        .app = App(),
        .fgs_type = type(),
        .kind = LifecycleTransitionKind::kTimedOut,
        .reason = type_name() + " FGS timed out: 6 h used in 24 h",
        .app_valid_after = valid_after,
    };
  }

  absl::StatusCode StartCode() {
    return lifecycle_
        .StartForegroundService(App(), type(), FgsStartOrigin::kUserInteraction, clock_.Now())
        .status()
        .code();
  }
};

TEST_P(FgsBudgetTest, RunsJustUnderSixHours) {
  StartInBackground();
  EXPECT_THAT(AdvanceBy(absl::Hours(6) - absl::Seconds(1)), IsEmpty());
  EXPECT_TRUE(Valid(App()));
  EXPECT_EQ(Budget(Snap(App()), type()).remaining(), absl::Seconds(1));
}

TEST_P(FgsBudgetTest, TimesOutAtExactlySixHours) {
  const absl::Time started_at = clock_.Now();
  StartInBackground();
  EXPECT_EQ(lifecycle_.NextDeadline(), started_at + absl::Hours(6));
  EXPECT_THAT(AdvanceBy(absl::Hours(6)), ElementsAre(TimedOutAt(started_at + absl::Hours(6))));
  EXPECT_EQ(Verdict(App()), (LifecycleVerdict{false, LifecycleBasis::kNone,
                                              type_name() + " FGS timed out: 6 h used in 24 h"}));
  const AppSnapshot snapshot = Snap(App());
  ASSERT_EQ(snapshot.services.size(), 1u);
  EXPECT_EQ(snapshot.services[0].status, FgsStatus::kTimedOut);
  EXPECT_EQ(snapshot.services[0].status_since, started_at + absl::Hours(6));
  const FgsBudgetState& budget = Budget(snapshot, type());
  EXPECT_EQ(budget.used, absl::Hours(6));
  EXPECT_EQ(budget.remaining(), absl::ZeroDuration());
  EXPECT_TRUE(budget.exhausted);
  EXPECT_FALSE(budget.charging);
  EXPECT_EQ(lifecycle_.NextDeadline(), std::nullopt);
}

TEST_P(FgsBudgetTest, TimeoutReportedAtItsOwnTimeWhenNoticedLate) {
  const absl::Time started_at = clock_.Now();
  StartInBackground();
  EXPECT_THAT(AdvanceBy(absl::Hours(9)), ElementsAre(TimedOutAt(started_at + absl::Hours(6))));
}

TEST_P(FgsBudgetTest, RuntimeAddsUpOverSessions) {
  StartInBackground();
  AdvanceBy(absl::Hours(4));
  Stop(App(), type());
  AdvanceBy(absl::Hours(2));
  const absl::Time restarted_at = clock_.Now();
  StartInBackground();
  EXPECT_EQ(Budget(Snap(App()), type()).used, absl::Hours(4));
  EXPECT_THAT(AdvanceBy(absl::Hours(2) - absl::Seconds(1)), IsEmpty());
  EXPECT_THAT(AdvanceBy(absl::Seconds(1)), ElementsAre(TimedOutAt(restarted_at + absl::Hours(2))));
}

// "1 h of dataSync leaves 6 h of mediaProcessing" (§5).
TEST_P(FgsBudgetTest, TypesAreTrackedSeparately) {
  StartInBackground();
  AdvanceBy(absl::Hours(1));
  const absl::Time other_started = clock_.Now();
  Start(App(), other_type(), FgsStartOrigin::kUserInteraction);
  const AppSnapshot snapshot = Snap(App());
  EXPECT_EQ(Budget(snapshot, type()).used, absl::Hours(1));
  EXPECT_EQ(Budget(snapshot, other_type()).used, absl::ZeroDuration());
  EXPECT_EQ(Budget(snapshot, other_type()).remaining(), absl::Hours(6));

  // This type times out at 6 h with the other still running: still valid.
  std::vector<LifecycleTransition> first = AdvanceBy(absl::Hours(5));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].fgs_type, type());
  EXPECT_TRUE(first[0].app_valid_after);
  std::vector<LifecycleTransition> second = AdvanceBy(absl::Hours(1));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].fgs_type, other_type());
  EXPECT_EQ(second[0].at, other_started + absl::Hours(6));
  EXPECT_FALSE(second[0].app_valid_after);
}

TEST_P(FgsBudgetTest, SpentBudgetRefusesANewStartAndChangesNothing) {
  StartInBackground();
  AdvanceBy(absl::Hours(6));
  Stop(App(), type());
  AdvanceBy(absl::Minutes(1));
  const AppSnapshot before = Snap(App());
  const absl::Status status =
      lifecycle_
          .StartForegroundService(App(), type(), FgsStartOrigin::kUserInteraction, clock_.Now())
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()),
              ::testing::HasSubstr("cannot start a " + type_name() + " FGS"));
  EXPECT_THAT(std::string(status.message()), ::testing::HasSubstr("user interaction"));
  EXPECT_EQ(Snap(App()), before);
  // The other type is unaffected.
  Start(App(), other_type(), FgsStartOrigin::kUserInteraction);
}

// §5: only a user interaction brings the type back — not the passing of the
// 24-hour window.
TEST_P(FgsBudgetTest, SpentBudgetDoesNotComeBackWithTime) {
  StartInBackground();
  AdvanceBy(absl::Hours(6));
  AdvanceBy(absl::Hours(48));
  EXPECT_EQ(StartCode(), absl::StatusCode::kFailedPrecondition);
}

TEST_P(FgsBudgetTest, UserInteractionResetsASpentBudget) {
  StartInBackground();
  AdvanceBy(absl::Hours(6));
  AdvanceBy(absl::Hours(1));
  Interact(App());
  const FgsBudgetState budget = Budget(Snap(App()), type());
  EXPECT_FALSE(budget.exhausted);
  EXPECT_EQ(budget.used, absl::ZeroDuration());
  EXPECT_EQ(budget.window_start, std::nullopt);
  EXPECT_FALSE(Valid(App()));  // the timed-out FGS does not come back by itself
  const absl::Time restarted_at = clock_.Now();
  StartInBackground();  // replaces the timed-out entry
  EXPECT_TRUE(Valid(App()));
  EXPECT_THAT(AdvanceBy(absl::Hours(6)), ElementsAre(TimedOutAt(restarted_at + absl::Hours(6))));
}

TEST_P(FgsBudgetTest, BecomingVisibleResetsASpentBudget) {
  StartInBackground();
  AdvanceBy(absl::Hours(6));
  SetVisibility(App(), Visibility::kVisible);
  EXPECT_FALSE(Budget(Snap(App()), type()).exhausted);
  EXPECT_EQ(StartCode(), absl::StatusCode::kOk);
}

// PiP is visible (§1) but no interaction: no reset, and it is charged.
TEST_P(FgsBudgetTest, PictureInPictureNeitherResetsNorPausesTheBudget) {
  StartInBackground();
  AdvanceBy(absl::Hours(6));
  SetVisibility(App(), Visibility::kPictureInPicture);
  EXPECT_TRUE(Budget(Snap(App()), type()).exhausted);
  EXPECT_EQ(StartCode(), absl::StatusCode::kFailedPrecondition);

  AppLifecycle fresh;
  lifecycle_ = fresh;
  SetVisibility(App(), Visibility::kPictureInPicture);
  const absl::Time started_at = clock_.Now();
  Start(App(), type(), FgsStartOrigin::kWhileVisible);
  EXPECT_THAT(AdvanceBy(absl::Hours(6)),
              ElementsAre(TimedOutAt(started_at + absl::Hours(6), /*valid_after=*/true)));
}

TEST_P(FgsBudgetTest, InteractionWhileRunningGivesAFreshSixHours) {
  StartInBackground();
  AdvanceBy(absl::Hours(5));
  const absl::Time interacted_at = clock_.Now();
  Interact(App());
  const FgsBudgetState budget = Budget(Snap(App()), type());
  EXPECT_EQ(budget.used, absl::ZeroDuration());
  EXPECT_EQ(budget.window_start, interacted_at);
  EXPECT_TRUE(budget.charging);
  EXPECT_THAT(AdvanceBy(absl::Hours(6) - absl::Seconds(1)), IsEmpty());
  EXPECT_THAT(AdvanceBy(absl::Seconds(1)), ElementsAre(TimedOutAt(interacted_at + absl::Hours(6))));
}

// A fully visible app is interacting all along: nothing is charged, and the
// budget starts fresh when it leaves.
TEST_P(FgsBudgetTest, NotChargedWhileVisible) {
  SetVisibility(App(), Visibility::kVisible);
  Start(App(), type(), FgsStartOrigin::kWhileVisible);
  EXPECT_THAT(AdvanceBy(absl::Hours(10)), IsEmpty());
  EXPECT_EQ(Budget(Snap(App()), type()).used, absl::ZeroDuration());
  EXPECT_FALSE(Budget(Snap(App()), type()).charging);
  EXPECT_EQ(lifecycle_.NextDeadline(), std::nullopt);
  const absl::Time left_at = clock_.Now();
  SetVisibility(App(), Visibility::kBackground);
  EXPECT_EQ(Budget(Snap(App()), type()).window_start, left_at);
  EXPECT_THAT(AdvanceBy(absl::Hours(6)), ElementsAre(TimedOutAt(left_at + absl::Hours(6))));
}

TEST_P(FgsBudgetTest, VisibleSpellInTheMiddleResetsTheBudget) {
  StartInBackground();
  AdvanceBy(absl::Hours(5));
  SetVisibility(App(), Visibility::kVisible);
  AdvanceBy(absl::Hours(1));
  const absl::Time left_at = clock_.Now();
  SetVisibility(App(), Visibility::kBackground);
  EXPECT_THAT(AdvanceBy(absl::Hours(6)), ElementsAre(TimedOutAt(left_at + absl::Hours(6))));
}

// The window: it opens at the first charged start; a start less than 24 h
// later continues it, a start 24 h or more later gets a fresh budget.
TEST_P(FgsBudgetTest, StartInsideTheWindowContinuesIt) {
  const absl::Time window_start = clock_.Now();
  StartInBackground();
  AdvanceBy(absl::Hours(5));
  Stop(App(), type());
  clock_.SetTo(absl::Hours(24) - absl::Seconds(1));
  lifecycle_.AdvanceTo(clock_.Now());
  const absl::Time restarted_at = clock_.Now();
  StartInBackground();
  const FgsBudgetState budget = Budget(Snap(App()), type());
  EXPECT_EQ(budget.window_start, window_start);
  EXPECT_EQ(budget.used, absl::Hours(5));
  EXPECT_THAT(AdvanceBy(absl::Hours(2)), ElementsAre(TimedOutAt(restarted_at + absl::Hours(1))));
}

TEST_P(FgsBudgetTest, StartAtTheWindowEndGetsAFreshBudget) {
  StartInBackground();
  AdvanceBy(absl::Hours(5));
  Stop(App(), type());
  const absl::Time restarted_at = clock_.SetTo(absl::Hours(24));
  StartInBackground();
  const FgsBudgetState budget = Budget(Snap(App()), type());
  EXPECT_EQ(budget.window_start, restarted_at);
  EXPECT_EQ(budget.used, absl::ZeroDuration());
  EXPECT_THAT(AdvanceBy(absl::Hours(6) - absl::Seconds(1)), IsEmpty());
  EXPECT_THAT(AdvanceBy(absl::Seconds(1)), ElementsAre(TimedOutAt(restarted_at + absl::Hours(6))));
}

// The window is checked when charging starts, not while it runs: a session
// started inside the window keeps using the old budget past its end.
TEST_P(FgsBudgetTest, SessionRunningAcrossTheWindowEndKeepsItsBudget) {
  StartInBackground();
  AdvanceBy(absl::Hours(5));
  Stop(App(), type());
  const absl::Time restarted_at = clock_.SetTo(absl::Hours(23) + absl::Minutes(30));
  StartInBackground();
  EXPECT_THAT(AdvanceBy(absl::Hours(2)), ElementsAre(TimedOutAt(restarted_at + absl::Hours(1))));
}

TEST_P(FgsBudgetTest, SnapshotChargesTheRunningSession) {
  const absl::Time started_at = clock_.Now();
  StartInBackground();
  clock_.Advance(absl::Minutes(90));  // not advanced in the model
  const FgsBudgetState budget = Budget(Snap(App()), type());
  EXPECT_EQ(budget.type, type());
  EXPECT_EQ(budget.used, absl::Minutes(90));
  EXPECT_EQ(budget.remaining(), absl::Minutes(270));
  EXPECT_EQ(budget.window_start, started_at);
  EXPECT_TRUE(budget.charging);
  EXPECT_FALSE(budget.exhausted);
}

TEST_P(FgsBudgetTest, StopPausesCharging) {
  StartInBackground();
  AdvanceBy(absl::Hours(2));
  Stop(App(), type());
  AdvanceBy(absl::Hours(10));
  const FgsBudgetState budget = Budget(Snap(App()), type());
  EXPECT_EQ(budget.used, absl::Hours(2));
  EXPECT_FALSE(budget.charging);
}

TEST_P(FgsBudgetTest, StoppedSessionsAddUp) {
  StartInBackground();
  AdvanceBy(absl::Hours(2));
  Stop(App(), type());
  AdvanceBy(absl::Hours(1));
  StartInBackground();
  AdvanceBy(absl::Hours(3));
  Stop(App(), type());
  EXPECT_EQ(Budget(Snap(App()), type()).used, absl::Hours(5));
  const absl::Time last_start = clock_.Advance(absl::Hours(1));
  lifecycle_.AdvanceTo(last_start);
  StartInBackground();
  EXPECT_EQ(lifecycle_.NextDeadline(), last_start + absl::Hours(1));
}

TEST_P(FgsBudgetTest, StoppingATimedOutFgsIsAccepted) {
  StartInBackground();
  AdvanceBy(absl::Hours(7));
  Stop(App(), type());
  EXPECT_TRUE(Snap(App()).services.empty());
  EXPECT_TRUE(Budget(Snap(App()), type()).exhausted);  // stopping is no interaction
}

// A timed-out FGS was WIU-valid before: the transition says the app is now
// invalid, and the verdict agrees.
TEST_P(FgsBudgetTest, TimeoutEndsTheValidLifecycle) {
  StartInBackground();
  EXPECT_TRUE(Valid(App()));
  const std::vector<LifecycleTransition> transitions = AdvanceBy(absl::Hours(6));
  ASSERT_EQ(transitions.size(), 1u);
  EXPECT_FALSE(transitions[0].app_valid_after);
  EXPECT_FALSE(Valid(App()));
}

INSTANTIATE_TEST_SUITE_P(BudgetedTypes, FgsBudgetTest,
                         ::testing::Values(FgsType::kDataSync, FgsType::kMediaProcessing),
                         [](const ::testing::TestParamInfo<FgsType>& info) {
                           return std::string(FgsTypeName(info.param));
                         });

// Types without a budget run for ever.
class UnbudgetedTypeTest : public LifecycleTest, public ::testing::WithParamInterface<FgsType> {};

TEST_P(UnbudgetedTypeTest, NeverTimesOut) {
  Start(App(), GetParam(), FgsStartOrigin::kUserInteraction);
  Playback(App(), PlaybackState::kPlaying);  // keeps mediaPlayback's idle rule out
  EXPECT_THAT(AdvanceBy(absl::Hours(100)), IsEmpty());
  EXPECT_EQ(Snap(App()).services[0].status, FgsStatus::kForeground);
  EXPECT_EQ(Budget(Snap(App()), FgsType::kDataSync).used, absl::ZeroDuration());
  EXPECT_EQ(Budget(Snap(App()), FgsType::kMediaProcessing).used, absl::ZeroDuration());
}

INSTANTIATE_TEST_SUITE_P(
    OtherTypes, UnbudgetedTypeTest,
    ::testing::Values(FgsType::kOther, FgsType::kMediaPlayback, FgsType::kPhoneCall,
                      FgsType::kLocation, FgsType::kConnectedDevice, FgsType::kCamera,
                      FgsType::kMicrophone, FgsType::kShortService, FgsType::kSpecialUse),
    [](const ::testing::TestParamInfo<FgsType>& info) {
      return std::string(FgsTypeName(info.param));
    });

}  // namespace
}  // namespace caraudio
