// ZoneFocus on REJECT cells (focus-rules.md §3.3 step 5 "R", the R row of the
// summary table): FAILED with no state change, DELAYED only for G + DELAY_OK,
// losers are evaluated too, and the most restrictive result wins.

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
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// CALL holder, MUSIC request: the cell is R.
TEST(ZoneFocusRejectedTest, SummaryTableRejectRowForEveryGainAndHolderFlags) {
  ASSERT_EQ(FocusInteraction().Evaluate(AudioContext::kCall, AudioContext::kMusic),
            Interaction::kReject);
  for (HolderFlags flags : kAllHolderFlags) {
    for (FocusGain gain : kAllGains) {
      for (bool delay_ok : {false, true}) {
        SCOPED_TRACE(FlagsName(flags) + " holder, " + FocusGainName(gain) + " request" +
                     (delay_ok ? " + DELAY_OK" : ""));
        ZoneFocus zone(0);
        MustGrant(zone, WithFlags(MakeRequest("dialer", kCallUsage, kG), flags));
        const ZoneSnapshot before = Snapshot(zone);
        FocusRequest request = MakeRequest("player", kMusicUsage, gain);
        request.delay_ok = delay_ok;
        FocusDecision decision = zone.Request(request);

        // The holder is untouched either way.
        EXPECT_THAT(decision.callbacks, IsEmpty());
        EXPECT_EQ(Snapshot(zone).holders, before.holders);
        EXPECT_THAT(LoserIds(zone), IsEmpty());
        if (gain == kG && delay_ok) {
          EXPECT_EQ(decision.result, RequestResult::kDelayed);
          EXPECT_EQ(DelayedClient(zone), "player");
        } else {
          EXPECT_EQ(decision.result, RequestResult::kFailed);
          EXPECT_EQ(Snapshot(zone), before);
        }
      }
    }
  }
}

TEST(ZoneFocusRejectedTest, MusicRequestAgainstCallHolderIsExplained) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  FocusDecision decision = zone.Request(MakeRequest("player", kMusicUsage, kG));
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  const FocusExplanation& why = decision.explanation;
  EXPECT_EQ(why.rule, DecisionRule::kMatrix);
  EXPECT_EQ(why.blocking_client, "dialer");
  EXPECT_FALSE(why.blocking_entry_is_loser);
  EXPECT_EQ(why.holder_context, AudioContext::kCall);
  EXPECT_EQ(why.request_context, AudioContext::kMusic);
  EXPECT_EQ(why.cell, Interaction::kReject);
  EXPECT_THAT(why.text, HasSubstr("rejected: CALL holder \"dialer\""));
  EXPECT_THAT(why.text, HasSubstr("MUSIC request is REJECT"));
}

TEST(ZoneFocusRejectedTest, InvalidRequestIsGrantedInEmptyZone) {
  for (int32_t usage : {15, 18, 999, -1}) {
    SCOPED_TRACE(usage);
    ZoneFocus empty(0);
    EXPECT_EQ(empty.Request(MakeRawRequest("odd", usage, kG)).result, RequestResult::kGranted);
    EXPECT_EQ(empty.holders().front().context, AudioContext::kInvalid);
  }
}

TEST(ZoneFocusRejectedTest, InvalidRequestIsRejectedByEveryHolder) {
  for (AudioUsage holder_usage :
       {kMusicUsage, kNavUsage, kVoiceUsage, kRingUsage, kCallUsage, kAlarmUsage,
        kNotificationUsage, kSystemUsage, kEmergencyUsage, kSafetyUsage, kVehicleUsage,
        kAnnouncementUsage}) {
    SCOPED_TRACE(UsageName(static_cast<int32_t>(holder_usage)));
    ZoneFocus zone(0);
    MustGrant(zone, MakeRequest("holder", holder_usage, kG));
    FocusDecision decision = zone.Request(MakeRawRequest("odd", 999, kT));
    EXPECT_EQ(decision.result, RequestResult::kFailed);
    EXPECT_THAT(decision.callbacks, IsEmpty());
  }
}

TEST(ZoneFocusRejectedTest, InvalidHolderRejectsEverythingButEmergencyAndSafety) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRawRequest("virtual", 15, kG));
  for (AudioUsage usage : {kMusicUsage, kNavUsage, kCallUsage, kVehicleUsage, kAnnouncementUsage}) {
    EXPECT_EQ(zone.Request(MakeRequest("other", usage, kD)).result, RequestResult::kFailed)
        << UsageName(static_cast<int32_t>(usage));
  }
  EXPECT_THAT(MustGrant(zone, MakeRequest("emergency", kEmergencyUsage, kG)),
              ElementsAre(Callback(0, "virtual", AudioUsage::kVirtualSource, kLoss)));
}

