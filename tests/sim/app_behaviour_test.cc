// AppBehaviour, profile by profile and cell by cell: for each state and each
// input, the exact actions an app takes (tools/audiofocus_sim/app_behaviour.h).
// No I/O: the inputs are fed by hand.

#include "tools/audiofocus_sim/app_behaviour.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace caraudio::sim {

// gtest prints actions with this in failure messages.
void PrintTo(const AppAction& action, std::ostream* out) {
  std::visit(
      [out](const auto& a) {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, RequestFocusAction>) {
          *out << "Request(" << a.client_id << ")";
        } else if constexpr (std::is_same_v<T, AbandonFocusAction>) {
          *out << "Abandon(" << a.client_id << ")";
        } else if constexpr (std::is_same_v<T, StartToneAction>) {
          *out << "StartTone";
        } else if constexpr (std::is_same_v<T, PauseToneAction>) {
          *out << "PauseTone";
        } else if constexpr (std::is_same_v<T, DuckToneAction>) {
          *out << "DuckTone";
        } else if constexpr (std::is_same_v<T, RestoreToneAction>) {
          *out << "RestoreTone";
        } else if constexpr (std::is_same_v<T, StopToneAction>) {
          *out << "StopTone";
        } else if constexpr (std::is_same_v<T, ScheduleEndAction>) {
          *out << "ScheduleEnd(" << a.duration_ms << " ms, #" << a.generation << ")";
        } else {
          *out << "ChangeOwnVolume";
        }
      },
      action);
}

namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

using Actions = std::vector<AppAction>;

constexpr char kApp[] = "com.example.app";
constexpr char kSecond[] = "com.example.app#2";

const AppAction kStart = StartToneAction{};
const AppAction kPause = PauseToneAction{};
const AppAction kDuck = DuckToneAction{};
const AppAction kRestore = RestoreToneAction{};
const AppAction kStop = StopToneAction{};
const AppAction kChangeVolume = ChangeOwnVolumeAction{};
AppAction Request(const std::string& id = kApp) { return RequestFocusAction{id}; }
AppAction Abandon(const std::string& id = kApp) { return AbandonFocusAction{id}; }
AppAction EndIn(int32_t ms, uint64_t generation) { return ScheduleEndAction{ms, generation}; }

FocusResultInput Result(caraudio::v1::RequestResult result, const std::string& id = kApp) {
  return FocusResultInput{id, result};
}
FocusChangeInput Change(caraudio::v1::FocusChange change, const std::string& id = kApp) {
  return FocusChangeInput{id, change};
}

AppBehaviour Make(v1::Behaviour profile, bool pause_when_ducked = false) {
  return AppBehaviour(profile, kApp, pause_when_ducked);
}

// An app of `profile` that asked and was granted: playing.
AppBehaviour Playing(v1::Behaviour profile, bool pause_when_ducked = false) {
  AppBehaviour app = Make(profile, pause_when_ducked);
  app.Handle(PlayInput{});
  app.Handle(Result(caraudio::v1::REQUEST_GRANTED));
  EXPECT_EQ(app.state(), AppState::kPlaying);
  return app;
}

// ---- Well-behaved ------------------------------------------------------------

TEST(WellBehavedTest, RequestsImmediatelyAndPlaysOnlyWhenGranted) {
  AppBehaviour app = Make(v1::BEHAVIOUR_WELL_BEHAVED);
  EXPECT_THAT(app.Handle(PlayInput{}), ElementsAre(Request()));
  EXPECT_EQ(app.state(), AppState::kRequesting);
  EXPECT_THAT(app.Handle(Result(caraudio::v1::REQUEST_GRANTED)), ElementsAre(kStart));
  EXPECT_EQ(app.state(), AppState::kPlaying);
}

TEST(WellBehavedTest, DurationSchedulesTheEndWhenPlaybackStarts) {
  AppBehaviour app = Make(v1::BEHAVIOUR_WELL_BEHAVED);
  EXPECT_THAT(app.Handle(PlayInput{3000}), ElementsAre(Request()));
  EXPECT_THAT(app.Handle(Result(caraudio::v1::REQUEST_GRANTED)),
              ElementsAre(kStart, EndIn(3000, 1)));
  EXPECT_THAT(app.Handle(PlaybackFinishedInput{1}), ElementsAre(kStop, Abandon()));
  EXPECT_EQ(app.state(), AppState::kIdle);
}

