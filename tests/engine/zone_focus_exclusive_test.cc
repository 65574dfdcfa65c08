// ZoneFocus on EXCLUSIVE cells (focus-rules.md §3.3 step 5 "E", the E row of
// the summary table) and the GAIN_TRANSIENT_EXCLUSIVE rule that blocks
// notifications (steps 3a / 4a).

#include <string>
#include <vector>

#include "carservice/zone_focus.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/focus_test_util.h"

namespace caraudio {
namespace {

using namespace engine_test;  // NOLINT: test-local vocabulary
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// MUSIC holder, MUSIC request from another client: the cell is E.
TEST(ZoneFocusExclusiveTest, SummaryTableExclusiveRowForEveryGainAndHolderFlags) {
  ASSERT_EQ(FocusInteraction().Evaluate(AudioContext::kMusic, AudioContext::kMusic),
            Interaction::kExclusive);
  for (HolderFlags flags : kAllHolderFlags) {
    for (FocusGain gain : kAllGains) {
      SCOPED_TRACE(FlagsName(flags) + " holder, " + FocusGainName(gain) + " request");
      ZoneFocus zone(0);
      MustGrant(zone, WithFlags(MakeRequest("player", kMusicUsage, kG), flags));
      FocusDecision decision = zone.Request(MakeRequest("radio", kMusicUsage, gain));
      ASSERT_EQ(decision.result, RequestResult::kGranted);
      EXPECT_THAT(HolderIds(zone), ElementsAre("radio"));
      const FocusEntryId radio_id = FindHolder(zone, "radio")->id;

      if (gain == kG) {  // E + G: LOSS; removed
        EXPECT_THAT(decision.callbacks, ElementsAre(Cb("player", kMusicUsage, kLoss)));
        EXPECT_THAT(LoserIds(zone), IsEmpty());
        continue;
      }
      // E + T/X: LOSS_TRANSIENT. E + D: LOSS_TRANSIENT, or CAN_DUCK when the
      // holder receives duck events. Pause-when-ducked makes no difference on E.
      const bool can_duck = gain == kD && flags.receives_duck_events;
      EXPECT_THAT(decision.callbacks,
                  ElementsAre(Cb("player", kMusicUsage, can_duck ? kLossCanDuck : kLossTransient)));
      const FocusEntry* player = FindLoser(zone, "player");
      ASSERT_NE(player, nullptr);
      EXPECT_THAT(player->blockers, ElementsAre(radio_id));
      EXPECT_EQ(player->ducked, can_duck);
    }
  }
}

TEST(ZoneFocusExclusiveTest, PermanentRequestMakesHolderLoseForGood) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  EXPECT_THAT(MustGrant(zone, MakeRequest("radio", kMusicUsage, kG)),
              ElementsAre(Cb("player", kMusicUsage, kLoss)));
  EXPECT_FALSE(zone.Contains("player"));
  // No GAIN later: player is gone.
  EXPECT_THAT(zone.Abandon("radio"), IsEmpty());
  EXPECT_THAT(HolderIds(zone), IsEmpty());
}

TEST(ZoneFocusExclusiveTest, TransientRequestMakesHolderWaitThenRegain) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  EXPECT_THAT(MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kT)),
              ElementsAre(Cb("player", kMusicUsage, kLossTransient)));
  EXPECT_THAT(LoserIds(zone), ElementsAre("player"));
  EXPECT_THAT(zone.Abandon("assistant"), ElementsAre(Cb("player", kMusicUsage, kGainChange)));
  EXPECT_THAT(HolderIds(zone), ElementsAre("player"));
  EXPECT_THAT(LoserIds(zone), IsEmpty());
}

TEST(ZoneFocusExclusiveTest, DuckingRequestOnExclusiveCellStillTakesFocusFromPlainHolder) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  // MUSIC -> CALL_RING is E: even a D request makes the holder wait.
  EXPECT_THAT(MustGrant(zone, MakeRequest("ringer", kRingUsage, kD)),
              ElementsAre(Cb("player", kMusicUsage, kLossTransient)));
  EXPECT_FALSE(FindLoser(zone, "player")->ducked);
}

TEST(ZoneFocusExclusiveTest, PermanentRequestRemovesExclusiveLoserForGood) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kT));
  // VOICE_COMMAND -> MUSIC is C and MUSIC -> MUSIC is E; a G request makes
  // both the holder and the waiting loser lose for good.
  EXPECT_THAT(MustGrant(zone, MakeRequest("radio", kMusicUsage, kG)),
              UnorderedElementsAre(Cb("player", kMusicUsage, kLoss),
                                   Cb("assistant", kVoiceUsage, kLoss)));
  EXPECT_THAT(HolderIds(zone), ElementsAre("radio"));
  EXPECT_THAT(LoserIds(zone), IsEmpty());
  EXPECT_THAT(zone.Abandon("radio"), IsEmpty());
}

TEST(ZoneFocusExclusiveTest, TransientRequestOnExclusiveCellAddsBlockerToWaitingLoser) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kT));
  const FocusEntryId assistant_id = FindHolder(zone, "assistant")->id;
  // MUSIC -> CALL is E (loser gets a blocker, no callback); VOICE -> CALL is E.
  EXPECT_THAT(MustGrant(zone, MakeRequest("dialer", kCallUsage, kT)),
              ElementsAre(Cb("assistant", kVoiceUsage, kLossTransient)));
  const FocusEntryId dialer_id = FindHolder(zone, "dialer")->id;
  EXPECT_THAT(FindLoser(zone, "player")->blockers, UnorderedElementsAre(assistant_id, dialer_id));
}

