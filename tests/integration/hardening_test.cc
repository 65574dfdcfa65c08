// Background-audio hardening through the real daemon: CarAudioAdmin
// ReportAppState / SetHardeningMode and their effect on RequestFocus
// (seeds.md §1). Off by default; enforce fails a background app with rule
// HARDENING and leaves everyone else alone; warn lets it through and logs.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/integration/integration_test_util.h"

namespace caraudio::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class HardeningTest : public DaemonFixture<::testing::Test> {
 protected:
  grpc::Status SetMode(v1::HardeningMode mode, std::optional<int32_t> zone = std::nullopt) {
    v1::SetHardeningModeRequest request;
    request.set_mode(mode);
    if (zone) request.set_zone_id(*zone);
    v1::SetHardeningModeResponse response;
    return client_->admin().SetHardeningMode(UnaryContext().get(), request, &response);
  }

  grpc::Status Report(const v1::ReportAppStateRequest& request,
                      v1::AppLifecycleState* state = nullptr) {
    v1::AppLifecycleState ignored;
    return client_->admin().ReportAppState(UnaryContext().get(), request,
                                           state != nullptr ? state : &ignored);
  }

  static v1::ReportAppStateRequest Visible(const std::string& client) {
    v1::ReportAppStateRequest request;
    request.set_package_name("com.example." + client);  // as MakeRequest names it
    request.set_uid(10000);
    request.set_visibility(v1::APP_VISIBILITY_VISIBLE);
    return request;
  }
};

TEST_F(HardeningTest, OffByDefault) {
  auto music = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  EXPECT_TRUE(NextIsResult(*music, v1::REQUEST_GRANTED, 0));
  absl::StatusOr<v1::CarAudioState> state = client_->GetState();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->default_hardening_mode(), v1::HARDENING_MODE_OFF);
  EXPECT_EQ(ZoneOf(*state, 0).hardening_mode(), v1::HARDENING_MODE_OFF);
}

