// Which car-service events audiofocus-sim --events prints on its timeline
// (tools/audiofocus_sim/service_events.h), and that they read as audioctl
// prints them, without the sequence number and daemon timestamp.

#include "tools/audiofocus_sim/service_events.h"

#include <gmock/gmock.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace caraudio::sim {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::StartsWith;

std::optional<std::string> Line(const std::string& text_proto) {
  caraudio::v1::Event event;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text_proto, &event)) << text_proto;
  return ServiceEventLine(event);
}

TEST(ServiceEventsTest, WhatNoAppSeesIsShown) {
  EXPECT_THAT(Line(R"pb(sequence: 4 timestamp_ns: 7000000000
                         ducking_change { zone_id: 0 device_addresses_to_duck: "bus0_media_out" })pb"),
              Optional(StartsWith("ducking_change: zone=0 duck=[bus0_media_out]")));
  EXPECT_THAT(Line(R"pb(muting_change { zone_id: 0 device_addresses_to_mute: "bus0_media_out" })pb"),
              Optional(StartsWith("muting_change: zone=0 mute=[bus0_media_out]")));
  EXPECT_THAT(Line(R"pb(ducking_change { zone_id: 0 device_addresses_to_unduck: "bus0_media_out" })pb"),
              Optional(StartsWith("ducking_change: zone=0 duck=[] unduck=[bus0_media_out]")));
  EXPECT_THAT(Line(R"pb(muting_change { zone_id: 0 device_addresses_to_unmute: "bus0_media_out" })pb"),
              Optional(StartsWith("muting_change: zone=0 mute=[] unmute=[bus0_media_out]")));
  EXPECT_THAT(
      Line(R"pb(hal_request_focus {
                  call { usage: USAGE_SAFETY zone_id: 0 focus_gain: FOCUS_GAIN_TRANSIENT }
                  result {
                    result: REQUEST_GRANTED
                    zone_id: 0
                    explanation { text: "granted: SAFETY in zone 0" }
                  }
                })pb"),
      Optional(AllOf(StartsWith("hal_request_focus: usage=USAGE_SAFETY zone=0"),
                     HasSubstr("granted: SAFETY in zone 0"))));
  EXPECT_THAT(Line(R"pb(hal_abandon_focus { usage: USAGE_SAFETY zone_id: 0 })pb"),
              Optional(StartsWith("hal_abandon_focus: usage=USAGE_SAFETY zone=0")));
  EXPECT_THAT(Line(R"pb(hardening { line: "AudioHardening com.example.sneaky denied" })pb"),
              Optional(HasSubstr("AudioHardening com.example.sneaky denied")));
  EXPECT_THAT(Line(R"pb(audit_finding {
                          package_name: "com.example.ads"
                          kind: FINDING_KIND_PLAYED_WITHOUT_FOCUS
                        })pb"),
              Optional(HasSubstr("com.example.ads (uid 0) zone 0 FINDING_KIND_PLAYED_WITHOUT_FOCUS")));
  EXPECT_THAT(Line(R"pb(hal_listener { registered: true registration_id: 2 })pb"),
              Optional(StartsWith("hal_listener: registered id=2")));
  EXPECT_THAT(Line(R"pb(restrict_focus { restricted: true })pb"),
              Optional(StartsWith("restrict_focus: on")));
}

TEST(ServiceEventsTest, WhatTheAppsAndStepsPrintThemselvesIsLeftOut) {
  for (const char* text : {
           R"pb(subscribed {})pb",
           R"pb(focus_request { request { client_id: "radio" } })pb",
           R"pb(focus_abandon { request { client_id: "radio" } })pb",
           R"pb(focus_callback { client_id: "radio" change: FOCUS_CHANGE_LOSS })pb",
           R"pb(group_volume { zone_id: 0 group: "media" })pb",
           R"pb(hal_focus_change { usage: USAGE_SAFETY zone_id: 0 })pb",
           R"pb(navigation_rejected_during_call { zone_id: 0 rejected: true })pb",
           R"pb(app_state { package_name: "com.example.radio" visibility: APP_VISIBILITY_VISIBLE })pb",
           R"pb(hardening_mode { mode: HARDENING_MODE_ENFORCE })pb",
           // Holders only: nothing is ducked, unducked, muted or unmuted.
           R"pb(ducking_change { zone_id: 1 usages_holding_focus: "AUDIO_USAGE_MEDIA" })pb",
           R"pb(muting_change { zone_id: 1 })pb",
           "",
       }) {
    EXPECT_EQ(Line(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace caraudio::sim
