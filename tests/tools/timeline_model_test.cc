// TimelineModel from event logs: the recorded drive (drive.jsonl, from a real
// audiocontrold, see testdata/timeline/record_drive.sh) asserted interval by
// interval, and hand-written logs for what the drive does not exercise
// (zone moves, logs without state, state at the start, HAL loss).

#include "tools/timeline/timeline_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/tools/timeline_test_util.h"
#include "tools/event_replay.h"

namespace caraudio::timeline {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const char* StateName(FocusState state) {
  switch (state) {
    case FocusState::kHolding:
      return "holding";
    case FocusState::kWaiting:
      return "waiting";
    case FocusState::kDelayed:
      return "delayed";
  }
  return "?";
}

// "radio MUSIC holding #3-#14"; "#0" is the log's edge.
std::vector<std::string> Describe(const std::vector<FocusInterval>& intervals) {
  std::vector<std::string> out;
  for (const FocusInterval& f : intervals) {
    out.push_back(absl::StrCat(f.client_id, " ", ContextName(f.context), " ",
                               StateName(f.state), " #", f.start_sequence, "-#",
                               f.end_sequence));
  }
  return out;
}

std::vector<std::string> Describe(const std::vector<LevelInterval>& levels) {
  std::vector<std::string> out;
  for (const LevelInterval& l : levels) {
    out.push_back(absl::StrCat(l.device_address, " ",
                               l.level == DeviceLevel::kMuted ? "muted" : "ducked", " #",
                               l.start_sequence, "-#", l.end_sequence));
  }
  return out;
}

std::vector<std::string> Describe(const std::vector<Marker>& markers) {
  std::vector<std::string> out;
  for (const Marker& m : markers) {
    const char* kind = m.kind == MarkerKind::kRejection   ? "rejection"
                       : m.kind == MarkerKind::kHardening ? "hardening"
                                                          : "audit";
    out.push_back(absl::StrCat(kind, " #", m.sequence, " [", m.client_id, "|", m.package_name,
                               "] ", m.summary, " -- ", m.reason));
  }
  return out;
}

absl::StatusOr<TimelineModel> ModelOfLog(const std::string& jsonl) {
  absl::StatusOr<std::vector<v1::Event>> events = ParseEventLog(jsonl, "test.jsonl");
  if (!events.ok()) return events.status();
  return BuildTimelineModel(*events, DefaultCar());
}

// The recorded drive: three zones, as its recorded state says.
class TimelineModelRecordedDriveTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(model.zones.size(), 3u); }
  const TimelineModel model = RecordedDriveModel();
};

TEST_F(TimelineModelRecordedDriveTest, ZonesComeFromTheRecordedState) {
  EXPECT_EQ(model.zones[0].zone_id, 0);
  EXPECT_EQ(model.zones[0].name, "driver/front");
  EXPECT_EQ(model.zones[1].name, "rear left");
  EXPECT_EQ(model.zones[2].name, "rear right");
  // #1 (subscribed) at 30526298590627 ns is time 0; #55 is the end.
  EXPECT_EQ(model.start_timestamp_ns, 30526298590627);
  EXPECT_EQ(model.end_ns, 30535630517806 - 30526298590627);
}

TEST_F(TimelineModelRecordedDriveTest, FrontZoneHoldersLosersAndDelayed) {
  EXPECT_THAT(
      Describe(model.zones[0].focus),
      ElementsAre(
          "radio MUSIC holding #3-#14",       // until the ring takes the zone
          "maps NAVIGATION holding #9-#11",   // a prompt, ducking the radio
          "dialer CALL_RING holding #13-#16",  // ring, ended by its stream closing
          "radio MUSIC waiting #14-#17",      // LOSS_TRANSIENT ... GAIN
          "radio MUSIC holding #17-#21",
          "dialer CALL holding #20-#30",        // the call (same client id)
          "radio MUSIC waiting #21-#26",        // LOSS when the podcast is delayed
          "podcast MUSIC delayed #25-#31",      // DELAY_OK during the call
          "podcast MUSIC holding #31-#46",      // GAIN when the call ends
          "hal-focus/zone0/USAGE_SAFETY SAFETY holding #45-#51",  // hal_abandon_focus
          "podcast MUSIC waiting #46-#49"));  // LOSS_TRANSIENT to the chime
  const FocusInterval& radio = model.zones[0].focus[0];
  EXPECT_EQ(radio.package_name, "com.example.radio");
  EXPECT_EQ(radio.usage, v1::USAGE_MEDIA);
  EXPECT_EQ(radio.start_ns, 30526638824389 - 30526298590627);
  EXPECT_EQ(radio.end_ns, 30528546432594 - 30526298590627);
  EXPECT_EQ(model.zones[0].focus[3].loss, -2);  // LOSS_TRANSIENT
}

