// AppConfinement over a real FocusEngine: an untrusted app's requests become
// its own or are refused, and a refusal leaves the request untouched.

#include "carservice/app_confinement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "carservice/audio_usage.h"

namespace caraudio {
namespace {

using ::testing::HasSubstr;

constexpr int32_t kApp = 10001;
constexpr int32_t kOther = 10002;

FocusRequest Media(const std::string& client_id, int32_t uid,
                   std::optional<int32_t> zone = std::nullopt) {
  FocusRequest request;
  request.client_id = client_id;
  request.uid = uid;
  request.usage = 1;  // USAGE_MEDIA
  request.gain = FocusGain::kGain;
  request.requested_zone_id = zone;
  return request;
}

class AppConfinementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<FocusEngine> engine = FocusEngine::Create({0, 1, 2});
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_.emplace(std::move(*engine));
    ASSERT_TRUE(engine_->SetZoneForUid(kApp, 1).ok());
    // Another uid's entry in zone 1.
    engine_->RequestFocus(Media("radio", kOther, 1));
  }

  absl::Status Confine(FocusRequest& request, bool may_target_zones = false) {
    return ConfineFocusRequest(AppConfinement{kApp, may_target_zones}, *engine_, request);
  }

  std::optional<FocusEngine> engine_;
};

TEST_F(AppConfinementTest, AnUnsetUidBecomesTheAppsOwn) {
  FocusRequest request = Media("player", 0);
  ASSERT_TRUE(Confine(request).ok());
  EXPECT_EQ(request.uid, kApp);
  EXPECT_EQ(engine_->ZoneForRequest(request), 1) << "its uid's zone";
}

TEST_F(AppConfinementTest, AnotherUidIsRefusedAndTheRequestIsLeftAsItWas) {
  FocusRequest request = Media("player", kOther);
  const absl::Status status = Confine(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(), HasSubstr("may not speak for uid 10002"));
  EXPECT_EQ(request.uid, kOther);
}

TEST_F(AppConfinementTest, OnlyItsOwnZoneUnlessItMayTargetZones) {
  FocusRequest elsewhere = Media("player", kApp, 2);
  const absl::Status status = Confine(elsewhere);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(), HasSubstr("plays in zone 1 and may not target zone 2"));

  // Its own zone, named: fine, and left to the uid map (so it follows moves).
  FocusRequest own = Media("player", kApp, 1);
  ASSERT_TRUE(Confine(own).ok());
  EXPECT_FALSE(own.requested_zone_id.has_value());

  // A zone that does not exist is ignored by the engine anyway.
  FocusRequest nowhere = Media("player", kApp, 7);
  ASSERT_TRUE(Confine(nowhere).ok());
  EXPECT_EQ(engine_->ZoneForRequest(nowhere), 1);

  // The RSE controller may name the zone; it is kept.
  FocusRequest rse = Media("player", kApp, 2);
  ASSERT_TRUE(Confine(rse, /*may_target_zones=*/true).ok());
  EXPECT_EQ(rse.requested_zone_id, 2);
}

TEST_F(AppConfinementTest, AnotherUidsClientIdIsRefusedForRequestsAndAbandons) {
  FocusRequest request = Media("radio", kApp);
  const absl::Status status = Confine(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(), HasSubstr("client id \"radio\" belongs to uid 10002"));

  const AppConfinement app{kApp, false};
  EXPECT_EQ(ConfineAbandon(app, *engine_, "radio", std::nullopt).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ConfineAbandon(app, *engine_, "radio", 1).code(), absl::StatusCode::kPermissionDenied);
  // Not in zone 0, and an id nobody uses: nothing to protect.
  EXPECT_TRUE(ConfineAbandon(app, *engine_, "radio", 0).ok());
  EXPECT_TRUE(ConfineAbandon(app, *engine_, "nobody-uses-this", std::nullopt).ok());

  // Its own entry: it may re-request and abandon it.
  FocusRequest own = Media("player", 0);
  ASSERT_TRUE(Confine(own).ok());
  engine_->RequestFocus(own);
  FocusRequest again = Media("player", 0);
  EXPECT_TRUE(Confine(again).ok());
  EXPECT_TRUE(ConfineAbandon(app, *engine_, "player", std::nullopt).ok());
}

TEST_F(AppConfinementTest, AnAppHasAtMostItsLimitOfFocusRequests) {
  const AppConfinement app{kApp, false, /*max_focus_entries=*/1};
  FocusRequest first = Media("player", 0);
  ASSERT_TRUE(ConfineFocusRequest(app, *engine_, first).ok());
  engine_->RequestFocus(first);

  FocusRequest second = Media("podcast", 0);
  const absl::Status refused = ConfineFocusRequest(app, *engine_, second);
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(refused.message(), HasSubstr("uid 10001 already has 1 focus requests"));
  EXPECT_THAT(refused.message(), HasSubstr("--max_focus_requests_per_app"));
  EXPECT_EQ(second.uid, 0) << "a refused request is left as it was";

  // Re-requesting its own id replaces the entry: no new one.
  FocusRequest again = Media("player", 0);
  EXPECT_TRUE(ConfineFocusRequest(app, *engine_, again).ok());
  // Other uids' entries count for them, not for it; without a limit, none.
  engine_->RequestFocus(Media("news", kOther, 2));
  EXPECT_TRUE(ConfineFocusRequest(AppConfinement{kOther, false, 1}, *engine_, second).code() ==
              absl::StatusCode::kResourceExhausted);
  FocusRequest unlimited = Media("podcast", 0);
  EXPECT_TRUE(ConfineFocusRequest(AppConfinement{kApp, false, 0}, *engine_, unlimited).ok());

  // Once it abandons, it may ask again.
  engine_->AbandonFocus("player", std::nullopt);
  FocusRequest after = Media("podcast", 0);
  EXPECT_TRUE(ConfineFocusRequest(app, *engine_, after).ok());
}

TEST_F(AppConfinementTest, VolumeCallsAreTheAppsOwnInItsZone) {
  const AppConfinement app{kApp, false};
  int32_t uid = 0;
  ASSERT_TRUE(ConfineVolumeCall(app, *engine_, 1, uid).ok());
  EXPECT_EQ(uid, kApp) << "an app cannot pass for the head unit (uid 0)";
  uid = kOther;
  EXPECT_EQ(ConfineVolumeCall(app, *engine_, 1, uid).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(uid, kOther);
  uid = kApp;
  EXPECT_EQ(ConfineVolumeCall(app, *engine_, 0, uid).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(ConfineVolumeCall(AppConfinement{kApp, true}, *engine_, 0, uid).ok());
  EXPECT_TRUE(ConfineVolumeCall(app, *engine_, 7, uid).ok()) << "unknown zones: the call says so";
}

}  // namespace
}  // namespace caraudio
