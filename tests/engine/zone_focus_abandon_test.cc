// Abandon and the cleanup it runs (focus-rules.md §3.5), and the other entry
// points of §3.6: RemoveAndTransientlyLose and ReevaluateAndRegain.

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

TEST(ZoneFocusAbandonTest, AbandoningHolderRemovesItWithoutCallback) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  EXPECT_THAT(zone.Abandon("player"), IsEmpty());
  EXPECT_FALSE(zone.Contains("player"));
  EXPECT_THAT(HolderIds(zone), IsEmpty());
}

TEST(ZoneFocusAbandonTest, UnknownClientIsNoOp) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kT));
  const ZoneSnapshot before = Snapshot(zone);
  EXPECT_THAT(zone.Abandon("nobody"), IsEmpty());
  EXPECT_EQ(Snapshot(zone), before);
  ZoneFocus empty(0);
  EXPECT_THAT(empty.Abandon("nobody"), IsEmpty());
}

TEST(ZoneFocusAbandonTest, AbandoningWaitingLoserRemovesItSilently) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kT));
  EXPECT_THAT(zone.Abandon("player"), IsEmpty());
  EXPECT_THAT(LoserIds(zone), IsEmpty());
  EXPECT_THAT(HolderIds(zone), ElementsAre("assistant"));
  EXPECT_THAT(zone.Abandon("assistant"), IsEmpty());
}

TEST(ZoneFocusAbandonTest, LoserRegainsWithGainWhatEverGainItAskedFor) {
  for (FocusGain original : kAllGains) {
    SCOPED_TRACE(FocusGainName(original));
    ZoneFocus zone(0);
    MustGrant(zone, MakeRequest("maps", kNavUsage, original));
    // NAV -> VOICE is E.
    EXPECT_THAT(MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kX)),
                ElementsAre(Cb("maps", kNavUsage, kLossTransient)));
    // Android 13+: the re-gain is always AUDIOFOCUS_GAIN (1).
    EXPECT_THAT(zone.Abandon("assistant"), ElementsAre(Cb("maps", kNavUsage, kGainChange)));
    EXPECT_EQ(static_cast<int>(kGainChange), 1);
    EXPECT_THAT(HolderIds(zone), ElementsAre("maps"));
  }
}

TEST(ZoneFocusAbandonTest, SeveralLosersRegainTogether) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  MustGrant(zone, MakeRequest("maps", kNavUsage, kD));  // shares focus with music
  // VOICE: MUSIC -> VOICE E, NAV -> VOICE E; both wait behind the assistant.
  EXPECT_THAT(MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kT)),
              UnorderedElementsAre(Cb("player", kMusicUsage, kLossTransient),
                                   Cb("maps", kNavUsage, kLossTransient)));
  // AAOS dispatches these in hash order: no order is asserted.
  EXPECT_THAT(zone.Abandon("assistant"),
              UnorderedElementsAre(Cb("player", kMusicUsage, kGainChange),
                                   Cb("maps", kNavUsage, kGainChange)));
  EXPECT_THAT(HolderIds(zone), UnorderedElementsAre("player", "maps"));
  EXPECT_THAT(LoserIds(zone), IsEmpty());
}

TEST(ZoneFocusAbandonTest, LoserWithTwoBlockersRegainsOnlyWhenBothAreGone) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kT));  // MUSIC -> CALL E
  const FocusEntryId dialer_id = FindHolder(zone, "dialer")->id;
  // CALL -> ALARM is C with D (dialer keeps); MUSIC -> ALARM is E (player blocked again).
  EXPECT_THAT(MustGrant(zone, MakeRequest("alarm", kAlarmUsage, kD)), IsEmpty());
  const FocusEntryId alarm_id = FindHolder(zone, "alarm")->id;
  EXPECT_THAT(FindLoser(zone, "player")->blockers, UnorderedElementsAre(dialer_id, alarm_id));

  EXPECT_THAT(zone.Abandon("dialer"), IsEmpty());
  EXPECT_THAT(FindLoser(zone, "player")->blockers, ElementsAre(alarm_id));
  EXPECT_THAT(zone.Abandon("alarm"), ElementsAre(Cb("player", kMusicUsage, kGainChange)));
}