TEST(WellBehavedTest, FailedMeansNoPlayback) {
  AppBehaviour app = Make(v1::BEHAVIOUR_WELL_BEHAVED);
  app.Handle(PlayInput{});
  EXPECT_THAT(app.Handle(Result(caraudio::v1::REQUEST_FAILED)), IsEmpty());
  EXPECT_EQ(app.state(), AppState::kIdle);
  // Nothing to abandon when it stops: the request never lived.
  EXPECT_THAT(app.Handle(StopInput{}), IsEmpty());
}

TEST(WellBehavedTest, DelayedWaitsForGainAndCountsTheDurationFromThere) {
  AppBehaviour app = Make(v1::BEHAVIOUR_WELL_BEHAVED);
  app.Handle(PlayInput{2000});
  EXPECT_THAT(app.Handle(Result(caraudio::v1::REQUEST_DELAYED)), IsEmpty());
  EXPECT_EQ(app.state(), AppState::kWaitingForGain);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_GAIN)),
              ElementsAre(kStart, EndIn(2000, 1)));
  EXPECT_EQ(app.state(), AppState::kPlaying);
}

TEST(WellBehavedTest, StopWhileDelayedAbandonsTheDelayedRequest) {
  AppBehaviour app = Make(v1::BEHAVIOUR_WELL_BEHAVED);
  app.Handle(PlayInput{});
  app.Handle(Result(caraudio::v1::REQUEST_DELAYED));
  EXPECT_THAT(app.Handle(StopInput{}), ElementsAre(Abandon()));
  EXPECT_EQ(app.state(), AppState::kIdle);
}

TEST(WellBehavedTest, DelayedRequestDroppedWithLoss) {
  AppBehaviour app = Make(v1::BEHAVIOUR_WELL_BEHAVED);
  app.Handle(PlayInput{});
  app.Handle(Result(caraudio::v1::REQUEST_DELAYED));
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS)), ElementsAre(Abandon()));
  EXPECT_EQ(app.state(), AppState::kIdle);
}

TEST(WellBehavedTest, PausesOnTransientLossAndResumesOnGain) {
  AppBehaviour app = Playing(v1::BEHAVIOUR_WELL_BEHAVED);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT)), ElementsAre(kPause));
  EXPECT_EQ(app.state(), AppState::kPaused);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_GAIN)), ElementsAre(kRestore));
  EXPECT_EQ(app.state(), AppState::kPlaying);
}

TEST(WellBehavedTest, LowersItselfOnCanDuckAndRestoresOnGain) {
  AppBehaviour app = Playing(v1::BEHAVIOUR_WELL_BEHAVED);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK)),
              ElementsAre(kDuck));
  EXPECT_EQ(app.state(), AppState::kDucked);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_GAIN)), ElementsAre(kRestore));
  EXPECT_EQ(app.state(), AppState::kPlaying);
}

TEST(WellBehavedTest, PausesOnCanDuckWhenItAskedToPause) {
  AppBehaviour app = Playing(v1::BEHAVIOUR_WELL_BEHAVED, /*pause_when_ducked=*/true);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK)),
              ElementsAre(kPause));
  EXPECT_EQ(app.state(), AppState::kPaused);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_GAIN)), ElementsAre(kRestore));
}

TEST(WellBehavedTest, TransientLossWhileDuckedPausesAndCanDuckWhilePausedLowers) {
  AppBehaviour app = Playing(v1::BEHAVIOUR_WELL_BEHAVED);
  app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK));
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT)), ElementsAre(kPause));
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK)),
              ElementsAre(kDuck));
  EXPECT_EQ(app.state(), AppState::kDucked);
}

TEST(WellBehavedTest, StopsAndAbandonsOnLoss) {
  AppBehaviour app = Playing(v1::BEHAVIOUR_WELL_BEHAVED);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS)), ElementsAre(kStop, Abandon()));
  EXPECT_EQ(app.state(), AppState::kIdle);
  // Never expects GAIN back: a late GAIN does not restart it.
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_GAIN)), IsEmpty());
  EXPECT_EQ(app.state(), AppState::kIdle);
}

