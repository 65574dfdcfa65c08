// The CarAudioConfig model's lookups, on hand-built values.

#include "zones/car_audio_config.h"

#include <map>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caraudio {
namespace {

using ::testing::ElementsAre;
using ::testing::IsNull;

ZoneConfig FrontZone() {
  ZoneConfig zone;
  zone.id = 0;
  zone.name = "front";
  zone.is_primary = true;
  zone.occupant_zone_id = 0;
  VolumeGroupConfig media;
  media.name = "media";
  media.devices = {{"bus0_media_out", {AudioContext::kMusic, AudioContext::kAnnouncement}, "alsa_front"}};
  VolumeGroupConfig other;
  other.name = "other";
  other.devices = {{"bus1_nav_out", {AudioContext::kNavigation}, ""},
                   {"bus2_call_out", {AudioContext::kCall, AudioContext::kCallRing}, ""}};
  zone.volume_groups = {media, other};
  return zone;
}

ZoneConfig RearZone(int32_t id, int32_t occupant, const std::string& address) {
  ZoneConfig zone;
  zone.id = id;
  zone.name = "rear " + std::to_string(id);
  zone.occupant_zone_id = occupant;
  VolumeGroupConfig media;
  media.name = "media";
  media.devices = {{address, {AudioContext::kMusic}, ""}};
  zone.volume_groups = {media};
  return zone;
}

CarAudioConfig Car() {
  CarAudioConfig config;
  config.version = 2;
  // Deliberately not in id order: ZoneIds keeps file order.
  config.zones = {FrontZone(), RearZone(2, 7, "bus200_media_out"),
                  RearZone(1, kNoOccupantZone, "bus100_media_out")};
  return config;
}

TEST(CarAudioConfigTest, DeviceForContextFindsTheRoutedDeviceAcrossGroups) {
  const ZoneConfig zone = FrontZone();
  EXPECT_EQ(zone.DeviceForContext(AudioContext::kMusic), "bus0_media_out");
  EXPECT_EQ(zone.DeviceForContext(AudioContext::kAnnouncement), "bus0_media_out");
  EXPECT_EQ(zone.DeviceForContext(AudioContext::kNavigation), "bus1_nav_out");
  EXPECT_EQ(zone.DeviceForContext(AudioContext::kCallRing), "bus2_call_out");
}

TEST(CarAudioConfigTest, DeviceForContextIsEmptyWhenUnrouted) {
  const ZoneConfig zone = FrontZone();
  EXPECT_EQ(zone.DeviceForContext(AudioContext::kSafety), "");
  EXPECT_EQ(zone.DeviceForContext(AudioContext::kInvalid), "");
}

TEST(CarAudioConfigTest, DeviceMapIsIndexedByContextId) {
  const ContextDeviceMap map = FrontZone().DeviceMap();
  for (AudioContext context : kAllAudioContexts) {
    EXPECT_EQ(map[ContextIndex(context)], FrontZone().DeviceForContext(context)) << ContextName(context);
  }
  EXPECT_EQ(map[ContextIndex(AudioContext::kMusic)], "bus0_media_out");
  EXPECT_EQ(map[ContextIndex(AudioContext::kCall)], "bus2_call_out");
  EXPECT_EQ(map[ContextIndex(AudioContext::kInvalid)], "");
  EXPECT_EQ(map[ContextIndex(AudioContext::kEmergency)], "");
}

TEST(CarAudioConfigTest, FindDeviceByAddress) {
  const ZoneConfig zone = FrontZone();
  const DeviceConfig* device = zone.FindDevice("bus0_media_out");
  ASSERT_NE(device, nullptr);
  EXPECT_EQ(device->output, "alsa_front");
  EXPECT_THAT(device->contexts, ElementsAre(AudioContext::kMusic, AudioContext::kAnnouncement));
  EXPECT_THAT(zone.FindDevice("bus9_missing"), IsNull());
}

TEST(CarAudioConfigTest, VolumeGroupForContext) {
  const ZoneConfig zone = FrontZone();
  ASSERT_NE(zone.VolumeGroupForContext(AudioContext::kCall), nullptr);
  EXPECT_EQ(zone.VolumeGroupForContext(AudioContext::kCall)->name, "other");
  EXPECT_EQ(zone.VolumeGroupForContext(AudioContext::kMusic)->name, "media");
  EXPECT_THAT(zone.VolumeGroupForContext(AudioContext::kAlarm), IsNull());
}

TEST(CarAudioConfigTest, VolumeGroupGainsDefaultToTheDocumentedValues) {
  const VolumeGroupConfig group;
  EXPECT_EQ(group.min_gain_mb, -3200);
  EXPECT_EQ(group.max_gain_mb, 600);
  EXPECT_EQ(group.default_gain_mb, 0);
  EXPECT_EQ(group.step_mb, 100);
}

TEST(CarAudioConfigTest, FindZoneById) {
  const CarAudioConfig config = Car();
  ASSERT_NE(config.FindZone(1), nullptr);
  EXPECT_EQ(config.FindZone(1)->name, "rear 1");
  EXPECT_EQ(config.FindZone(0)->name, "front");
  EXPECT_THAT(config.FindZone(3), IsNull());
}

TEST(CarAudioConfigTest, FindZoneForOccupant) {
  const CarAudioConfig config = Car();
  ASSERT_NE(config.FindZoneForOccupant(7), nullptr);
  EXPECT_EQ(config.FindZoneForOccupant(7)->id, 2);
  EXPECT_EQ(config.FindZoneForOccupant(0)->id, 0);
  EXPECT_THAT(config.FindZoneForOccupant(1), IsNull());
  EXPECT_THAT(config.FindZoneForOccupant(kNoOccupantZone), IsNull());
}

TEST(CarAudioConfigTest, PrimaryZone) {
  CarAudioConfig config = Car();
  ASSERT_NE(config.PrimaryZone(), nullptr);
  EXPECT_EQ(config.PrimaryZone()->id, 0);
  config.zones.erase(config.zones.begin());
  EXPECT_THAT(config.PrimaryZone(), IsNull());
}

TEST(CarAudioConfigTest, ZoneIdsKeepFileOrder) { EXPECT_THAT(Car().ZoneIds(), ElementsAre(0, 2, 1)); }

TEST(CarAudioConfigTest, DeviceMapsHasOneMapPerZone) {
  const std::map<int32_t, ContextDeviceMap> maps = Car().DeviceMaps();
  ASSERT_EQ(maps.size(), 3u);
  EXPECT_EQ(maps.at(0), FrontZone().DeviceMap());
  EXPECT_EQ(maps.at(1)[ContextIndex(AudioContext::kMusic)], "bus100_media_out");
  EXPECT_EQ(maps.at(2)[ContextIndex(AudioContext::kMusic)], "bus200_media_out");
  EXPECT_EQ(maps.at(2)[ContextIndex(AudioContext::kNavigation)], "");
}

}  // namespace
}  // namespace caraudio
