// Same-client re-requests (focus-rules.md §3.3 steps 3b / 4b, §3.4): silent
// replacement, different-context rejection, and the telephony ring/call swap
// that applies to holders only.

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

const std::string kPhone(kTelephonyClientId);

TEST(ZoneFocusSameClientTest, HolderReRequestingSameContextIsReplacedSilently) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  const FocusEntryId old_id = FindHolder(zone, "player")->id;
  FocusDecision decision = zone.Request(WithDuckEvents(MakeRequest("player", kMusicUsage, kD)));
  EXPECT_EQ(decision.result, RequestResult::kGranted);
  EXPECT_THAT(decision.callbacks, IsEmpty());
  ASSERT_THAT(HolderIds(zone), ElementsAre("player"));
  EXPECT_THAT(LoserIds(zone), IsEmpty());
  // The new gain type and flags take effect.
  const FocusEntry* player = FindHolder(zone, "player");
  EXPECT_EQ(player->request.gain, kD);
  EXPECT_TRUE(player->receives_duck_events());
  EXPECT_NE(player->id, old_id);
}

// The replaced entry is skipped in evaluation: an INVALID holder may replace
// itself although INVALID -> INVALID is R.
TEST(ZoneFocusSameClientTest, ReplacedEntryIsNotEvaluatedAgainstItself) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRawRequest("virtual", 15, kG));
  FocusDecision decision = zone.Request(MakeRawRequest("virtual", 999, kT));
  EXPECT_EQ(decision.result, RequestResult::kGranted);
  EXPECT_THAT(decision.callbacks, IsEmpty());
  ASSERT_THAT(HolderIds(zone), ElementsAre("virtual"));
  EXPECT_EQ(FindHolder(zone, "virtual")->request.usage, 999);
}

TEST(ZoneFocusSameClientTest, SameContextDifferentUsageCountsAsSameContext) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", AudioUsage::kMedia, kG));
  EXPECT_THAT(MustGrant(zone, MakeRequest("player", AudioUsage::kGame, kG)), IsEmpty());
  ASSERT_THAT(HolderIds(zone), ElementsAre("player"));
  EXPECT_EQ(FindHolder(zone, "player")->request.usage, static_cast<int32_t>(AudioUsage::kGame));
}

TEST(ZoneFocusSameClientTest, ReplacedHolderIsSkippedButOtherHoldersAreEvaluated) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  MustGrant(zone, MakeRequest("maps", kNavUsage, kD));  // MUSIC -> NAV C; shares focus
  // player re-requests T: NAV -> MUSIC is C, so maps waits; player itself is
  // not told anything (MUSIC -> MUSIC would be E if it were evaluated).
  EXPECT_THAT(MustGrant(zone, MakeRequest("player", kMusicUsage, kT)),
              ElementsAre(Cb("maps", kNavUsage, kLossTransient)));
  EXPECT_THAT(HolderIds(zone), ElementsAre("player"));
  EXPECT_THAT(LoserIds(zone), ElementsAre("maps"));
  EXPECT_THAT(FindLoser(zone, "maps")->blockers, ElementsAre(FindHolder(zone, "player")->id));
}

TEST(ZoneFocusSameClientTest, HolderRequestingDifferentContextFails) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("app", kMusicUsage, kG));
  const ZoneSnapshot before = Snapshot(zone);
  // MUSIC -> NAVIGATION is C, yet the same listener may not hold two contexts.
  FocusDecision decision = zone.Request(MakeRequest("app", kNavUsage, kD));
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  EXPECT_THAT(decision.callbacks, IsEmpty());
  EXPECT_EQ(Snapshot(zone), before);
  EXPECT_EQ(decision.explanation.rule, DecisionRule::kSameClientDifferentContext);
  EXPECT_EQ(decision.explanation.blocking_client, "app");
  EXPECT_FALSE(decision.explanation.blocking_entry_is_loser);
}

