// audioctl's renderings of hand-built caraudio.v1 messages: the dumpsys-style
// state, one line per event, the request / HAL hold stream lines, volume
// groups and JSON.

#include "tools/audioctl_render.h"

#include <gmock/gmock.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace caraudio::audioctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

template <typename Message>
Message FromText(const std::string& text) {
  Message message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message)) << text;
  return message;
}

// A two-zone state with something in every list.
v1::CarAudioState BusyState() {
  return FromText<v1::CarAudioState>(R"pb(
    sequence: 42
    restricted: false
    zones {
      zone_id: 0
      name: "driver/front"
      holders {
        request {
          client_id: "maps"
          package_name: "com.example.maps"
          uid: 10123
          usage: USAGE_ASSISTANCE_NAVIGATION_GUIDANCE
          gain: FOCUS_GAIN_TRANSIENT_MAY_DUCK
        }
        context: CONTEXT_NAVIGATION
      }
      losers {
        request {
          client_id: "radio"
          package_name: "com.example.radio"
          uid: 10050
          usage: USAGE_MEDIA
          gain: FOCUS_GAIN
          delay_ok: true
          receive_ducking_events: true
          content_type: CONTENT_TYPE_MUSIC
        }
        context: CONTEXT_MUSIC
        blocker_client_ids: "maps"
        blocker_client_ids: "dialer"
        ducked: true
      }
      delayed {
        request {
          client_id: "podcast"
          uid: 10060
          usage: USAGE_MEDIA
          gain: FOCUS_GAIN
          delay_ok: true
          zone_id: 0
        }
        context: CONTEXT_MUSIC
      }
      ducked_device_addresses: "bus0_media_out"
      muted_device_addresses: "bus3_call_ring_out"
      hal_requests {
        usage: USAGE_SAFETY
        zone_id: 0
        status: FOCUS_CHANGE_GAIN_TRANSIENT
        client_id: "hal-focus/zone0/USAGE_SAFETY"
      }
      navigation_rejected_during_call: true
    }
    zones { zone_id: 1 name: "rear/left" }
    uid_zones { uid: 10200 zone_id: 1 }
  )pb");
}

// ---- labels ------------------------------------------------------------------

TEST(AudioctlRenderLabelTest, KnownAndUnknownNumbers) {
  EXPECT_EQ(UsageLabel(1), "USAGE_MEDIA");
  EXPECT_EQ(UsageLabel(1001), "USAGE_SAFETY");
  EXPECT_EQ(UsageLabel(1004), "USAGE_1004");
  EXPECT_EQ(ContextLabel(2), "NAVIGATION");
  EXPECT_EQ(ContextLabel(13), "CONTEXT?(13)");
  EXPECT_EQ(GainLabel(3), "GAIN_TRANSIENT_MAY_DUCK");
  EXPECT_EQ(GainLabel(0), "NONE");
  EXPECT_EQ(GainLabel(9), "GAIN?(9)");
  EXPECT_EQ(ChangeLabel(1), "GAIN");
  EXPECT_EQ(ChangeLabel(2), "GAIN_TRANSIENT");
  EXPECT_EQ(ChangeLabel(-3), "LOSS_TRANSIENT_CAN_DUCK");
  EXPECT_EQ(ChangeLabel(0), "NONE");
  EXPECT_EQ(ChangeLabel(-7), "CHANGE?(-7)");
}

TEST(AudioctlRenderLabelTest, Timestamp) {
  EXPECT_EQ(FormatTimestamp(0), "[    0.000000]");
  EXPECT_EQ(FormatTimestamp(1'234'567'891'234), "[ 1234.567891]");
  EXPECT_EQ(FormatTimestamp(123'456'000'000'000), "[123456.000000]");
}

// ---- state -------------------------------------------------------------------

