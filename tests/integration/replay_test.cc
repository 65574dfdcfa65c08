// Event replay against a real recording: a daemon session with requests,
// losses, delayed focus, a vehicle chime, settings, a zone move, volume,
// lifecycle reports and hardening is recorded through WatchEvents (with the
// state at subscription), written as JSON lines like `audioctl events
// --record`, and replayed offline (tools/event_replay.h): every decision and
// output agrees. A tampered decision is reported as a difference.

#include <google/protobuf/util/json_util.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/integration/integration_test_util.h"
#include "tools/event_replay.h"
#include "zones/car_audio_config_parser.h"

namespace caraudio::testing {
namespace {

class ReplayTest : public DaemonFixture<::testing::Test> {
 protected:
  // Drives a session and returns everything WatchEvents saw, as JSON lines.
  std::string RecordSession() {
    std::unique_ptr<EventStream> events = client_->WatchEvents(/*include_state=*/true);
    // The watch is live once `subscribed` arrives; record only from then on.
    std::vector<v1::Event> seen;
    std::optional<v1::Event> subscribed = events->Next(kEventTimeout);
    EXPECT_TRUE(subscribed.has_value() && subscribed->has_subscribed());
    if (subscribed) seen.push_back(*subscribed);
    auto music = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
    EXPECT_TRUE(NextIsResult(*music, v1::REQUEST_GRANTED, 0));
    auto nav = client_->RequestFocus(MakeRequest(
        "nav", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, 0));
    EXPECT_TRUE(NextIsResult(*nav, v1::REQUEST_GRANTED, 0));
    auto call = client_->RequestFocus(
        MakeRequest("call", v1::USAGE_VOICE_COMMUNICATION, v1::FOCUS_GAIN_TRANSIENT, 0));
    EXPECT_TRUE(NextIsResult(*call, v1::REQUEST_GRANTED, 0));
    v1::FocusRequest podcast = MakeRequest("podcast", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0);
    podcast.set_delay_ok(true);
    auto delayed = client_->RequestFocus(podcast);
    EXPECT_TRUE(NextIsResult(*delayed, v1::REQUEST_DELAYED, 0));
    EXPECT_TRUE(client_->AbandonFocus("call", std::nullopt).ok());
    auto chime = client_->HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK,
                                    "chime");
    EXPECT_TRUE(AwaitHalStatus(*chime, v1::FOCUS_CHANGE_GAIN_TRANSIENT_MAY_DUCK));
    chime.reset();  // the vehicle side lets go
    auto rear = client_->RequestFocus(MakeRequest("rear", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 2));
    EXPECT_TRUE(NextIsResult(*rear, v1::REQUEST_GRANTED, 2));
    delayed.reset();  // a client that goes away: its stream closes

    v1::SetNavigationRejectedDuringCallRequest reject;
    reject.set_zone_id(0);
    reject.set_rejected(true);
    v1::SetNavigationRejectedDuringCallResponse reject_response;
    EXPECT_TRUE(client_->admin()
                    .SetNavigationRejectedDuringCall(UnaryContext().get(), reject,
                                                     &reject_response)
                    .ok());
    v1::SetZoneForUidRequest move;
    move.set_uid(10000);
    move.set_zone_id(1);
    v1::SetZoneForUidResponse move_response;
    EXPECT_TRUE(client_->admin().SetZoneForUid(UnaryContext().get(), move, &move_response).ok());
    v1::SetGroupMuteRequest mute;
    mute.set_zone_id(0);
    mute.set_group("media");
    mute.set_muted(true);
    v1::GroupVolume group;
    EXPECT_TRUE(client_->focus().SetGroupMute(UnaryContext().get(), mute, &group).ok());
    v1::SetGroupVolumeRequest volume;
    volume.set_zone_id(0);
    volume.set_group("media");
    volume.set_gain_index(12);
    EXPECT_TRUE(client_->focus().SetGroupVolume(UnaryContext().get(), volume, &group).ok());
    v1::SetRestrictFocusRequest restrict;
    restrict.set_restricted(true);
    v1::SetRestrictFocusResponse restrict_response;
    EXPECT_TRUE(
        client_->admin().SetRestrictFocus(UnaryContext().get(), restrict, &restrict_response).ok());
    restrict.set_restricted(false);
    EXPECT_TRUE(
        client_->admin().SetRestrictFocus(UnaryContext().get(), restrict, &restrict_response).ok());

