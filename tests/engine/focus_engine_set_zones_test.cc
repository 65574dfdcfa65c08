// FocusEngine::SetZones, the engine's half of a config reload: zones that
// stay keep their stacks and settings, removed zones tell every entry LOSS,
// new zones start empty (restricted when the engine is), and uid -> zone
// entries of removed zones are dropped.

#include <string>
#include <vector>

#include "carservice/focus_engine.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/focus_test_util.h"

namespace caraudio {
namespace {

using namespace engine_test;  // NOLINT: test-local vocabulary
using ::testing::ElementsAre;
using ::testing::IsEmpty;

FocusEngine ThreeZones() {
  absl::StatusOr<FocusEngine> engine = FocusEngine::Create({0, 1, 2});
  EXPECT_TRUE(engine.ok()) << engine.status();
  return *std::move(engine);
}

TEST(FocusEngineSetZonesTest, KeptZonesKeepHoldersLosersDelayedAndSettings) {
  FocusEngine engine = ThreeZones();
  engine.RequestFocus(InZone(MakeRequest("radio", kMusicUsage), 1));
  engine.RequestFocus(InZone(MakeRequest("dialer", kCallUsage, kT), 1));  // radio waits
  engine.RequestFocus(InZone(MakeRequest("phone", kCallUsage, kT), 0));
  engine.RequestFocus(InZone(WithDelayOk(MakeRequest("podcast", kMusicUsage)), 0));
  ASSERT_TRUE(engine.SetNavigationRejectedDuringCall(1, true).ok());

  absl::StatusOr<FocusChanges> changes = engine.SetZones({0, 1});
  ASSERT_TRUE(changes.ok()) << changes.status();
  EXPECT_THAT(changes->callbacks, IsEmpty());
  EXPECT_THAT(changes->changed_zones, ElementsAre(2));
  const ZoneFocus* rear = engine.zone(1);
  ASSERT_NE(rear, nullptr);
  EXPECT_THAT(ClientIds(rear->holders()), ElementsAre("dialer"));
  EXPECT_THAT(ClientIds(rear->losers()), ElementsAre("radio"));
  EXPECT_TRUE(rear->navigation_rejected_during_call());
  const ZoneFocus* front = engine.zone(0);
  ASSERT_NE(front, nullptr);
  ASSERT_TRUE(front->delayed_request().has_value());
  EXPECT_EQ(front->delayed_request()->client_id, "podcast");
}

TEST(FocusEngineSetZonesTest, RemovedZonesTellHoldersThenLosersThenTheDelayedRequestLoss) {
  FocusEngine engine = ThreeZones();
  engine.RequestFocus(InZone(MakeRequest("radio", kMusicUsage), 2));
  engine.RequestFocus(InZone(MakeRequest("dialer", kCallUsage, kT), 2));  // radio waits
  engine.RequestFocus(InZone(MakeRequest("phone", kCallUsage, kT), 1));
  engine.RequestFocus(InZone(WithDelayOk(MakeRequest("podcast", kMusicUsage)), 1));
  engine.RequestFocus(InZone(MakeRequest("front", kMusicUsage), 0));

  absl::StatusOr<FocusChanges> changes = engine.SetZones({0});
  ASSERT_TRUE(changes.ok()) << changes.status();
  EXPECT_THAT(changes->callbacks, ElementsAre(Callback(1, "phone", kCallUsage, kLoss),
                                              Callback(1, "podcast", kMusicUsage, kLoss),
                                              Callback(2, "dialer", kCallUsage, kLoss),
                                              Callback(2, "radio", kMusicUsage, kLoss)));
  EXPECT_THAT(changes->changed_zones, ElementsAre(1, 2));
  EXPECT_FALSE(engine.HasZone(1));
  EXPECT_FALSE(engine.HasZone(2));
  EXPECT_THAT(ClientIds(engine.zone(0)->holders()), ElementsAre("front"));
}

TEST(FocusEngineSetZonesTest, NewZonesStartEmptyAndFollowRestrictedMode) {
  FocusEngine engine = ThreeZones();
  engine.SetRestrictFocus(true);
  absl::StatusOr<FocusChanges> changes = engine.SetZones({0, 1, 2, 7});
  ASSERT_TRUE(changes.ok()) << changes.status();
  EXPECT_THAT(changes->callbacks, IsEmpty());
  EXPECT_THAT(changes->changed_zones, IsEmpty());
  ASSERT_NE(engine.zone(7), nullptr);
  EXPECT_TRUE(engine.zone(7)->restricted());
  EXPECT_THAT(engine.zone(7)->holders(), IsEmpty());
  FocusDecision music = engine.RequestFocus(InZone(MakeRequest("radio", kMusicUsage), 7));
  EXPECT_EQ(music.result, RequestResult::kFailed) << music.explanation.text;
}

TEST(FocusEngineSetZonesTest, UidMappingsToRemovedZonesAreDropped) {
  FocusEngine engine = ThreeZones();
  ASSERT_TRUE(engine.SetZoneForUid(10001, 1).ok());
  ASSERT_TRUE(engine.SetZoneForUid(10002, 2).ok());
  ASSERT_TRUE(engine.SetZones({0, 1}).ok());
  EXPECT_EQ(engine.ZoneForUid(10001), 1);
  EXPECT_EQ(engine.ZoneForUid(10002), kPrimaryZoneId);
  EXPECT_EQ(engine.uid_zones().size(), 1u);
}

TEST(FocusEngineSetZonesTest, ZonesCreateWouldRefuseChangeNothing) {
  FocusEngine engine = ThreeZones();
  engine.RequestFocus(InZone(MakeRequest("radio", kMusicUsage), 1));
  EXPECT_EQ(engine.SetZones({1, 2}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine.SetZones({0, 1, 1}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine.zones().size(), 3u);
  EXPECT_THAT(ClientIds(engine.zone(1)->holders()), ElementsAre("radio"));
}

}  // namespace
}  // namespace caraudio
