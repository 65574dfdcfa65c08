// Well-formed car_audio_configuration.xml documents: the AOSP version 2 and 3
// layouts, defaults, our gain / output extensions, and skipped sections.

#include <string>

#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/zones/zone_test_xml.h"
#include "zones/car_audio_config_parser.h"

namespace caraudio {
namespace {

using ::caraudio::testing::AllContextsGroup;
using ::caraudio::testing::Document;
using ::caraudio::testing::FullZone;
using ::testing::ElementsAre;

// Every zone of a parsed config routes every context; checked on each success.
void ExpectEveryContextRouted(const CarAudioConfig& config) {
  for (const ZoneConfig& zone : config.zones) {
    for (AudioContext context : kAllAudioContexts) {
      if (context == AudioContext::kInvalid) continue;
      EXPECT_NE(zone.DeviceForContext(context), "") << zone.name << " " << ContextName(context);
    }
  }
}

TEST(CarAudioConfigParserLayoutTest, ParsesVersion2Layout) {
  constexpr char kXml[] =
      R"(<?xml version="1.0" encoding="utf-8"?>
<carAudioConfiguration version="2">
  <zones>
    <zone name="primary zone" isPrimary="true" audioZoneId="0" occupantZoneId="0">
      <volumeGroups>
        <group name="media">
          <device address="bus0_media_out">
            <context context="music"/>
          </device>
          <device address="bus6_notification_out">
            <context context="notification"/>
          </device>
        </group>
        <group name="rest">
          <device address="bus1_navigation_out">
            <context context="navigation"/>
            <context context="voice_command"/>
            <context context="call_ring"/>
            <context context="call"/>
            <context context="alarm"/>
            <context context="system_sound"/>
            <context context="emergency"/>
            <context context="safety"/>
            <context context="vehicle_status"/>
            <context context="announcement"/>
          </device>
        </group>
      </volumeGroups>
    </zone>
    <zone name="rear seat zone" audioZoneId="1" occupantZoneId="1">
      <volumeGroups>)"
      "<group name=\"all\"><device address=\"bus100_rear_seat\">"
      "<context context=\"music\"/><context context=\"navigation\"/><context context=\"voice_command\"/>"
      "<context context=\"call_ring\"/><context context=\"call\"/><context context=\"alarm\"/>"
      "<context context=\"notification\"/><context context=\"system_sound\"/><context context=\"emergency\"/>"
      "<context context=\"safety\"/><context context=\"vehicle_status\"/><context context=\"announcement\"/>"
      R"(</device></group>
      </volumeGroups>
    </zone>
  </zones>
</carAudioConfiguration>
)";
  absl::StatusOr<CarAudioConfig> config = ParseCarAudioConfig(kXml, "v2.xml");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->version, 2);
  ASSERT_EQ(config->zones.size(), 2u);

  const ZoneConfig& primary = config->zones[0];
  EXPECT_EQ(primary.id, 0);
  EXPECT_EQ(primary.name, "primary zone");
  EXPECT_TRUE(primary.is_primary);
  EXPECT_EQ(primary.occupant_zone_id, 0);
  EXPECT_EQ(primary.config_name, "");
  ASSERT_EQ(primary.volume_groups.size(), 2u);
  EXPECT_EQ(primary.volume_groups[0].name, "media");
  ASSERT_EQ(primary.volume_groups[0].devices.size(), 2u);
  EXPECT_EQ(primary.volume_groups[0].devices[0].address, "bus0_media_out");
  EXPECT_EQ(primary.volume_groups[0].devices[0].output, "");
  EXPECT_THAT(primary.volume_groups[0].devices[1].contexts, ElementsAre(AudioContext::kNotification));
  EXPECT_EQ(primary.volume_groups[1].devices[0].contexts.size(), 10u);
  EXPECT_EQ(primary.volume_groups[1].devices[0].contexts.front(), AudioContext::kNavigation);

  const ZoneConfig& rear = config->zones[1];
  EXPECT_EQ(rear.id, 1);
  EXPECT_FALSE(rear.is_primary);
  EXPECT_EQ(rear.occupant_zone_id, 1);
  EXPECT_EQ(rear.DeviceForContext(AudioContext::kAnnouncement), "bus100_rear_seat");
  ExpectEveryContextRouted(*config);
}