TEST_F(TimelineModelRecordedDriveTest, RearZonesHoldTheirMovies) {
  // Rear-left paused by the RSE controller (AbandonFocus); rear-right held
  // until the drive's end released it.
  EXPECT_THAT(Describe(model.zones[1].focus), ElementsAre("rse-left MUSIC holding #5-#28"));
  EXPECT_THAT(Describe(model.zones[2].focus), ElementsAre("rse-right MUSIC holding #7-#54"));
  EXPECT_THAT(model.zones[1].levels, IsEmpty());
  EXPECT_THAT(model.zones[2].markers, IsEmpty());
}

TEST_F(TimelineModelRecordedDriveTest, DuckAndMuteIntervalsPerDevice) {
  EXPECT_THAT(model.zones[0].devices, ElementsAre("bus0_media_out"));
  EXPECT_THAT(Describe(model.zones[0].levels),
              ElementsAre("bus0_media_out ducked #10-#12",  // the navigation prompt
                          "bus0_media_out muted #34-#36"));  // SetGroupMute media
}

TEST_F(TimelineModelRecordedDriveTest, RejectionHardeningAndAuditMarkersWithTheirReasons) {
  EXPECT_THAT(
      Describe(model.zones[0].markers),
      ElementsAre(
          "rejection #23 [maps|com.example.maps] maps (com.example.maps): NAVIGATION request "
          "rejected -- rejected: CALL holder \"dialer\" → NAVIGATION request is REJECT",
          "hardening #39 [|com.example.bgapp] hardening (enforce): com.example.bgapp playback -- "
          "AudioHardening com.example.bgapp uid=10300 zone=0 playback: silenced: background, no "
          "foreground service",
          "rejection #40 [bgapp|com.example.bgapp] bgapp (com.example.bgapp): MUSIC request "
          "rejected -- hardening: background, no foreground service",
          "hardening #41 [|com.example.bgapp] hardening (enforce): com.example.bgapp "
          "requestAudioFocus -- AudioHardening com.example.bgapp uid=10300 zone=0 "
          "requestAudioFocus: REQUEST_FAILED: background, no foreground service",
          "audit #43 [|com.example.podcast] audit: com.example.podcast changed-volume-itself -- "
          "called setStreamVolume on its own"));
  EXPECT_EQ(model.zones[0].markers[0].time_ns, 30529958250028 - 30526298590627);
}

TEST(TimelineModelTest, AppNamesSayEachPartOnce) {
  EXPECT_EQ(AppName("radio", "com.example.radio"), "radio (com.example.radio)");
  EXPECT_EQ(AppName("com.example.radio", "com.example.radio"), "com.example.radio");
  EXPECT_EQ(AppName("radio", ""), "radio");
  EXPECT_EQ(AppName("hal-focus/zone0/USAGE_SAFETY", ""), "vehicle (HAL)");
}

TEST(TimelineModelTest, EmptyLogIsAnError) {
  absl::StatusOr<TimelineModel> model = BuildTimelineModel({}, DefaultCar());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(model.status().message()), HasSubstr("no events"));
}

TEST(TimelineModelTest, WithoutStateTheCarNamesTheZonesAndUnknownEntriesAppear) {
  // Recorded without --with-state, after "radio" already held focus: its
  // first callback introduces it.
  absl::StatusOr<TimelineModel> model = ModelOfLog(
      R"({"sequence":"7","timestampNs":"1000","subscribed":{}}
{"sequence":"8","timestampNs":"2000","focusCallback":{"clientId":"radio","usage":"USAGE_MEDIA","change":"FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK"}}
{"sequence":"9","timestampNs":"5000","focusCallback":{"clientId":"radio","usage":"USAGE_MEDIA","change":"FOCUS_CHANGE_GAIN"}}
{"sequence":"10","timestampNs":"9000","focusCallback":{"zoneId":7,"clientId":"x","usage":"USAGE_ALARM","change":"FOCUS_CHANGE_GAIN"}}
)");
  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_EQ(model->zones.size(), 4u);  // the default car's three, then zone 7
  EXPECT_EQ(model->zones[0].name, "driver/front");
  EXPECT_EQ(model->zones[3].zone_id, 7);
  EXPECT_EQ(model->zones[3].name, "");
  EXPECT_THAT(Describe(model->zones[0].focus),
              ElementsAre("radio MUSIC waiting #8-#9", "radio MUSIC holding #9-#0"));
  EXPECT_EQ(model->zones[0].focus[0].loss, -3);
  EXPECT_EQ(model->zones[0].focus[1].end_ns, 8000);
  EXPECT_THAT(Describe(model->zones[3].focus), ElementsAre("x ALARM holding #10-#0"));
}

