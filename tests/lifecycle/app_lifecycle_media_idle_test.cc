// The media3 10-minute rule (seeds.md §2): a mediaPlayback FGS whose player
// is paused, stopped or failed for 10 minutes leaves the foreground, and the
// app stays out of a valid lifecycle until the user resumes it with a new
// FGS (§1).

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

class MediaIdleTest : public LifecycleTest {
 protected:
  // A background media app playing through a notification-started FGS.
  void StartPlayingInBackground() {
    Start(App(), FgsType::kMediaPlayback, FgsStartOrigin::kUserInteraction);
    Playback(App(), PlaybackState::kPlaying);
    ASSERT_TRUE(Valid(App()));
  }

  LifecycleTransition LeftAt(absl::Time at, PlaybackState idle, bool valid_after = false) {
    return LifecycleTransition{
        .at = at,
        .app = App(),
        .fgs_type = FgsType::kMediaPlayback,
        .kind = LifecycleTransitionKind::kLeftForeground,
        .reason = std::string("mediaPlayback FGS left the foreground after 10 min ") +
                  PlaybackStateName(idle),
        .app_valid_after = valid_after,
    };
  }
};

TEST_F(MediaIdleTest, PlayingNeverLeaves) {
  StartPlayingInBackground();
  EXPECT_THAT(AdvanceBy(absl::Hours(30)), IsEmpty());
  EXPECT_TRUE(Valid(App()));
  EXPECT_EQ(lifecycle_.NextDeadline(), std::nullopt);
}

TEST_F(MediaIdleTest, PausedNineFiftyNineIsStillValid) {
  StartPlayingInBackground();
  const absl::Time paused_at = clock_.Advance(absl::Minutes(3));
  Playback(App(), PlaybackState::kPaused);
  EXPECT_THAT(AdvanceBy(absl::Minutes(9) + absl::Seconds(59)), IsEmpty());
  EXPECT_TRUE(Valid(App()));
  EXPECT_EQ(lifecycle_.NextDeadline(), paused_at + absl::Minutes(10));
}

TEST_F(MediaIdleTest, PausedJustUnderTenMinutesIsStillValid) {
  StartPlayingInBackground();
  Playback(App(), PlaybackState::kPaused);
  EXPECT_THAT(AdvanceBy(absl::Minutes(10) - absl::Nanoseconds(1)), IsEmpty());
  EXPECT_TRUE(Valid(App()));
}

// media3's timer fires at 10:00: the FGS is gone at exactly 10 minutes.
TEST_F(MediaIdleTest, PausedExactlyTenMinutesLeavesTheForeground) {
  StartPlayingInBackground();
  const absl::Time paused_at = clock_.Now();
  Playback(App(), PlaybackState::kPaused);
  EXPECT_THAT(AdvanceBy(absl::Minutes(10)),
              ElementsAre(LeftAt(paused_at + absl::Minutes(10), PlaybackState::kPaused)));
  EXPECT_FALSE(Valid(App()));
}

TEST_F(MediaIdleTest, PausedTenOhOneIsInvalidWithTheReason) {
  StartPlayingInBackground();
  const absl::Time paused_at = clock_.Now();
  Playback(App(), PlaybackState::kPaused);
  EXPECT_THAT(AdvanceBy(absl::Minutes(10) + absl::Seconds(1)),
              ElementsAre(LeftAt(paused_at + absl::Minutes(10), PlaybackState::kPaused)));
  EXPECT_EQ(Verdict(App()),
            (LifecycleVerdict{false, LifecycleBasis::kNone,
                              "mediaPlayback FGS left the foreground after 10 min paused"}));
  const AppSnapshot snapshot = Snap(App());
  ASSERT_EQ(snapshot.services.size(), 1u);
  EXPECT_EQ(snapshot.services[0].status, FgsStatus::kLeftForeground);
  EXPECT_EQ(snapshot.services[0].status_since, paused_at + absl::Minutes(10));
  EXPECT_EQ(snapshot.services[0].idle_state, PlaybackState::kPaused);
  EXPECT_EQ(lifecycle_.NextDeadline(), std::nullopt);
}

TEST_F(MediaIdleTest, StoppedAndFailedCountLikePaused) {
  for (PlaybackState idle : {PlaybackState::kStopped, PlaybackState::kFailed}) {
    SCOPED_TRACE(PlaybackStateName(idle));
    AppLifecycle fresh;
    lifecycle_ = fresh;
    StartPlayingInBackground();
    const absl::Time idle_at = clock_.Now();
    Playback(App(), idle);
    EXPECT_THAT(AdvanceBy(absl::Minutes(11)),
                ElementsAre(LeftAt(idle_at + absl::Minutes(10), idle)));
    EXPECT_EQ(Verdict(App()).reason,
              std::string("mediaPlayback FGS left the foreground after 10 min ") +
                  PlaybackStateName(idle));
  }
}

