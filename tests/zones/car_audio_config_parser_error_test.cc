// Documents the parser rejects: each error is InvalidArgument and reads
// "SOURCE:LINE: problem", with LINE the element (or attribute) at fault.

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/zones/zone_test_xml.h"
#include "zones/car_audio_config_parser.h"

namespace caraudio {
namespace {

using ::caraudio::testing::AllContextsGroup;
using ::caraudio::testing::FullZone;

// A document with one element per line: line 1 is <carAudioConfiguration>,
// line 2 <zones>, then one line per entry of `zones`.
std::string Lines(int version, const std::vector<std::string>& zones) {
  std::vector<std::string> lines = {absl::StrCat("<carAudioConfiguration version=\"", version, "\">"),
                                    "<zones>"};
  lines.insert(lines.end(), zones.begin(), zones.end());
  lines.push_back("</zones>");
  lines.push_back("</carAudioConfiguration>");
  return absl::StrJoin(lines, "\n");
}

// The parse result's status: gtest prints a Status readably.
absl::Status Parse(const std::string& xml) { return ParseCarAudioConfig(xml).status(); }

// InvalidArgument whose message starts "<string>:LINE: " and contains `text`.
MATCHER_P2(FailsAt, line, text, absl::StrCat("fails at <string>:", line, " with \"", text, "\"")) {
  const absl::Status& status = arg;
  const std::string message(status.message());
  return status.code() == absl::StatusCode::kInvalidArgument &&
         absl::StartsWith(message, absl::StrCat("<string>:", line, ": ")) && absl::StrContains(message, text);
}

const std::string kPrimary = FullZone("name=\"front\" isPrimary=\"true\" audioZoneId=\"0\"", "bus0");

// A zone's body must route these 11 plus music to be complete.
std::string ZoneWithDevices(const std::string& attributes, const std::string& devices) {
  return absl::StrCat("<zone ", attributes, "><volumeGroups><group name=\"g\">", devices,
                      "</group></volumeGroups></zone>");
}

const std::string kElevenContexts =
    "<context context=\"navigation\"/><context context=\"voice_command\"/><context context=\"call_ring\"/>"
    "<context context=\"call\"/><context context=\"alarm\"/><context context=\"notification\"/>"
    "<context context=\"system_sound\"/><context context=\"emergency\"/><context context=\"safety\"/>"
    "<context context=\"vehicle_status\"/><context context=\"announcement\"/>";

// --- Malformed documents ---------------------------------------------------

TEST(CarAudioConfigParserErrorTest, MalformedXmlReportsTheLine) {
  const std::string xml =
      "<carAudioConfiguration version=\"2\">\n"
      "  <zones>\n"
      "    <zone isPrimary=\"true\">\n"
      "      <volumeGroups>\n"
      "    </zone>\n"
      "  </zones>\n"
      "</carAudioConfiguration>\n";
  // tinyxml2 reports the element whose end tag does not match.
  EXPECT_THAT(Parse(xml),
              FailsAt(4, "malformed XML: XML_ERROR_MISMATCHED_ELEMENT (XMLElement name=volumeGroups)"));
}

TEST(CarAudioConfigParserErrorTest, UnclosedAttributeQuoteReportsTheLine) {
  const std::string xml = "<carAudioConfiguration version=\"2\">\n<zones>\n<zone name=\"front>\n";
  const absl::Status status = Parse(xml);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), ::testing::MatchesRegex("<string>:[0-9]+: malformed XML.*"));
}

TEST(CarAudioConfigParserErrorTest, EmptyInputIsMalformed) {
  EXPECT_THAT(Parse(""), FailsAt(1, "malformed XML"));
}

TEST(CarAudioConfigParserErrorTest, RootMustBeCarAudioConfiguration) {
  EXPECT_THAT(Parse("<?xml version=\"1.0\"?>\n<audioPolicyConfiguration/>"),
              FailsAt(2, "root element is <audioPolicyConfiguration>"));
}