TEST(WellBehavedTest, StopsAndAbandonsOnLossWhilePaused) {
  AppBehaviour app = Playing(v1::BEHAVIOUR_WELL_BEHAVED);
  app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT));
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS)), ElementsAre(kStop, Abandon()));
}

TEST(WellBehavedTest, AbandonsRightAfterPlayback) {
  AppBehaviour app = Playing(v1::BEHAVIOUR_WELL_BEHAVED);
  EXPECT_THAT(app.Handle(StopInput{}), ElementsAre(kStop, Abandon()));
  EXPECT_EQ(app.state(), AppState::kIdle);
  EXPECT_THAT(app.Handle(StopInput{}), IsEmpty());
}

TEST(WellBehavedTest, StopBeforeTheAnswerAbandonsWhenItComes) {
  AppBehaviour app = Make(v1::BEHAVIOUR_WELL_BEHAVED);
  app.Handle(PlayInput{});
  EXPECT_THAT(app.Handle(StopInput{}), IsEmpty());
  EXPECT_EQ(app.state(), AppState::kIdle);
  EXPECT_THAT(app.Handle(Result(caraudio::v1::REQUEST_GRANTED)), ElementsAre(Abandon()));
  EXPECT_EQ(app.state(), AppState::kIdle);
}

TEST(WellBehavedTest, StaleTimerIsIgnored) {
  AppBehaviour app = Make(v1::BEHAVIOUR_WELL_BEHAVED);
  app.Handle(PlayInput{1000});
  app.Handle(Result(caraudio::v1::REQUEST_GRANTED));  // generation 1
  app.Handle(StopInput{});                            // generation 2
  app.Handle(PlayInput{});
  app.Handle(Result(caraudio::v1::REQUEST_GRANTED));  // generation 3, no end
  EXPECT_THAT(app.Handle(PlaybackFinishedInput{1}), IsEmpty());
  EXPECT_EQ(app.state(), AppState::kPlaying);
}

TEST(WellBehavedTest, SecondPlayWhilePlayingChangesNothing) {
  AppBehaviour app = Playing(v1::BEHAVIOUR_WELL_BEHAVED);
  EXPECT_THAT(app.Handle(PlayInput{}), IsEmpty());
  EXPECT_EQ(app.state(), AppState::kPlaying);
}

TEST(WellBehavedTest, EventsOfAnotherClientIdAreIgnored) {
  AppBehaviour app = Playing(v1::BEHAVIOUR_WELL_BEHAVED);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS, "someone-else")), IsEmpty());
  EXPECT_EQ(app.state(), AppState::kPlaying);
}

// ---- Plays without focus ---------------------------------------------------

TEST(PlaysWithoutFocusTest, PlaysAtOnceAndNeverTalksToTheService) {
  AppBehaviour app = Make(v1::BEHAVIOUR_PLAYS_WITHOUT_FOCUS);
  EXPECT_THAT(app.Handle(PlayInput{500}), ElementsAre(kStart, EndIn(500, 1)));
  EXPECT_EQ(app.state(), AppState::kPlaying);
  EXPECT_THAT(app.Handle(PlaybackFinishedInput{1}), ElementsAre(kStop));
  EXPECT_EQ(app.state(), AppState::kIdle);
}

// ---- Keeps playing after loss ---------------------------------------------------

TEST(KeepsPlayingAfterLossTest, IgnoresTransientLossAndLoss) {
  AppBehaviour app = Playing(v1::BEHAVIOUR_KEEPS_PLAYING_AFTER_LOSS);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT)), IsEmpty());
  EXPECT_EQ(app.state(), AppState::kPlaying);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_GAIN)), IsEmpty());
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS)), IsEmpty());
  EXPECT_EQ(app.state(), AppState::kPlaying);
  // It stops only when told; its request is gone, so nothing to abandon.
  EXPECT_THAT(app.Handle(StopInput{}), ElementsAre(kStop));
}

TEST(KeepsPlayingAfterLossTest, StillLowersItselfOnCanDuck) {
  AppBehaviour app = Playing(v1::BEHAVIOUR_KEEPS_PLAYING_AFTER_LOSS);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK)),
              ElementsAre(kDuck));
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_GAIN)), ElementsAre(kRestore));
}

// ---- Ignores CAN_DUCK ------------------------------------------------------------

