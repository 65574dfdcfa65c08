// CarAudioCore::Reload on the default car: the kept zones keep their focus,
// a removed zone's entries are told LOSS (the HAL's as a LOSS report), its
// devices are unducked and unmuted, ducking is recomputed on the new
// routing, and volume groups keep the user's gain and mute.

#include <string>
#include <utility>
#include <vector>

#include "carservice/car_audio_core.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/core/core_test_util.h"
#include "zones/car_audio_config_parser.h"

namespace caraudio {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

CarAudioConfig DefaultCar() {
  absl::StatusOr<CarAudioConfig> config = LoadDefaultCarAudioConfig();
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? *std::move(config) : CarAudioConfig{};
}

CarAudioConfig WithoutZone(CarAudioConfig config, int32_t zone_id) {
  std::erase_if(config.zones, [zone_id](const ZoneConfig& zone) { return zone.id == zone_id; });
  return config;
}

VolumeGroupConfig& Group(CarAudioConfig& config, int32_t zone_id, const std::string& name) {
  for (ZoneConfig& zone : config.zones) {
    if (zone.id != zone_id) continue;
    for (VolumeGroupConfig& group : zone.volume_groups) {
      if (group.name == name) return group;
    }
  }
  ADD_FAILURE() << "no group " << name << " in zone " << zone_id;
  return config.zones.front().volume_groups.front();
}

const DuckingInfo* DuckingOf(const CoreOutput& output, int32_t zone_id) {
  for (const DuckingInfo& info : output.ducking) {
    if (info.zone_id == zone_id) return &info;
  }
  return nullptr;
}

using CarAudioCoreReloadTest = CarAudioCoreTest;

TEST_F(CarAudioCoreReloadTest, ClientsOfARemovedZoneLoseFocusAndItsDevicesAreReleased) {
  core_->RequestFocus(App("front-radio", AudioUsage::kMedia, FocusGain::kGain, 0));
  core_->RequestFocus(App("rear-movie", AudioUsage::kMedia, FocusGain::kGain, 2));
  core_->RequestFocus(
      App("rear-chat", AudioUsage::kNotification, FocusGain::kGainTransientMayDuck, 2));
  ASSERT_THAT(core_->ducking().ducked_addresses(2), ElementsAre("bus200_media_out"));
  ASSERT_TRUE(core_->SetGroupMute(2, "alerts", true).ok());

  absl::StatusOr<CoreOutput> output = core_->Reload(WithoutZone(DefaultCar(), 2));
  ASSERT_TRUE(output.ok()) << output.status();

  ASSERT_EQ(output->app_callbacks.size(), 2u);
  EXPECT_EQ(output->app_callbacks[0].client_id, "rear-movie");
  EXPECT_EQ(output->app_callbacks[1].client_id, "rear-chat");
  for (const FocusCallback& callback : output->app_callbacks) {
    EXPECT_EQ(callback.zone_id, 2);
    EXPECT_EQ(callback.change, FocusChange::kLoss);
  }
  ASSERT_EQ(output->ducking.size(), 3u);  // removed zone 2 first, then 0 and 1
  EXPECT_EQ(output->ducking[0].zone_id, 2);
  EXPECT_THAT(output->ducking[0].addresses_to_duck, IsEmpty());
  EXPECT_THAT(output->ducking[0].addresses_to_unduck, ElementsAre("bus200_media_out"));
  EXPECT_EQ(output->ducking[1].zone_id, 0);
  EXPECT_EQ(output->ducking[2].zone_id, 1);
  ASSERT_EQ(output->muting.size(), 1u);
  EXPECT_EQ(output->muting[0].zone_id, 2);
  EXPECT_THAT(output->muting[0].addresses_to_unmute, ElementsAre("bus201_alerts_out"));

  EXPECT_FALSE(core_->engine().HasZone(2));
  EXPECT_EQ(core_->config().zones.size(), 2u);
  EXPECT_FALSE(core_->volume_groups().Get(2, "media").ok());
  EXPECT_THAT(core_->engine().zone(0)->holders().front().client_id(), "front-radio");
}

TEST_F(CarAudioCoreReloadTest, TheHalsRequestInARemovedZoneIsReportedLost) {
  ASSERT_TRUE(core_->HalRequestAudioFocus(static_cast<int32_t>(AudioUsage::kSafety), 1,
                                          FocusGain::kGainTransient)
                  .ok());
  absl::StatusOr<CoreOutput> output = core_->Reload(WithoutZone(DefaultCar(), 1));
  ASSERT_TRUE(output.ok()) << output.status();
  EXPECT_THAT(output->app_callbacks, IsEmpty());
  EXPECT_THAT(output->hal_reports,
              ElementsAre(HalFocusChange{static_cast<int32_t>(AudioUsage::kSafety), 1,
                                         static_cast<int32_t>(FocusChange::kLoss)}));
  EXPECT_TRUE(core_->hal_focus().tracked().empty());
}

TEST_F(CarAudioCoreReloadTest, KeptZonesKeepFocusAndDuckingFollowsTheNewRouting) {
  core_->RequestFocus(App("radio", AudioUsage::kMedia, FocusGain::kGain, 0));
  core_->RequestFocus(
      App("maps", AudioUsage::kAssistanceNavigationGuidance, FocusGain::kGainTransientMayDuck, 0));
  ASSERT_THAT(core_->ducking().ducked_addresses(0), ElementsAre("bus0_media_out"));

  // Navigation now plays on the media device: the two share it, so the
  // media device can no longer be ducked (§4.2 step 3).
  CarAudioConfig config = DefaultCar();
  std::erase(Group(config, 0, "navigation").devices.front().contexts, AudioContext::kNavigation);
  Group(config, 0, "media").devices.front().contexts.push_back(AudioContext::kNavigation);
  absl::StatusOr<CoreOutput> output = core_->Reload(std::move(config));
  ASSERT_TRUE(output.ok()) << output.status();

  EXPECT_THAT(output->app_callbacks, IsEmpty());
  ASSERT_EQ(output->ducking.size(), 3u);
  const DuckingInfo* front = DuckingOf(*output, 0);
  ASSERT_NE(front, nullptr);
  EXPECT_THAT(front->addresses_to_duck, IsEmpty());
  EXPECT_THAT(front->addresses_to_unduck, ElementsAre("bus0_media_out"));
  EXPECT_THAT(front->usages_holding_focus,
              ElementsAre("AUDIO_USAGE_MEDIA", "AUDIO_USAGE_ASSISTANCE_NAVIGATION_GUIDANCE"));
  const ZoneFocus* zone = core_->engine().zone(0);
  ASSERT_NE(zone, nullptr);
  EXPECT_EQ(zone->holders().size(), 2u);
}

TEST_F(CarAudioCoreReloadTest, VolumeGroupsKeepTheUsersGainAndMute) {
  ASSERT_TRUE(core_->SetGroupVolume(0, "media", 20).ok());  // -3200 + 20 * 100 = -1200 mB
  ASSERT_TRUE(core_->SetGroupMute(1, "media", true).ok());

  CarAudioConfig config = DefaultCar();
  Group(config, 0, "media").min_gain_mb = -2000;  // the same -1200 mB is index 8 now
  absl::StatusOr<CoreOutput> output = core_->Reload(config);
  ASSERT_TRUE(output.ok()) << output.status();
  EXPECT_THAT(output->muting, IsEmpty());  // zone 1 media stays muted
  absl::StatusOr<VolumeGroupState> media = core_->volume_groups().Get(0, "media");
  ASSERT_TRUE(media.ok()) << media.status();
  EXPECT_EQ(media->gain_index, 8);
  EXPECT_EQ(media->gain_mb(), -1200);
  EXPECT_TRUE(core_->volume_groups().Get(1, "media")->muted);

  // A renamed group is a new group: default gain, unmuted.
  Group(config, 1, "media").name = "seat";
  output = core_->Reload(std::move(config));
  ASSERT_TRUE(output.ok()) << output.status();
  ASSERT_EQ(output->muting.size(), 1u);
  EXPECT_EQ(output->muting[0].zone_id, 1);
  EXPECT_THAT(output->muting[0].addresses_to_unmute, ElementsAre("bus100_media_out"));
  EXPECT_FALSE(core_->volume_groups().Get(1, "seat")->muted);
}

TEST_F(CarAudioCoreReloadTest, ARefusedConfigChangesNothing) {
  core_->RequestFocus(App("rear-movie", AudioUsage::kMedia, FocusGain::kGain, 2));
  absl::StatusOr<CoreOutput> output = core_->Reload(WithoutZone(DefaultCar(), 0));
  EXPECT_EQ(output.status().code(), absl::StatusCode::kInvalidArgument) << output.status();
  EXPECT_EQ(core_->config().zones.size(), 3u);
  EXPECT_TRUE(core_->engine().HasZone(2));
  EXPECT_EQ(core_->engine().zone(2)->holders().size(), 1u);
}

}  // namespace
}  // namespace caraudio
