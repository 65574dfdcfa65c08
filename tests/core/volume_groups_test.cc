// VolumeGroups: gain indexes within the config's range and steps, mutes.

#include "carservice/volume_groups.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "zones/car_audio_config_parser.h"

namespace caraudio {
namespace {

class VolumeGroupsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<CarAudioConfig> config = LoadDefaultCarAudioConfig();
    ASSERT_TRUE(config.ok()) << config.status();
    groups_ = std::make_unique<VolumeGroups>(*config);
    first_ = groups_->All().front();
  }
  std::unique_ptr<VolumeGroups> groups_;
  VolumeGroupState first_;
};

TEST_F(VolumeGroupsTest, StartsAtTheConfiguredDefaultGain) {
  // media: -3200..600 mB in 100 mB steps, default -600 mB.
  EXPECT_EQ(first_.max_index, 38);
  EXPECT_EQ(first_.gain_index, 26);
  EXPECT_EQ(first_.gain_mb(), -600);
}

TEST_F(VolumeGroupsTest, SetGainIndexWithinRangeTakesEffect) {
  ASSERT_TRUE(groups_->SetGainIndex(first_.zone_id, first_.name, 38).ok());
  EXPECT_EQ(groups_->Get(first_.zone_id, first_.name)->gain_mb(), 600);
}

TEST_F(VolumeGroupsTest, OutOfRangeIndexUnknownGroupAndUnknownZoneAreRejectedUnchanged) {
  EXPECT_EQ(groups_->SetGainIndex(first_.zone_id, first_.name, 39).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(groups_->SetGainIndex(first_.zone_id, first_.name, -1).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(groups_->SetGainIndex(first_.zone_id, "no-such-group", 1).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(groups_->SetGainIndex(42, first_.name, 1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(groups_->Get(first_.zone_id, first_.name)->gain_index, first_.gain_index);
}

TEST_F(VolumeGroupsTest, UnmuteListsTheDevicesToUnmute) {
  ASSERT_TRUE(groups_->SetMute(first_.zone_id, first_.name, true).ok());
  absl::StatusOr<MutingInfo> info = groups_->SetMute(first_.zone_id, first_.name, false);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->addresses_to_unmute, first_.addresses);
  EXPECT_TRUE(info->addresses_to_mute.empty());
  EXPECT_TRUE(groups_->MutedAddresses(first_.zone_id).empty());
}

}  // namespace
}  // namespace caraudio