TEST(IgnoresCanDuckTest, StaysAtFullVolumeOnCanDuck) {
  AppBehaviour app = Playing(v1::BEHAVIOUR_IGNORES_CAN_DUCK);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK)), IsEmpty());
  EXPECT_EQ(app.state(), AppState::kPlaying);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_GAIN)), IsEmpty());
}

TEST(IgnoresCanDuckTest, EvenWhenItAskedToPause) {
  AppBehaviour app = Playing(v1::BEHAVIOUR_IGNORES_CAN_DUCK, /*pause_when_ducked=*/true);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK)), IsEmpty());
}

TEST(IgnoresCanDuckTest, FollowsTheOtherRules) {
  AppBehaviour app = Playing(v1::BEHAVIOUR_IGNORES_CAN_DUCK);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT)), ElementsAre(kPause));
  // CAN_DUCK after a pause: it plays on at full volume.
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK)),
              ElementsAre(kRestore));
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS)), ElementsAre(kStop, Abandon()));
}

// ---- Never abandons ----------------------------------------------------------------

TEST(NeverAbandonsTest, StopsButKeepsItsFocus) {
  AppBehaviour app = Playing(v1::BEHAVIOUR_NEVER_ABANDONS);
  EXPECT_THAT(app.Handle(StopInput{}), ElementsAre(kStop));
  EXPECT_EQ(app.state(), AppState::kHoldingSilent);
  // Playing again re-requests with the same client id (which replaces).
  EXPECT_THAT(app.Handle(PlayInput{}), ElementsAre(Request()));
  EXPECT_THAT(app.Handle(Result(caraudio::v1::REQUEST_GRANTED)), ElementsAre(kStart));
}

TEST(NeverAbandonsTest, StopsOnLossWithoutAbandoning) {
  AppBehaviour app = Playing(v1::BEHAVIOUR_NEVER_ABANDONS);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS)), ElementsAre(kStop));
  EXPECT_EQ(app.state(), AppState::kIdle);
}

TEST(NeverAbandonsTest, LossWhileHoldingSilentEndsTheHold) {
  AppBehaviour app = Playing(v1::BEHAVIOUR_NEVER_ABANDONS);
  app.Handle(StopInput{});
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS)), IsEmpty());
  EXPECT_EQ(app.state(), AppState::kIdle);
}

TEST(NeverAbandonsTest, KeepsALateGrantToo) {
  AppBehaviour app = Make(v1::BEHAVIOUR_NEVER_ABANDONS);
  app.Handle(PlayInput{});
  EXPECT_THAT(app.Handle(StopInput{}), IsEmpty());
  EXPECT_THAT(app.Handle(Result(caraudio::v1::REQUEST_GRANTED)), IsEmpty());
  EXPECT_EQ(app.state(), AppState::kHoldingSilent);
}

// ---- Requests twice ------------------------------------------------------------------

TEST(RequestsTwiceTest, TwoRequestsWithTwoClientIdsForOnePlayback) {
  AppBehaviour app = Make(v1::BEHAVIOUR_REQUESTS_TWICE);
  EXPECT_THAT(app.Handle(PlayInput{}), ElementsAre(Request(kApp), Request(kSecond)));
  // It plays on the second session's answer and hears only that session.
  EXPECT_THAT(app.Handle(Result(caraudio::v1::REQUEST_GRANTED, kApp)), IsEmpty());
  EXPECT_EQ(app.state(), AppState::kRequesting);
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS, kApp)), IsEmpty());
  EXPECT_THAT(app.Handle(Result(caraudio::v1::REQUEST_GRANTED, kSecond)), ElementsAre(kStart));
  EXPECT_EQ(app.state(), AppState::kPlaying);
  // The first session lost its focus to the second: only the second is
  // abandoned.
  EXPECT_THAT(app.Handle(StopInput{}), ElementsAre(kStop, Abandon(kSecond)));
}

TEST(RequestsTwiceTest, AbandonsBothWhenBothStillLive) {
  AppBehaviour app = Make(v1::BEHAVIOUR_REQUESTS_TWICE);
  app.Handle(PlayInput{});
  app.Handle(Result(caraudio::v1::REQUEST_GRANTED, kApp));
  app.Handle(Result(caraudio::v1::REQUEST_GRANTED, kSecond));
  EXPECT_THAT(app.Handle(StopInput{}), ElementsAre(kStop, Abandon(kApp), Abandon(kSecond)));
}

