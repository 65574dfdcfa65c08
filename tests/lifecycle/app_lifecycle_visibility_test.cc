// Visibility and the valid lifecycle (seeds.md §1): a visible activity —
// picture-in-picture included — is valid by itself; background needs a
// counting WIU FGS.

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/lifecycle/lifecycle_test_util.h"

namespace caraudio {
namespace {

using lifecycle_test::App;
using lifecycle_test::LifecycleTest;

class AppLifecycleVisibilityTest : public LifecycleTest {};

TEST_F(AppLifecycleVisibilityTest, NeverReportedAppIsInvalid) {
  EXPECT_EQ(Verdict(App()),
            (LifecycleVerdict{false, LifecycleBasis::kNone,
                              "background, no foreground service (no lifecycle reported)"}));
  EXPECT_TRUE(lifecycle_.Apps().empty());
}

TEST_F(AppLifecycleVisibilityTest, MalformedKeyEvaluatesAsNeverReported) {
  EXPECT_FALSE(lifecycle_.Evaluate(AppKey{"", 10}, clock_.Now()).valid);
  EXPECT_FALSE(lifecycle_.Evaluate(AppKey{"com.x", -1}, clock_.Now()).valid);
}

TEST_F(AppLifecycleVisibilityTest, VisibleActivityIsValid) {
  SetVisibility(App(), Visibility::kVisible);
  EXPECT_EQ(Verdict(App()),
            (LifecycleVerdict{true, LifecycleBasis::kVisibleActivity, "visible activity"}));
}

TEST_F(AppLifecycleVisibilityTest, PictureInPictureCountsAsVisible) {
  SetVisibility(App(), Visibility::kPictureInPicture);
  EXPECT_EQ(Verdict(App()), (LifecycleVerdict{true, LifecycleBasis::kPictureInPicture,
                                              "picture-in-picture activity"}));
}

TEST_F(AppLifecycleVisibilityTest, BackgroundWithoutFgsIsInvalid) {
  SetVisibility(App(), Visibility::kBackground);
  EXPECT_EQ(Verdict(App()), (LifecycleVerdict{false, LifecycleBasis::kNone,
                                              "background, no foreground service"}));
}

TEST_F(AppLifecycleVisibilityTest, GoingToBackgroundEndsTheValidLifecycle) {
  SetVisibility(App(), Visibility::kVisible);
  clock_.Advance(absl::Minutes(1));
  SetVisibility(App(), Visibility::kPictureInPicture);
  EXPECT_TRUE(Valid(App()));
  clock_.Advance(absl::Minutes(1));
  SetVisibility(App(), Visibility::kBackground);
  EXPECT_FALSE(Valid(App()));
  clock_.Advance(absl::Minutes(1));
  SetVisibility(App(), Visibility::kVisible);
  EXPECT_TRUE(Valid(App()));
}

// Visibility wins over any FGS; the FGS reason shows once the app leaves.
TEST_F(AppLifecycleVisibilityTest, VisibleAppWithNonWiuFgsIsValidUntilItLeaves) {
  SetVisibility(App(), Visibility::kVisible);
  Start(App(), FgsType::kMediaPlayback, FgsStartOrigin::kBackground);
  Playback(App(), PlaybackState::kPlaying);
  EXPECT_EQ(Verdict(App()).basis, LifecycleBasis::kVisibleActivity);
  SetVisibility(App(), Visibility::kBackground);
  EXPECT_EQ(Verdict(App()).reason,
            "mediaPlayback FGS started from the background has no while-in-use capability");
}

// "Started while the app was visible" keeps WIU after the app leaves (§1).
TEST_F(AppLifecycleVisibilityTest, WiuFromVisibleStartSurvivesGoingToBackground) {
  SetVisibility(App(), Visibility::kVisible);
  Start(App(), FgsType::kMediaPlayback, FgsStartOrigin::kWhileVisible);
  Playback(App(), PlaybackState::kPlaying);
  clock_.Advance(absl::Seconds(5));
  SetVisibility(App(), Visibility::kBackground);
  EXPECT_EQ(Verdict(App()), (LifecycleVerdict{true, LifecycleBasis::kForegroundService,
                                              "mediaPlayback FGS started while visible has "
                                              "while-in-use capability"}));
}

TEST_F(AppLifecycleVisibilityTest, StartWhileInPictureInPictureIsAWhileVisibleStart) {
  SetVisibility(App(), Visibility::kPictureInPicture);
  Start(App(), FgsType::kMediaPlayback, FgsStartOrigin::kWhileVisible);
  Playback(App(), PlaybackState::kPlaying);
  SetVisibility(App(), Visibility::kBackground);
  EXPECT_TRUE(Valid(App()));
}

// The head unit cannot claim "started while visible" for a background app.
TEST_F(AppLifecycleVisibilityTest, WhileVisibleStartOfBackgroundAppIsRefused) {
  SetVisibility(App(), Visibility::kBackground);
  const absl::Status status =
      lifecycle_
          .StartForegroundService(App(), FgsType::kMediaPlayback, FgsStartOrigin::kWhileVisible,
                                  clock_.Now())
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), ::testing::HasSubstr("com.example.radio (uid 10057)"));
  EXPECT_THAT(std::string(status.message()), ::testing::HasSubstr("no visible activity"));
  EXPECT_TRUE(Snap(App()).services.empty());
}