TEST(ZoneFocusExclusiveTest, NotificationFailsAgainstExclusiveHolderIgnoringMatrix) {
  for (AudioUsage usage : {AudioUsage::kNotification, AudioUsage::kNotificationEvent}) {
    for (FocusGain gain : kAllGains) {
      SCOPED_TRACE(UsageName(static_cast<int32_t>(usage)) + " " + FocusGainName(gain));
      ZoneFocus zone(0);
      MustGrant(zone, MakeRequest("maps", kNavUsage, kX));
      const ZoneSnapshot before = Snapshot(zone);
      // NAVIGATION -> NOTIFICATION is C, yet the request fails.
      FocusDecision decision = zone.Request(MakeRequest("notifier", usage, gain));
      EXPECT_EQ(decision.result, RequestResult::kFailed);
      EXPECT_THAT(decision.callbacks, IsEmpty());
      EXPECT_EQ(Snapshot(zone), before);
      EXPECT_EQ(decision.explanation.rule, DecisionRule::kNotificationVsExclusive);
      EXPECT_EQ(decision.explanation.blocking_client, "maps");
      EXPECT_FALSE(decision.explanation.blocking_entry_is_loser);
    }
  }
}

TEST(ZoneFocusExclusiveTest, NotificationWithDelayOkAgainstExclusiveHolderFailsInsteadOfDelaying) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("maps", kNavUsage, kX));
  FocusDecision decision =
      zone.Request(WithDelayOk(MakeRequest("notifier", kNotificationUsage, kG)));
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  EXPECT_EQ(decision.explanation.rule, DecisionRule::kNotificationVsExclusive);
  EXPECT_FALSE(zone.delayed_request().has_value());
}

TEST(ZoneFocusExclusiveTest, NotificationFailsAgainstWaitingExclusiveLoser) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("maps", kNavUsage, kX));
  // NAVIGATION -> CALL is E: maps (X) now waits.
  EXPECT_THAT(MustGrant(zone, MakeRequest("dialer", kCallUsage, kT)),
              ElementsAre(Cb("maps", kNavUsage, kLossTransient)));
  ASSERT_THAT(LoserIds(zone), ElementsAre("maps"));
  const ZoneSnapshot before = Snapshot(zone);
  // CALL -> NOTIFICATION is C; only the waiting X entry blocks it.
  FocusDecision decision = zone.Request(MakeRequest("notifier", kNotificationUsage, kT));
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  EXPECT_THAT(decision.callbacks, IsEmpty());
  EXPECT_EQ(Snapshot(zone), before);
  EXPECT_EQ(decision.explanation.rule, DecisionRule::kNotificationVsExclusive);
  EXPECT_EQ(decision.explanation.blocking_client, "maps");
  EXPECT_TRUE(decision.explanation.blocking_entry_is_loser);
}

TEST(ZoneFocusExclusiveTest, NotificationIsGrantedWhenTheWaitingLoserIsOnlyTransient) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("maps", kNavUsage, kT));
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kT));
  ASSERT_THAT(LoserIds(zone), ElementsAre("maps"));
  EXPECT_THAT(MustGrant(zone, MakeRequest("notifier", kNotificationUsage, kT)),
              UnorderedElementsAre(Cb("dialer", kCallUsage, kLossTransient)));
}

TEST(ZoneFocusExclusiveTest, TransientHolderDoesNotBlockNotifications) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("maps", kNavUsage, kT));
  EXPECT_THAT(MustGrant(zone, MakeRequest("notifier", kNotificationUsage, kT)),
              ElementsAre(Cb("maps", kNavUsage, kLossTransient)));
}

TEST(ZoneFocusExclusiveTest, ExclusiveHolderDoesNotBlockOtherContexts) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("maps", kNavUsage, kX));
  // NAVIGATION -> ALARM is C: a T request is granted and maps waits.
  EXPECT_THAT(MustGrant(zone, MakeRequest("alarm", kAlarmUsage, kT)),
              ElementsAre(Cb("maps", kNavUsage, kLossTransient)));
}

TEST(ZoneFocusExclusiveTest, ExclusiveRequestTakesFocusLikeTransient) {
  ZoneFocus zone(0);
  MustGrant(zone, WithDuckEvents(MakeRequest("player", kMusicUsage, kG)));
  EXPECT_THAT(MustGrant(zone, MakeRequest("maps", kNavUsage, kX)),
              ElementsAre(Cb("player", kMusicUsage, kLossTransient)));
  EXPECT_THAT(zone.Abandon("maps"), ElementsAre(Cb("player", kMusicUsage, kGainChange)));
}

TEST(ZoneFocusExclusiveTest, EmergencyPreemptsInvalidHolder) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRawRequest("virtual", 15, kG));
  EXPECT_THAT(MustGrant(zone, MakeRequest("emergency", kEmergencyUsage, kT)),
              ElementsAre(Callback(0, "virtual", AudioUsage::kVirtualSource, kLossTransient)));
  EXPECT_THAT(MustGrant(zone, MakeRequest("safety", kSafetyUsage, kG)),
              UnorderedElementsAre(Callback(0, "virtual", AudioUsage::kVirtualSource, kLoss),
                                   Cb("emergency", kEmergencyUsage, kLoss)));
}

TEST(ZoneFocusExclusiveTest, GrantedExplanationNamesTheMatrix) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  FocusDecision decision = zone.Request(MakeRequest("radio", kMusicUsage, kG));
  EXPECT_EQ(decision.result, RequestResult::kGranted);
  EXPECT_EQ(decision.explanation.rule, DecisionRule::kMatrix);
  EXPECT_TRUE(decision.explanation.blocking_client.empty());
}

}  // namespace
}  // namespace caraudio