TEST(CarAudioConfigParserErrorTest, VersionIsRequired) {
  EXPECT_THAT(Parse("<carAudioConfiguration><zones/></carAudioConfiguration>"), FailsAt(1, "no version"));
}

TEST(CarAudioConfigParserErrorTest, OnlyVersions2And3AreSupported) {
  EXPECT_THAT(Parse(Lines(1, {kPrimary})), FailsAt(1, "unsupported version 1 (supported: 2, 3)"));
  EXPECT_THAT(Parse(Lines(4, {kPrimary})), FailsAt(1, "unsupported version 4"));
  EXPECT_THAT(Parse("<carAudioConfiguration version=\"two\"/>"),
              FailsAt(1, "version=\"two\" is not a 32-bit integer"));
}

TEST(CarAudioConfigParserErrorTest, ZonesElementIsRequired) {
  EXPECT_THAT(Parse("<carAudioConfiguration version=\"2\">\n<oemContexts/>\n</carAudioConfiguration>"),
              FailsAt(1, "has no <zones>"));
}

TEST(CarAudioConfigParserErrorTest, ZonesMustHoldAZone) {
  EXPECT_THAT(Parse(Lines(2, {})), FailsAt(2, "<zones> has no <zone>"));
}

TEST(CarAudioConfigParserErrorTest, OnlyOneZonesElement) {
  const std::string xml = "<carAudioConfiguration version=\"2\">\n<zones>" + kPrimary +
                          "</zones>\n<zones/>\n</carAudioConfiguration>";
  EXPECT_THAT(Parse(xml), FailsAt(3, "second <zones> element (the first is at line 2)"));
}

// --- Zones ------------------------------------------------------------------

TEST(CarAudioConfigParserErrorTest, MissingPrimaryZone) {
  const std::string xml = Lines(2, {FullZone("name=\"a\" audioZoneId=\"1\"", "bus1"),
                                    FullZone("name=\"b\" audioZoneId=\"2\"", "bus2")});
  EXPECT_THAT(Parse(xml), FailsAt(2, "no primary zone"));
}

TEST(CarAudioConfigParserErrorTest, TwoPrimaryZones) {
  const std::string xml =
      Lines(2, {kPrimary, FullZone("name=\"second\" isPrimary=\"true\" audioZoneId=\"0\"", "bus1")});
  EXPECT_THAT(Parse(xml), FailsAt(4, "zone \"second\" is a second primary zone (the first is at line 3)"));
}

TEST(CarAudioConfigParserErrorTest, PrimaryZoneMustBeIdZero) {
  const std::string xml = Lines(2, {FullZone("name=\"front\" isPrimary=\"true\" audioZoneId=\"3\"", "bus0")});
  EXPECT_THAT(Parse(xml), FailsAt(3, "primary zone \"front\" has audioZoneId 3; the primary zone must be 0"));
}

TEST(CarAudioConfigParserErrorTest, DuplicateZoneIds) {
  const std::string xml = Lines(2, {kPrimary, FullZone("name=\"rear\" audioZoneId=\"1\"", "bus1"),
                                    FullZone("name=\"rear again\" audioZoneId=\"1\"", "bus2")});
  EXPECT_THAT(Parse(xml),
              FailsAt(5, "zone \"rear again\": audioZoneId 1 is already used by the zone at line 4"));
}

TEST(CarAudioConfigParserErrorTest, NonPrimaryZoneReusingIdZero) {
  const std::string xml = Lines(2, {kPrimary, FullZone("name=\"rear\" audioZoneId=\"0\"", "bus1")});
  EXPECT_THAT(Parse(xml), FailsAt(4, "audioZoneId 0 is already used by the zone at line 3"));
}

TEST(CarAudioConfigParserErrorTest, DuplicateOccupantZoneIds) {
  const std::string xml =
      Lines(2, {FullZone("isPrimary=\"true\" occupantZoneId=\"0\"", "bus0"),
                FullZone("name=\"rear\" audioZoneId=\"1\" occupantZoneId=\"0\"", "bus1")});
  EXPECT_THAT(Parse(xml), FailsAt(4, "occupantZoneId 0 is already used by the zone at line 3"));
}