TEST(CarAudioConfigParserLayoutTest, ParsesVersion3ZoneConfigsUsingTheDefaultOne) {
  const std::string xml =
      Document(3,
               "<zone name=\"front\" isPrimary=\"true\" audioZoneId=\"0\" occupantZoneId=\"0\"><zoneConfigs>"
               "<zoneConfig name=\"front config 0\"><volumeGroups>" +
                   AllContextsGroup("bus_alt") +
                   "</volumeGroups></zoneConfig>"
                   "<zoneConfig name=\"front config 1\" isDefault=\"true\"><volumeGroups>" +
                   AllContextsGroup("bus0") + "</volumeGroups></zoneConfig></zoneConfigs></zone>");
  absl::StatusOr<CarAudioConfig> config = ParseCarAudioConfig(xml);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->version, 3);
  ASSERT_EQ(config->zones.size(), 1u);
  EXPECT_EQ(config->zones[0].config_name, "front config 1");
  EXPECT_EQ(config->zones[0].DeviceForContext(AudioContext::kMusic), "bus0_media");
  EXPECT_EQ(config->zones[0].DeviceForContext(AudioContext::kSafety), "bus0_other");
}

TEST(CarAudioConfigParserLayoutTest, Version3UsesTheFirstZoneConfigWhenNoneIsDefault) {
  const std::string xml = Document(
      3, "<zone isPrimary=\"true\"><zoneConfigs><zoneConfig name=\"a\"><volumeGroups>" +
             AllContextsGroup("a") +
             "</volumeGroups></zoneConfig><zoneConfig name=\"b\" isDefault=\"false\"><volumeGroups>" +
             AllContextsGroup("b") + "</volumeGroups></zoneConfig></zoneConfigs></zone>");
  absl::StatusOr<CarAudioConfig> config = ParseCarAudioConfig(xml);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->zones[0].config_name, "a");
  EXPECT_EQ(config->zones[0].DeviceForContext(AudioContext::kMusic), "a_media");
}

TEST(CarAudioConfigParserLayoutTest, Version3AlsoAcceptsPlainVolumeGroups) {
  absl::StatusOr<CarAudioConfig> config =
      ParseCarAudioConfig(Document(3, FullZone("isPrimary=\"true\" audioZoneId=\"0\"", "bus0")));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->version, 3);
  ExpectEveryContextRouted(*config);
}

TEST(CarAudioConfigParserLayoutTest, IgnoresUnknownSectionsElementsAndAttributes) {
  const std::string xml =
      "<carAudioConfiguration version=\"3\" vendor=\"acme\">"
      "<deviceConfigurations><deviceConfiguration name=\"useHalDuckingSignals\" value=\"true\"/>"
      "</deviceConfigurations>"
      "<oemContexts><oemContext name=\"oem_music\"><audioAttributes><usage value=\"AUDIO_USAGE_MEDIA\"/>"
      "</audioAttributes></oemContext></oemContexts>"
      "<zones>"
      "<zone name=\"front\" isPrimary=\"true\" audioZoneId=\"0\" hint=\"x\">"
      "<inputDevices><inputDevice address=\"bus_mic\"/></inputDevices>"
      "<volumeGroups>" +
      AllContextsGroup("bus0") +
      "</volumeGroups></zone>"
      "</zones>"
      "<mirroringDevices><mirroringDevice address=\"bus_mirror\"/></mirroringDevices>"
      "</carAudioConfiguration>";
  absl::StatusOr<CarAudioConfig> config = ParseCarAudioConfig(xml);
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->zones.size(), 1u);
  EXPECT_EQ(config->zones[0].DeviceForContext(AudioContext::kMusic), "bus0_media");
}

TEST(CarAudioConfigParserLayoutTest, PrimaryZoneWithoutAudioZoneIdGetsZero) {
  absl::StatusOr<CarAudioConfig> config =
      ParseCarAudioConfig(Document(2, FullZone("isPrimary=\"true\"", "bus0") +
                                          FullZone("audioZoneId=\"1\" occupantZoneId=\"1\"", "bus1")));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_THAT(config->ZoneIds(), ElementsAre(0, 1));
  EXPECT_EQ(config->PrimaryZone()->id, 0);
}

