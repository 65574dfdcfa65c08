// FocusEngine: one independent ZoneFocus per zone and the zone choice of
// focus-rules.md §4.1 (explicit zone id, uid map, primary zone), plus the
// settings it fans out to zones.

#include "carservice/focus_engine.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/focus_test_util.h"

namespace caraudio {
namespace {

using namespace engine_test;  // NOLINT: test-local vocabulary
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

FocusEngine MakeEngine(std::vector<int32_t> zone_ids = {0, 1, 2}) {
  absl::StatusOr<FocusEngine> engine = FocusEngine::Create(zone_ids);
  EXPECT_TRUE(engine.ok()) << engine.status();
  return *std::move(engine);
}

FocusDecision MustGrantIn(FocusEngine& engine, const FocusRequest& request, int32_t zone_id) {
  FocusDecision decision = engine.RequestFocus(request);
  EXPECT_EQ(decision.result, RequestResult::kGranted)
      << request.client_id << ": " << decision.explanation.text;
  EXPECT_EQ(decision.zone_id, zone_id) << request.client_id;
  return decision;
}

TEST(FocusEngineTest, CreateWithPrimaryZoneAndUniqueIds) {
  FocusEngine engine = MakeEngine({0, 1, 2});
  EXPECT_EQ(engine.zones().size(), 3u);
  for (int32_t zone_id : {0, 1, 2}) {
    EXPECT_TRUE(engine.HasZone(zone_id));
    ASSERT_NE(engine.zone(zone_id), nullptr);
    EXPECT_EQ(engine.zone(zone_id)->zone_id(), zone_id);
  }
  EXPECT_FALSE(engine.HasZone(3));
  EXPECT_EQ(engine.zone(3), nullptr);
  EXPECT_FALSE(engine.restricted());
  EXPECT_TRUE(FocusEngine::Create({0}).ok());
}

TEST(FocusEngineTest, CreateWithoutPrimaryZoneFails) {
  EXPECT_FALSE(FocusEngine::Create({1, 2}).ok());
  EXPECT_FALSE(FocusEngine::Create({}).ok());
}

TEST(FocusEngineTest, CreateWithDuplicateZoneIdsFails) {
  EXPECT_FALSE(FocusEngine::Create({0, 1, 1}).ok());
  EXPECT_FALSE(FocusEngine::Create({0, 0}).ok());
}

TEST(FocusEngineTest, ZonesHaveIndependentStacks) {
  FocusEngine engine = MakeEngine();
  MustGrantIn(engine, InZone(MakeRequest("dialer", kCallUsage, kG), 1), 1);
  // Zone 0 has no call: music is granted there...
  MustGrantIn(engine, MakeRequest("player", kMusicUsage, kG), 0);
  // ...but not in zone 1 (CALL -> MUSIC is R).
  FocusDecision decision = engine.RequestFocus(InZone(MakeRequest("rse", kMusicUsage, kG), 1));
  EXPECT_EQ(decision.zone_id, 1);
  EXPECT_EQ(decision.result, RequestResult::kFailed);
  EXPECT_EQ(decision.explanation.blocking_client, "dialer");
  EXPECT_THAT(HolderIds(*engine.zone(0)), ElementsAre("player"));
  EXPECT_THAT(HolderIds(*engine.zone(1)), ElementsAre("dialer"));
  EXPECT_THAT(HolderIds(*engine.zone(2)), IsEmpty());
}

TEST(FocusEngineTest, SameClientCanHoldFocusInTwoZonesAtOnce) {
  FocusEngine engine = MakeEngine();
  MustGrantIn(engine, InZone(MakeRequest("app", kMusicUsage, kG), 0), 0);
  MustGrantIn(engine, InZone(MakeRequest("app", kNavUsage, kG), 1), 1);
  EXPECT_THAT(HolderIds(*engine.zone(0)), ElementsAre("app"));
  EXPECT_THAT(HolderIds(*engine.zone(1)), ElementsAre("app"));
}

TEST(FocusEngineTest, CallbacksCarryTheDecidedZone) {
  FocusEngine engine = MakeEngine();
  MustGrantIn(engine, InZone(MakeRequest("player", kMusicUsage, kG), 2), 2);
  FocusDecision decision = MustGrantIn(engine, InZone(MakeRequest("radio", kMusicUsage, kG), 2), 2);
  EXPECT_THAT(decision.callbacks, ElementsAre(Callback(2, "player", kMusicUsage, kLoss)));
}

TEST(FocusEngineTest, ExplicitValidZoneWinsOverUidMap) {
  FocusEngine engine = MakeEngine();
  ASSERT_TRUE(engine.SetZoneForUid(100, 1).ok());
  const FocusRequest request = InZone(WithUid(MakeRequest("app", kMusicUsage, kG), 100), 2);
  EXPECT_EQ(engine.ZoneForRequest(request), 2);
  MustGrantIn(engine, request, 2);
}

TEST(FocusEngineTest, InvalidExplicitZoneIsIgnoredInFavourOfUidMap) {
  FocusEngine engine = MakeEngine();
  ASSERT_TRUE(engine.SetZoneForUid(100, 1).ok());
  for (int32_t bogus : {3, 7, -1}) {
    const FocusRequest request =
        InZone(WithUid(MakeRequest("app" + std::to_string(bogus), kMusicUsage, kD), 100), bogus);
    EXPECT_EQ(engine.ZoneForRequest(request), 1) << bogus;
    EXPECT_EQ(engine.RequestFocus(request).zone_id, 1) << bogus;
  }
}

TEST(FocusEngineTest, InvalidExplicitZoneWithoutUidMapGoesToPrimaryZone) {
  FocusEngine engine = MakeEngine();
  const FocusRequest request = InZone(WithUid(MakeRequest("app", kMusicUsage, kG), 200), 7);
  EXPECT_EQ(engine.ZoneForRequest(request), 0);
  MustGrantIn(engine, request, 0);
}

TEST(FocusEngineTest, UidMapChoosesZoneWhenNoExplicitZone) {
  FocusEngine engine = MakeEngine();
  EXPECT_EQ(engine.ZoneForUid(100), 0);
  ASSERT_TRUE(engine.SetZoneForUid(100, 2).ok());
  EXPECT_EQ(engine.ZoneForUid(100), 2);
  EXPECT_EQ(engine.ZoneForUid(101), 0);
  EXPECT_EQ(engine.uid_zones().at(100), 2);
  MustGrantIn(engine, WithUid(MakeRequest("rear", kMusicUsage, kG), 100), 2);
  MustGrantIn(engine, WithUid(MakeRequest("front", kMusicUsage, kG), 101), 0);
}

TEST(FocusEngineTest, SetZoneForUnknownZoneIsInvalidArgument) {
  FocusEngine engine = MakeEngine();
  ASSERT_TRUE(engine.SetZoneForUid(100, 1).ok());
  absl::StatusOr<FocusChanges> changes = engine.SetZoneForUid(100, 5);
  EXPECT_EQ(changes.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine.ZoneForUid(100), 1);
}

TEST(FocusEngineTest, SetZoneForUidMovesUidMappedEntries) {
  FocusEngine engine = MakeEngine();
  ASSERT_TRUE(engine.SetZoneForUid(100, 1).ok());
  MustGrantIn(engine, WithUid(MakeRequest("player", kMusicUsage, kG), 100), 1);

  absl::StatusOr<FocusChanges> changes = engine.SetZoneForUid(100, 2);
  ASSERT_TRUE(changes.ok()) << changes.status();
  EXPECT_THAT(changes->callbacks, ElementsAre(Callback(1, "player", kMusicUsage, kLossTransient),
                                              Callback(2, "player", kMusicUsage, kGainChange)));
  EXPECT_THAT(changes->changed_zones, UnorderedElementsAre(1, 2));
  EXPECT_FALSE(engine.zone(1)->Contains("player"));
  EXPECT_THAT(HolderIds(*engine.zone(2)), ElementsAre("player"));
}

TEST(FocusEngineTest, MovingAHolderOutRestoresItsWaitersInTheOldZone) {
  FocusEngine engine = MakeEngine();
  ASSERT_TRUE(engine.SetZoneForUid(100, 1).ok());
  ASSERT_TRUE(engine.SetZoneForUid(200, 1).ok());
  MustGrantIn(engine, WithUid(MakeRequest("radio", kMusicUsage, kG), 200), 1);
  FocusDecision decision =
      MustGrantIn(engine, WithUid(MakeRequest("assistant", kVoiceUsage, kT), 100), 1);
  ASSERT_THAT(decision.callbacks, ElementsAre(Callback(1, "radio", kMusicUsage, kLossTransient)));

  absl::StatusOr<FocusChanges> changes = engine.SetZoneForUid(100, 2);
  ASSERT_TRUE(changes.ok());
  EXPECT_THAT(changes->callbacks,
              ElementsAre(Callback(1, "assistant", kVoiceUsage, kLossTransient),
                          Callback(1, "radio", kMusicUsage, kGainChange),
                          Callback(2, "assistant", kVoiceUsage, kGainChange)));
  EXPECT_THAT(HolderIds(*engine.zone(1)), ElementsAre("radio"));
  EXPECT_THAT(HolderIds(*engine.zone(2)), ElementsAre("assistant"));
}

TEST(FocusEngineTest, MovedEntryRejectedInNewZoneIsToldLoss) {
  FocusEngine engine = MakeEngine();
  ASSERT_TRUE(engine.SetZoneForUid(100, 1).ok());
  MustGrantIn(engine, InZone(MakeRequest("dialer", kCallUsage, kG), 2), 2);
  MustGrantIn(engine, WithUid(MakeRequest("player", kMusicUsage, kG), 100), 1);

  absl::StatusOr<FocusChanges> changes = engine.SetZoneForUid(100, 2);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->callbacks.size(), 2u) << ::testing::PrintToString(changes->callbacks);
  EXPECT_EQ(changes->callbacks[0], Callback(1, "player", kMusicUsage, kLossTransient));
  EXPECT_THAT(changes->callbacks[1],
              AllOf(Field(&FocusCallback::client_id, "player"),
                    Field(&FocusCallback::change, FocusChange::kLoss)));
  EXPECT_FALSE(engine.zone(1)->Contains("player"));
  EXPECT_FALSE(engine.zone(2)->Contains("player"));
  EXPECT_THAT(HolderIds(*engine.zone(2)), ElementsAre("dialer"));
}

TEST(FocusEngineTest, MovedDelayableEntryWaitsInNewZone) {
  FocusEngine engine = MakeEngine();
  ASSERT_TRUE(engine.SetZoneForUid(100, 1).ok());
  MustGrantIn(engine, InZone(MakeRequest("dialer", kCallUsage, kG), 2), 2);
  MustGrantIn(engine, WithDelayOk(WithUid(MakeRequest("player", kMusicUsage, kG), 100)), 1);

  absl::StatusOr<FocusChanges> changes = engine.SetZoneForUid(100, 2);
  ASSERT_TRUE(changes.ok());
  EXPECT_THAT(changes->callbacks, ElementsAre(Callback(1, "player", kMusicUsage, kLossTransient)));
  EXPECT_EQ(DelayedClient(*engine.zone(2)), "player");
  FocusChanges after_call = engine.AbandonFocus("dialer", 2);
  EXPECT_THAT(after_call.callbacks, ElementsAre(Callback(2, "player", kMusicUsage, kGainChange)));
}

TEST(FocusEngineTest, SetZoneForUidDoesNotMoveExplicitlyPlacedEntries) {
  FocusEngine engine = MakeEngine();
  ASSERT_TRUE(engine.SetZoneForUid(100, 1).ok());
  MustGrantIn(engine, InZone(WithUid(MakeRequest("pinned", kNavUsage, kG), 100), 1), 1);
  MustGrantIn(engine, InZone(WithUid(MakeRequest("front", kMusicUsage, kG), 100), 0), 0);

  absl::StatusOr<FocusChanges> changes = engine.SetZoneForUid(100, 2);
  ASSERT_TRUE(changes.ok());
  EXPECT_THAT(changes->callbacks, IsEmpty());
  EXPECT_THAT(HolderIds(*engine.zone(1)), ElementsAre("pinned"));
  EXPECT_THAT(HolderIds(*engine.zone(0)), ElementsAre("front"));
}

TEST(FocusEngineTest, ClearZoneForUidMovesEntriesBackToPrimaryZone) {
  FocusEngine engine = MakeEngine();
  ASSERT_TRUE(engine.SetZoneForUid(100, 1).ok());
  MustGrantIn(engine, WithUid(MakeRequest("player", kMusicUsage, kG), 100), 1);
  FocusChanges changes = engine.ClearZoneForUid(100);
  EXPECT_THAT(changes.callbacks, ElementsAre(Callback(1, "player", kMusicUsage, kLossTransient),
                                             Callback(0, "player", kMusicUsage, kGainChange)));
  EXPECT_THAT(changes.changed_zones, UnorderedElementsAre(0, 1));
  EXPECT_EQ(engine.ZoneForUid(100), 0);
  EXPECT_EQ(engine.uid_zones().count(100), 0u);
  EXPECT_THAT(HolderIds(*engine.zone(0)), ElementsAre("player"));
}

TEST(FocusEngineTest, SetRestrictFocusAppliesToAllZones) {
  FocusEngine engine = MakeEngine();
  MustGrantIn(engine, InZone(MakeRequest("player", kMusicUsage, kG), 0), 0);
  MustGrantIn(engine, InZone(MakeRequest("rse", kMusicUsage, kG), 1), 1);
  MustGrantIn(engine, InZone(MakeRequest("chime", kSafetyUsage, kG), 2), 2);

  FocusChanges changes = engine.SetRestrictFocus(true);
  EXPECT_TRUE(engine.restricted());
  EXPECT_THAT(changes.callbacks, UnorderedElementsAre(Callback(0, "player", kMusicUsage, kLoss),
                                                      Callback(1, "rse", kMusicUsage, kLoss)));
  EXPECT_THAT(changes.changed_zones, UnorderedElementsAre(0, 1, 2));
  for (int32_t zone_id : {0, 1, 2}) EXPECT_TRUE(engine.zone(zone_id)->restricted());
  EXPECT_THAT(HolderIds(*engine.zone(2)), ElementsAre("chime"));

  for (int32_t zone_id : {0, 1, 2}) {
    FocusDecision decision =
        engine.RequestFocus(InZone(MakeRequest("app", kNavUsage, kD), zone_id));
    EXPECT_EQ(decision.result, RequestResult::kFailed);
    EXPECT_EQ(decision.explanation.rule, DecisionRule::kRestricted);
  }
  MustGrantIn(engine, InZone(MakeRequest("alert", kEmergencyUsage, kD), 1), 1);

  FocusChanges off = engine.SetRestrictFocus(false);
  EXPECT_FALSE(engine.restricted());
  EXPECT_THAT(off.callbacks, IsEmpty());
  EXPECT_THAT(off.changed_zones, UnorderedElementsAre(0, 1, 2));
  MustGrantIn(engine, InZone(MakeRequest("player", kMusicUsage, kG), 0), 0);
}

TEST(FocusEngineTest, NavigationRejectedDuringCallIsPerZone) {
  FocusEngine engine = MakeEngine();
  ASSERT_TRUE(engine.SetNavigationRejectedDuringCall(1, true).ok());
  EXPECT_TRUE(engine.zone(1)->navigation_rejected_during_call());
  EXPECT_FALSE(engine.zone(0)->navigation_rejected_during_call());
  EXPECT_FALSE(engine.zone(2)->navigation_rejected_during_call());

  for (int32_t zone_id : {0, 1}) {
    MustGrantIn(engine, InZone(MakeRequest("dialer", kCallUsage, kG), zone_id), zone_id);
  }
  FocusDecision rejected = engine.RequestFocus(InZone(MakeRequest("maps", kNavUsage, kD), 1));
  EXPECT_EQ(rejected.result, RequestResult::kFailed);
  MustGrantIn(engine, InZone(MakeRequest("maps", kNavUsage, kD), 0), 0);
}

TEST(FocusEngineTest, NavigationSettingForUnknownZoneIsInvalidArgument) {
  FocusEngine engine = MakeEngine();
  EXPECT_EQ(engine.SetNavigationRejectedDuringCall(9, true).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(FocusEngineTest, AbandonInOneZoneLeavesOtherZonesAlone) {
  FocusEngine engine = MakeEngine();
  MustGrantIn(engine, InZone(MakeRequest("app", kMusicUsage, kG), 0), 0);
  MustGrantIn(engine, InZone(MakeRequest("app", kMusicUsage, kG), 1), 1);
  FocusChanges changes = engine.AbandonFocus("app", 1);
  EXPECT_THAT(changes.callbacks, IsEmpty());
  EXPECT_THAT(changes.changed_zones, ElementsAre(1));
  EXPECT_FALSE(engine.zone(1)->Contains("app"));
  EXPECT_TRUE(engine.zone(0)->Contains("app"));
}

TEST(FocusEngineTest, AbandonWithoutZoneAbandonsEveryZoneHoldingTheClient) {
  FocusEngine engine = MakeEngine();
  MustGrantIn(engine, InZone(MakeRequest("player", kMusicUsage, kG), 0), 0);
  MustGrantIn(engine, InZone(MakeRequest("app", kVoiceUsage, kT), 0), 0);
  MustGrantIn(engine, InZone(MakeRequest("app", kNavUsage, kG), 2), 2);
  FocusChanges changes = engine.AbandonFocus("app");
  EXPECT_THAT(changes.callbacks, ElementsAre(Callback(0, "player", kMusicUsage, kGainChange)));
  EXPECT_THAT(changes.changed_zones, Contains(0));
  EXPECT_THAT(changes.changed_zones, Contains(2));
  for (int32_t zone_id : {0, 1, 2}) EXPECT_FALSE(engine.zone(zone_id)->Contains("app"));
}

TEST(FocusEngineTest, AbandonOfUnknownClientIsNoOp) {
  FocusEngine engine = MakeEngine();
  MustGrantIn(engine, MakeRequest("player", kMusicUsage, kG), 0);
  EXPECT_THAT(engine.AbandonFocus("nobody").callbacks, IsEmpty());
  EXPECT_THAT(engine.AbandonFocus("nobody", 1).callbacks, IsEmpty());
  EXPECT_THAT(HolderIds(*engine.zone(0)), ElementsAre("player"));
}

TEST(FocusEngineTest, AbandonWithZoneReportsThatZoneAndRestoresWaiters) {
  FocusEngine engine = MakeEngine();
  MustGrantIn(engine, InZone(MakeRequest("player", kMusicUsage, kG), 1), 1);
  MustGrantIn(engine, InZone(MakeRequest("assistant", kVoiceUsage, kT), 1), 1);
  FocusChanges changes = engine.AbandonFocus("assistant", 1);
  EXPECT_THAT(changes.callbacks, ElementsAre(Callback(1, "player", kMusicUsage, kGainChange)));
  EXPECT_THAT(changes.changed_zones, ElementsAre(1));
}

TEST(FocusEngineTest, AbandonUsesNoUidMapping) {
  FocusEngine engine = MakeEngine();
  ASSERT_TRUE(engine.SetZoneForUid(100, 1).ok());
  MustGrantIn(engine, WithUid(MakeRequest("player", kMusicUsage, kG), 100), 1);
  engine.AbandonFocus("player");
  EXPECT_FALSE(engine.zone(1)->Contains("player"));
}

}  // namespace
}  // namespace caraudio
