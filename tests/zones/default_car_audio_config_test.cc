// The default car (config/car_audio_configuration.xml, embedded at build
// time): three zones, the expected devices, every context routed.

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "carservice/ducking_planner.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "zones/car_audio_config_parser.h"

namespace caraudio {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

using A = AudioContext;

CarAudioConfig Default() {
  absl::StatusOr<CarAudioConfig> config = LoadDefaultCarAudioConfig();
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? *std::move(config) : CarAudioConfig{};
}

// The expected device of each context, in context id order MUSIC..ANNOUNCEMENT.
ContextDeviceMap Expected(const std::vector<std::string>& devices) {
  ContextDeviceMap map;
  for (size_t i = 0; i < devices.size(); ++i) map[i + 1] = devices[i];
  return map;
}

TEST(DefaultCarAudioConfigTest, LoadsThreeZones) {
  const CarAudioConfig config = Default();
  EXPECT_EQ(config.version, 3);
  EXPECT_THAT(config.ZoneIds(), ElementsAre(0, 1, 2));
  ASSERT_EQ(config.zones.size(), 3u);
  EXPECT_EQ(config.zones[0].name, "driver/front");
  EXPECT_EQ(config.zones[1].name, "rear left");
  EXPECT_EQ(config.zones[2].name, "rear right");
  ASSERT_NE(config.PrimaryZone(), nullptr);
  EXPECT_EQ(config.PrimaryZone()->id, 0);
  EXPECT_FALSE(config.zones[1].is_primary);
  EXPECT_FALSE(config.zones[2].is_primary);
  for (int32_t occupant : {0, 1, 2}) {
    ASSERT_NE(config.FindZoneForOccupant(occupant), nullptr);
    EXPECT_EQ(config.FindZoneForOccupant(occupant)->id, occupant);
  }
}

TEST(DefaultCarAudioConfigTest, FrontZoneHasOneDevicePerRole) {
  const CarAudioConfig config = Default();
  ASSERT_NE(config.FindZone(0), nullptr);
  EXPECT_EQ(config.FindZone(0)->DeviceMap(),
            Expected({"bus0_media_out", "bus1_navigation_out", "bus2_voice_out", "bus2_voice_out",
                      "bus2_voice_out", "bus3_alerts_out", "bus3_alerts_out", "bus3_alerts_out",
                      "bus4_safety_out", "bus4_safety_out", "bus3_alerts_out", "bus3_alerts_out"}));
  std::vector<std::string> groups;
  for (const VolumeGroupConfig& group : config.FindZone(0)->volume_groups) groups.push_back(group.name);
  EXPECT_THAT(groups, ElementsAre("media", "navigation", "voice", "alerts", "safety"));
}

TEST(DefaultCarAudioConfigTest, RearZonesHaveMediaAlertsAndSafetyDevices) {
  const CarAudioConfig config = Default();
  ASSERT_NE(config.FindZone(1), nullptr);
  ASSERT_NE(config.FindZone(2), nullptr);
  EXPECT_EQ(config.FindZone(1)->DeviceMap(),
            Expected({"bus100_media_out", "bus100_media_out", "bus100_media_out", "bus100_media_out",
                      "bus100_media_out", "bus101_alerts_out", "bus101_alerts_out", "bus101_alerts_out",
                      "bus102_safety_out", "bus102_safety_out", "bus101_alerts_out", "bus100_media_out"}));
  EXPECT_EQ(config.FindZone(2)->DeviceMap(),
            Expected({"bus200_media_out", "bus200_media_out", "bus200_media_out", "bus200_media_out",
                      "bus200_media_out", "bus201_alerts_out", "bus201_alerts_out", "bus201_alerts_out",
                      "bus202_safety_out", "bus202_safety_out", "bus201_alerts_out", "bus200_media_out"}));
}

TEST(DefaultCarAudioConfigTest, EveryZoneRoutesEveryContext) {
  for (const ZoneConfig& zone : Default().zones) {
    const ContextDeviceMap map = zone.DeviceMap();
    EXPECT_EQ(map[ContextIndex(A::kInvalid)], "") << zone.name;
    for (AudioContext context : kAllAudioContexts) {
      if (context == A::kInvalid) continue;
      EXPECT_NE(map[ContextIndex(context)], "") << zone.name << " " << ContextName(context);
    }
  }
}

TEST(DefaultCarAudioConfigTest, DeviceAddressesAreUniqueAndUseNullSinks) {
  std::set<std::string> addresses;
  int devices = 0;
  for (const ZoneConfig& zone : Default().zones) {
    for (const VolumeGroupConfig& group : zone.volume_groups) {
      for (const DeviceConfig& device : group.devices) {
        ++devices;
        addresses.insert(device.address);
        EXPECT_EQ(device.output, "") << device.address;
      }
    }
  }
  EXPECT_EQ(devices, 11);
  EXPECT_EQ(addresses.size(), 11u);
}

TEST(DefaultCarAudioConfigTest, GroupsCarryConsistentGains) {
  for (const ZoneConfig& zone : Default().zones) {
    for (const VolumeGroupConfig& group : zone.volume_groups) {
      EXPECT_LE(group.min_gain_mb, group.default_gain_mb) << zone.name << "/" << group.name;
      EXPECT_LE(group.default_gain_mb, group.max_gain_mb) << zone.name << "/" << group.name;
      EXPECT_GT(group.step_mb, 0) << zone.name << "/" << group.name;
    }
  }
  const CarAudioConfig config = Default();
  const VolumeGroupConfig* safety = config.FindZone(0)->VolumeGroupForContext(A::kSafety);
  ASSERT_NE(safety, nullptr);
  EXPECT_EQ(safety->name, "safety");
  EXPECT_EQ(safety->min_gain_mb, -1200);
}

TEST(DefaultCarAudioConfigTest, EmbeddedTextIsTheCheckedInFile) {
  absl::StatusOr<CarAudioConfig> from_file = LoadCarAudioConfigFile(CARAUDIO_DEFAULT_CONFIG_PATH);
  ASSERT_TRUE(from_file.ok()) << from_file.status();
  EXPECT_EQ(*from_file, Default());
  std::FILE* file = std::fopen(CARAUDIO_DEFAULT_CONFIG_PATH, "rb");
  ASSERT_NE(file, nullptr);
  std::string text;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), file)) > 0;) text.append(buffer, n);
  std::fclose(file);
  EXPECT_EQ(std::string(DefaultCarAudioConfigXml()), text);
}

// The device maps feed DuckingPlanner: in front, navigation ducks the media
// bus; in a rear zone music and navigation share a device, so nothing is
// ducked (focus-rules.md §4.2 step 3).
TEST(DefaultCarAudioConfigTest, DeviceMapsDriveDucking) {
  const std::map<int32_t, ContextDeviceMap> maps = Default().DeviceMaps();
  ASSERT_EQ(maps.size(), 3u);
  std::vector<FocusEntry> holders(2);
  holders[0].id = 1;
  holders[0].request.usage = 1;  // USAGE_MEDIA
  holders[0].context = A::kMusic;
  holders[1].id = 2;
  holders[1].request.usage = 12;  // USAGE_ASSISTANCE_NAVIGATION_GUIDANCE
  holders[1].context = A::kNavigation;
  EXPECT_THAT(ComputeDuckingInfo(0, holders, maps.at(0), {}).addresses_to_duck,
              ElementsAre("bus0_media_out"));
  EXPECT_THAT(ComputeDuckingInfo(1, holders, maps.at(1), {}).addresses_to_duck, IsEmpty());
}

}  // namespace
}  // namespace caraudio
