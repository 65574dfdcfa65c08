// Bad input at every service edge: INVALID_ARGUMENT, no stream message, and
// the car service's state exactly as before (GetState compared whole,
// including the event sequence number, so not even an event was logged).
//
// One daemon per case; each case starts from a zone 0 with a music holder.

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "tests/integration/integration_test_util.h"

namespace caraudio::testing {
namespace {

// Runs a server-streaming call that must end before its first message.
template <typename Message>
grpc::Status StreamStatus(StreamReader<Message>& stream) {
  if (std::optional<Message> message = stream.Next(kEventTimeout)) {
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        "unexpected stream message: " + message->ShortDebugString());
  }
  std::optional<grpc::Status> status = stream.WaitForEnd(kEventTimeout);
  if (!status) return grpc::Status(grpc::StatusCode::INTERNAL, "the stream is still open");
  return *status;
}

grpc::Status Focus(Client& client, const v1::FocusRequest& request) {
  return StreamStatus(*client.RequestFocus(request));
}

grpc::Status Hold(Client& client, int usage, int32_t zone, int gain) {
  return StreamStatus(*client.HoldFocus(static_cast<v1::AudioUsage>(usage), zone,
                                        static_cast<v1::FocusGain>(gain), "bad-source"));
}

v1::FocusRequest Nav() {
  return MakeRequest("maps", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE,
                     v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, 0);
}

v1::DuckingInfo Ducking(int32_t zone, std::vector<std::string> duck,
                        std::vector<std::string> unduck) {
  v1::DuckingInfo info;
  info.set_zone_id(zone);
  for (std::string& address : duck) info.add_device_addresses_to_duck(std::move(address));
  for (std::string& address : unduck) info.add_device_addresses_to_unduck(std::move(address));
  return info;
}

grpc::Status Duck(Client& client, std::vector<v1::DuckingInfo> infos) {
  v1::OnDevicesToDuckChangeRequest request;
  for (v1::DuckingInfo& info : infos) *request.add_ducking_infos() = std::move(info);
  v1::OnDevicesToDuckChangeResponse response;
  return client.control().OnDevicesToDuckChange(UnaryContext().get(), request, &response);
}

struct BadInput {
  std::string name;
  std::function<grpc::Status(Client&)> call;
};

void PrintTo(const BadInput& input, std::ostream* os) { *os << input.name; }

std::vector<BadInput> BadInputs() {
  std::vector<BadInput> cases;
  auto add = [&cases](std::string name, std::function<grpc::Status(Client&)> call) {
    cases.push_back({std::move(name), std::move(call)});
  };

  // AudioFocus.RequestFocus
  add("RequestFocusUnknownUsage9999", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_usage(static_cast<v1::AudioUsage>(9999));
    return Focus(c, r);
  });
  add("RequestFocusHalInvalidUsageMinus1", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_usage(static_cast<v1::AudioUsage>(-1));
    return Focus(c, r);
  });
  add("RequestFocusGain0", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_gain(v1::FOCUS_GAIN_NONE);
    return Focus(c, r);
  });
  add("RequestFocusGain5", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_gain(static_cast<v1::FocusGain>(5));
    return Focus(c, r);
  });
  add("RequestFocusEmptyClientId", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_client_id("");
    return Focus(c, r);
  });
  add("RequestFocus300CharClientId", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_client_id(std::string(300, 'a'));
    return Focus(c, r);
  });
  add("RequestFocusHalFocusPrefixClientId", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_client_id("hal-focus/zone0/USAGE_SAFETY");
    return Focus(c, r);
  });
  add("RequestFocusNegativeUid", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_uid(-5);
    return Focus(c, r);
  });

  // AudioFocus.AbandonFocus and volume groups
  add("AbandonFocusEmptyClientId", [](Client& c) { return c.AbandonFocus("", std::nullopt); });
  add("AbandonFocusHalFocusClientId",
      [](Client& c) { return c.AbandonFocus("hal-focus/zone0/USAGE_SAFETY", std::nullopt); });
  add("AbandonFocusUnknownZone", [](Client& c) { return c.AbandonFocus("music", 7); });
  add("SetGroupVolumeUnknownZone", [](Client& c) {
    v1::SetGroupVolumeRequest request;
    request.set_zone_id(7);
    request.set_group("media");
    request.set_gain_index(3);
    v1::GroupVolume response;
    return c.focus().SetGroupVolume(UnaryContext().get(), request, &response);
  });
  add("SetGroupVolumeIndexOutOfRange", [](Client& c) {
    v1::SetGroupVolumeRequest request;
    request.set_zone_id(0);
    request.set_group("media");
    request.set_gain_index(1000);
    v1::GroupVolume response;
    return c.focus().SetGroupVolume(UnaryContext().get(), request, &response);
  });
  add("SetGroupMuteUnknownGroup", [](Client& c) {
    v1::SetGroupMuteRequest request;
    request.set_zone_id(0);
    request.set_group("no-such-group");
    request.set_muted(true);
    v1::GroupVolume response;
    return c.focus().SetGroupMute(UnaryContext().get(), request, &response);
  });

  // CarAudioAdmin
  add("SetNavigationRejectedDuringCallUnknownZone", [](Client& c) {
    v1::SetNavigationRejectedDuringCallRequest request;
    request.set_zone_id(7);
    request.set_rejected(true);
    v1::SetNavigationRejectedDuringCallResponse response;
    return c.admin().SetNavigationRejectedDuringCall(UnaryContext().get(), request, &response);
  });
  add("SetZoneForUidUnknownZone", [](Client& c) {
    v1::SetZoneForUidRequest request;
    request.set_uid(10000);
    request.set_zone_id(7);
    v1::SetZoneForUidResponse response;
    return c.admin().SetZoneForUid(UnaryContext().get(), request, &response);
  });
  add("SetZoneForUidNegativeUid", [](Client& c) {
    v1::SetZoneForUidRequest request;
    request.set_uid(-1);
    request.set_zone_id(1);
    v1::SetZoneForUidResponse response;
    return c.admin().SetZoneForUid(UnaryContext().get(), request, &response);
  });

  // AudioControl (the HAL, served in the same process with --role=all)
  add("SetBalanceTowardRightNaN", [](Client& c) {
    v1::SetBalanceTowardRightRequest request;
    request.set_value(std::numeric_limits<float>::quiet_NaN());
    v1::SetBalanceTowardRightResponse response;
    return c.control().SetBalanceTowardRight(UnaryContext().get(), request, &response);
  });
  add("SetFadeTowardFrontNaN", [](Client& c) {
    v1::SetFadeTowardFrontRequest request;
    request.set_value(std::numeric_limits<float>::quiet_NaN());
    v1::SetFadeTowardFrontResponse response;
    return c.control().SetFadeTowardFront(UnaryContext().get(), request, &response);
  });
  add("OnDevicesToDuckChangeUnknownZone",
      [](Client& c) { return Duck(c, {Ducking(7, {"bus0_media_out"}, {})}); });
  add("OnDevicesToDuckChangeSameZoneTwice", [](Client& c) {
    return Duck(c, {Ducking(0, {"bus0_media_out"}, {}), Ducking(0, {}, {"bus0_media_out"})});
  });
  add("OnDevicesToDuckChangeAddressDuckedAndUnducked",
      [](Client& c) { return Duck(c, {Ducking(0, {"bus0_media_out"}, {"bus0_media_out"})}); });
  add("OnDevicesToMuteChangeUnknownZone", [](Client& c) {
    v1::OnDevicesToMuteChangeRequest request;
    v1::MutingInfo* info = request.add_muting_infos();
    info->set_zone_id(7);
    info->add_device_addresses_to_mute("bus0_media_out");
    v1::OnDevicesToMuteChangeResponse response;
    return c.control().OnDevicesToMuteChange(UnaryContext().get(), request, &response);
  });
  add("OnAudioFocusChangeNone", [](Client& c) {
    v1::OnAudioFocusChangeRequest request;
    request.set_usage(v1::USAGE_SAFETY);
    request.set_zone_id(0);
    request.set_focus_change(v1::FOCUS_CHANGE_NONE);
    v1::OnAudioFocusChangeResponse response;
    return c.control().OnAudioFocusChange(UnaryContext().get(), request, &response);
  });
  add("OnAudioFocusChangeUnknownZone", [](Client& c) {
    v1::OnAudioFocusChangeRequest request;
    request.set_usage(v1::USAGE_SAFETY);
    request.set_zone_id(7);
    request.set_focus_change(v1::FOCUS_CHANGE_GAIN);
    v1::OnAudioFocusChangeResponse response;
    return c.control().OnAudioFocusChange(UnaryContext().get(), request, &response);
  });

  // HalFocus.HoldFocus
  add("HoldFocusUnknownUsage", [](Client& c) { return Hold(c, 9999, 0, 3); });
  add("HoldFocusUnknownZone", [](Client& c) { return Hold(c, v1::USAGE_SAFETY, 7, 3); });
  add("HoldFocusGain0", [](Client& c) { return Hold(c, v1::USAGE_SAFETY, 0, 0); });
  add("HoldFocusGain5", [](Client& c) { return Hold(c, v1::USAGE_SAFETY, 0, 5); });
  add("ReleaseFocusUnknownZone", [](Client& c) {
    v1::ReleaseFocusRequest request;
    request.set_usage(v1::USAGE_SAFETY);
    request.set_zone_id(7);
    v1::ReleaseFocusResponse response;
    return c.hal_focus().ReleaseFocus(UnaryContext().get(), request, &response);
  });
  add("ReleaseFocusUnknownUsage", [](Client& c) {
    v1::ReleaseFocusRequest request;
    request.set_usage(static_cast<v1::AudioUsage>(9999));
    request.set_zone_id(0);
    v1::ReleaseFocusResponse response;
    return c.hal_focus().ReleaseFocus(UnaryContext().get(), request, &response);
  });
  return cases;
}

