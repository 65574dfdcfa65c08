// AudioControl's other calls: ducking, muting, balance, fade, the gain
// callback, GetInterfaceInfo, and Shutdown (audio_control.proto).

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "tests/hal/hal_test_harness.h"

namespace caraudio::testing {
namespace {

using AddressSets = std::map<int32_t, std::set<std::string>>;

v1::OnDevicesToDuckChangeRequest DuckRequest(std::vector<v1::DuckingInfo> infos) {
  v1::OnDevicesToDuckChangeRequest request;
  for (v1::DuckingInfo& info : infos) *request.add_ducking_infos() = std::move(info);
  return request;
}

v1::OnDevicesToMuteChangeRequest MuteRequest(std::vector<v1::MutingInfo> infos) {
  v1::OnDevicesToMuteChangeRequest request;
  for (v1::MutingInfo& info : infos) *request.add_muting_infos() = std::move(info);
  return request;
}

TEST(DuckingTest, DuckSetsReachTheBackendOnlyForChanges) {
  HalHarness hal;
  ASSERT_TRUE(hal.OnDevicesToDuckChange(DuckRequest({Ducking(0, {"bus0_media_out", "bus1_nav"}),
                                                     Ducking(1, {"bus100_media"})}))
                  .ok());
  const AddressSets ducked = {{0, {"bus0_media_out", "bus1_nav"}}, {1, {"bus100_media"}}};
  EXPECT_EQ(hal.hal().snapshot().ducked, ducked);
  EXPECT_EQ(hal.backend().snapshot().ducked, ducked);
  EXPECT_EQ(hal.backend().duck_calls, 3);

  // Ducking what is ducked and unducking what is not are no changes.
  ASSERT_TRUE(hal.OnDevicesToDuckChange(
                     DuckRequest({Ducking(0, {"bus0_media_out"}, {"bus1_nav", "bus2_never"})}))
                  .ok());
  const AddressSets after = {{0, {"bus0_media_out"}}, {1, {"bus100_media"}}};
  EXPECT_EQ(hal.hal().snapshot().ducked, after);
  EXPECT_EQ(hal.backend().snapshot().ducked, after);
  EXPECT_EQ(hal.backend().duck_calls, 4);
}

TEST(DuckingTest, InvalidRequestIsRejectedAndNothingOfItApplied) {
  HalHarness hal;
  // The first entry is fine; the second names an unknown zone.
  EXPECT_EQ(hal.OnDevicesToDuckChange(
                   DuckRequest({Ducking(0, {"bus0_media_out"}), Ducking(5, {"bus500"})}))
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // One zone twice.
  EXPECT_EQ(hal.OnDevicesToDuckChange(
                   DuckRequest({Ducking(0, {"bus0_media_out"}), Ducking(0, {"bus1_nav"})}))
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // An address both to duck and to unduck.
  EXPECT_EQ(hal.OnDevicesToDuckChange(
                   DuckRequest({Ducking(0, {"bus0_media_out"}, {"bus0_media_out"})}))
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(hal.hal().snapshot().ducked.empty());
  EXPECT_TRUE(hal.backend().snapshot().ducked.empty());
  EXPECT_EQ(hal.backend().duck_calls, 0);
}

TEST(DuckingTest, AddressesTheZoneDoesNotHaveAreSkipped) {
  CarAudioConfig config;
  ZoneConfig zone;
  zone.id = 0;
  zone.is_primary = true;
  VolumeGroupConfig group;
  group.devices.push_back(DeviceConfig{"bus0_media_out", {AudioContext::kMusic}, ""});
  zone.volume_groups.push_back(group);
  config.zones.push_back(zone);
  HalHarness hal(config);

  ASSERT_TRUE(
      hal.OnDevicesToDuckChange(DuckRequest({Ducking(0, {"bus0_media_out", "bus9_elsewhere"})}))
          .ok());
  const AddressSets ducked = {{0, {"bus0_media_out"}}};
  EXPECT_EQ(hal.SettledBackend().ducked, ducked);
  // Zone 1 is not in this config.
  EXPECT_EQ(hal.OnDevicesToDuckChange(DuckRequest({Ducking(1, {"bus0_media_out"})})).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST(MutingTest, MuteSetsReachTheBackend) {
  HalHarness hal;
  ASSERT_TRUE(
      hal.OnDevicesToMuteChange(MuteRequest({Muting(2, {"bus200_media", "bus201_nav"})})).ok());
  EXPECT_EQ(hal.SettledBackend().muted, (AddressSets{{2, {"bus200_media", "bus201_nav"}}}));

  ASSERT_TRUE(hal.OnDevicesToMuteChange(
                     MuteRequest({Muting(2, {}, {"bus200_media", "bus201_nav", "bus202_x"})}))
                  .ok());
  EXPECT_TRUE(hal.hal().snapshot().muted.empty());
  EXPECT_TRUE(hal.backend().snapshot().muted.empty());
  EXPECT_EQ(hal.backend().mute_calls, 4);

  EXPECT_EQ(hal.OnDevicesToMuteChange(MuteRequest({Muting(3, {"bus300"})})).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(hal.SettledBackend().muted.empty());
  EXPECT_EQ(hal.backend().mute_calls, 4);
}

TEST(BalanceFadeTest, ValuesAreClampedAndAccepted) {
  HalHarness hal;
  const float infinity = std::numeric_limits<float>::infinity();
  struct Case {
    float sent;
    float applied;
  };
  for (const Case& value : {Case{0.25f, 0.25f}, Case{99999.9f, 1.0f}, Case{-99999.9f, -1.0f},
                            Case{infinity, 1.0f}, Case{-infinity, -1.0f}, Case{-1.0f, -1.0f}}) {
    SCOPED_TRACE(::testing::Message() << "value " << value.sent);
    ASSERT_TRUE(hal.SetBalanceTowardRight(value.sent).ok());
    ASSERT_TRUE(hal.SetFadeTowardFront(-value.sent).ok());
    const AudioControlHal::Snapshot snapshot = hal.hal().snapshot();
    EXPECT_EQ(snapshot.balance, value.applied);
    EXPECT_EQ(snapshot.fade, -value.applied);
    EXPECT_EQ(hal.backend().snapshot().balance, value.applied);
    EXPECT_EQ(hal.backend().snapshot().fade, -value.applied);
  }
}

TEST(BalanceFadeTest, NanIsRejectedAndChangesNothing) {
  HalHarness hal;
  ASSERT_TRUE(hal.SetBalanceTowardRight(0.5f).ok());
  ASSERT_TRUE(hal.SetFadeTowardFront(-0.5f).ok());
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(hal.SetBalanceTowardRight(nan).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(hal.SetFadeTowardFront(nan).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(hal.hal().snapshot().balance, 0.5f);
  EXPECT_EQ(hal.SettledBackend().balance, 0.5f);
  EXPECT_EQ(hal.backend().snapshot().fade, -0.5f);
}

TEST(GainCallbackTest, RegisteredFirstAndANewRegistrationAbortsTheOld) {
  HalHarness hal;
  std::unique_ptr<GainCallbackStream> first = hal.RegisterGainCallback();
  std::optional<v1::GainCallbackEvent> event = first->Next();
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->registered().registration_id(), 1u);

  std::unique_ptr<GainCallbackStream> second = hal.RegisterGainCallback();
  EXPECT_TRUE(EndsWith(*first, grpc::StatusCode::ABORTED, "superseded by registration 2"));
  event = second->Next();
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->registered().registration_id(), 2u);
  EXPECT_EQ(hal.hal().snapshot().gain_callback_id, 2u);

  second->Cancel();
  EXPECT_TRUE(hal.WaitFor([](const auto& s) { return s.gain_callback_id == 0; }));
}

TEST(InterfaceInfoTest, ReportsWhatIsServed) {
  HalHarness hal;
  grpc::ClientContext context;
  v1::InterfaceInfo info;
  ASSERT_TRUE(hal.audio_control().GetInterfaceInfo(&context, {}, &info).ok());
  EXPECT_EQ(info.aidl_version(), 2);
  EXPECT_TRUE(info.focus());
  EXPECT_FALSE(info.focus_with_metadata());
  EXPECT_TRUE(info.ducking());
  EXPECT_TRUE(info.group_muting());
  EXPECT_TRUE(info.gain_callback());
  EXPECT_FALSE(info.module_change_callback());
  EXPECT_FALSE(info.audio_configuration());
  EXPECT_TRUE(info.silenced_apps());
  EXPECT_TRUE(info.stream_levels());
  EXPECT_EQ(info.implementation(), "caraudiocontrol");
}

TEST(ShutdownTest, EndsEveryStreamAndRefusesLaterCalls) {
  HalHarness hal;
  std::unique_ptr<ListenerStream> listener = hal.RegisterFocusListener();
  ASSERT_TRUE(NextIsRegistered(*listener, 1, 0));
  std::unique_ptr<GainCallbackStream> gains = hal.RegisterGainCallback();
  ASSERT_TRUE(gains->Next().has_value());
  std::unique_ptr<HoldStream> chime =
      hal.HoldFocusAndWait(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT);
  ASSERT_TRUE(NextIsRequest(*listener, v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT, false));

  hal.hal().Shutdown();
  EXPECT_TRUE(EndsWith(*listener, grpc::StatusCode::UNAVAILABLE, "shutting down"));
  EXPECT_TRUE(EndsWith(*gains, grpc::StatusCode::UNAVAILABLE, "shutting down"));
  EXPECT_TRUE(EndsWith(*chime, grpc::StatusCode::UNAVAILABLE, "shutting down"));

  EXPECT_EQ(hal.SetBalanceTowardRight(0).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(hal.OnDevicesToDuckChange(DuckRequest({Ducking(0, {"bus0_media_out"})})).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(hal.ReleaseFocus(v1::USAGE_SAFETY, 0).error_code(), grpc::StatusCode::UNAVAILABLE);
  std::unique_ptr<ListenerStream> late = hal.RegisterFocusListener();
  EXPECT_TRUE(EndsWith(*late, grpc::StatusCode::UNAVAILABLE));
  std::unique_ptr<HoldStream> late_hold =
      hal.HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT);
  EXPECT_TRUE(EndsWith(*late_hold, grpc::StatusCode::UNAVAILABLE));
  EXPECT_TRUE(hal.SettledBackend().ducked.empty());
}

}  // namespace
}  // namespace caraudio::testing
