// Delayed focus (focus-rules.md §3.2 delayable, §3.3 steps 2 and 6, §3.4 last
// bullet, §3.5 step 1), plus the deliberate deviation: a granted re-request by
// the delayed client drops its stale delayed request.

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

// dialer holds a CALL; player's delayable MUSIC request is DELAYED (CALL -> MUSIC is R).
class ZoneFocusDelayedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MustGrant(zone_, MakeRequest("dialer", kCallUsage, kG));
    FocusDecision decision = zone_.Request(WithDelayOk(MakeRequest("player", kMusicUsage, kG)));
    ASSERT_EQ(decision.result, RequestResult::kDelayed);
    ASSERT_THAT(decision.callbacks, IsEmpty());
  }

  ZoneFocus zone_{0};
};

TEST_F(ZoneFocusDelayedTest, DelayedRequestIsNeitherHolderNorLoser) {
  ASSERT_TRUE(zone_.delayed_request().has_value());
  EXPECT_EQ(zone_.delayed_request()->client_id, "player");
  EXPECT_EQ(FindHolder(zone_, "player"), nullptr);
  EXPECT_EQ(FindLoser(zone_, "player"), nullptr);
  EXPECT_TRUE(zone_.Contains("player"));
  EXPECT_THAT(HolderIds(zone_), ElementsAre("dialer"));
}

TEST_F(ZoneFocusDelayedTest, DelayedExplanationNamesTheRejectingHolder) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  FocusDecision decision = zone.Request(WithDelayOk(MakeRequest("player", kMusicUsage, kG)));
  EXPECT_EQ(decision.result, RequestResult::kDelayed);
  EXPECT_EQ(decision.explanation.rule, DecisionRule::kMatrix);
  EXPECT_EQ(decision.explanation.blocking_client, "dialer");
  EXPECT_EQ(decision.explanation.holder_context, AudioContext::kCall);
  EXPECT_EQ(decision.explanation.request_context, AudioContext::kMusic);
  EXPECT_EQ(decision.explanation.cell, Interaction::kReject);
}

TEST_F(ZoneFocusDelayedTest, DelayedRequestGainsFocusWhenBlockerAbandons) {
  EXPECT_THAT(zone_.Abandon("dialer"), ElementsAre(Cb("player", kMusicUsage, kGainChange)));
  EXPECT_THAT(HolderIds(zone_), ElementsAre("player"));
  EXPECT_FALSE(zone_.delayed_request().has_value());
}

TEST(ZoneFocusDelayedRequestTest, TransientRequestWithDelayOkIsNotDelayable) {
  for (FocusGain gain : {kT, kD, kX}) {
    SCOPED_TRACE(FocusGainName(gain));
    ZoneFocus zone(0);
    MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
    FocusDecision decision = zone.Request(WithDelayOk(MakeRequest("player", kMusicUsage, gain)));
    EXPECT_EQ(decision.result, RequestResult::kFailed);
    EXPECT_FALSE(zone.delayed_request().has_value());
  }
}

TEST(ZoneFocusDelayedRequestTest, PermanentRequestWithoutDelayOkFails) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  EXPECT_EQ(zone.Request(MakeRequest("player", kMusicUsage, kG)).result, RequestResult::kFailed);
  EXPECT_FALSE(zone.delayed_request().has_value());
}

TEST(ZoneFocusDelayedRequestTest, DelayOkRequestThatIsNotRejectedIsSimplyGranted) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("maps", kNavUsage, kG));
  FocusDecision decision = zone.Request(WithDelayOk(MakeRequest("player", kMusicUsage, kG)));
  EXPECT_EQ(decision.result, RequestResult::kGranted);
  EXPECT_FALSE(zone.delayed_request().has_value());
}

