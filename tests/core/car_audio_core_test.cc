// CarAudioCore on the default car: HAL callbacks become HAL reports, every
// focus operation recomputes the changed zones' ducking, mutes reach the HAL.

#include "carservice/car_audio_core.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/core/core_test_util.h"

namespace caraudio {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

TEST_F(CarAudioCoreTest, NavigationOverMusicDucksTheMediaDeviceOfThatZoneOnly) {
  core_->RequestFocus(App("radio", AudioUsage::kMedia, FocusGain::kGain));
  CoreOutput output = core_->RequestFocus(
      App("maps", AudioUsage::kAssistanceNavigationGuidance, FocusGain::kGainTransientMayDuck));
  ASSERT_EQ(output.ducking.size(), 1u);
  EXPECT_EQ(output.ducking[0].zone_id, 0);
  EXPECT_THAT(output.ducking[0].addresses_to_duck, ElementsAre("bus0_media_out"));
  EXPECT_THAT(output.ducking[0].usages_holding_focus,
              ElementsAre("AUDIO_USAGE_MEDIA", "AUDIO_USAGE_ASSISTANCE_NAVIGATION_GUIDANCE"));
  EXPECT_THAT(output.app_callbacks, IsEmpty());

  output = core_->AbandonFocus("maps", std::nullopt);
  ASSERT_EQ(output.ducking.size(), 1u);
  EXPECT_THAT(output.ducking[0].addresses_to_duck, IsEmpty());
  EXPECT_THAT(output.ducking[0].addresses_to_unduck, ElementsAre("bus0_media_out"));
}

TEST_F(CarAudioCoreTest, EveryFocusOperationReportsDuckingEvenWhenUnchanged) {
  CoreOutput output = core_->RequestFocus(App("radio", AudioUsage::kMedia, FocusGain::kGain, 1));
  ASSERT_EQ(output.ducking.size(), 1u);
  EXPECT_EQ(output.ducking[0].zone_id, 1);
  EXPECT_THAT(output.ducking[0].addresses_to_duck, IsEmpty());
  output = core_->SetRestrictFocus(true);
  EXPECT_EQ(output.ducking.size(), 3u);  // restriction touches every zone
}

TEST_F(CarAudioCoreTest, HalRequestIsArbitratedAndReportedToTheHal) {
  core_->RequestFocus(App("radio", AudioUsage::kMedia, FocusGain::kGain));
  absl::StatusOr<CoreOutput> output = core_->HalRequestAudioFocus(
      static_cast<int32_t>(AudioUsage::kSafety), 0, FocusGain::kGainTransientMayDuck);
  ASSERT_TRUE(output.ok()) << output.status();
  ASSERT_TRUE(output->decision.has_value());
  EXPECT_EQ(output->decision->result, RequestResult::kGranted);
  EXPECT_THAT(output->hal_reports, ElementsAre(HalFocusChange{1001, 0, 3}));
  ASSERT_EQ(output->ducking.size(), 1u);
  EXPECT_THAT(output->ducking[0].addresses_to_duck, ElementsAre("bus0_media_out"));
}

TEST_F(CarAudioCoreTest, CallbacksForHalEntriesBecomeHalReportsNotAppCallbacks) {
  ASSERT_TRUE(core_->HalRequestAudioFocus(static_cast<int32_t>(AudioUsage::kMedia), 0,
                                          FocusGain::kGain)
                  .ok());
  // A permanent app MUSIC request makes the HAL's MUSIC entry lose for good.
  CoreOutput output = core_->RequestFocus(App("radio", AudioUsage::kMedia, FocusGain::kGain));
  EXPECT_THAT(output.app_callbacks, IsEmpty());
  EXPECT_THAT(output.hal_reports, ElementsAre(HalFocusChange{1, 0, -1}));
  EXPECT_TRUE(core_->hal_focus().tracked().empty());
}

TEST_F(CarAudioCoreTest, HalRequestForUnknownZoneIsInvalidAndChangesNothing) {
  absl::StatusOr<CoreOutput> output =
      core_->HalRequestAudioFocus(static_cast<int32_t>(AudioUsage::kSafety), 7, FocusGain::kGain);
  EXPECT_EQ(output.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(core_->hal_focus().tracked().empty());
}

TEST_F(CarAudioCoreTest, HalResetAbandonsHalFocusAndRestoresWaitingApps) {
  core_->RequestFocus(App("radio", AudioUsage::kMedia, FocusGain::kGain));
  ASSERT_TRUE(core_->HalRequestAudioFocus(static_cast<int32_t>(AudioUsage::kEmergency), 0,
                                          FocusGain::kGainTransient)
                  .ok());
  CoreOutput output = core_->HalReset();
  EXPECT_THAT(output.hal_reports, IsEmpty());  // nobody to tell
  ASSERT_EQ(output.app_callbacks.size(), 1u);
  EXPECT_EQ(output.app_callbacks[0].client_id, "radio");
  EXPECT_EQ(output.app_callbacks[0].change, FocusChange::kGain);
  EXPECT_TRUE(core_->hal_focus().tracked().empty());
}

TEST_F(CarAudioCoreTest, GroupMuteProducesMutingInfoForTheGroupsDevices) {
  const VolumeGroupState media = core_->volume_groups().All().front();
  absl::StatusOr<CoreOutput> output = core_->SetGroupMute(media.zone_id, media.name, true);
  ASSERT_TRUE(output.ok()) << output.status();
  ASSERT_EQ(output->muting.size(), 1u);
  EXPECT_EQ(output->muting[0].addresses_to_mute, media.addresses);
  EXPECT_THAT(core_->CurrentMuting()[0].addresses_to_mute, ElementsAre(media.addresses[0]));
  // Muting again changes nothing, so the HAL is not called.
  output = core_->SetGroupMute(media.zone_id, media.name, true);
  ASSERT_TRUE(output.ok());
  EXPECT_THAT(output->muting, IsEmpty());
}

TEST_F(CarAudioCoreTest, HardeningIgnoresVolumeCallsOfAnAppOutsideAValidLifecycle) {
  const VolumeGroupState media = core_->volume_groups().All().front();
  const AppKey radio{"com.example.radio", 10057};  // never reported: background
  const absl::Time now = absl::FromUnixSeconds(1000);
  ASSERT_TRUE(core_->hardening().SetMode(media.zone_id, HardeningMode::kEnforce).ok());

  absl::StatusOr<CoreOutput> output =
      core_->SetGroupVolume(media.zone_id, media.name, 1, radio, now);
  ASSERT_TRUE(output.ok()) << output.status();
  EXPECT_TRUE(output->suppressed);
  ASSERT_EQ(output->hardening.size(), 1u);
  EXPECT_THAT(output->hardening[0].log_line, ::testing::StartsWith("AudioHardening com.example.radio"));
  EXPECT_EQ(core_->volume_groups().Get(media.zone_id, media.name)->gain_index, media.gain_index);
  output = core_->SetGroupMute(media.zone_id, media.name, true, radio, now);
  ASSERT_TRUE(output.ok());
  EXPECT_TRUE(output->suppressed);
  EXPECT_THAT(output->muting, IsEmpty());
  EXPECT_FALSE(core_->volume_groups().Get(media.zone_id, media.name)->muted);

  // A bad call is an error before hardening: nothing logged.
  const size_t logged = core_->hardening().suppressed_calls().size();
  EXPECT_EQ(core_->SetGroupVolume(media.zone_id, media.name, 10'000, radio, now).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(core_->SetGroupVolume(media.zone_id, media.name, 1, AppKey{"bad name", 1}, now)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(core_->hardening().suppressed_calls().size(), logged);

  // The head unit itself is never hardened; warn logs and applies.
  output = core_->SetGroupVolume(media.zone_id, media.name, 2, std::nullopt, now);
  ASSERT_TRUE(output.ok());
  EXPECT_FALSE(output->suppressed);
  EXPECT_THAT(output->hardening, IsEmpty());
  ASSERT_TRUE(core_->hardening().SetMode(media.zone_id, HardeningMode::kWarn).ok());
  output = core_->SetGroupVolume(media.zone_id, media.name, 3, radio, now);
  ASSERT_TRUE(output.ok());
  EXPECT_FALSE(output->suppressed);
  EXPECT_EQ(output->hardening.size(), 1u);
  EXPECT_EQ(core_->volume_groups().Get(media.zone_id, media.name)->gain_index, 3);
}

TEST_F(CarAudioCoreTest, CurrentDuckingListsEveryZone) {
  core_->RequestFocus(App("radio", AudioUsage::kMedia, FocusGain::kGain));
  core_->RequestFocus(
      App("maps", AudioUsage::kAssistanceNavigationGuidance, FocusGain::kGainTransientMayDuck));
  std::vector<DuckingInfo> ducking = core_->CurrentDucking();
  ASSERT_EQ(ducking.size(), 3u);
  EXPECT_THAT(ducking[0].addresses_to_duck, ElementsAre("bus0_media_out"));
  EXPECT_THAT(ducking[1].addresses_to_duck, IsEmpty());
  // Everything else is to unduck: a HAL that outlived a lost link may still
  // duck what was lifted meanwhile.
  EXPECT_THAT(ducking[0].addresses_to_unduck, Not(Contains("bus0_media_out")));
  EXPECT_THAT(ducking[0].addresses_to_unduck, Contains("bus1_navigation_out"));
  EXPECT_THAT(ducking[1].addresses_to_unduck, Contains("bus100_media_out"));
  std::vector<MutingInfo> muting = core_->CurrentMuting();
  ASSERT_EQ(muting.size(), 3u);
  EXPECT_THAT(muting[0].addresses_to_mute, IsEmpty());
  EXPECT_THAT(muting[0].addresses_to_unmute, Contains("bus0_media_out"));
}

}  // namespace
}  // namespace caraudio