TEST_F(HardeningTest, EnforceFailsABackgroundAppAndLeavesOthersAlone) {
  ASSERT_TRUE(Report(Visible("nav")).ok());
  ASSERT_TRUE(SetMode(v1::HARDENING_MODE_ENFORCE).ok());
  auto nav = client_->RequestFocus(MakeRequest(
      "nav", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE, v1::FOCUS_GAIN, 0));
  EXPECT_TRUE(NextIsResult(*nav, v1::REQUEST_GRANTED, 0));
  std::unique_ptr<EventStream> events = client_->WatchEvents(false);
  ASSERT_TRUE(events->Next(kEventTimeout).has_value());  // subscribed

  // Never reported: background without a foreground service.
  auto radio = client_->RequestFocus(MakeRequest("radio", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  v1::FocusEvent result;
  ASSERT_TRUE(NextIsResult(*radio, v1::REQUEST_FAILED, 0, &result));
  EXPECT_EQ(result.result().explanation().rule(), v1::DECISION_RULE_HARDENING);
  EXPECT_THAT(result.result().explanation().text(),
              StartsWith("hardening: background, no foreground service"));
  EXPECT_TRUE(NoEventWithin(*nav));  // MUSIC would have taken nav's focus otherwise
  std::vector<v1::Event> seen;
  EXPECT_TRUE(AwaitEvent(
      *events, [](const v1::Event& e) { return e.has_hardening(); }, "hardening", &seen));
  ASSERT_FALSE(seen.empty());
  EXPECT_THAT(seen.back().hardening().line(), StartsWith("AudioHardening com.example.radio"));

  absl::StatusOr<v1::CarAudioState> state = client_->GetState();
  ASSERT_TRUE(state.ok());
  EXPECT_THAT(HolderIds(*state, 0), ::testing::ElementsAre("nav"));
  ASSERT_EQ(state->hardening_log_size(), 1);
  EXPECT_EQ(state->hardening_log(0).package_name(), "com.example.radio");
  ASSERT_EQ(state->apps_size(), 1);
  EXPECT_TRUE(state->apps(0).valid());
}

TEST_F(HardeningTest, ForegroundServiceOriginsDecide) {
  ASSERT_TRUE(SetMode(v1::HARDENING_MODE_ENFORCE, 0).ok());
  v1::ReportAppStateRequest boot;
  boot.set_package_name("com.example.podcast");
  boot.set_uid(10000);
  boot.mutable_start_foreground_service()->set_type(v1::FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK);
  boot.mutable_start_foreground_service()->set_origin(v1::FGS_START_ORIGIN_BOOT_COMPLETED);
  v1::AppLifecycleState verdict;
  ASSERT_TRUE(Report(boot, &verdict).ok());
  EXPECT_FALSE(verdict.valid());
  EXPECT_THAT(verdict.reason(), HasSubstr("BOOT_COMPLETED"));
  auto podcast =
      client_->RequestFocus(MakeRequest("podcast", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  EXPECT_TRUE(NextIsResult(*podcast, v1::REQUEST_FAILED, 0));

  // Restarted from a MediaSession event, it has while-in-use capability.
  v1::ReportAppStateRequest stop = boot;
  stop.set_stop_foreground_service(v1::FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK);
  ASSERT_TRUE(Report(stop).ok());
  v1::ReportAppStateRequest session = boot;
  session.mutable_start_foreground_service()->set_origin(v1::FGS_START_ORIGIN_MEDIA_SESSION_EVENT);
  ASSERT_TRUE(Report(session, &verdict).ok());
  EXPECT_TRUE(verdict.valid());
  auto again = client_->RequestFocus(MakeRequest("podcast", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  EXPECT_TRUE(NextIsResult(*again, v1::REQUEST_GRANTED, 0));

  // Zone 1 is still off.
  auto rear = client_->RequestFocus(MakeRequest("rear", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 1));
  EXPECT_TRUE(NextIsResult(*rear, v1::REQUEST_GRANTED, 1));
}

TEST_F(HardeningTest, WarnLetsItThroughAndLogs) {
  ASSERT_TRUE(SetMode(v1::HARDENING_MODE_WARN).ok());
  auto radio = client_->RequestFocus(MakeRequest("radio", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  EXPECT_TRUE(NextIsResult(*radio, v1::REQUEST_GRANTED, 0));
  absl::StatusOr<v1::CarAudioState> state = client_->GetState();
  ASSERT_TRUE(state.ok());
  ASSERT_EQ(state->hardening_log_size(), 1);
  EXPECT_EQ(state->hardening_log(0).mode(), v1::HARDENING_MODE_WARN);
  EXPECT_THAT(state->hardening_log(0).line(), HasSubstr("warn"));
}

// Volume and mute calls of an app outside a valid lifecycle are ignored with
// OK (state unchanged, one AudioHardening line each); a visible app and the
// head unit itself (no package) change the volume; a bad caller is an error.
TEST_F(HardeningTest, EnforceIgnoresVolumeCallsOfABackgroundApp) {
  ASSERT_TRUE(Report(Visible("nav")).ok());
  ASSERT_TRUE(SetMode(v1::HARDENING_MODE_ENFORCE).ok());
  auto volume = [this](const std::string& package, int32_t index, v1::GroupVolume* answer) {
    v1::SetGroupVolumeRequest request;
    request.set_zone_id(0);
    request.set_group("media");
    request.set_gain_index(index);
    request.set_package_name(package);
    if (!package.empty()) request.set_uid(10000);
    return client_->focus().SetGroupVolume(UnaryContext().get(), request, answer);
  };
  v1::GroupVolume answer;
  ASSERT_TRUE(volume("", 20, &answer).ok());  // the head unit
  EXPECT_EQ(answer.gain_index(), 20);

  grpc::Status ignored = volume("com.example.radio", 5, &answer);
  ASSERT_TRUE(ignored.ok()) << ignored.error_message();
  EXPECT_EQ(answer.gain_index(), 20);  // unchanged, and nothing tells the app
  v1::SetGroupMuteRequest mute;
  mute.set_zone_id(0);
  mute.set_group("media");
  mute.set_muted(true);
  mute.set_package_name("com.example.radio");
  mute.set_uid(10000);
  ASSERT_TRUE(client_->focus().SetGroupMute(UnaryContext().get(), mute, &answer).ok());
  EXPECT_FALSE(answer.muted());

  ASSERT_TRUE(volume("com.example.nav", 25, &answer).ok());  // visible
  EXPECT_EQ(answer.gain_index(), 25);
  EXPECT_EQ(volume("bad package", 5, &answer).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(volume("com.example.radio", 999, &answer).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  absl::StatusOr<v1::CarAudioState> state = client_->GetState();
  ASSERT_TRUE(state.ok());
  ASSERT_EQ(state->hardening_log_size(), 2);
  EXPECT_THAT(state->hardening_log(0).line(), StartsWith("AudioHardening com.example.radio"));
  EXPECT_THAT(state->hardening_log(0).line(), HasSubstr("setStreamVolume"));
  EXPECT_THAT(state->hardening_log(1).line(), HasSubstr("setStreamMute"));
  v1::GetGroupVolumeRequest get;
  get.set_zone_id(0);
  get.set_group("media");
  ASSERT_TRUE(client_->focus().GetGroupVolume(UnaryContext().get(), get, &answer).ok());
  EXPECT_EQ(answer.gain_index(), 25);
  EXPECT_FALSE(answer.muted());
}

TEST_F(HardeningTest, BadReportsAndModesChangeNothing) {
  absl::StatusOr<v1::CarAudioState> before = client_->GetState();
  ASSERT_TRUE(before.ok());
  v1::ReportAppStateRequest empty;
  empty.set_uid(1);
  empty.set_visibility(v1::APP_VISIBILITY_VISIBLE);
  EXPECT_EQ(Report(empty).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::ReportAppStateRequest none;
  none.set_package_name("com.example.x");
  EXPECT_EQ(Report(none).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::ReportAppStateRequest bad_enum = Visible("x");
  bad_enum.set_visibility(static_cast<v1::AppVisibility>(7));
  EXPECT_EQ(Report(bad_enum).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::ReportAppStateRequest stop = Visible("x");
  stop.set_stop_foreground_service(v1::FOREGROUND_SERVICE_TYPE_DATA_SYNC);
  EXPECT_EQ(Report(stop).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(SetMode(v1::HARDENING_MODE_ENFORCE, 9).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(SetMode(static_cast<v1::HardeningMode>(5)).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  absl::StatusOr<v1::CarAudioState> state = client_->GetState();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->apps_size(), 0);
  EXPECT_EQ(state->default_hardening_mode(), v1::HARDENING_MODE_OFF);
  EXPECT_EQ(state->sequence(), before->sequence());  // no event was published
}

}  // namespace
}  // namespace caraudio::testing