// A request is rejected because of an entry that does not currently hold
// focus: losers are run through the matrix as well (§3.3 step 5).
TEST(ZoneFocusRejectedTest, RequestRejectedBecauseOfWaitingLoser) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  // CALL -> NAVIGATION is C: a T request makes the call wait.
  EXPECT_THAT(MustGrant(zone, MakeRequest("maps", kNavUsage, kT)),
              ElementsAre(Cb("dialer", kCallUsage, kLossTransient)));
  ASSERT_THAT(LoserIds(zone), ElementsAre("dialer"));
  const ZoneSnapshot before = Snapshot(zone);

  // VOICE_COMMAND: NAVIGATION -> VOICE is E (holder), CALL -> VOICE is R (loser).
  FocusDecision decision = zone.Request(MakeRequest("assistant", kVoiceUsage, kG));
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  EXPECT_THAT(decision.callbacks, IsEmpty());
  EXPECT_EQ(Snapshot(zone), before);  // the E holder was not touched either
  const FocusExplanation& why = decision.explanation;
  EXPECT_EQ(why.rule, DecisionRule::kMatrix);
  EXPECT_EQ(why.blocking_client, "dialer");
  EXPECT_TRUE(why.blocking_entry_is_loser);
  EXPECT_EQ(why.holder_context, AudioContext::kCall);
  EXPECT_EQ(why.request_context, AudioContext::kVoiceCommand);
  EXPECT_EQ(why.cell, Interaction::kReject);
  EXPECT_THAT(why.text, HasSubstr("dialer"));
}

TEST(ZoneFocusRejectedTest, RejectOnEarlierHolderWinsOverExclusiveOnLaterHolder) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  MustGrant(zone, MakeRequest("maps", kNavUsage, kD));  // CALL -> NAV is C; D keeps dialer
  ASSERT_THAT(HolderIds(zone), UnorderedElementsAre("dialer", "maps"));
  const ZoneSnapshot before = Snapshot(zone);
  // CALL -> VOICE is R, NAV -> VOICE is E.
  FocusDecision decision = zone.Request(MakeRequest("assistant", kVoiceUsage, kT));
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  EXPECT_THAT(decision.callbacks, IsEmpty());
  EXPECT_EQ(Snapshot(zone), before);
  EXPECT_EQ(decision.explanation.blocking_client, "dialer");
}

TEST(ZoneFocusRejectedTest, RejectWinsOverConcurrent) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("maps", kNavUsage, kG));
  MustGrant(zone, MakeRequest("ringer", kRingUsage, kD));  // NAV -> RING is C
  ASSERT_THAT(HolderIds(zone), UnorderedElementsAre("maps", "ringer"));
  const ZoneSnapshot before = Snapshot(zone);
  // NAV -> ALARM is C, CALL_RING -> ALARM is R.
  FocusDecision decision = zone.Request(MakeRequest("alarm", kAlarmUsage, kT));
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  EXPECT_THAT(decision.callbacks, IsEmpty());
  EXPECT_EQ(Snapshot(zone), before);
  EXPECT_EQ(decision.explanation.blocking_client, "ringer");
  EXPECT_EQ(decision.explanation.holder_context, AudioContext::kCallRing);
}

// A delayable request on a mix of R and C/E cells is DELAYED, and the entries
// on C/E cells are still displaced: G means they lose for good (§3.3 step 6).
TEST(ZoneFocusRejectedTest, DelayedRequestStillDisplacesConcurrentHolder) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  MustGrant(zone, MakeRequest("maps", kNavUsage, kD));
  // CALL -> MUSIC is R (delay), NAV -> MUSIC is C (G: maps loses for good).
  FocusDecision decision = zone.Request(WithDelayOk(MakeRequest("player", kMusicUsage, kG)));
  EXPECT_EQ(decision.result, RequestResult::kDelayed);
  EXPECT_THAT(decision.callbacks, ElementsAre(Cb("maps", kNavUsage, kLoss)));
  EXPECT_THAT(HolderIds(zone), ElementsAre("dialer"));
  EXPECT_THAT(LoserIds(zone), IsEmpty());
  EXPECT_EQ(DelayedClient(zone), "player");
  EXPECT_FALSE(zone.Contains("maps"));
}

// Same, with the R coming from a waiting loser: the displaced holder's
// removal runs the cleanup, which restores the loser (there is no delayed
// request yet at that point), and only then the request becomes the delayed one.
TEST(ZoneFocusRejectedTest, DelayedRequestDisplacesHolderAndCleanupRestoresLoser) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  MustGrant(zone, MakeRequest("maps", kNavUsage, kT));
  ASSERT_THAT(LoserIds(zone), ElementsAre("dialer"));

  FocusDecision decision = zone.Request(WithDelayOk(MakeRequest("assistant", kVoiceUsage, kG)));
  EXPECT_EQ(decision.result, RequestResult::kDelayed);
  EXPECT_THAT(decision.callbacks, ElementsAre(Cb("maps", kNavUsage, kLoss),
                                              Cb("dialer", kCallUsage, kGainChange)));
  EXPECT_THAT(HolderIds(zone), ElementsAre("dialer"));
  EXPECT_THAT(LoserIds(zone), IsEmpty());
  EXPECT_EQ(DelayedClient(zone), "assistant");
  EXPECT_EQ(decision.explanation.blocking_client, "dialer");
  EXPECT_EQ(decision.explanation.cell, Interaction::kReject);

  // When the call ends the assistant finally gets focus.
  EXPECT_THAT(zone.Abandon("dialer"), ElementsAre(Cb("assistant", kVoiceUsage, kGainChange)));
  EXPECT_THAT(HolderIds(zone), ElementsAre("assistant"));
}