TEST(RequestsTwiceTest, ReactsToTheSecondSessionsChanges) {
  AppBehaviour app = Make(v1::BEHAVIOUR_REQUESTS_TWICE);
  app.Handle(PlayInput{});
  app.Handle(Result(caraudio::v1::REQUEST_GRANTED, kSecond));
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT, kApp)), IsEmpty());
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT, kSecond)),
              ElementsAre(kPause));
}

// ---- Changes volume itself ---------------------------------------------------------------

TEST(ChangesVolumeItselfTest, SetsItsGroupVolumeWhenItStarts) {
  AppBehaviour app = Make(v1::BEHAVIOUR_CHANGES_VOLUME_ITSELF);
  EXPECT_THAT(app.Handle(PlayInput{1000}), ElementsAre(Request()));
  EXPECT_THAT(app.Handle(Result(caraudio::v1::REQUEST_GRANTED)),
              ElementsAre(kStart, kChangeVolume, EndIn(1000, 1)));
  // Otherwise well-behaved.
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK)),
              ElementsAre(kDuck));
  EXPECT_THAT(app.Handle(PlaybackFinishedInput{1}), ElementsAre(kStop, Abandon()));
}

TEST(ChangesVolumeItselfTest, NothingWhenNotGranted) {
  AppBehaviour app = Make(v1::BEHAVIOUR_CHANGES_VOLUME_ITSELF);
  app.Handle(PlayInput{});
  EXPECT_THAT(app.Handle(Result(caraudio::v1::REQUEST_FAILED)), IsEmpty());
}

// ---- Lifecycle profiles: play whatever the answer ------------------------------------------

class PlaysWhateverTheAnswerTest : public ::testing::TestWithParam<v1::Behaviour> {};

TEST_P(PlaysWhateverTheAnswerTest, StartsAfterFailed) {
  AppBehaviour app = Make(GetParam());
  EXPECT_THAT(app.Handle(PlayInput{2000}), ElementsAre(Request()));
  EXPECT_THAT(app.Handle(Result(caraudio::v1::REQUEST_FAILED)),
              ElementsAre(kStart, EndIn(2000, 1)));
  EXPECT_EQ(app.state(), AppState::kPlaying);
  // No request lives, so nothing to abandon.
  EXPECT_THAT(app.Handle(PlaybackFinishedInput{1}), ElementsAre(kStop));
}

TEST_P(PlaysWhateverTheAnswerTest, StartsAfterDelayed) {
  AppBehaviour app = Make(GetParam());
  app.Handle(PlayInput{});
  EXPECT_THAT(app.Handle(Result(caraudio::v1::REQUEST_DELAYED)), ElementsAre(kStart));
  EXPECT_THAT(app.Handle(StopInput{}), ElementsAre(kStop, Abandon()));
}

TEST_P(PlaysWhateverTheAnswerTest, WhenGrantedFollowsTheRules) {
  AppBehaviour app = Playing(GetParam());
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK)),
              ElementsAre(kDuck));
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT)), ElementsAre(kPause));
  EXPECT_THAT(app.Handle(Change(caraudio::v1::FOCUS_CHANGE_LOSS)), ElementsAre(kStop, Abandon()));
}

INSTANTIATE_TEST_SUITE_P(LifecycleProfiles, PlaysWhateverTheAnswerTest,
                         ::testing::Values(v1::BEHAVIOUR_STARTS_FROM_BOOT_COMPLETED,
                                           v1::BEHAVIOUR_BACKGROUND_WITHOUT_FGS));

TEST(AppBehaviourTest, ClientIds) {
  EXPECT_EQ(Make(v1::BEHAVIOUR_WELL_BEHAVED).client_id(), kApp);
  EXPECT_EQ(Make(v1::BEHAVIOUR_WELL_BEHAVED).listened_client_id(), kApp);
  EXPECT_EQ(Make(v1::BEHAVIOUR_REQUESTS_TWICE).listened_client_id(), kSecond);
}

TEST(AppBehaviourTest, StateNames) {
  EXPECT_EQ(AppStateName(AppState::kWaitingForGain), "waiting-for-gain");
  EXPECT_EQ(AppStateName(AppState::kHoldingSilent), "holding-silent");
}

}  // namespace
}  // namespace caraudio::sim