TEST(CarAudioConfigParserErrorTest, NonPrimaryZoneNeedsAnAudioZoneId) {
  const std::string xml = Lines(2, {kPrimary, FullZone("name=\"rear\"", "bus1")});
  EXPECT_THAT(Parse(xml), FailsAt(4, "zone \"rear\" has no audioZoneId"));
}

// --- Devices and contexts --------------------------------------------------

TEST(CarAudioConfigParserErrorTest, DuplicateDeviceAddressAcrossZones) {
  const std::string xml = Lines(2, {kPrimary, FullZone("name=\"rear\" audioZoneId=\"1\"", "bus0")});
  EXPECT_THAT(
      Parse(xml),
      FailsAt(4, "device address \"bus0_media\" is already used at line 3; addresses must be unique"));
}

TEST(CarAudioConfigParserErrorTest, DuplicateDeviceAddressWithinAZone) {
  const std::string xml = Lines(
      2,
      {"<zone isPrimary=\"true\"><volumeGroups>", AllContextsGroup("bus0"),
       "<group name=\"extra\"><device address=\"bus0_other\"><context context=\"music\"/></device></group>",
       "</volumeGroups></zone>"});
  EXPECT_THAT(Parse(xml), FailsAt(5, "device address \"bus0_other\" is already used at line 4"));
}

TEST(CarAudioConfigParserErrorTest, UnknownContextNameNamesTheContextAndLine) {
  const std::string xml = Lines(2, {"<zone isPrimary=\"true\"><volumeGroups><group><device address=\"bus0\">",
                                    "<context context=\"music\"/>", "<context context=\"musik\"/>",
                                    kElevenContexts, "</device></group></volumeGroups></zone>"});
  EXPECT_THAT(Parse(xml), FailsAt(5, "unknown context \"musik\" (known: music, navigation, voice_command"));
}

TEST(CarAudioConfigParserErrorTest, OnlyTheXmlSpellingOfContextsIsAccepted) {
  for (const char* name : {"media", "MUSIC", "Music", "invalid", "oem_music", ""}) {
    const std::string xml = Lines(
        2, {ZoneWithDevices("isPrimary=\"true\"", absl::StrCat("<device address=\"bus0\"><context context=\"",
                                                               name, "\"/>", kElevenContexts, "</device>"))});
    EXPECT_THAT(Parse(xml), FailsAt(3, absl::StrCat("unknown context \"", name, "\""))) << name;
  }
}

TEST(CarAudioConfigParserErrorTest, ContextWithoutContextAttribute) {
  const std::string xml = Lines(
      2,
      {ZoneWithDevices("isPrimary=\"true\"", "<device address=\"bus0\"><context name=\"music\"/></device>")});
  EXPECT_THAT(Parse(xml), FailsAt(3, "<context> has no context attribute"));
}

TEST(CarAudioConfigParserErrorTest, ContextRoutedTwiceInAZone) {
  const std::string xml = Lines(
      2, {"<zone name=\"front\" isPrimary=\"true\"><volumeGroups><group>",
          "<device address=\"bus0\"><context context=\"music\"/>" + kElevenContexts + "</device>",
          "<device address=\"bus1\"><context context=\"call\"/></device>", "</group></volumeGroups></zone>"});
  EXPECT_THAT(
      Parse(xml),
      FailsAt(5, "context \"call\" is routed twice in the zone: already to device \"bus0\" at line 4"));
}

TEST(CarAudioConfigParserErrorTest, ContextListedTwiceOnOneDevice) {
  const std::string xml = Lines(
      2,
      {ZoneWithDevices("isPrimary=\"true\"", "<device address=\"bus0\"><context context=\"music\"/>" +
                                                 kElevenContexts + "<context context=\"music\"/></device>")});
  EXPECT_THAT(Parse(xml),
              FailsAt(3, "context \"music\" is routed twice in the zone: already to device \"bus0\""));
}