TEST(ZoneFocusSameClientTest, LoserRequestingDifferentContextFails) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("app", kMusicUsage, kG));
  MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kT));
  ASSERT_THAT(LoserIds(zone), ElementsAre("app"));
  const ZoneSnapshot before = Snapshot(zone);
  FocusDecision decision = zone.Request(MakeRequest("app", kSafetyUsage, kD));
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  EXPECT_EQ(Snapshot(zone), before);
  EXPECT_EQ(decision.explanation.rule, DecisionRule::kSameClientDifferentContext);
  EXPECT_TRUE(decision.explanation.blocking_entry_is_loser);
}

// A waiting loser re-requesting the same context is evaluated as new (without
// itself), goes straight to the holders, and gets no GAIN callback.
TEST(ZoneFocusSameClientTest, LoserReRequestingSameContextIsEvaluatedAsNewWithoutGainCallback) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  EXPECT_THAT(MustGrant(zone, MakeRequest("maps", kNavUsage, kT)),
              ElementsAre(Cb("player", kMusicUsage, kLossTransient)));
  // NAV -> MUSIC is C: a G request makes maps lose for good.
  FocusDecision decision = zone.Request(MakeRequest("player", kMusicUsage, kG));
  EXPECT_EQ(decision.result, RequestResult::kGranted);
  EXPECT_THAT(decision.callbacks, ElementsAre(Cb("maps", kNavUsage, kLoss)));
  EXPECT_THAT(HolderIds(zone), ElementsAre("player"));
  EXPECT_THAT(LoserIds(zone), IsEmpty());
}

TEST(ZoneFocusSameClientTest, LoserReRequestRejectedByHolderLeavesItWaiting) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kT));  // MUSIC -> CALL is E
  ASSERT_THAT(LoserIds(zone), ElementsAre("player"));
  const ZoneSnapshot before = Snapshot(zone);
  // CALL -> MUSIC is R: nothing changes, player still waits for dialer.
  EXPECT_EQ(zone.Request(MakeRequest("player", kMusicUsage, kG)).result, RequestResult::kFailed);
  EXPECT_EQ(Snapshot(zone), before);
  EXPECT_THAT(zone.Abandon("dialer"), ElementsAre(Cb("player", kMusicUsage, kGainChange)));
}

// Blockers are entries, not client ids: a holder that replaces itself stops
// blocking through its old entry and blocks anew through the new one.
TEST(ZoneFocusSameClientTest, ReplacingHolderMovesBlockToTheNewEntry) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kT));
  const FocusEntryId old_id = FindHolder(zone, "assistant")->id;
  ASSERT_THAT(FindLoser(zone, "player")->blockers, ElementsAre(old_id));

  EXPECT_THAT(MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kD)), IsEmpty());
  const FocusEntryId new_id = FindHolder(zone, "assistant")->id;
  EXPECT_NE(new_id, old_id);
  EXPECT_THAT(FindLoser(zone, "player")->blockers, ElementsAre(new_id));
  EXPECT_THAT(zone.Abandon("assistant"), ElementsAre(Cb("player", kMusicUsage, kGainChange)));
}

// When the replacement no longer blocks a waiter, the cleanup of the replaced
// entry restores it with GAIN (AAOS: a D request replacing a T request).
TEST(ZoneFocusSameClientTest, TransientToDuckingReplacementRestoresPlainWaiter) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("maps", kNavUsage, kG));
  // NAV -> ALARM is C; a T request makes maps wait.
  EXPECT_THAT(MustGrant(zone, MakeRequest("alarm", kAlarmUsage, kT)),
              ElementsAre(Cb("maps", kNavUsage, kLossTransient)));
  // The D replacement leaves a plain NAV entry alone, so nothing blocks maps.
  FocusDecision decision = zone.Request(MakeRequest("alarm", kAlarmUsage, kD));
  EXPECT_EQ(decision.result, RequestResult::kGranted);
  EXPECT_THAT(decision.callbacks, ElementsAre(Cb("maps", kNavUsage, kGainChange)));
  EXPECT_THAT(HolderIds(zone), UnorderedElementsAre("alarm", "maps"));
  EXPECT_THAT(LoserIds(zone), IsEmpty());
}