// Losers move back to the holders without being evaluated against the
// matrix again (§3.5 step 2).
TEST(ZoneFocusAbandonTest, RestoredLoserIsNotReEvaluatedAgainstTheMatrix) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  MustGrant(zone, WithPauseWhenDucked(MakeRequest("maps", kNavUsage, kD)));  // CALL -> NAV C
  zone.SetNavigationRejectedDuringCall(true);
  // ALARM D: dialer keeps; maps wants pause, so it waits behind the alarm.
  EXPECT_THAT(MustGrant(zone, MakeRequest("alarm", kAlarmUsage, kD)),
              ElementsAre(Cb("maps", kNavUsage, kLossTransient)));
  // CALL -> NAV is R now, but the restored loser is not evaluated.
  EXPECT_THAT(zone.Abandon("alarm"), ElementsAre(Cb("maps", kNavUsage, kGainChange)));
  EXPECT_THAT(HolderIds(zone), UnorderedElementsAre("dialer", "maps"));
}

// Android 15 / main fix: the re-gained entry is no longer "ducked", so a later
// non-ducking transient loss is sent once, not twice.
TEST(ZoneFocusAbandonTest, RegainedEntryDuckedFlagIsCleared) {
  ZoneFocus zone(0);
  MustGrant(zone, WithDuckEvents(MakeRequest("player", kMusicUsage, kG)));
  EXPECT_THAT(MustGrant(zone, MakeRequest("maps", kNavUsage, kD)),
              ElementsAre(Cb("player", kMusicUsage, kLossCanDuck)));
  ASSERT_TRUE(FindLoser(zone, "player")->ducked);
  EXPECT_THAT(zone.Abandon("maps"), ElementsAre(Cb("player", kMusicUsage, kGainChange)));
  ASSERT_NE(FindHolder(zone, "player"), nullptr);
  EXPECT_FALSE(FindHolder(zone, "player")->ducked);

  // Lose transiently (MUSIC -> VOICE E) ...
  EXPECT_THAT(MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kT)),
              ElementsAre(Cb("player", kMusicUsage, kLossTransient)));
  EXPECT_FALSE(FindLoser(zone, "player")->ducked);
  // ... then another T request (VOICE -> VOICE C, MUSIC -> VOICE E): only the
  // assistant is told; player already had its LOSS_TRANSIENT.
  EXPECT_THAT(MustGrant(zone, MakeRequest("assistant2", kVoiceUsage, kT)),
              ElementsAre(Cb("assistant", kVoiceUsage, kLossTransient)));
}

TEST(ZoneFocusAbandonTest, DelayedAbandonClearsItWithoutCallbacksOrReevaluation) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  ASSERT_EQ(zone.Request(WithDelayOk(MakeRequest("player", kMusicUsage, kG))).result,
            RequestResult::kDelayed);
  MustGrant(zone, MakeRequest("maps", kNavUsage, kT));  // the call waits behind maps
  const ZoneSnapshot before = Snapshot(zone);
  EXPECT_THAT(zone.Abandon("player"), IsEmpty());
  ZoneSnapshot after = Snapshot(zone);
  EXPECT_FALSE(after.delayed_client.has_value());
  EXPECT_EQ(after.holders, before.holders);
  EXPECT_EQ(after.losers, before.losers);
}

TEST(ZoneFocusAbandonTest, AbandonRetriesDelayedRequestFirst) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  ASSERT_EQ(zone.Request(WithDelayOk(MakeRequest("player", kMusicUsage, kG))).result,
            RequestResult::kDelayed);
  // EMERGENCY T: CALL -> EMERGENCY C, the call waits.
  EXPECT_THAT(MustGrant(zone, MakeRequest("emergency", kEmergencyUsage, kT)),
              ElementsAre(Cb("dialer", kCallUsage, kLossTransient)));
  // Abandoning the emergency: the retry still meets the waiting call
  // (CALL -> MUSIC R, losers count) and stays delayed; then the call returns.
  EXPECT_THAT(zone.Abandon("emergency"), ElementsAre(Cb("dialer", kCallUsage, kGainChange)));
  EXPECT_EQ(DelayedClient(zone), "player");
  EXPECT_THAT(zone.Abandon("dialer"), ElementsAre(Cb("player", kMusicUsage, kGainChange)));
}

TEST(ZoneFocusAbandonTest, AbandoningLoserAlsoRetriesDelayedRequest) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  ASSERT_EQ(zone.Request(WithDelayOk(MakeRequest("player", kMusicUsage, kG))).result,
            RequestResult::kDelayed);
  MustGrant(zone, MakeRequest("emergency", kEmergencyUsage, kT));
  ASSERT_THAT(LoserIds(zone), ElementsAre("dialer"));
  // The waiting call is abandoned; EMERGENCY -> MUSIC is R: still delayed.
  EXPECT_THAT(zone.Abandon("dialer"), IsEmpty());
  EXPECT_EQ(DelayedClient(zone), "player");
  EXPECT_THAT(zone.Abandon("emergency"), ElementsAre(Cb("player", kMusicUsage, kGainChange)));
}

