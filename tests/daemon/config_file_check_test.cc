// The config checks of --check-config and SIGHUP: the daemon's parser with
// its line numbers, the one-line summary, and what a car service sharing
// the process with the HAL may reload.

#include "carservice/config_file_check.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"
#include "tests/zones/zone_test_xml.h"
#include "zones/car_audio_config_parser.h"

namespace caraudio {
namespace {

using ::caraudio::testing::kUnknownContextOnLine4Xml;
using ::caraudio::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::StartsWith;

CarAudioConfig DefaultCar() {
  absl::StatusOr<CarAudioConfig> config = LoadDefaultCarAudioConfig();
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? *std::move(config) : CarAudioConfig{};
}

class ConfigFileCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TempDir> dir = TempDir::Create("caraudio-config");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = std::make_unique<TempDir>(*std::move(dir));
  }
  std::unique_ptr<TempDir> dir_;
};

TEST_F(ConfigFileCheckTest, AValidFileLoadsWithItsTextAndSummary) {
  const std::string xml(DefaultCarAudioConfigXml());
  const std::string path = dir_->Write("car.xml", xml);
  absl::StatusOr<LoadedConfigFile> loaded = LoadConfigFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->path, path);
  EXPECT_EQ(loaded->xml, xml);
  EXPECT_EQ(loaded->config, DefaultCar());
  EXPECT_EQ(ConfigSummary(loaded->config),
            "3 zones, 11 volume groups, 11 devices: zone 0 \"driver/front\" (primary, 5 groups), "
            "zone 1 \"rear left\" (3 groups), zone 2 \"rear right\" (3 groups)");
}

TEST_F(ConfigFileCheckTest, ParserErrorsNameTheFileAndLine) {
  const std::string path = dir_->Write("bad.xml", kUnknownContextOnLine4Xml);
  absl::StatusOr<LoadedConfigFile> loaded = LoadConfigFile(path);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(loaded.status().message()),
              StartsWith(path + ":4: unknown context \"musik\""));
}

TEST_F(ConfigFileCheckTest, AMissingFileIsNotFound) {
  absl::StatusOr<LoadedConfigFile> loaded = LoadConfigFile(dir_->File("missing.xml"));
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(loaded.status().message()), HasSubstr("missing.xml"));
}

TEST(CheckHalCanServeTest, DroppingZonesAndChangingGroupsIsFine) {
  const CarAudioConfig hal = DefaultCar();
  CarAudioConfig car = hal;
  EXPECT_TRUE(CheckHalCanServe(hal, car).ok());
  car.zones.pop_back();
  car.zones[0].name = "front";
  car.zones[0].volume_groups[0].name = "music";
  car.zones[0].volume_groups[0].min_gain_mb = -2000;
  EXPECT_TRUE(CheckHalCanServe(hal, car).ok());
}

TEST(CheckHalCanServeTest, NewZonesRoutingAndOutputsNeedARestart) {
  const CarAudioConfig hal = DefaultCar();

  CarAudioConfig added = hal;
  added.zones.push_back(hal.zones.back());
  added.zones.back().id = 3;
  absl::Status status = CheckHalCanServe(hal, added);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("adds zone 3"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("restart audiocontrold"));

  CarAudioConfig rerouted = hal;
  std::vector<AudioContext>& media = rerouted.zones[0].volume_groups[0].devices[0].contexts;
  std::vector<AudioContext>& navigation = rerouted.zones[0].volume_groups[1].devices[0].contexts;
  std::erase(navigation, AudioContext::kNavigation);
  media.push_back(AudioContext::kNavigation);
  status = CheckHalCanServe(hal, rerouted);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(),
              HasSubstr("routes NAVIGATION in zone 0 to \"bus0_media_out\" instead of "
                        "\"bus1_navigation_out\""));

  CarAudioConfig output = hal;
  output.zones[0].volume_groups[0].devices[0].output = "alsa_output.speakers";
  status = CheckHalCanServe(hal, output);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr("output \"alsa_output.speakers\""));
}

}  // namespace
}  // namespace caraudio