TEST(TimelineModelTest, RecordedStateIsWhereTheLogStarts) {
  absl::StatusOr<TimelineModel> model = ModelOfLog(
      R"({"sequence":"20","timestampNs":"1000","subscribed":{"state":{"sequence":"20","zones":[{"name":"front","holders":[{"request":{"clientId":"nav","packageName":"com.nav","usage":"USAGE_ASSISTANCE_NAVIGATION_GUIDANCE","gain":"FOCUS_GAIN_TRANSIENT_MAY_DUCK"},"context":"CONTEXT_NAVIGATION"}],"losers":[{"request":{"clientId":"radio","usage":"USAGE_MEDIA","gain":"FOCUS_GAIN"},"context":"CONTEXT_MUSIC","ducked":true}],"duckedDeviceAddresses":["bus0_media_out"],"mutedDeviceAddresses":["bus1_navigation_out"]}]}}}
{"sequence":"21","timestampNs":"3000","focusAbandon":{"request":{"clientId":"nav"}}}
{"sequence":"22","timestampNs":"3100","focusCallback":{"clientId":"radio","usage":"USAGE_MEDIA","change":"FOCUS_CHANGE_GAIN"}}
{"sequence":"23","timestampNs":"3200","duckingChange":{"deviceAddressesToUnduck":["bus0_media_out"]}}
{"sequence":"24","timestampNs":"3300","mutingChange":{"deviceAddressesToUnmute":["bus1_navigation_out"]}}
)");
  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_EQ(model->zones.size(), 1u);  // the recorded state's zones only
  EXPECT_EQ(model->zones[0].name, "front");
  EXPECT_THAT(Describe(model->zones[0].focus),
              ElementsAre("nav NAVIGATION holding #0-#21", "radio MUSIC waiting #0-#22",
                          "radio MUSIC holding #22-#0"));
  EXPECT_EQ(model->zones[0].focus[1].loss, -3);  // a ducked loser
  EXPECT_THAT(model->zones[0].devices, ElementsAre("bus0_media_out", "bus1_navigation_out"));
  EXPECT_THAT(Describe(model->zones[0].levels),
              ElementsAre("bus0_media_out ducked #0-#23", "bus1_navigation_out muted #0-#24"));
}

TEST(TimelineModelTest, MutedWinsOverDuckedAndTheDuckShowsAgainAfterUnmute) {
  absl::StatusOr<TimelineModel> model = ModelOfLog(
      R"({"sequence":"1","timestampNs":"0","duckingChange":{"deviceAddressesToDuck":["bus0_media_out"]}}
{"sequence":"2","timestampNs":"10","mutingChange":{"deviceAddressesToMute":["bus0_media_out"]}}
{"sequence":"3","timestampNs":"20","mutingChange":{"deviceAddressesToUnmute":["bus0_media_out"]}}
{"sequence":"4","timestampNs":"30","duckingChange":{"deviceAddressesToUnduck":["bus0_media_out"]}}
)");
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_THAT(Describe(model->zones[0].levels),
              ElementsAre("bus0_media_out ducked #1-#2", "bus0_media_out muted #2-#3",
                          "bus0_media_out ducked #3-#4"));
}