TEST(CarAudioConfigParserErrorTest, SameContextInDifferentZonesIsFine) {
  EXPECT_TRUE(Parse(Lines(2, {kPrimary, FullZone("audioZoneId=\"1\"", "bus1")})).ok());
}

TEST(CarAudioConfigParserErrorTest, ZoneMissingContextsListsThem) {
  const std::string xml = Lines(
      2, {kPrimary, ZoneWithDevices("name=\"rear\" audioZoneId=\"1\"",
                                    "<device address=\"bus100\"><context context=\"music\"/>"
                                    "<context context=\"navigation\"/><context context=\"voice_command\"/>"
                                    "<context context=\"call_ring\"/><context context=\"call\"/>"
                                    "<context context=\"notification\"/><context context=\"system_sound\"/>"
                                    "<context context=\"emergency\"/><context context=\"vehicle_status\"/>"
                                    "<context context=\"announcement\"/></device>")});
  EXPECT_THAT(Parse(xml), FailsAt(4, "zone \"rear\" (audioZoneId 1) does not route contexts: alarm, safety"));
}

TEST(CarAudioConfigParserErrorTest, DeviceAddressIsRequiredAndNonEmpty) {
  const std::string missing = Lines(2, {ZoneWithDevices("isPrimary=\"true\"", "<device/>")});
  EXPECT_THAT(Parse(missing), FailsAt(3, "<device> has no address attribute"));
  const std::string empty = Lines(2, {ZoneWithDevices("isPrimary=\"true\"", "<device address=\"\"/>")});
  EXPECT_THAT(Parse(empty), FailsAt(3, "<device> has an empty address"));
  const std::string blank = Lines(2, {ZoneWithDevices("isPrimary=\"true\"", "<device address=\"  \"/>")});
  EXPECT_THAT(Parse(blank), FailsAt(3, "<device> has an empty address"));
}

TEST(CarAudioConfigParserErrorTest, DeviceNeedsAContext) {
  const std::string xml = Lines(2, {ZoneWithDevices("isPrimary=\"true\"", "<device address=\"bus0\"/>")});
  EXPECT_THAT(Parse(xml), FailsAt(3, "device \"bus0\" has no <context>"));
}

TEST(CarAudioConfigParserErrorTest, GroupNeedsADevice) {
  const std::string xml = Lines(2, {ZoneWithDevices("isPrimary=\"true\"", "")});
  EXPECT_THAT(Parse(xml), FailsAt(3, "group \"g\" has no <device>"));
}

// --- Zone layout -------------------------------------------------------------

TEST(CarAudioConfigParserErrorTest, ZoneNeedsVolumeGroups) {
  EXPECT_THAT(Parse(Lines(2, {"<zone name=\"front\" isPrimary=\"true\"/>"})),
              FailsAt(3, "zone \"front\" has no <volumeGroups>"));
}

TEST(CarAudioConfigParserErrorTest, ZoneWithTwoVolumeGroupsElements) {
  const std::string xml =
      Lines(2, {"<zone name=\"front\" isPrimary=\"true\">", "<volumeGroups/>", "<volumeGroups/>", "</zone>"});
  EXPECT_THAT(Parse(xml), FailsAt(5, "zone \"front\" has a second <volumeGroups> (the first is at line 4)"));
}

TEST(CarAudioConfigParserErrorTest, ZoneConfigsNeedVersion3) {
  const std::string xml = Lines(2, {"<zone isPrimary=\"true\">",
                                    "<zoneConfigs><zoneConfig><volumeGroups>" + AllContextsGroup("bus0") +
                                        "</volumeGroups></zoneConfig></zoneConfigs>",
                                    "</zone>"});
  EXPECT_THAT(Parse(xml), FailsAt(4, "<zoneConfigs> needs version 3"));
}