TEST(ZoneFocusRejectedTest, DelayedRequestMakesWaitingLoserOnExclusiveCellLoseForGood) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  EXPECT_THAT(MustGrant(zone, MakeRequest("dialer", kCallUsage, kT)),
              ElementsAre(Cb("player", kMusicUsage, kLossTransient)));
  // CALL -> MUSIC is R (delay); waiting MUSIC -> MUSIC is E (G: LOSS).
  FocusDecision decision = zone.Request(WithDelayOk(MakeRequest("radio", kMusicUsage, kG)));
  EXPECT_EQ(decision.result, RequestResult::kDelayed);
  EXPECT_THAT(decision.callbacks, ElementsAre(Cb("player", kMusicUsage, kLoss)));
  EXPECT_THAT(LoserIds(zone), IsEmpty());
  EXPECT_THAT(HolderIds(zone), ElementsAre("dialer"));
  EXPECT_THAT(zone.Abandon("dialer"), ElementsAre(Cb("radio", kMusicUsage, kGainChange)));
}

TEST(ZoneFocusRejectedTest, RejectedReplacementLeavesTheOldEntryAsItWas) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  MustGrant(zone, MakeRequest("maps", kNavUsage, kD));
  // Entries already in the stack are not re-evaluated when the setting changes.
  zone.SetNavigationRejectedDuringCall(true);
  EXPECT_THAT(HolderIds(zone), UnorderedElementsAre("dialer", "maps"));
  const ZoneSnapshot before = Snapshot(zone);

  // maps re-requests (it would replace itself) but CALL -> NAV is now R.
  FocusDecision decision = zone.Request(MakeRequest("maps", kNavUsage, kG));
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  EXPECT_THAT(decision.callbacks, IsEmpty());
  EXPECT_EQ(Snapshot(zone), before);
  EXPECT_EQ(FindHolder(zone, "maps")->request.gain, kD);
}

TEST(ZoneFocusRejectedTest, NavigationRejectedDuringCallOnlyAffectsCallHolders) {
  ZoneFocus zone(0);
  zone.SetNavigationRejectedDuringCall(true);
  MustGrant(zone, MakeRequest("ringer", kRingUsage, kG));
  // CALL_RING -> NAV stays C.
  EXPECT_THAT(MustGrant(zone, MakeRequest("maps", kNavUsage, kD)), IsEmpty());

  ZoneFocus call_zone(0);
  call_zone.SetNavigationRejectedDuringCall(true);
  MustGrant(call_zone, MakeRequest("dialer", kCallUsage, kG));
  FocusDecision decision = call_zone.Request(MakeRequest("maps", kNavUsage, kD));
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  EXPECT_EQ(decision.explanation.holder_context, AudioContext::kCall);
  EXPECT_EQ(decision.explanation.request_context, AudioContext::kNavigation);
  EXPECT_EQ(decision.explanation.cell, Interaction::kReject);

  call_zone.SetNavigationRejectedDuringCall(false);
  EXPECT_THAT(MustGrant(call_zone, MakeRequest("maps", kNavUsage, kD)), IsEmpty());
}

TEST(ZoneFocusRejectedTest, DeprecatedCommunicationUsagesCountAsNotificationsAgainstExclusive) {
  // On main the framework rewrites 7/8/9 to NOTIFICATION before AAOS sees
  // them, so they fail against an X holder like usage 5 does.
  for (AudioUsage usage : {AudioUsage::kNotificationCommunicationRequest,
                           AudioUsage::kNotificationCommunicationInstant,
                           AudioUsage::kNotificationCommunicationDelayed}) {
    ZoneFocus zone(0);
    MustGrant(zone, MakeRequest("maps", kNavUsage, kX));
    FocusDecision decision = zone.Request(MakeRequest("messenger", usage, kG));
    EXPECT_EQ(decision.result, RequestResult::kFailed) << UsageName(static_cast<int32_t>(usage));
    EXPECT_EQ(decision.explanation.rule, DecisionRule::kNotificationVsExclusive);
    EXPECT_THAT(decision.callbacks, IsEmpty());
  }
}

}  // namespace
}  // namespace caraudio