TEST(AudioctlRenderStateTest, DumpHasOneLinePerFact) {
  const std::string dump = RenderState(BusyState());
  EXPECT_THAT(dump, HasSubstr("Car audio focus state (sequence 42, 2 zones)\n"));
  EXPECT_THAT(dump, HasSubstr("Zone 0 \"driver/front\":\n"
                              "  restricted: no\n"
                              "  hardening: off\n"
                              "  navigation during call: reject\n"));
  EXPECT_THAT(dump, HasSubstr("  holders (1):\n"
                              "    client=maps package=com.example.maps uid=10123 "
                              "usage=USAGE_ASSISTANCE_NAVIGATION_GUIDANCE "
                              "gain=GAIN_TRANSIENT_MAY_DUCK context=NAVIGATION\n"));
  EXPECT_THAT(dump, HasSubstr("  losers (1):\n"
                              "    client=radio package=com.example.radio uid=10050 "
                              "usage=USAGE_MEDIA gain=GAIN "
                              "flags=DELAY_OK|RECEIVE_DUCKING_EVENTS content=CONTENT_TYPE_MUSIC "
                              "context=MUSIC blockers=[maps, dialer] ducked=yes\n"));
  EXPECT_THAT(dump, HasSubstr("  delayed: client=podcast uid=10060 usage=USAGE_MEDIA gain=GAIN "
                              "zone=0 flags=DELAY_OK context=MUSIC\n"));
  EXPECT_THAT(dump, HasSubstr("  ducked addresses: bus0_media_out\n"));
  EXPECT_THAT(dump, HasSubstr("  muted addresses: bus3_call_ring_out\n"));
  EXPECT_THAT(dump, HasSubstr("  HAL requests (1):\n"
                              "    usage=USAGE_SAFETY status=GAIN_TRANSIENT "
                              "client=hal-focus/zone0/USAGE_SAFETY\n"));
  EXPECT_THAT(dump, HasSubstr("Uid -> zone (1):\n  uid 10200 -> zone 1\n"));
}

TEST(AudioctlRenderStateTest, EmptyZoneSaysNone) {
  const std::string dump = RenderState(BusyState());
  EXPECT_THAT(dump, HasSubstr("Zone 1 \"rear/left\":\n"
                              "  restricted: no\n"
                              "  hardening: off\n"
                              "  navigation during call: allow\n"
                              "  holders: none\n"
                              "  losers: none\n"
                              "  delayed: none\n"
                              "  ducked addresses: none\n"
                              "  muted addresses: none\n"
                              "  HAL requests: none\n"));
}

TEST(AudioctlRenderStateTest, RestrictedAndNoUidMap) {
  v1::CarAudioState state = FromText<v1::CarAudioState>(R"pb(
    restricted: true
    zones { zone_id: 0 name: "main" }
  )pb");
  const std::string dump = RenderState(state);
  EXPECT_THAT(dump, HasSubstr("Zone 0 \"main\":\n  restricted: yes\n"));
  EXPECT_THAT(dump, HasSubstr("Uid -> zone: none (every uid plays in zone 0)\n"));
  EXPECT_EQ(dump.back(), '\n');
}

TEST(AudioctlRenderStateTest, JsonPrettyPrintsDefaultsAndParsesBack) {
  const v1::CarAudioState state = BusyState();
  const std::string json = ToJson(state, /*pretty=*/true).value();
  EXPECT_THAT(json, HasSubstr("\n"));
  EXPECT_THAT(json, HasSubstr("\"restricted\": false"));
  EXPECT_THAT(json, HasSubstr("\"navigationRejectedDuringCall\": true"));
  v1::CarAudioState parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, state));
}

// ---- request and HAL hold streams ---------------------------------------------

TEST(AudioctlRenderStreamTest, FocusResult) {
  v1::FocusEvent event = FromText<v1::FocusEvent>(R"pb(
    timestamp_ns: 5000000000
    result {
      result: REQUEST_GRANTED
      zone_id: 1
      explanation { text: "granted: NAVIGATION in zone 1; nothing blocked it" }
    }
  )pb");
  EXPECT_EQ(RenderFocusEvent(event),
            "GRANTED in zone 1: granted: NAVIGATION in zone 1; nothing blocked it");
  event.mutable_result()->set_result(v1::REQUEST_FAILED);
  event.mutable_result()->mutable_explanation()->clear_text();
  EXPECT_EQ(RenderFocusEvent(event), "FAILED in zone 1");
}

