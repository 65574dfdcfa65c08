// Builders for car_audio_configuration.xml snippets used by the zone tests.
// Each helper returns complete elements on a single line, so that a test which
// needs line numbers can lay out its own document around them.

#ifndef CARAUDIO_TESTS_ZONES_ZONE_TEST_XML_H_
#define CARAUDIO_TESTS_ZONES_ZONE_TEST_XML_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace caraudio::testing {

// A <group> routing all 12 contexts over two devices: "<prefix>_media"
// (music) and "<prefix>_other" (the other 11).
inline std::string AllContextsGroup(absl::string_view prefix) {
  return absl::StrCat(
      "<group name=\"all\"><device address=\"", prefix, "_media\"><context context=\"music\"/></device>",
      "<device address=\"", prefix,
      "_other\"><context context=\"navigation\"/><context context=\"voice_command\"/>"
      "<context context=\"call_ring\"/><context context=\"call\"/><context context=\"alarm\"/>"
      "<context context=\"notification\"/><context context=\"system_sound\"/>"
      "<context context=\"emergency\"/><context context=\"safety\"/>"
      "<context context=\"vehicle_status\"/><context context=\"announcement\"/></device></group>");
}

// A complete version 2 <zone> with the given attributes, routing every context.
inline std::string FullZone(absl::string_view attributes, absl::string_view prefix) {
  return absl::StrCat("<zone ", attributes, "><volumeGroups>", AllContextsGroup(prefix),
                      "</volumeGroups></zone>");
}

// A document of the given version around the body of <zones>.
inline std::string Document(int version, absl::string_view zones_body) {
  return absl::StrCat("<carAudioConfiguration version=\"", version, "\"><zones>", zones_body,
                      "</zones></carAudioConfiguration>");
}

// A document whose line 4 names an unknown context: the parser's error is
// "SOURCE:4: unknown context \"musik\" (known: ...)".
inline constexpr char kUnknownContextOnLine4Xml[] =
    "<carAudioConfiguration version=\"2\">\n"
    "  <zones>\n"
    "    <zone isPrimary=\"true\"><volumeGroups><group>\n"
    "      <device address=\"a\"><context context=\"musik\"/>\n"
    "    </device></group></volumeGroups></zone>\n"
    "  </zones>\n"
    "</carAudioConfiguration>\n";

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_ZONES_ZONE_TEST_XML_H_