TEST_F(ZoneFocusDelayedTest, NewDelayedRequestFromAnotherClientSendsLossToThePreviousOne) {
  FocusDecision decision = zone_.Request(WithDelayOk(MakeRequest("radio", kMusicUsage, kG)));
  EXPECT_EQ(decision.result, RequestResult::kDelayed);
  EXPECT_THAT(decision.callbacks, ElementsAre(Cb("player", kMusicUsage, kLoss)));
  EXPECT_EQ(DelayedClient(zone_), "radio");
  // Only radio gets focus when the call ends.
  EXPECT_THAT(zone_.Abandon("dialer"), ElementsAre(Cb("radio", kMusicUsage, kGainChange)));
}

TEST_F(ZoneFocusDelayedTest, SameClientDelayedAgainIsReplacedSilently) {
  FocusDecision decision =
      zone_.Request(WithDelayOk(MakeRequest("player", AudioUsage::kGame, kG)));
  EXPECT_EQ(decision.result, RequestResult::kDelayed);
  EXPECT_THAT(decision.callbacks, IsEmpty());
  ASSERT_TRUE(zone_.delayed_request().has_value());
  EXPECT_EQ(zone_.delayed_request()->usage, static_cast<int32_t>(AudioUsage::kGame));
  EXPECT_THAT(zone_.Abandon("dialer"), ElementsAre(Cb("player", AudioUsage::kGame, kGainChange)));
}

TEST_F(ZoneFocusDelayedTest, DelayedClientRequestingDifferentContextFails) {
  // CALL -> NAVIGATION is C, so only the delayed-client rule can fail this.
  FocusDecision decision = zone_.Request(MakeRequest("player", kNavUsage, kD));
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  EXPECT_THAT(decision.callbacks, IsEmpty());
  EXPECT_EQ(decision.explanation.rule, DecisionRule::kDelayedClientDifferentContext);
  EXPECT_EQ(DelayedClient(zone_), "player");
  EXPECT_THAT(HolderIds(zone_), ElementsAre("dialer"));
}

TEST_F(ZoneFocusDelayedTest, DelayedRequestIsNotEvaluatedWhenOtherRequestsArrive) {
  // CALL -> ALARM is C; D leaves dialer alone. MUSIC vs ALARM would matter only
  // if the delayed request were evaluated.
  EXPECT_THAT(MustGrant(zone_, MakeRequest("alarm", kAlarmUsage, kD)), IsEmpty());
  EXPECT_EQ(DelayedClient(zone_), "player");
  EXPECT_THAT(HolderIds(zone_), UnorderedElementsAre("dialer", "alarm"));
}

TEST_F(ZoneFocusDelayedTest, AbandonByDelayedClientClearsItSilently) {
  EXPECT_THAT(zone_.Abandon("player"), IsEmpty());
  EXPECT_FALSE(zone_.delayed_request().has_value());
  EXPECT_THAT(HolderIds(zone_), ElementsAre("dialer"));
  // No GAIN for player later.
  EXPECT_THAT(zone_.Abandon("dialer"), IsEmpty());
}

TEST_F(ZoneFocusDelayedTest, DelayedRetryStillRejectedStaysDelayedSilently) {
  MustGrant(zone_, MakeRequest("alarm", kAlarmUsage, kD));
  EXPECT_THAT(zone_.Abandon("alarm"), IsEmpty());
  EXPECT_EQ(DelayedClient(zone_), "player");
}

TEST_F(ZoneFocusDelayedTest, DelayedRetryGrantedDisplacesCurrentHolders) {
  // CALL -> NAVIGATION is C; a D request shares focus with the call.
  EXPECT_THAT(MustGrant(zone_, MakeRequest("maps", kNavUsage, kD)), IsEmpty());
  // On retry, player (MUSIC G) finds NAVIGATION -> MUSIC = C: maps loses for good.
  EXPECT_THAT(zone_.Abandon("dialer"), ElementsAre(Cb("maps", kNavUsage, kLoss),
                                                   Cb("player", kMusicUsage, kGainChange)));
  EXPECT_THAT(HolderIds(zone_), ElementsAre("player"));
  EXPECT_FALSE(zone_.delayed_request().has_value());
}