TEST(AudioctlRenderStreamTest, LaterFocusEventsCarryTheTimestamp) {
  EXPECT_EQ(RenderFocusEvent(FromText<v1::FocusEvent>(R"pb(
              timestamp_ns: 12500000000
              focus_change { change: FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK zone_id: 1 }
            )pb")),
            "[   12.500000] LOSS_TRANSIENT_CAN_DUCK in zone 1");
  EXPECT_EQ(RenderFocusEvent(FromText<v1::FocusEvent>("timestamp_ns: 1000 abandoned {}")),
            "[    0.000001] abandoned");
  EXPECT_THAT(RenderFocusEvent(FromText<v1::FocusEvent>("replaced {}")), HasSubstr("replaced"));
}

TEST(AudioctlRenderStreamTest, HalFocusStatus) {
  EXPECT_EQ(RenderHalFocusStatus(FromText<v1::HalFocusStatus>(
                "timestamp_ns: 2000000000 usage: USAGE_SAFETY zone_id: 0")),
            "[    2.000000] USAGE_SAFETY in zone 0: NONE (no answer yet)");
  EXPECT_EQ(RenderHalFocusStatus(FromText<v1::HalFocusStatus>(
                "usage: USAGE_SAFETY zone_id: 0 focus_change: FOCUS_CHANGE_GAIN_TRANSIENT")),
            "[    0.000000] USAGE_SAFETY in zone 0: GAIN_TRANSIENT");
  EXPECT_EQ(RenderHalFocusStatus(FromText<v1::HalFocusStatus>(
                "usage: USAGE_VEHICLE_STATUS zone_id: 1 focus_change: FOCUS_CHANGE_LOSS")),
            "[    0.000000] USAGE_VEHICLE_STATUS in zone 1: LOSS (hold ended)");
}

// ---- events ------------------------------------------------------------------

struct EventCase {
  const char* text_proto;
  const char* line;
};

class AudioctlRenderEventTest : public ::testing::TestWithParam<EventCase> {};

TEST_P(AudioctlRenderEventTest, OneLine) {
  const v1::Event event = FromText<v1::Event>(GetParam().text_proto);
  const std::string line = RenderEvent(event);
  EXPECT_EQ(line, GetParam().line);
  EXPECT_THAT(line, Not(HasSubstr("\n")));
  // Without the stamp: the same line from the kind on.
  if (event.kind_case() != v1::Event::kSubscribed) {
    const std::string unstamped = RenderEventWithoutStamp(event);
    EXPECT_THAT(line, ::testing::EndsWith(absl::StrCat("] ", unstamped)));
    EXPECT_THAT(unstamped, Not(::testing::StartsWith("#")));
  }
}

INSTANTIATE_TEST_SUITE_P(
    EveryKind, AudioctlRenderEventTest,
    ::testing::Values(
        EventCase{"sequence: 7 subscribed {}", "#7 subscribed"},
        EventCase{"sequence: 7 subscribed { state { sequence: 7 } }",
                  "#7 subscribed (state follows)"},
        EventCase{R"pb(sequence: 8
                       timestamp_ns: 1500000000
                       focus_request {
                         request {
                           client_id: "radio"
                           uid: 10050
                           usage: USAGE_MEDIA
                           gain: FOCUS_GAIN
                           zone_id: 1
                         }
                         result {
                           result: REQUEST_FAILED
                           zone_id: 1
                           explanation {
                             text: "rejected: CALL holder \"dialer\" -> MUSIC request is REJECT"
                           }
                         }
                       })pb",
                  "#8 [    1.500000] focus_request: client=radio uid=10050 usage=USAGE_MEDIA "
                  "gain=GAIN zone=1 -> FAILED in zone 1: rejected: CALL holder \"dialer\" -> "
                  "MUSIC request is REJECT"},
        EventCase{R"pb(sequence: 9
                       focus_abandon {
                         request { client_id: "radio" }
                         reason: ABANDON_REASON_STREAM_CLOSED
                       })pb",
                  "#9 [    0.000000] focus_abandon: client=radio zone=all "
                  "reason=ABANDON_REASON_STREAM_CLOSED"},
        EventCase{R"pb(sequence: 10
                       focus_callback {
                         zone_id: 0
                         client_id: "radio"
                         usage: USAGE_MEDIA
                         change: FOCUS_CHANGE_LOSS_TRANSIENT
                       })pb",
                  "#10 [    0.000000] focus_callback: client=radio zone=0 usage=USAGE_MEDIA "
                  "change=LOSS_TRANSIENT"},
        EventCase{R"pb(sequence: 11
                       ducking_change {
                         zone_id: 0
                         device_addresses_to_duck: "bus0_media_out"
                         usages_holding_focus: "AUDIO_USAGE_ASSISTANCE_NAVIGATION_GUIDANCE"
                         usages_holding_focus: "AUDIO_USAGE_MEDIA"
                       })pb",
                  "#11 [    0.000000] ducking_change: zone=0 duck=[bus0_media_out] unduck=[] "
                  "holding=[AUDIO_USAGE_ASSISTANCE_NAVIGATION_GUIDANCE, AUDIO_USAGE_MEDIA]"},
        EventCase{
            R"pb(sequence: 12
                 muting_change { zone_id: 1 device_addresses_to_unmute: "bus100_rear_out" })pb",
            "#12 [    0.000000] muting_change: zone=1 mute=[] unmute=[bus100_rear_out]"},
        EventCase{R"pb(sequence: 13
                       group_volume {
                         zone_id: 0
                         group: "media"
                         gain_index: 5
                         max_index: 10
                         gain_mb: -600
                         muted: true
                       })pb",
                  "#13 [    0.000000] group_volume: zone=0 group=media index=5 range=0..10 "
                  "gain=-600mB muted=yes"},
        EventCase{R"pb(sequence: 14
                       hal_request_focus {
                         call {
                           usage: USAGE_SAFETY
                           zone_id: 0
                           focus_gain: FOCUS_GAIN_TRANSIENT
                           replay: true
                         }
                         result { result: REQUEST_GRANTED zone_id: 0 }
                       })pb",
                  "#14 [    0.000000] hal_request_focus: usage=USAGE_SAFETY zone=0 "
                  "gain=GAIN_TRANSIENT replay -> GRANTED in zone 0"},
        EventCase{R"pb(sequence: 15
                       hal_request_focus {
                         call { usage: USAGE_SAFETY zone_id: 0 focus_gain: FOCUS_GAIN_TRANSIENT }
                       })pb",
                  "#15 [    0.000000] hal_request_focus: usage=USAGE_SAFETY zone=0 "
                  "gain=GAIN_TRANSIENT -> already tracked"},
        EventCase{"sequence: 16 hal_abandon_focus { usage: USAGE_SAFETY zone_id: 0 }",
                  "#16 [    0.000000] hal_abandon_focus: usage=USAGE_SAFETY zone=0"},
        EventCase{R"pb(sequence: 17
                       hal_focus_change {
                         usage: USAGE_SAFETY
                         zone_id: 0
                         focus_change: FOCUS_CHANGE_GAIN_TRANSIENT
                       })pb",
                  "#17 [    0.000000] hal_focus_change: usage=USAGE_SAFETY zone=0 "
                  "change=GAIN_TRANSIENT"},
        EventCase{"sequence: 18 hal_listener { registered: true registration_id: 3 }",
                  "#18 [    0.000000] hal_listener: registered id=3"},
        EventCase{"sequence: 19 hal_listener {}", "#19 [    0.000000] hal_listener: unregistered"},
        EventCase{"sequence: 20 restrict_focus { restricted: true }",
                  "#20 [    0.000000] restrict_focus: on"},
        EventCase{"sequence: 21 navigation_rejected_during_call { zone_id: 1 rejected: false }",
                  "#21 [    0.000000] navigation_rejected_during_call: zone=1 allow"},
        EventCase{"sequence: 22 zone_for_uid { uid: 10200 zone_id: 2 }",
                  "#22 [    0.000000] zone_for_uid: uid=10200 zone=2"},
        EventCase{"sequence: 23 zone_for_uid_cleared { uid: 10200 }",
                  "#23 [    0.000000] zone_for_uid_cleared: uid=10200"},
        EventCase{R"pb(sequence: 25
                       config_reloaded {
                         path: "/etc/caraudio/car_audio_configuration.xml"
                         config_xml: "<carAudioConfiguration/>"
                         zone_ids: [ 0, 1 ]
                         removed_zone_ids: 2
                       })pb",
                  "#25 [    0.000000] config_reloaded: "
                  "path=/etc/caraudio/car_audio_configuration.xml zones=[0, 1] removed=2 "
                  "added=none"},
        EventCase{"sequence: 24", "#24 [    0.000000] unknown: sequence: 24"}));