    v1::ReportAppStateRequest visible;
    visible.set_package_name("com.example.visible");
    visible.set_uid(10001);
    visible.set_visibility(v1::APP_VISIBILITY_VISIBLE);
    v1::AppLifecycleState lifecycle;
    EXPECT_TRUE(client_->admin().ReportAppState(UnaryContext().get(), visible, &lifecycle).ok());
    v1::SetHardeningModeRequest enforce;
    enforce.set_mode(v1::HARDENING_MODE_ENFORCE);
    v1::SetHardeningModeResponse enforce_response;
    EXPECT_TRUE(
        client_->admin().SetHardeningMode(UnaryContext().get(), enforce, &enforce_response).ok());
    v1::FocusRequest hidden = MakeRequest("hidden", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0);
    hidden.set_uid(10002);
    auto refused = client_->RequestFocus(hidden);
    EXPECT_TRUE(NextIsResult(*refused, v1::REQUEST_FAILED, 0));
    auto late = client_->RequestFocus(MakeRequest("late", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 2));
    EXPECT_TRUE(NextIsResult(*late, v1::REQUEST_FAILED, 2));  // hardening: never reported

    // Everything up to the last input's effects.
    EXPECT_TRUE(AwaitEvent(
        *events,
        [](const v1::Event& e) {
          return e.has_focus_request() && e.focus_request().request().client_id() == "late";
        },
        "the last request", &seen));
    while (std::optional<v1::Event> more = events->Next(absl::Milliseconds(300))) {
      seen.push_back(*more);
    }
    std::string log;
    for (const v1::Event& event : seen) {
      std::string line;
      EXPECT_TRUE(google::protobuf::util::MessageToJsonString(event, &line).ok());
      log += line + "\n";
    }
    return log;
  }
};

TEST_F(ReplayTest, ARecordedSessionReplaysWithoutDifferences) {
  const std::string log = RecordSession();
  absl::StatusOr<std::vector<v1::Event>> events = ParseEventLog(log, "session.jsonl");
  ASSERT_TRUE(events.ok()) << events.status();
  absl::StatusOr<CarAudioConfig> car = LoadDefaultCarAudioConfig();
  ASSERT_TRUE(car.ok());
  absl::StatusOr<ReplayReport> report = ReplayEvents(*events, *car);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_GE(report->inputs, 18);
  EXPECT_GE(report->outputs, 20);
  for (const ReplayDifference& difference : report->differences) {
    ADD_FAILURE() << difference.input << ": " << difference.what;
  }
}

TEST_F(ReplayTest, ATamperedDecisionIsADifference) {
  absl::StatusOr<std::vector<v1::Event>> events = ParseEventLog(RecordSession(), "session.jsonl");
  ASSERT_TRUE(events.ok()) << events.status();
  int tampered = 0;
  for (v1::Event& event : *events) {
    if (event.has_focus_request() && event.focus_request().request().client_id() == "nav") {
      event.mutable_focus_request()->mutable_result()->set_result(v1::REQUEST_DELAYED);
      ++tampered;
    }
  }
  ASSERT_EQ(tampered, 1);
  absl::StatusOr<ReplayReport> report = ReplayEvents(*events, *LoadDefaultCarAudioConfig());
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->differences.size(), 1u);
  EXPECT_NE(report->differences[0].what.find("decision: recorded DELAYED in zone 0"),
            std::string::npos)
      << report->differences[0].what;
}

TEST_F(ReplayTest, ALogFromTheMiddleIsRefused) {
  absl::StatusOr<std::vector<v1::Event>> events = ParseEventLog(RecordSession(), "session.jsonl");
  ASSERT_TRUE(events.ok());
  events->erase(events->begin(), events->begin() + 3);  // no state, starts mid-way
  absl::StatusOr<ReplayReport> report = ReplayEvents(*events, *LoadDefaultCarAudioConfig());
  EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(ParseEventLog("{\"sequence\": 1}\nnot json\n", "x.jsonl")
                              .status()
                              .message()),
              ::testing::StartsWith("x.jsonl:2: not a caraudio.v1.Event: "));
}

}  // namespace
}  // namespace caraudio::testing
