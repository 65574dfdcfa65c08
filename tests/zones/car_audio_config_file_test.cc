// Loading car_audio_configuration.xml from files: I/O errors are clear and
// name the path; parse errors carry the path as their source.

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"
#include "tests/zones/zone_test_xml.h"
#include "zones/car_audio_config_parser.h"

namespace caraudio {
namespace {

using ::caraudio::testing::Document;
using ::caraudio::testing::FullZone;
using ::caraudio::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// A fresh directory, removed at the end.
class CarAudioConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TempDir> dir = TempDir::Create("zones_test");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_.emplace(std::move(*dir));
  }

  std::string Write(const std::string& name, const std::string& text) {
    return dir_->Write(name, text);
  }

  std::optional<TempDir> dir_;
};

TEST_F(CarAudioConfigFileTest, LoadsAFile) {
  const std::string path = Write("car.xml", Document(2, FullZone("isPrimary=\"true\"", "bus0")));
  absl::StatusOr<CarAudioConfig> config = LoadCarAudioConfigFile(path);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->zones.size(), 1u);
  EXPECT_EQ(config->zones[0].DeviceForContext(AudioContext::kMusic), "bus0_media");
}

TEST_F(CarAudioConfigFileTest, ParseErrorsNameTheFile) {
  const std::string path = Write("bad.xml", "<carAudioConfiguration version=\"2\">\n<zones>\n</zones>\n");
  absl::StatusOr<CarAudioConfig> config = LoadCarAudioConfigFile(path);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()), StartsWith(path + ":"));
}

TEST_F(CarAudioConfigFileTest, MissingFileIsNotFound) {
  const std::string path = dir_->File("no_such_file.xml");
  absl::StatusOr<CarAudioConfig> config = LoadCarAudioConfigFile(path);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(config.status().message()), StartsWith(path + ": cannot open"));
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("No such file or directory"));
}

TEST_F(CarAudioConfigFileTest, MissingDirectoryIsNotFound) {
  absl::StatusOr<CarAudioConfig> config = LoadCarAudioConfigFile(dir_->File("nowhere/car.xml"));
  EXPECT_EQ(config.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(CarAudioConfigFileTest, DirectoryIsInvalidArgument) {
  absl::StatusOr<CarAudioConfig> config = LoadCarAudioConfigFile(dir_->path());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()), StartsWith(dir_->path() + ": cannot read"));
}

TEST_F(CarAudioConfigFileTest, EmptyFileIsMalformed) {
  const std::string path = Write("empty.xml", "");
  absl::StatusOr<CarAudioConfig> config = LoadCarAudioConfigFile(path);
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()), StartsWith(path + ":1: malformed XML"));
}

}  // namespace
}  // namespace caraudio