TEST(AudioctlRenderEventJsonTest, OneLineThatParsesBack) {
  const v1::Event event = FromText<v1::Event>(R"pb(
    sequence: 8
    timestamp_ns: 123456789
    focus_request {
      request { client_id: "radio" uid: 10123 usage: USAGE_MEDIA gain: FOCUS_GAIN zone_id: 0 }
      result {
        result: REQUEST_FAILED
        explanation { blocking_client_id: "dialer" }
      }
    }
  )pb");
  const std::string json = ToJson(event, /*pretty=*/false).value();
  EXPECT_THAT(json, Not(HasSubstr("\n")));
  EXPECT_THAT(json, HasSubstr("\"focusRequest\""));
  v1::Event parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, event));
  // The explicit zone 0 (proto3 optional) survives the round trip.
  EXPECT_TRUE(parsed.focus_request().request().has_zone_id());
}

// ---- volume ------------------------------------------------------------------

TEST(AudioctlRenderVolumeTest, OneGroupAndTable) {
  const v1::ListVolumeGroupsResponse list = FromText<v1::ListVolumeGroupsResponse>(R"pb(
    groups { zone_id: 0 group: "media" gain_index: 5 max_index: 10 gain_mb: -600 }
    groups { zone_id: 1 group: "navigation" gain_index: 10 max_index: 10 muted: true }
  )pb");
  EXPECT_EQ(RenderGroupVolume(list.groups(0)),
            "zone=0 group=media index=5 range=0..10 gain=-600mB muted=no");
  EXPECT_EQ(RenderVolumeTable(list.groups()),
            "ZONE  GROUP       INDEX  RANGE      GAIN_MB  MUTED\n"
            "0     media           5  0..10         -600  no\n"
            "1     navigation     10  0..10            0  yes\n");
}