TEST_F(MediaIdleTest, ResumedPlaybackResetsTheClock) {
  StartPlayingInBackground();
  Playback(App(), PlaybackState::kPaused);
  AdvanceBy(absl::Minutes(9) + absl::Seconds(59));
  Playback(App(), PlaybackState::kPlaying);  // resumed at 9:59
  AdvanceBy(absl::Minutes(5));
  const absl::Time paused_again = clock_.Now();
  Playback(App(), PlaybackState::kPaused);
  EXPECT_THAT(AdvanceBy(absl::Minutes(9) + absl::Seconds(59)), IsEmpty());
  EXPECT_TRUE(Valid(App()));
  EXPECT_THAT(AdvanceBy(absl::Seconds(2)),
              ElementsAre(LeftAt(paused_again + absl::Minutes(10), PlaybackState::kPaused)));
}

// Paused -> stopped -> failed is one idle spell (§2 "paused, stopped or
// failed"); the reason names the state it left in.
TEST_F(MediaIdleTest, MovingBetweenIdleStatesDoesNotRestartTheClock) {
  StartPlayingInBackground();
  const absl::Time paused_at = clock_.Now();
  Playback(App(), PlaybackState::kPaused);
  clock_.Advance(absl::Minutes(4));
  Playback(App(), PlaybackState::kFailed);
  clock_.Advance(absl::Minutes(4));
  Playback(App(), PlaybackState::kStopped);
  clock_.Advance(absl::Minutes(1));
  Playback(App(), PlaybackState::kStopped);  // repeated report: no change
  EXPECT_THAT(AdvanceBy(absl::Minutes(1)),
              ElementsAre(LeftAt(paused_at + absl::Minutes(10), PlaybackState::kStopped)));
}

// Playing again after leaving does not bring the FGS back (§1: only an
// explicit user resume starts a new FGS); a new WIU FGS does.
TEST_F(MediaIdleTest, PlaybackAfterLeavingNeedsANewFgs) {
  StartPlayingInBackground();
  Playback(App(), PlaybackState::kPaused);
  AdvanceBy(absl::Minutes(15));
  Playback(App(), PlaybackState::kPlaying);
  EXPECT_FALSE(Valid(App()));
  EXPECT_EQ(Snap(App()).services[0].status, FgsStatus::kLeftForeground);

  Start(App(), FgsType::kMediaPlayback, FgsStartOrigin::kUserInteraction);  // media key resume
  EXPECT_TRUE(Valid(App()));
  const AppSnapshot snapshot = Snap(App());
  ASSERT_EQ(snapshot.services.size(), 1u);
  EXPECT_EQ(snapshot.services[0].status, FgsStatus::kForeground);
  EXPECT_EQ(snapshot.services[0].started_at, clock_.Now());
}

// The idle clock runs from the later of "stopped playing" and the FGS start.
TEST_F(MediaIdleTest, FgsStartedWhileIdleCountsFromItsStart) {
  Playback(App(), PlaybackState::kPaused);
  AdvanceBy(absl::Hours(1));
  const absl::Time started_at = clock_.Now();
  Start(App(), FgsType::kMediaPlayback, FgsStartOrigin::kMediaSessionEvent);
  EXPECT_TRUE(Valid(App()));
  EXPECT_THAT(AdvanceBy(absl::Minutes(9)), IsEmpty());
  EXPECT_THAT(AdvanceBy(absl::Minutes(1)),
              ElementsAre(LeftAt(started_at + absl::Minutes(10), PlaybackState::kPaused)));
}

// An app that never reported playback is stopped: its media FGS idles out.
TEST_F(MediaIdleTest, NoPlaybackReportCountsAsStopped) {
  const absl::Time started_at = clock_.Now();
  Start(App(), FgsType::kMediaPlayback, FgsStartOrigin::kMediaSessionEvent);
  EXPECT_THAT(AdvanceBy(absl::Minutes(10)),
              ElementsAre(LeftAt(started_at + absl::Minutes(10), PlaybackState::kStopped)));
}