// maps (NAV G) is granted and displaces the call for good; the cleanup for the
// call retries the delayed MUSIC request, which is evaluated against maps (it
// was added to the holders before the cleanup) and takes its focus.
TEST_F(ZoneFocusDelayedTest, CleanupAfterPermanentGrantRetriesDelayedRequestAgainstNewHolder) {
  FocusDecision decision = zone_.Request(MakeRequest("maps", kNavUsage, kG));
  EXPECT_EQ(decision.result, RequestResult::kGranted);
  EXPECT_THAT(decision.callbacks, ElementsAre(Cb("dialer", kCallUsage, kLoss),
                                              Cb("maps", kNavUsage, kLoss),
                                              Cb("player", kMusicUsage, kGainChange)));
  EXPECT_THAT(HolderIds(zone_), ElementsAre("player"));
  EXPECT_THAT(LoserIds(zone_), IsEmpty());
  EXPECT_FALSE(zone_.delayed_request().has_value());
}

TEST(ZoneFocusDelayedRequestTest, DelayedRetryRejectedSendsLoss) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("ringer", kRingUsage, kG));
  // CALL_RING -> NOTIFICATION is R.
  ASSERT_EQ(zone.Request(WithDelayOk(MakeRequest("notifier", kNotificationUsage, kG))).result,
            RequestResult::kDelayed);
  // CALL_RING -> NAVIGATION is C: the X request makes the ringer wait.
  EXPECT_THAT(MustGrant(zone, MakeRequest("maps", kNavUsage, kX)),
              ElementsAre(Cb("ringer", kRingUsage, kLossTransient)));
  EXPECT_EQ(DelayedClient(zone), "notifier");
  // The ringer gives up; the retry of the notification now meets an X holder.
  EXPECT_THAT(zone.Abandon("ringer"), ElementsAre(Cb("notifier", kNotificationUsage, kLoss)));
  EXPECT_FALSE(zone.delayed_request().has_value());
  EXPECT_THAT(HolderIds(zone), ElementsAre("maps"));
}

// §3.5: the delayed request is retried *before* losers are restored. Here the
// retry is still rejected by the waiting call (losers count) and so stays
// delayed, but as a G request it makes the waiting NAV entry lose for good
// (§3.3 step 6 applies to DELAYED results too). Only then is the call, now
// unblocked, restored. Restoring first would have sent maps GAIN, then LOSS.
TEST_F(ZoneFocusDelayedTest, DelayedRequestIsRetriedBeforeLosersAreRestored) {
  // maps (NAV D) shares focus with the call.
  EXPECT_THAT(MustGrant(zone_, MakeRequest("maps", kNavUsage, kD)), IsEmpty());
  // EMERGENCY T: CALL -> EMERGENCY is C, NAV -> EMERGENCY is E: both wait.
  EXPECT_THAT(MustGrant(zone_, MakeRequest("emergency", kEmergencyUsage, kT)),
              UnorderedElementsAre(Cb("dialer", kCallUsage, kLossTransient),
                                   Cb("maps", kNavUsage, kLossTransient)));
  ASSERT_THAT(LoserIds(zone_), UnorderedElementsAre("dialer", "maps"));

  EXPECT_THAT(zone_.Abandon("emergency"), ElementsAre(Cb("maps", kNavUsage, kLoss),
                                                      Cb("dialer", kCallUsage, kGainChange)));
  EXPECT_THAT(HolderIds(zone_), ElementsAre("dialer"));
  EXPECT_THAT(LoserIds(zone_), IsEmpty());
  EXPECT_EQ(DelayedClient(zone_), "player");
}