TEST(AudioctlRenderAuditTest, OneLinePerFindingAndStream) {
  const auto report = FromText<v1::AuditReport>(R"pb(
    findings {
      timestamp_ns: 12500000000
      kind: FINDING_KIND_AUDIBLE_AFTER_LOSS
      zone_id: 0
      package_name: "com.example.radio"
      uid: 10057
      detail: "audible at -9.0 dBFS for 300 ms after AUDIOFOCUS_LOSS in zone 0"
    }
    streams {
      package_name: "com.example.radio"
      uid: 10057
      node_name: "radio"
      zone_id: 0
      device_address: "bus0_media_out"
      rms_dbfs: -9
      peak_dbfs: -6
      silenced: true
    }
    settings { audible_threshold_dbfs: -60 reaction_ms: 300 idle_focus_ms: 5000 duck_lowering_db: 6 }
    levels_available: true
  )pb");
  EXPECT_EQ(RenderAudit(report),
            "Compliance audit (audible above -60.0 dBFS, reaction 300 ms, idle focus 5000 ms, "
            "lowering 6.0 dB)\n"
            "Findings (1):\n"
            "  12.500 com.example.radio (uid 10057) zone 0 audible-after-loss: audible at -9.0 "
            "dBFS for 300 ms after AUDIOFOCUS_LOSS in zone 0\n"
            "Streams (1):\n"
            "  com.example.radio (uid 10057) radio zone 0 -> bus0_media_out: -9.0 dBFS rms, -6.0 "
            "peak [silenced]\n");
}

TEST(AudioctlRenderAuditTest, WithoutLevelsSaysSo) {
  EXPECT_THAT(RenderAudit(v1::AuditReport()),
              HasSubstr("no stream levels: audio rules not judged\nFindings: none\n"));
}

}  // namespace
}  // namespace caraudio::audioctl