// ...but a replacement that still blocks (E cell, or a waiter that wants
// pause) keeps the waiter waiting, now for the new entry only.
TEST(ZoneFocusSameClientTest, ReplacementThatStillBlocksKeepsWaiterBlocked) {
  ZoneFocus zone(0);
  MustGrant(zone, WithPauseWhenDucked(MakeRequest("maps", kNavUsage, kG)));
  // NAV -> ALARM is C; maps wants pause, so a D request makes it wait.
  EXPECT_THAT(MustGrant(zone, MakeRequest("alarm", kAlarmUsage, kD)),
              ElementsAre(Cb("maps", kNavUsage, kLossTransient)));
  // alarm replaces itself with D again; maps still wants pause: still waits.
  EXPECT_THAT(MustGrant(zone, MakeRequest("alarm", kAlarmUsage, kD)), IsEmpty());
  EXPECT_THAT(LoserIds(zone), ElementsAre("maps"));
  EXPECT_THAT(FindLoser(zone, "maps")->blockers, ElementsAre(FindHolder(zone, "alarm")->id));

  ZoneFocus plain(0);
  MustGrant(plain, MakeRequest("player", kMusicUsage, kG));
  MustGrant(plain, MakeRequest("ringer", kRingUsage, kT));  // MUSIC -> RING is E
  ASSERT_THAT(LoserIds(plain), ElementsAre("player"));
  // The new D entry is E against the MUSIC loser: player keeps waiting, now
  // for the new entry only.
  EXPECT_THAT(MustGrant(plain, MakeRequest("ringer", kRingUsage, kD)), IsEmpty());
  EXPECT_THAT(FindLoser(plain, "player")->blockers, ElementsAre(FindHolder(plain, "ringer")->id));
}

TEST(ZoneFocusSameClientTest, ReplacementByPermanentRequestMakesItsWaitersLoseForGood) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kT));
  // MUSIC -> VOICE is E; G: the waiting player loses for good.
  EXPECT_THAT(MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kG)),
              ElementsAre(Cb("player", kMusicUsage, kLoss)));
  EXPECT_THAT(LoserIds(zone), IsEmpty());
  EXPECT_THAT(HolderIds(zone), ElementsAre("assistant"));
}

TEST(ZoneFocusSameClientTest, TelephonyClientSwapsRingToCallInPlace) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest(kPhone, kRingUsage, kT));
  FocusDecision decision = zone.Request(MakeRequest(kPhone, kCallUsage, kT));
  EXPECT_EQ(decision.result, RequestResult::kGranted);
  EXPECT_THAT(decision.callbacks, IsEmpty());
  ASSERT_THAT(HolderIds(zone), ElementsAre(kPhone));
  EXPECT_EQ(FindHolder(zone, kPhone)->context, AudioContext::kCall);
  EXPECT_EQ(FindHolder(zone, kPhone)->request.usage, static_cast<int32_t>(kCallUsage));
}

TEST(ZoneFocusSameClientTest, TelephonyClientSwapsCallToRingInPlace) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest(kPhone, kCallUsage, kG));
  EXPECT_THAT(MustGrant(zone, MakeRequest(kPhone, kRingUsage, kG)), IsEmpty());
  ASSERT_THAT(HolderIds(zone), ElementsAre(kPhone));
  EXPECT_EQ(FindHolder(zone, kPhone)->context, AudioContext::kCallRing);
}