TEST_F(AppLifecycleVisibilityTest, AppsAreKeyedByPackageAndUid) {
  const AppKey user0 = App("com.example.radio", 10057);
  const AppKey user10 = App("com.example.radio", 1010057);
  const AppKey other = App("com.example.nav", 10057);
  SetVisibility(user0, Visibility::kVisible);
  EXPECT_TRUE(Valid(user0));
  EXPECT_FALSE(Valid(user10));
  EXPECT_FALSE(Valid(other));
  EXPECT_THAT(lifecycle_.Apps(), ::testing::ElementsAre(user0));
}

TEST_F(AppLifecycleVisibilityTest, SnapshotShowsWhatWasReported) {
  SetVisibility(App(), Visibility::kPictureInPicture);
  Start(App(), FgsType::kMediaPlayback, FgsStartOrigin::kWhileVisible);
  clock_.Advance(absl::Seconds(3));
  Playback(App(), PlaybackState::kPlaying);
  const AppSnapshot snapshot = Snap(App());
  EXPECT_EQ(snapshot.app, App());
  EXPECT_EQ(snapshot.visibility, Visibility::kPictureInPicture);
  EXPECT_EQ(snapshot.playback, PlaybackState::kPlaying);
  EXPECT_EQ(snapshot.playback_since, clock_.Now());
  ASSERT_EQ(snapshot.services.size(), 1u);
  EXPECT_EQ(snapshot.services[0].type, FgsType::kMediaPlayback);
  EXPECT_EQ(snapshot.services[0].origin, FgsStartOrigin::kWhileVisible);
  EXPECT_EQ(snapshot.services[0].started_at, clock_.Now() - absl::Seconds(3));
  EXPECT_EQ(snapshot.services[0].status, FgsStatus::kForeground);
  EXPECT_EQ(snapshot.verdict.basis, LifecycleBasis::kPictureInPicture);
  ASSERT_EQ(snapshot.budgets.size(), 2u);
  EXPECT_EQ(snapshot.budgets[0].type, FgsType::kDataSync);
  EXPECT_EQ(snapshot.budgets[1].type, FgsType::kMediaProcessing);
}

TEST(VisibilityNamesTest, NamesAndParser) {
  EXPECT_STREQ(VisibilityName(Visibility::kBackground), "background");
  EXPECT_STREQ(VisibilityName(Visibility::kVisible), "visible");
  EXPECT_STREQ(VisibilityName(Visibility::kPictureInPicture), "picture-in-picture");
  EXPECT_EQ(ParseVisibility("visible"), Visibility::kVisible);
  EXPECT_EQ(ParseVisibility("VISIBLE"), Visibility::kVisible);
  EXPECT_EQ(ParseVisibility("background"), Visibility::kBackground);
  EXPECT_EQ(ParseVisibility("bg"), Visibility::kBackground);
  EXPECT_EQ(ParseVisibility("pip"), Visibility::kPictureInPicture);
  EXPECT_EQ(ParseVisibility("PICTURE_IN_PICTURE"), Visibility::kPictureInPicture);
  EXPECT_EQ(ParseVisibility(""), std::nullopt);
  EXPECT_EQ(ParseVisibility("foreground"), std::nullopt);
  EXPECT_EQ(ParseVisibility("1"), std::nullopt);
}

TEST(PlaybackStateNamesTest, NamesAndParser) {
  const std::pair<PlaybackState, const char*> names[] = {
      {PlaybackState::kPlaying, "playing"},
      {PlaybackState::kPaused, "paused"},
      {PlaybackState::kStopped, "stopped"},
      {PlaybackState::kFailed, "failed"},
  };
  for (const auto& [state, name] : names) {
    EXPECT_STREQ(PlaybackStateName(state), name);
    EXPECT_EQ(ParsePlaybackState(name), state);
  }
  EXPECT_EQ(ParsePlaybackState("PAUSED"), PlaybackState::kPaused);
  EXPECT_EQ(ParsePlaybackState("buffering"), std::nullopt);
  EXPECT_EQ(ParsePlaybackState(""), std::nullopt);
}

TEST(LifecycleNamesTest, StatusBasisAndTransitionNames) {
  EXPECT_STREQ(FgsStatusName(FgsStatus::kForeground), "foreground");
  EXPECT_STREQ(FgsStatusName(FgsStatus::kLeftForeground), "left-foreground");
  EXPECT_STREQ(FgsStatusName(FgsStatus::kTimedOut), "timed-out");
  EXPECT_STREQ(LifecycleBasisName(LifecycleBasis::kNone), "none");
  EXPECT_STREQ(LifecycleBasisName(LifecycleBasis::kVisibleActivity), "visible-activity");
  EXPECT_STREQ(LifecycleBasisName(LifecycleBasis::kPictureInPicture), "picture-in-picture");
  EXPECT_STREQ(LifecycleBasisName(LifecycleBasis::kForegroundService), "foreground-service");
  EXPECT_STREQ(LifecycleTransitionKindName(LifecycleTransitionKind::kLeftForeground),
               "left-foreground");
  EXPECT_STREQ(LifecycleTransitionKindName(LifecycleTransitionKind::kTimedOut), "timed-out");
  EXPECT_EQ(AppKeyText(App("com.example.radio", 10057)), "com.example.radio (uid 10057)");
}

}  // namespace
}  // namespace caraudio