TEST(CarAudioConfigParserErrorTest, ZoneConfigsAndVolumeGroupsTogether) {
  const std::string xml =
      Lines(3, {"<zone isPrimary=\"true\">",
                "<zoneConfigs><zoneConfig><volumeGroups>" + AllContextsGroup("bus0") +
                    "</volumeGroups></zoneConfig></zoneConfigs>",
                "<volumeGroups>" + AllContextsGroup("bus1") + "</volumeGroups>", "</zone>"});
  EXPECT_THAT(Parse(xml), FailsAt(5, "has both <zoneConfigs> and <volumeGroups>"));
}

TEST(CarAudioConfigParserErrorTest, TwoDefaultZoneConfigs) {
  const std::string xml = Lines(3, {"<zone name=\"front\" isPrimary=\"true\"><zoneConfigs>",
                                    "<zoneConfig name=\"a\" isDefault=\"true\"><volumeGroups>" +
                                        AllContextsGroup("a") + "</volumeGroups></zoneConfig>",
                                    "<zoneConfig name=\"b\" isDefault=\"true\"><volumeGroups>" +
                                        AllContextsGroup("b") + "</volumeGroups></zoneConfig>",
                                    "</zoneConfigs></zone>"});
  EXPECT_THAT(Parse(xml),
              FailsAt(5, "zone \"front\" has a second default <zoneConfig> (the first is at line 4)"));
}

TEST(CarAudioConfigParserErrorTest, EmptyZoneConfigs) {
  EXPECT_THAT(Parse(Lines(3, {"<zone isPrimary=\"true\">", "<zoneConfigs/>", "</zone>"})),
              FailsAt(4, "<zoneConfigs> has no <zoneConfig>"));
}

TEST(CarAudioConfigParserErrorTest, ZoneConfigNeedsVolumeGroups) {
  EXPECT_THAT(Parse(Lines(3, {"<zone isPrimary=\"true\"><zoneConfigs>", "<zoneConfig name=\"a\"/>",
                              "</zoneConfigs></zone>"})),
              FailsAt(4, "<zoneConfig> has no <volumeGroups>"));
}

// --- Attribute values --------------------------------------------------------

struct BadAttribute {
  std::string name;              // test name suffix
  std::string zone_attributes;   // on the primary <zone>
  std::string group_attributes;  // on its only <group>
  std::string expected;
};

void PrintTo(const BadAttribute& bad, std::ostream* os) {
  *os << "<zone " << bad.zone_attributes << "> <group " << bad.group_attributes << ">";
}

class CarAudioConfigParserBadAttributeTest : public ::testing::TestWithParam<BadAttribute> {};

TEST_P(CarAudioConfigParserBadAttributeTest, IsRejectedWithItsLine) {
  const BadAttribute& bad = GetParam();
  const std::string xml =
      Lines(2, {"<zone isPrimary=\"true\" " + bad.zone_attributes + ">", "<volumeGroups>",
                "<group name=\"g\" " + bad.group_attributes + ">",
                "<device address=\"bus0\"><context context=\"music\"/>" + kElevenContexts + "</device>",
                "</group></volumeGroups></zone>"});
  const int line = bad.zone_attributes.empty() ? 5 : 3;
  EXPECT_THAT(Parse(xml), FailsAt(line, bad.expected));
}