TEST(ZoneFocusSameClientTest, TelephonySwapCoversEveryRingerOrCallUsage) {
  const AudioUsage ringer_or_call[] = {AudioUsage::kNotificationRingtone,
                                       AudioUsage::kVoiceCommunication,
                                       AudioUsage::kVoiceCommunicationSignalling,
                                       AudioUsage::kCallAssistant};
  for (AudioUsage from : ringer_or_call) {
    for (AudioUsage to : ringer_or_call) {
      SCOPED_TRACE(UsageName(static_cast<int32_t>(from)) + " -> " +
                   UsageName(static_cast<int32_t>(to)));
      ZoneFocus zone(0);
      MustGrant(zone, MakeRequest(kPhone, from, kT));
      EXPECT_THAT(MustGrant(zone, MakeRequest(kPhone, to, kT)), IsEmpty());
      EXPECT_THAT(HolderIds(zone), ElementsAre(kPhone));
    }
  }
}

TEST(ZoneFocusSameClientTest, TelephonySwapStillEvaluatesOtherHolders) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest(kPhone, kRingUsage, kG));
  MustGrant(zone, MakeRequest("maps", kNavUsage, kD));  // CALL_RING -> NAV is C
  // NAV -> CALL is E: maps waits while the call is on.
  EXPECT_THAT(MustGrant(zone, MakeRequest(kPhone, kCallUsage, kT)),
              ElementsAre(Cb("maps", kNavUsage, kLossTransient)));
  EXPECT_THAT(HolderIds(zone), ElementsAre(kPhone));
}

TEST(ZoneFocusSameClientTest, OtherClientsCannotSwapRingAndCall) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("dialer", kRingUsage, kT));
  FocusDecision decision = zone.Request(MakeRequest("dialer", kCallUsage, kT));
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  EXPECT_EQ(decision.explanation.rule, DecisionRule::kSameClientDifferentContext);
  EXPECT_EQ(FindHolder(zone, "dialer")->context, AudioContext::kCallRing);
}

TEST(ZoneFocusSameClientTest, TelephonyClientCannotSwapToNonCallContext) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest(kPhone, kRingUsage, kT));
  FocusDecision decision = zone.Request(MakeRequest(kPhone, kNavUsage, kD));
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  EXPECT_EQ(decision.explanation.rule, DecisionRule::kSameClientDifferentContext);
}

TEST(ZoneFocusSameClientTest, TelephonySwapDoesNotApplyToWaitingLosers) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest(kPhone, kRingUsage, kG));
  // CALL_RING -> EMERGENCY is E: the ring waits.
  EXPECT_THAT(MustGrant(zone, MakeRequest("emergency", kEmergencyUsage, kT)),
              ElementsAre(Cb(kPhone, kRingUsage, kLossTransient)));
  ASSERT_THAT(LoserIds(zone), ElementsAre(kPhone));
  const ZoneSnapshot before = Snapshot(zone);
  // EMERGENCY -> CALL is C, so only the same-client rule can fail this.
  FocusDecision decision = zone.Request(MakeRequest(kPhone, kCallUsage, kT));
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  EXPECT_THAT(decision.callbacks, IsEmpty());
  EXPECT_EQ(Snapshot(zone), before);
  EXPECT_EQ(decision.explanation.rule, DecisionRule::kSameClientDifferentContext);
  EXPECT_TRUE(decision.explanation.blocking_entry_is_loser);
}

TEST(ZoneFocusSameClientTest, TelephonyLoserMayStillReRequestSameContext) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest(kPhone, kRingUsage, kG));
  MustGrant(zone, MakeRequest("emergency", kEmergencyUsage, kT));
  // EMERGENCY -> CALL_RING is R: rejected, still waiting.
  EXPECT_EQ(zone.Request(MakeRequest(kPhone, kRingUsage, kG)).result, RequestResult::kFailed);
  EXPECT_THAT(LoserIds(zone), ElementsAre(kPhone));
}

TEST(ZoneFocusSameClientTest, SameClientIdsAreMatchedExactly) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("app", kMusicUsage, kG));
  // A different id (case differs) is a different client: MUSIC -> NAV C + D.
  EXPECT_THAT(MustGrant(zone, MakeRequest("App", kNavUsage, kD)), IsEmpty());
  EXPECT_THAT(HolderIds(zone), UnorderedElementsAre("app", "App"));
}

}  // namespace
}  // namespace caraudio
