// Restricted focus (focus-rules.md §3.3 step 1 and §3.7).

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

TEST(ZoneFocusRestrictedTest, RestrictingAnEmptyZoneSendsNothing) {
  ZoneFocus zone(0);
  EXPECT_FALSE(zone.restricted());
  EXPECT_THAT(zone.SetRestricted(true), IsEmpty());
  EXPECT_TRUE(zone.restricted());
}

TEST(ZoneFocusRestrictedTest, RestrictedZoneRejectsNonCriticalRequests) {
  ZoneFocus zone(0);
  zone.SetRestricted(true);
  for (AudioUsage usage : {kMusicUsage, kNavUsage, kCallUsage, kRingUsage, kVehicleUsage,
                           kAnnouncementUsage}) {
    for (FocusGain gain : kAllGains) {
      SCOPED_TRACE(UsageName(static_cast<int32_t>(usage)) + " " + FocusGainName(gain));
      // Into an empty zone, and with DELAY_OK: still FAILED, never DELAYED.
      FocusDecision decision = zone.Request(WithDelayOk(MakeRequest("app", usage, gain)));
      EXPECT_EQ(decision.result, RequestResult::kFailed);
      EXPECT_EQ(decision.explanation.rule, DecisionRule::kRestricted);
      EXPECT_THAT(decision.callbacks, IsEmpty());
    }
  }
  EXPECT_THAT(HolderIds(zone), IsEmpty());
  EXPECT_FALSE(zone.delayed_request().has_value());
}

TEST(ZoneFocusRestrictedTest, RestrictedZoneEvaluatesCriticalRequestsNormally) {
  ZoneFocus zone(0);
  zone.SetRestricted(true);
  EXPECT_THAT(MustGrant(zone, MakeRequest("emergency", kEmergencyUsage, kG)), IsEmpty());
  // EMERGENCY -> SAFETY is C: D shares, G takes focus for good.
  EXPECT_THAT(MustGrant(zone, MakeRequest("safety", kSafetyUsage, kD)), IsEmpty());
  EXPECT_THAT(HolderIds(zone), UnorderedElementsAre("emergency", "safety"));
  EXPECT_THAT(MustGrant(zone, MakeRequest("safety2", kSafetyUsage, kG)),
              UnorderedElementsAre(Cb("emergency", kEmergencyUsage, kLoss),
                                   Cb("safety", kSafetyUsage, kLoss)));
}

// Turning restriction on: the delayed request first, then the losers, then
// the holders are told LOSS and removed; critical entries stay.
TEST(ZoneFocusRestrictedTest, RestrictingRemovesDelayedThenLosersThenHoldersWithLoss) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("dialer", kCallUsage, kG));
  ASSERT_EQ(zone.Request(WithDelayOk(MakeRequest("player", kMusicUsage, kG))).result,
            RequestResult::kDelayed);
  // CALL -> NAV is C: T makes the call wait.
  EXPECT_THAT(MustGrant(zone, MakeRequest("maps", kNavUsage, kT)),
              ElementsAre(Cb("dialer", kCallUsage, kLossTransient)));
  // SAFETY D shares focus with maps and leaves the waiting call alone.
  EXPECT_THAT(MustGrant(zone, MakeRequest("safety", kSafetyUsage, kD)), IsEmpty());
  ASSERT_THAT(HolderIds(zone), UnorderedElementsAre("maps", "safety"));
  ASSERT_THAT(LoserIds(zone), ElementsAre("dialer"));

  EXPECT_THAT(zone.SetRestricted(true), ElementsAre(Cb("player", kMusicUsage, kLoss),
                                                    Cb("dialer", kCallUsage, kLoss),
                                                    Cb("maps", kNavUsage, kLoss)));
  EXPECT_THAT(HolderIds(zone), ElementsAre("safety"));
  EXPECT_THAT(LoserIds(zone), IsEmpty());
  EXPECT_FALSE(zone.delayed_request().has_value());
}

TEST(ZoneFocusRestrictedTest, RestrictingKeepsCriticalHoldersUntouched) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("emergency", kEmergencyUsage, kG));
  MustGrant(zone, MakeRequest("safety", kSafetyUsage, kD));
  EXPECT_THAT(zone.SetRestricted(true), IsEmpty());
  EXPECT_THAT(HolderIds(zone), UnorderedElementsAre("emergency", "safety"));
}

// The cleanup runs after each removal: a critical loser whose only blocker
// was non-critical regains focus.
TEST(ZoneFocusRestrictedTest, CriticalLoserRegainsWhenItsNonCriticalBlockerIsRemoved) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("emergency", kEmergencyUsage, kG));
  // EMERGENCY -> CALL is C: T makes the emergency sound wait.
  EXPECT_THAT(MustGrant(zone, MakeRequest("dialer", kCallUsage, kT)),
              ElementsAre(Cb("emergency", kEmergencyUsage, kLossTransient)));
  EXPECT_THAT(zone.SetRestricted(true), ElementsAre(Cb("dialer", kCallUsage, kLoss),
                                                    Cb("emergency", kEmergencyUsage, kGainChange)));
  EXPECT_THAT(HolderIds(zone), ElementsAre("emergency"));
  EXPECT_THAT(LoserIds(zone), IsEmpty());
}

TEST(ZoneFocusRestrictedTest, TurningRestrictionOffOnlyClearsTheFlag) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("emergency", kEmergencyUsage, kG));
  zone.SetRestricted(true);
  const ZoneSnapshot before = Snapshot(zone);
  EXPECT_THAT(zone.SetRestricted(false), IsEmpty());
  EXPECT_FALSE(zone.restricted());
  ZoneSnapshot after = Snapshot(zone);
  EXPECT_FALSE(after.restricted);
  after.restricted = true;
  EXPECT_EQ(after, before);
  // Non-critical requests are evaluated again: EMERGENCY -> CALL is C.
  EXPECT_THAT(MustGrant(zone, MakeRequest("dialer", kCallUsage, kD)), IsEmpty());
}

TEST(ZoneFocusRestrictedTest, TurningRestrictionOffDoesNotBringBackRemovedEntries) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  EXPECT_THAT(zone.SetRestricted(true), ElementsAre(Cb("player", kMusicUsage, kLoss)));
  EXPECT_THAT(zone.SetRestricted(false), IsEmpty());
  EXPECT_THAT(HolderIds(zone), IsEmpty());
}

TEST(ZoneFocusRestrictedTest, RestrictedRuleComesBeforeEveryOtherRule) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("emergency", kEmergencyUsage, kG));
  zone.SetRestricted(true);
  // Would otherwise be "same client, different context"; restriction wins.
  FocusDecision decision = zone.Request(MakeRequest("emergency", kMusicUsage, kG));
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  EXPECT_EQ(decision.explanation.rule, DecisionRule::kRestricted);
}

}  // namespace
}  // namespace caraudio