INSTANTIATE_TEST_SUITE_P(
    NumbersAndBooleans, CarAudioConfigParserBadAttributeTest,
    ::testing::Values(
        BadAttribute{"AudioZoneIdWord", "audioZoneId=\"zero\"", "",
                     "<zone> attribute audioZoneId=\"zero\" is not a 32-bit integer"},
        BadAttribute{"AudioZoneIdFraction", "audioZoneId=\"0.5\"", "",
                     "audioZoneId=\"0.5\" is not a 32-bit integer"},
        BadAttribute{"AudioZoneIdEmpty", "audioZoneId=\"\"", "", "audioZoneId=\"\" is not a 32-bit integer"},
        BadAttribute{"AudioZoneIdHex", "audioZoneId=\"0x0\"", "",
                     "audioZoneId=\"0x0\" is not a 32-bit integer"},
        BadAttribute{"AudioZoneIdOverflow", "audioZoneId=\"4294967296\"", "",
                     "audioZoneId=\"4294967296\" is not a 32-bit integer"},
        BadAttribute{"AudioZoneIdNegative", "audioZoneId=\"-1\"", "", "audioZoneId=\"-1\" is below 0"},
        BadAttribute{"OccupantZoneIdWord", "occupantZoneId=\"driver\"", "",
                     "occupantZoneId=\"driver\" is not a 32-bit integer"},
        BadAttribute{"OccupantZoneIdNegative", "occupantZoneId=\"-2\"", "",
                     "occupantZoneId=\"-2\" is below 0"},
        BadAttribute{"MinGainWithUnit", "", "minGainMb=\"-32dB\"",
                     "<group> attribute minGainMb=\"-32dB\" is not a 32-bit integer"},
        BadAttribute{"MaxGainFraction", "", "maxGainMb=\"6.0\"", "maxGainMb=\"6.0\" is not a 32-bit integer"},
        BadAttribute{"DefaultGainWord", "", "defaultGainMb=\"loud\"",
                     "defaultGainMb=\"loud\" is not a 32-bit integer"},
        BadAttribute{"StepZero", "", "stepMb=\"0\"", "stepMb=\"0\" is below 1"},
        BadAttribute{"StepNegative", "", "stepMb=\"-100\"", "stepMb=\"-100\" is below 1"},
        BadAttribute{"MinAboveMax", "", "minGainMb=\"100\" maxGainMb=\"0\"",
                     "group \"g\": minGainMb 100 is above maxGainMb 0"},
        BadAttribute{"DefaultAboveMax", "", "defaultGainMb=\"700\"",
                     "group \"g\": defaultGainMb 700 is outside [-3200, 600]"},
        BadAttribute{"DefaultBelowMin", "", "minGainMb=\"-1000\" defaultGainMb=\"-1100\"",
                     "defaultGainMb -1100 is outside [-1000, 600]"},
        BadAttribute{"RangeNotWholeSteps", "", "stepMb=\"300\"",
                     "the gain range 3800 mB is not a whole number of stepMb 300"}),
    [](const ::testing::TestParamInfo<BadAttribute>& info) { return info.param.name; });

TEST(CarAudioConfigParserErrorTest, BadIsPrimary) {
  EXPECT_THAT(Parse(Lines(2, {FullZone("isPrimary=\"yes\"", "bus0")})),
              FailsAt(3, "<zone> attribute isPrimary=\"yes\" is not true or false"));
}

TEST(CarAudioConfigParserErrorTest, BadIsDefault) {
  const std::string xml = Lines(3, {"<zone isPrimary=\"true\"><zoneConfigs>",
                                    "<zoneConfig isDefault=\"1\"><volumeGroups>" + AllContextsGroup("bus0") +
                                        "</volumeGroups></zoneConfig>",
                                    "</zoneConfigs></zone>"});
  EXPECT_THAT(Parse(xml), FailsAt(4, "<zoneConfig> attribute isDefault=\"1\" is not true or false"));
}

// --- Source names ------------------------------------------------------------

TEST(CarAudioConfigParserErrorTest, ErrorsNameTheCallersSource) {
  const absl::StatusOr<CarAudioConfig> config = ParseCarAudioConfig(Lines(2, {}), "/etc/car/audio.xml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(), "/etc/car/audio.xml:2: <zones> has no <zone>");
}

TEST(CarAudioConfigParserErrorTest, StringsDefaultToAStringSourceName) {
  absl::StatusOr<CarAudioConfig> config = ParseCarAudioConfig(Lines(2, {}));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(), "<string>:2: <zones> has no <zone>");
}

}  // namespace
}  // namespace caraudio