TEST(TimelineModelTest, ZoneForUidMovesEntriesToTheirNewZone) {
  // uid 10100: "radio" follows the uid map and moves to zone 1 (granted
  // there); "pod" moves and waits as zone 1's delayed request; "fixed"
  // asked for zone 0 explicitly and stays; "rej" is refused in zone 1.
  absl::StatusOr<TimelineModel> model = ModelOfLog(
      R"({"sequence":"1","timestampNs":"0","focusRequest":{"request":{"clientId":"radio","uid":10100,"usage":"USAGE_MEDIA","gain":"FOCUS_GAIN"},"result":{"result":"REQUEST_GRANTED"}}}
{"sequence":"2","timestampNs":"10","focusRequest":{"request":{"clientId":"fixed","uid":10100,"usage":"USAGE_ASSISTANCE_NAVIGATION_GUIDANCE","gain":"FOCUS_GAIN_TRANSIENT_MAY_DUCK","zoneId":0},"result":{"result":"REQUEST_GRANTED"}}}
{"sequence":"3","timestampNs":"20","focusRequest":{"request":{"clientId":"pod","uid":10100,"usage":"USAGE_MEDIA","gain":"FOCUS_GAIN"},"result":{"result":"REQUEST_GRANTED"}}}
{"sequence":"4","timestampNs":"30","focusRequest":{"request":{"clientId":"rej","uid":10100,"usage":"USAGE_ALARM","gain":"FOCUS_GAIN_TRANSIENT"},"result":{"result":"REQUEST_GRANTED"}}}
{"sequence":"5","timestampNs":"100","zoneForUid":{"uid":10100,"zoneId":1}}
{"sequence":"6","timestampNs":"101","focusCallback":{"clientId":"radio","usage":"USAGE_MEDIA","change":"FOCUS_CHANGE_LOSS_TRANSIENT"}}
{"sequence":"7","timestampNs":"102","focusCallback":{"clientId":"pod","usage":"USAGE_MEDIA","change":"FOCUS_CHANGE_LOSS_TRANSIENT"}}
{"sequence":"8","timestampNs":"103","focusCallback":{"clientId":"rej","usage":"USAGE_ALARM","change":"FOCUS_CHANGE_LOSS_TRANSIENT"}}
{"sequence":"9","timestampNs":"104","focusCallback":{"zoneId":1,"clientId":"radio","usage":"USAGE_MEDIA","change":"FOCUS_CHANGE_GAIN"}}
{"sequence":"10","timestampNs":"105","focusCallback":{"zoneId":1,"clientId":"rej","usage":"USAGE_ALARM","change":"FOCUS_CHANGE_LOSS"}}
{"sequence":"11","timestampNs":"106","duckingChange":{"zoneId":1}}
{"sequence":"12","timestampNs":"200","restrictFocus":{}}
)");
  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_EQ(model->zones.size(), 3u);
  EXPECT_THAT(Describe(model->zones[0].focus),
              ElementsAre("radio MUSIC holding #1-#6", "fixed NAVIGATION holding #2-#0",
                          "pod MUSIC holding #3-#7", "rej ALARM holding #4-#8"));
  EXPECT_THAT(Describe(model->zones[1].focus),
              ElementsAre("pod MUSIC delayed #7-#0", "radio MUSIC holding #9-#0"));
}

TEST(TimelineModelTest, HalEntriesFollowTheirReportsAndEndWithTheListener) {
  absl::StatusOr<TimelineModel> model = ModelOfLog(
      R"({"sequence":"1","timestampNs":"0","halRequestFocus":{"call":{"usage":"USAGE_SAFETY","zoneId":1,"focusGain":"FOCUS_GAIN_TRANSIENT"},"result":{"result":"REQUEST_GRANTED","zoneId":1}}}
{"sequence":"2","timestampNs":"5","halRequestFocus":{"call":{"usage":"USAGE_ANNOUNCEMENT","focusGain":"FOCUS_GAIN"},"result":{"explanation":{"text":"rejected: restricted"}}}}
{"sequence":"3","timestampNs":"10","halFocusChange":{"usage":"USAGE_SAFETY","zoneId":1,"focusChange":"FOCUS_CHANGE_LOSS_TRANSIENT"}}
{"sequence":"4","timestampNs":"20","halFocusChange":{"usage":"USAGE_SAFETY","zoneId":1,"focusChange":"FOCUS_CHANGE_GAIN"}}
{"sequence":"5","timestampNs":"30","halListener":{}}
{"sequence":"6","timestampNs":"40","halRequestFocus":{"call":{"usage":"USAGE_SAFETY","focusGain":"FOCUS_GAIN"}}}
)");
  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_EQ(model->zones.size(), 3u);
  EXPECT_THAT(Describe(model->zones[1].focus),
              ElementsAre("hal-focus/zone1/USAGE_SAFETY SAFETY holding #1-#3",
                          "hal-focus/zone1/USAGE_SAFETY SAFETY waiting #3-#4",
                          "hal-focus/zone1/USAGE_SAFETY SAFETY holding #4-#5"));
  // An already tracked request (no result) changes nothing.
  EXPECT_THAT(model->zones[0].focus, IsEmpty());
  EXPECT_THAT(Describe(model->zones[0].markers),
              ElementsAre("rejection #2 [hal-focus/zone0/USAGE_ANNOUNCEMENT|] vehicle (HAL): "
                          "ANNOUNCEMENT request rejected -- rejected: restricted"));
}

}  // namespace
}  // namespace caraudio::timeline