TEST(ZoneFocusAbandonTest, AbandoningBlockerThatIsItselfWaitingKeepsChainIntact) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kT));  // player waits
  MustGrant(zone, MakeRequest("safety", kSafetyUsage, kT));    // assistant waits too
  const FocusEntryId safety_id = FindHolder(zone, "safety")->id;
  // Abandon the waiting assistant: player still waits for safety.
  EXPECT_THAT(zone.Abandon("assistant"), IsEmpty());
  EXPECT_THAT(FindLoser(zone, "player")->blockers, ElementsAre(safety_id));
  EXPECT_THAT(zone.Abandon("safety"), ElementsAre(Cb("player", kMusicUsage, kGainChange)));
}

TEST(ZoneFocusAbandonTest, RemoveAndTransientlyLoseTellsTheHolderAndRestoresItsWaiters) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kT));
  EXPECT_THAT(zone.RemoveAndTransientlyLose("assistant"),
              ElementsAre(Cb("assistant", kVoiceUsage, kLossTransient),
                          Cb("player", kMusicUsage, kGainChange)));
  EXPECT_FALSE(zone.Contains("assistant"));
  EXPECT_THAT(HolderIds(zone), ElementsAre("player"));
  EXPECT_THAT(LoserIds(zone), IsEmpty());
}

TEST(ZoneFocusAbandonTest, RemoveAndTransientlyLoseTellsAWaitingLoser) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kT));
  EXPECT_THAT(zone.RemoveAndTransientlyLose("player"),
              ElementsAre(Cb("player", kMusicUsage, kLossTransient)));
  EXPECT_FALSE(zone.Contains("player"));
  EXPECT_THAT(HolderIds(zone), ElementsAre("assistant"));
  EXPECT_THAT(LoserIds(zone), IsEmpty());
}

TEST(ZoneFocusAbandonTest, RemoveAndTransientlyLoseUnknownClientIsNoOp) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  const ZoneSnapshot before = Snapshot(zone);
  EXPECT_THAT(zone.RemoveAndTransientlyLose("nobody"), IsEmpty());
  EXPECT_EQ(Snapshot(zone), before);
}

TEST(ZoneFocusAbandonTest, RemoveAndTransientlyLoseRetriesDelayedRequest) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  ASSERT_EQ(zone.Request(WithDelayOk(MakeRequest("player", kMusicUsage, kG))).result,
            RequestResult::kDelayed);
  EXPECT_THAT(zone.RemoveAndTransientlyLose("dialer"),
              ElementsAre(Cb("dialer", kCallUsage, kLossTransient),
                          Cb("player", kMusicUsage, kGainChange)));
}

TEST(ZoneFocusAbandonTest, ReevaluateAndRegainGrantsAndSendsGainLast) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("maps", kNavUsage, kG));
  FocusDecision decision = zone.ReevaluateAndRegain(MakeRequest("player", kMusicUsage, kG));
  EXPECT_EQ(decision.result, RequestResult::kGranted);
  // NAV -> MUSIC is C: maps loses for good; then player is told GAIN.
  EXPECT_THAT(decision.callbacks, ElementsAre(Cb("maps", kNavUsage, kLoss),
                                              Cb("player", kMusicUsage, kGainChange)));
  EXPECT_THAT(HolderIds(zone), ElementsAre("player"));
}

TEST(ZoneFocusAbandonTest, ReevaluateAndRegainInEmptyZone) {
  ZoneFocus zone(0);
  FocusDecision decision = zone.ReevaluateAndRegain(MakeRequest("player", kMusicUsage, kT));
  EXPECT_EQ(decision.result, RequestResult::kGranted);
  EXPECT_THAT(decision.callbacks, ElementsAre(Cb("player", kMusicUsage, kGainChange)));
}

TEST(ZoneFocusAbandonTest, ReevaluateAndRegainRejectedSendsNothing) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  const ZoneSnapshot before = Snapshot(zone);
  FocusDecision decision = zone.ReevaluateAndRegain(MakeRequest("player", kMusicUsage, kG));
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  EXPECT_THAT(decision.callbacks, IsEmpty());
  EXPECT_EQ(Snapshot(zone), before);
}

}  // namespace
}  // namespace caraudio