// A granted retry takes focus from a holder and from a waiting loser for good,
// so nothing is left to restore.
TEST_F(ZoneFocusDelayedTest, GrantedRetryMakesHoldersAndWaitingLosersLoseForGood) {
  // maps (NAV D + pause) shares focus with the call.
  EXPECT_THAT(MustGrant(zone_, WithPauseWhenDucked(MakeRequest("maps", kNavUsage, kD))),
              IsEmpty());
  // alarm (ALARM D): CALL -> ALARM is C (dialer keeps); NAV -> ALARM is C and
  // maps wants pause, so maps waits behind alarm.
  EXPECT_THAT(MustGrant(zone_, MakeRequest("alarm", kAlarmUsage, kD)),
              ElementsAre(Cb("maps", kNavUsage, kLossTransient)));
  ASSERT_THAT(LoserIds(zone_), ElementsAre("maps"));

  const std::vector<FocusCallback> callbacks = zone_.Abandon("dialer");
  ASSERT_EQ(callbacks.size(), 3u) << ::testing::PrintToString(callbacks);
  EXPECT_THAT(std::vector<FocusCallback>(callbacks.begin(), callbacks.begin() + 2),
              UnorderedElementsAre(Cb("alarm", kAlarmUsage, kLoss), Cb("maps", kNavUsage, kLoss)));
  EXPECT_EQ(callbacks[2], Cb("player", kMusicUsage, kGainChange));
  EXPECT_THAT(HolderIds(zone_), ElementsAre("player"));
  EXPECT_THAT(LoserIds(zone_), IsEmpty());
}

// Deliberate deviation from AAOS (docs/architecture.md): when the delayed client re-requests
// the same context and is granted, its stale delayed request is dropped, so it
// never gets a spurious GAIN later.
TEST(ZoneFocusDelayedDeviationTest, GrantedReRequestByDelayedClientDropsStaleDelayedRequest) {
  ZoneFocus zone(0);
  zone.SetNavigationRejectedDuringCall(true);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  ASSERT_EQ(zone.Request(WithDelayOk(MakeRequest("maps", kNavUsage, kG))).result,
            RequestResult::kDelayed);
  zone.SetNavigationRejectedDuringCall(false);

  // Same client, same context, now C against the call: granted, call keeps focus.
  EXPECT_THAT(MustGrant(zone, MakeRequest("maps", kNavUsage, kD)), IsEmpty());
  EXPECT_FALSE(zone.delayed_request().has_value());
  EXPECT_THAT(HolderIds(zone), UnorderedElementsAre("dialer", "maps"));

  // AAOS would now retry the stale request and send maps GAIN; we send nothing.
  EXPECT_THAT(zone.Abandon("dialer"), IsEmpty());
  EXPECT_THAT(HolderIds(zone), ElementsAre("maps"));
  EXPECT_EQ(FindHolder(zone, "maps")->request.gain, kD);
}

TEST(ZoneFocusDelayedDeviationTest, GrantedReRequestThatDisplacesTheBlockerDoesNotRetryStaleRequest) {
  ZoneFocus zone(0);
  zone.SetNavigationRejectedDuringCall(true);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  ASSERT_EQ(zone.Request(WithDelayOk(MakeRequest("maps", kNavUsage, kG))).result,
            RequestResult::kDelayed);
  zone.SetNavigationRejectedDuringCall(false);

  // CALL -> NAV is C again: a G request makes the call lose for good.
  FocusDecision decision = zone.Request(MakeRequest("maps", kNavUsage, kG));
  EXPECT_EQ(decision.result, RequestResult::kGranted);
  EXPECT_THAT(decision.callbacks, ElementsAre(Cb("dialer", kCallUsage, kLoss)));
  EXPECT_FALSE(zone.delayed_request().has_value());
  EXPECT_THAT(HolderIds(zone), ElementsAre("maps"));
  EXPECT_THAT(zone.Abandon("maps"), IsEmpty());
}

TEST(ZoneFocusDelayedDeviationTest, FailedReRequestByDelayedClientKeepsDelayedRequest) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  ASSERT_EQ(zone.Request(WithDelayOk(MakeRequest("player", kMusicUsage, kG))).result,
            RequestResult::kDelayed);
  // Same context, transient: not delayable, rejected by the call.
  FocusDecision decision = zone.Request(MakeRequest("player", kMusicUsage, kT));
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  EXPECT_EQ(DelayedClient(zone), "player");
  EXPECT_THAT(zone.Abandon("dialer"), ElementsAre(Cb("player", kMusicUsage, kGainChange)));
}

}  // namespace
}  // namespace caraudio