class BadInputTest : public DaemonFixture<::testing::TestWithParam<BadInput>> {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    if (HasFatalFailure()) return;
    // The in-process HAL link registers right after start-up and logs one
    // event; wait for it so the snapshot below is stable.
    absl::StatusOr<v1::CarAudioState> registered =
        client_->AwaitState([](const v1::CarAudioState& s) { return s.sequence() >= 1; });
    ASSERT_TRUE(registered.ok()) << registered.status();
    // Something to protect: music holds zone 0.
    music_ = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
    ASSERT_TRUE(NextIsResult(*music_, v1::REQUEST_GRANTED, 0));
  }

  std::unique_ptr<FocusStream> music_;
};

TEST_P(BadInputTest, IsInvalidArgumentAndChangesNothing) {
  absl::StatusOr<v1::CarAudioState> before = client_->GetState();
  ASSERT_TRUE(before.ok()) << before.status();

  const grpc::Status status = GetParam().call(*client_);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << "got " << status.error_code() << ": " << status.error_message();
  EXPECT_FALSE(status.error_message().empty());

  absl::StatusOr<v1::CarAudioState> after = client_->GetState();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->ShortDebugString(), before->ShortDebugString());
  EXPECT_TRUE(NoEventWithin(*music_, absl::ZeroDuration()));
}

INSTANTIATE_TEST_SUITE_P(AllServices, BadInputTest, ::testing::ValuesIn(BadInputs()),
                         [](const ::testing::TestParamInfo<BadInput>& info) {
                           return info.param.name;
                         });

// The valid neighbours of the bad values above are accepted, so the cases
// above fail for the reason they name.
TEST(GoodInputTest, ClampedBalanceAndAValidRequestAreAccepted) {
  absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon = StartTestDaemon(TestDaemonOptions());
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  Client client(**daemon);
  v1::SetBalanceTowardRightRequest balance;
  balance.set_value(99999.9f);  // clamped to 1, as VTS requires
  v1::SetBalanceTowardRightResponse balance_response;
  EXPECT_TRUE(client.control()
                  .SetBalanceTowardRight(UnaryContext().get(), balance, &balance_response)
                  .ok());
  v1::FocusRequest request = Nav();
  request.set_client_id(std::string(256, 'a'));  // the longest allowed id
  auto nav = client.RequestFocus(request);
  EXPECT_TRUE(NextIsResult(*nav, v1::REQUEST_GRANTED, 0));
}

}  // namespace
}  // namespace caraudio::testing
