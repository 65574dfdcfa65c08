// AudioControl.GetHalState: the HAL's own state — listener, vehicle focus
// requests, holds, sounds, duck and mute sets — as it holds it after every
// call it accepted before (audio_control.proto).

#include <gtest/gtest.h>

#include "tests/hal/hal_test_harness.h"

namespace caraudio::testing {
namespace {

TEST(HalStateTest, AFreshHalHoldsNothing) {
  HalHarness hal(DefaultCar());
  absl::StatusOr<v1::HalState> state = hal.GetHalState();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->ShortDebugString(), "");
}

TEST(HalStateTest, ShowsListenerHoldsSoundsAndTheSetsItAppliedThenNothingOnceTheyEnd) {
  HalHarness hal(DefaultCar());
  std::unique_ptr<ListenerStream> listener = hal.RegisterFocusListener("carservice");
  ASSERT_TRUE(NextIsRegistered(*listener, 1, 0));
  std::unique_ptr<HoldStream> hold =
      hal.HoldFocusAndWait(v1::USAGE_ANNOUNCEMENT, 1, v1::FOCUS_GAIN_TRANSIENT, "tuner");
  ASSERT_TRUE(hal.OnAudioFocusChange(v1::USAGE_ANNOUNCEMENT, 1, v1::FOCUS_GAIN_TRANSIENT).ok());
  v1::OnDevicesToDuckChangeRequest duck;
  *duck.add_ducking_infos() = Ducking(0, {"bus0_media_out"});
  ASSERT_TRUE(hal.OnDevicesToDuckChange(duck).ok());
  v1::OnDevicesToMuteChangeRequest mute;
  *mute.add_muting_infos() = Muting(2, {"bus200_media_out"});
  ASSERT_TRUE(hal.OnDevicesToMuteChange(mute).ok());
  v1::PlaySoundRequest chime;
  chime.set_usage(v1::USAGE_SAFETY);
  chime.set_zone_id(0);
  chime.set_duration_ms(60'000);
  chime.set_source_name("seatbelt");
  HoldStream sound([&hal, chime](grpc::ClientContext* context) {
    return hal.hal_focus().PlaySound(context, chime);
  });
  ASSERT_TRUE(sound.Next().has_value());

  absl::StatusOr<v1::HalState> state = hal.GetHalState();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->focus_listener_id(), 1u);
  EXPECT_EQ(state->focus_listener_name(), "carservice");
  ASSERT_EQ(state->vehicle_focus_requests_size(), 2) << state->ShortDebugString();
  // Ordered by zone: the chime's SAFETY in zone 0 (no answer yet), then the
  // tuner's ANNOUNCEMENT in zone 1 (answered).
  EXPECT_EQ(state->vehicle_focus_requests(0).usage(), v1::USAGE_SAFETY);
  EXPECT_EQ(state->vehicle_focus_requests(0).status(), v1::FOCUS_CHANGE_NONE);
  EXPECT_EQ(state->vehicle_focus_requests(1).usage(), v1::USAGE_ANNOUNCEMENT);
  EXPECT_EQ(state->vehicle_focus_requests(1).zone_id(), 1);
  EXPECT_EQ(state->vehicle_focus_requests(1).gain(), v1::FOCUS_GAIN_TRANSIENT);
  EXPECT_EQ(state->vehicle_focus_requests(1).holders(), 1);
  EXPECT_EQ(state->vehicle_focus_requests(1).status(), v1::FOCUS_CHANGE_GAIN_TRANSIENT);
  ASSERT_EQ(state->holds_size(), 2);
  EXPECT_EQ(state->holds(0).source_name(), "tuner");
  EXPECT_EQ(state->holds(1).source_name(), "seatbelt");
  ASSERT_EQ(state->sounds_size(), 1);
  EXPECT_EQ(state->sounds(0).device_address(), "bus4_safety_out");
  EXPECT_EQ(state->sounds(0).muted_addresses_size(), 4);
  EXPECT_TRUE(state->sounds(0).holds_focus());
  ASSERT_EQ(state->zones_size(), 2);
  EXPECT_EQ(state->zones(0).zone_id(), 0);
  EXPECT_EQ(state->zones(0).ducked_device_addresses(0), "bus0_media_out");
  EXPECT_EQ(state->zones(0).muted_device_addresses_size(), 0);
  EXPECT_EQ(state->zones(1).zone_id(), 2);
  EXPECT_EQ(state->zones(1).muted_device_addresses(0), "bus200_media_out");

  // Everything ends: the state is empty but for the listener.
  hold->Cancel();
  sound.Cancel();
  *duck.mutable_ducking_infos(0) = Ducking(0, {}, {"bus0_media_out"});
  ASSERT_TRUE(hal.OnDevicesToDuckChange(duck).ok());
  *mute.mutable_muting_infos(0) = Muting(2, {}, {"bus200_media_out"});
  ASSERT_TRUE(hal.OnDevicesToMuteChange(mute).ok());
  ASSERT_TRUE(hal.WaitFor([](const auto& s) { return s.holds.empty() && s.sounds.empty(); }));
  state = hal.GetHalState();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->vehicle_focus_requests_size(), 0);
  EXPECT_EQ(state->zones_size(), 0);
  state->clear_focus_listener_id();
  state->clear_focus_listener_name();
  EXPECT_EQ(state->ShortDebugString(), "");
}

TEST(HalStateTest, AfterShutdownIsUnavailable) {
  HalHarness hal(DefaultCar());
  hal.hal().Shutdown();
  absl::StatusOr<v1::HalState> state = hal.GetHalState();
  EXPECT_EQ(state.status().code(), absl::StatusCode::kUnavailable) << state.status();
}

}  // namespace
}  // namespace caraudio::testing
