// HalFocus.PlaySound: the HAL's own vehicle sounds (hal_focus.proto). The
// sound starts and the zone's other devices are muted before the first
// message, focus is requested without waiting, a LOSS does not stop the
// sound, and its end releases mutes and hold.

#include <gtest/gtest.h>

#include "tests/hal/hal_test_harness.h"

namespace caraudio::testing {
namespace {

class VehicleSoundTest : public ::testing::Test {
 protected:
  void SetUp() override {
    listener_ = hal_.RegisterFocusListener();
    ASSERT_TRUE(NextIsRegistered(*listener_, 1, 0));
  }

  std::unique_ptr<HoldStream> Play(int32_t zone, int32_t duration_ms, const std::string& tone = "") {
    v1::PlaySoundRequest request;
    request.set_usage(v1::USAGE_SAFETY);
    request.set_zone_id(zone);
    request.set_duration_ms(duration_ms);
    request.set_tone(tone);
    request.set_source_name("seatbelt");
    return std::make_unique<HoldStream>([this, request](grpc::ClientContext* context) {
      return hal_.hal_focus().PlaySound(context, request);
    });
  }

  HalHarness hal_{DefaultCar()};
  std::unique_ptr<ListenerStream> listener_;
};

TEST_F(VehicleSoundTest, PlaysMutesTheZonesOtherDevicesAndRequestsFocusAtOnce) {
  std::unique_ptr<HoldStream> sound = Play(0, 60'000);
  std::optional<v1::HalFocusStatus> first = sound->Next();
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(first->sound().playing());
  EXPECT_EQ(first->sound().device_address(), "bus4_safety_out");
  EXPECT_EQ(first->focus_change(), v1::FOCUS_CHANGE_NONE);
  EXPECT_EQ(std::set<std::string>(first->sound().muted_addresses().begin(),
                                  first->sound().muted_addresses().end()),
            (std::set<std::string>{"bus0_media_out", "bus1_navigation_out", "bus2_voice_out",
                                   "bus3_alerts_out"}));
  const InMemoryAudioBackend::Snapshot backend = hal_.backend().snapshot();
  ASSERT_EQ(backend.sounds.size(), 1u);
  EXPECT_EQ(backend.sounds.begin()->second.tone, "chime");
  EXPECT_EQ(backend.sound_mutes.at(0).size(), 4u);
  EXPECT_FALSE(backend.sound_mutes.contains(1));  // other zones untouched
  EXPECT_TRUE(NextIsRequest(*listener_, v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT, false));

  // A LOSS ends the hold, not the sound.
  ASSERT_TRUE(hal_.OnAudioFocusChange(v1::USAGE_SAFETY, 0, v1::FOCUS_CHANGE_LOSS).ok());
  std::optional<v1::HalFocusStatus> loss = sound->Next();
  ASSERT_TRUE(loss.has_value());
  EXPECT_EQ(loss->focus_change(), v1::FOCUS_CHANGE_LOSS);
  EXPECT_FALSE(sound->WaitForEnd(kQuietPeriod).has_value());
  EXPECT_EQ(hal_.backend().snapshot().sounds.size(), 1u);

  // Cancelling stops it and releases the mutes; the hold is already gone.
  sound->Cancel();
  ASSERT_TRUE(hal_.WaitFor([](const auto& s) { return s.sounds.empty(); }));
  EXPECT_TRUE(hal_.backend().snapshot().sound_mutes.empty());
  EXPECT_TRUE(hal_.backend().snapshot().sounds.empty());
  EXPECT_TRUE(NothingWithin(*listener_));
}

TEST_F(VehicleSoundTest, EndsByItselfReleasingMutesAndAbandoningFocus) {
  std::unique_ptr<HoldStream> sound = Play(1, 150, "beep");
  std::optional<v1::HalFocusStatus> first = sound->Next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->sound().device_address(), "bus102_safety_out");
  EXPECT_TRUE(NextIsRequest(*listener_, v1::USAGE_SAFETY, 1, v1::FOCUS_GAIN_TRANSIENT, false));
  std::optional<v1::HalFocusStatus> last = sound->Next();
  ASSERT_TRUE(last.has_value());
  EXPECT_FALSE(last->sound().playing());
  std::optional<grpc::Status> end = sound->WaitForEnd(kEventTimeout);
  ASSERT_TRUE(end.has_value());
  EXPECT_TRUE(end->ok());
  EXPECT_TRUE(NextIsAbandon(*listener_, v1::USAGE_SAFETY, 1));
  EXPECT_TRUE(hal_.backend().snapshot().sound_mutes.empty());
  EXPECT_TRUE(hal_.hal().snapshot().holds.empty());
}

TEST_F(VehicleSoundTest, BadRequestsAreInvalidArgumentAndPlayNothing) {
  for (auto [zone, duration, tone] : std::vector<std::tuple<int32_t, int32_t, std::string>>{
           {7, 100, "chime"}, {0, -1, "chime"}, {0, 600'001, "chime"}, {0, 100, "siren"}}) {
    std::unique_ptr<HoldStream> sound = Play(zone, duration, tone);
    std::optional<grpc::Status> end = sound->WaitForEnd(kEventTimeout);
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(end->error_code(), grpc::StatusCode::INVALID_ARGUMENT) << tone << " " << duration;
    EXPECT_FALSE(end->error_message().empty());
  }
  EXPECT_TRUE(hal_.backend().snapshot().sounds.empty());
  EXPECT_TRUE(NothingWithin(*listener_));
}

TEST_F(VehicleSoundTest, DeviceGainsReachTheBackendAndBadOnesChangeNothing) {
  v1::SetAudioDeviceGainsRequest request;
  v1::DeviceGain* gain = request.add_gains();
  gain->set_zone_id(0);
  gain->set_device_address("bus0_media_out");
  gain->set_gain_mb(-300);
  grpc::ClientContext context;
  v1::SetAudioDeviceGainsResponse response;
  ASSERT_TRUE(hal_.audio_control().SetAudioDeviceGains(&context, request, &response).ok());
  ASSERT_TRUE(hal_.WaitFor([](const auto& s) { return !s.gains_mb.empty(); }));
  EXPECT_EQ(hal_.backend().snapshot().gains_mb.at(0).at("bus0_media_out"), -300);

  for (auto [zone, mb] : std::vector<std::pair<int32_t, int32_t>>{{9, 0}, {0, 2401}, {0, -9601}}) {
    v1::SetAudioDeviceGainsRequest bad;
    v1::DeviceGain* entry = bad.add_gains();
    entry->set_zone_id(zone);
    entry->set_device_address("bus0_media_out");
    entry->set_gain_mb(mb);
    grpc::ClientContext bad_context;
    EXPECT_EQ(hal_.audio_control().SetAudioDeviceGains(&bad_context, bad, &response).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  EXPECT_EQ(hal_.hal().snapshot().gains_mb.at(0).at("bus0_media_out"), -300);
}

}  // namespace
}  // namespace caraudio::testing