// A report after the deadline returns the transition that time brought
// before it, at its own time; AdvanceTo does not return it again.
TEST_F(MediaIdleTest, ReportAfterTheDeadlineReturnsTheTransitionOnce) {
  StartPlayingInBackground();
  const absl::Time paused_at = clock_.Now();
  Playback(App(), PlaybackState::kPaused);
  clock_.Advance(absl::Minutes(12));
  EXPECT_THAT(Playback(App(), PlaybackState::kPlaying),
              ElementsAre(LeftAt(paused_at + absl::Minutes(10), PlaybackState::kPaused)));
  EXPECT_THAT(AdvanceBy(absl::Seconds(1)), IsEmpty());
  EXPECT_FALSE(Valid(App()));
}

// Time first, then the report: resuming at exactly 10:00 is too late.
TEST_F(MediaIdleTest, ResumeAtExactlyTheDeadlineIsTooLate) {
  StartPlayingInBackground();
  Playback(App(), PlaybackState::kPaused);
  clock_.Advance(absl::Minutes(10));
  EXPECT_EQ(Playback(App(), PlaybackState::kPlaying).size(), 1u);
  EXPECT_FALSE(Valid(App()));
}

// Evaluate looks ahead without changing the model.
TEST_F(MediaIdleTest, EvaluateAtALaterTimeDoesNotAdvanceTheModel) {
  StartPlayingInBackground();
  const absl::Time paused_at = clock_.Now();
  Playback(App(), PlaybackState::kPaused);
  EXPECT_FALSE(lifecycle_.Evaluate(App(), paused_at + absl::Minutes(10)).valid);
  EXPECT_TRUE(lifecycle_.Evaluate(App(), paused_at + absl::Minutes(9)).valid);
  EXPECT_EQ(lifecycle_.now(), paused_at);
  EXPECT_EQ(Snap(App()).services[0].status, FgsStatus::kForeground);
  EXPECT_EQ(lifecycle_.AdvanceTo(paused_at + absl::Minutes(10)).size(), 1u);
}

// The rule runs for visible apps too; visibility keeps them valid.
TEST_F(MediaIdleTest, VisibleAppsFgsLeavesButTheAppStaysValid) {
  SetVisibility(App(), Visibility::kVisible);
  const absl::Time started_at = clock_.Now();
  Start(App(), FgsType::kMediaPlayback, FgsStartOrigin::kWhileVisible);
  Playback(App(), PlaybackState::kPaused);
  EXPECT_THAT(AdvanceBy(absl::Minutes(10)),
              ElementsAre(LeftAt(started_at + absl::Minutes(10), PlaybackState::kPaused,
                                 /*valid_after=*/true)));
  EXPECT_TRUE(Valid(App()));
  SetVisibility(App(), Visibility::kBackground);
  EXPECT_FALSE(Valid(App()));
}

// Another counting WIU FGS keeps the app valid through the media FGS loss.
TEST_F(MediaIdleTest, ValidAfterReflectsOtherServices) {
  Start(App(), FgsType::kConnectedDevice, FgsStartOrigin::kSystemDelegation);
  StartPlayingInBackground();
  Playback(App(), PlaybackState::kPaused);
  const std::vector<LifecycleTransition> transitions = AdvanceBy(absl::Minutes(10));
  ASSERT_EQ(transitions.size(), 1u);
  EXPECT_TRUE(transitions[0].app_valid_after);
}

// Only mediaPlayback idles out; other types ignore the player state.
TEST_F(MediaIdleTest, OtherTypesIgnorePlayback) {
  Start(App(), FgsType::kConnectedDevice, FgsStartOrigin::kSystemDelegation);
  Start(App(), FgsType::kSpecialUse, FgsStartOrigin::kUserInteraction);
  Playback(App(), PlaybackState::kPaused);
  EXPECT_THAT(AdvanceBy(absl::Hours(30)), IsEmpty());
  EXPECT_TRUE(Valid(App()));
}

TEST_F(MediaIdleTest, StoppingALeftFgsIsAccepted) {
  StartPlayingInBackground();
  Playback(App(), PlaybackState::kPaused);
  AdvanceBy(absl::Minutes(11));
  Stop(App(), FgsType::kMediaPlayback);
  EXPECT_TRUE(Snap(App()).services.empty());
  EXPECT_EQ(Verdict(App()).reason, "background, no foreground service");
}

TEST_F(MediaIdleTest, StoppingBeforeTheDeadlineCancelsIt) {
  StartPlayingInBackground();
  Playback(App(), PlaybackState::kPaused);
  AdvanceBy(absl::Minutes(5));
  Stop(App(), FgsType::kMediaPlayback);
  EXPECT_EQ(lifecycle_.NextDeadline(), std::nullopt);
  EXPECT_THAT(AdvanceBy(absl::Minutes(30)), IsEmpty());
}

}  // namespace
}  // namespace caraudio