TEST(CarAudioConfigParserLayoutTest, MissingNamesAndOccupantGetDefaults) {
  const std::string group =
      "<group>"
      "<device address=\"bus0_all\"><context context=\"music\"/><context context=\"navigation\"/>"
      "<context context=\"voice_command\"/><context context=\"call_ring\"/><context context=\"call\"/>"
      "<context context=\"alarm\"/><context context=\"notification\"/><context context=\"system_sound\"/>"
      "<context context=\"emergency\"/><context context=\"safety\"/><context context=\"vehicle_status\"/>"
      "<context context=\"announcement\"/></device></group>";
  absl::StatusOr<CarAudioConfig> config = ParseCarAudioConfig(
      Document(2, "<zone isPrimary=\"true\"><volumeGroups>" + group + "</volumeGroups></zone>"));
  ASSERT_TRUE(config.ok()) << config.status();
  const ZoneConfig& zone = config->zones[0];
  EXPECT_EQ(zone.name, "zone 0");
  EXPECT_EQ(zone.occupant_zone_id, kNoOccupantZone);
  ASSERT_EQ(zone.volume_groups.size(), 1u);
  EXPECT_EQ(zone.volume_groups[0].name, "group0");
  EXPECT_EQ(zone.volume_groups[0].min_gain_mb, kDefaultMinGainMb);
  EXPECT_EQ(zone.volume_groups[0].max_gain_mb, kDefaultMaxGainMb);
  EXPECT_EQ(zone.volume_groups[0].default_gain_mb, kDefaultGainMb);
  EXPECT_EQ(zone.volume_groups[0].step_mb, kDefaultStepMb);
}

TEST(CarAudioConfigParserLayoutTest, ReadsGainAndOutputExtensions) {
  const std::string xml = Document(
      2,
      "<zone isPrimary=\"true\"><volumeGroups>"
      "<group name=\"media\" minGainMb=\"-4800\" maxGainMb=\"0\" defaultGainMb=\"-1200\" stepMb=\"300\">"
      "<device address=\"bus0_media_out\" output=\"alsa_output.pci-0000_00_1f.3.analog-stereo\">"
      "<context context=\"music\"/></device></group>"
      "<group name=\"rest\"><device address=\"bus1_rest_out\" output=\"\">"
      "<context context=\"navigation\"/><context context=\"voice_command\"/><context context=\"call_ring\"/>"
      "<context context=\"call\"/><context context=\"alarm\"/><context context=\"notification\"/>"
      "<context context=\"system_sound\"/><context context=\"emergency\"/><context context=\"safety\"/>"
      "<context context=\"vehicle_status\"/><context context=\"announcement\"/></device></group>"
      "</volumeGroups></zone>");
  absl::StatusOr<CarAudioConfig> config = ParseCarAudioConfig(xml);
  ASSERT_TRUE(config.ok()) << config.status();
  const VolumeGroupConfig& media = config->zones[0].volume_groups[0];
  EXPECT_EQ(media.min_gain_mb, -4800);
  EXPECT_EQ(media.max_gain_mb, 0);
  EXPECT_EQ(media.default_gain_mb, -1200);
  EXPECT_EQ(media.step_mb, 300);
  EXPECT_EQ(media.devices[0].output, "alsa_output.pci-0000_00_1f.3.analog-stereo");
  EXPECT_EQ(config->zones[0].volume_groups[1].devices[0].output, "");
}

TEST(CarAudioConfigParserLayoutTest, OnlyTheChosenZoneConfigIsRead) {
  // The non-default zoneConfig reuses addresses and misses contexts; it is not
  // loaded, so it is not validated either.
  const std::string xml = Document(
      3, "<zone isPrimary=\"true\"><zoneConfigs><zoneConfig name=\"main\" isDefault=\"true\"><volumeGroups>" +
             AllContextsGroup("bus0") +
             "</volumeGroups></zoneConfig><zoneConfig name=\"partial\"><volumeGroups><group>"
             "<device address=\"bus0_media\"><context context=\"music\"/></device></group>"
             "</volumeGroups></zoneConfig></zoneConfigs></zone>");
  absl::StatusOr<CarAudioConfig> config = ParseCarAudioConfig(xml);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->zones[0].config_name, "main");
}

TEST(CarAudioConfigParserLayoutTest, BooleansAndNumbersTolerateCaseAndSpaces) {
  absl::StatusOr<CarAudioConfig> config =
      ParseCarAudioConfig(Document(2, FullZone("isPrimary=\"TRUE\" audioZoneId=\" 0 \"", "bus0") +
                                          FullZone("isPrimary=\"False\" audioZoneId=\"+3\"", "bus3")));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_THAT(config->ZoneIds(), ElementsAre(0, 3));
  EXPECT_TRUE(config->zones[0].is_primary);
  EXPECT_FALSE(config->zones[1].is_primary);
}

}  // namespace
}  // namespace caraudio
