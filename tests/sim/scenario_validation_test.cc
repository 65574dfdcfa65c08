// Every scenario validation rule (tools/audiofocus_sim/scenario_validation.h)
// through the text-format loader: each broken rule gives exactly one
// InvalidArgument line "scenario.textproto:LINE:COLUMN: WHERE: message",
// pointing at the offending field, or at the element that lacks a required
// one.
//
// The texts put one element per line; expected columns are found in the
// line's own text (At), so they are exact without counting by hand.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/sim/scenario_test_util.h"

namespace caraudio::sim {
namespace {

using ::caraudio::sim::testing::Check;

// Lines 1..3: the name and two valid apps in zone 0 (apps[0] com.music,
// apps[1] com.nav). What a test adds starts on line 4.
constexpr absl::string_view kHeader =
    "name: \"t\"\n"
    "apps { package_name: \"com.music\" uid: 10100 usage: USAGE_MEDIA gain: FOCUS_GAIN "
    "frequency_hz: 500 }\n"
    "apps { package_name: \"com.nav\" uid: 10101 usage: USAGE_ASSISTANCE_NAVIGATION_GUIDANCE "
    "gain: FOCUS_GAIN_TRANSIENT_MAY_DUCK frequency_hz: 1500 }\n";
constexpr int kFirstLine = 4;

// A valid third app (apps[2]); tests edit it with Edit().
constexpr absl::string_view kThirdApp =
    "apps { package_name: \"com.third\" uid: 10102 usage: USAGE_MEDIA gain: FOCUS_GAIN "
    "frequency_hz: 700 }";

// Lines that make com.music and com.nav play (timeline[0] and [1]).
constexpr absl::string_view kMusicPlays = "timeline { at_ms: 0 app_play { app: \"com.music\" } }";
constexpr absl::string_view kNavPlays = "timeline { at_ms: 0 app_play { app: \"com.nav\" } }";

std::string Scenario(const std::vector<std::string>& lines) {
  return absl::StrCat(kHeader, absl::StrJoin(lines, "\n"), "\n");
}

std::string Edit(absl::string_view text, absl::string_view from, absl::string_view to) {
  std::string edited = absl::StrReplaceAll(text, {{from, to}});
  EXPECT_NE(edited, text) << "\"" << from << "\" is not in " << text;
  return edited;
}

// The error line for `message` at line `line`, at the column where `token`
// starts in `line_text` (the text of that line).
std::string At(int line, absl::string_view line_text, absl::string_view token,
               absl::string_view message) {
  const size_t column = line_text.find(token);
  EXPECT_NE(column, absl::string_view::npos) << "\"" << token << "\" is not in " << line_text;
  return absl::StrCat("scenario.textproto:", line, ":", column + 1, ": ", message);
}

// ---- Scenario ----

TEST(ScenarioRulesTest, TheHeaderAloneIsValid) { EXPECT_EQ(Check(Scenario({})), "OK"); }

TEST(ScenarioRulesTest, NameIsRequired) {
  const std::string text = Edit(Scenario({}), "name: \"t\"", "name: \"\"");
  EXPECT_EQ(Check(text), "scenario.textproto:1:1: name is required");
  // Left out altogether: no place to point at.
  EXPECT_EQ(Check(Edit(Scenario({}), "name: \"t\"", "")), "scenario.textproto: name is required");
}

TEST(ScenarioRulesTest, ZoneMustBeInTheCar) {
  const std::string line = "zone: 7";
  EXPECT_EQ(Check(Scenario({line})),
            At(4, line, "zone", "zone 7 is not a zone of the car (zones: 0, 1, 2)"));
}

TEST(ScenarioRulesTest, ZoneOfTheCarIsTheDefaultForAppsAndSteps) {
  EXPECT_EQ(
      Check(Scenario({"zone: 2", std::string(kMusicPlays),
                      "timeline { at_ms: 5 set_group_volume { group: \"alerts\" index: 3 } }"})),
      "OK");
  // The unknown default zone is reported once, at the scenario.
  const std::string line = "zone: 5";
  EXPECT_EQ(
      Check(Scenario({line, "timeline { at_ms: 5 set_hardening { mode: HARDENING_MODE_WARN } }"})),
      At(4, line, "zone", "zone 5 is not a zone of the car (zones: 0, 1, 2)"));
}

TEST(ScenarioRulesTest, AtLeastOneApp) {
  EXPECT_EQ(Check("name: \"empty\"\n"),
            "scenario.textproto: no apps declared (a scenario needs at least one app)");
}

// ---- Apps ----

TEST(AppRulesTest, AThirdValidAppIsValid) {
  EXPECT_EQ(Check(Scenario({std::string(kThirdApp)})), "OK");
}

TEST(AppRulesTest, PackageName) {
  std::string line = Edit(kThirdApp, "package_name: \"com.third\" ", "");
  EXPECT_EQ(Check(Scenario({line})), At(4, line, "apps", "apps[2]: package_name is required"));

  line = Edit(kThirdApp, "\"com.third\"", "\"com third\"");
  EXPECT_EQ(Check(Scenario({line})),
            At(4, line, "package_name",
               "apps[2]: package_name \"com third\" contains whitespace or a control character"));

  line = Edit(kThirdApp, "\"com.third\"", "\"com.music\"");
  EXPECT_EQ(Check(Scenario({line})),
            At(4, line, "package_name",
               "apps[2]: package_name \"com.music\" is already declared by apps[0]"));
}

TEST(AppRulesTest, Uid) {
  std::string line = Edit(kThirdApp, "uid: 10102 ", "");
  EXPECT_EQ(Check(Scenario({line})),
            At(4, line, "apps", "apps[2]: uid is required (a positive Android uid, e.g. 10100)"));

  line = Edit(kThirdApp, "uid: 10102", "uid: -4");
  EXPECT_EQ(Check(Scenario({line})), At(4, line, "uid", "apps[2]: uid -4 is not positive"));

  line = Edit(kThirdApp, "uid: 10102", "uid: 10101");
  EXPECT_EQ(Check(Scenario({line})),
            At(4, line, "uid", "apps[2]: uid 10101 is already used by apps[1] (\"com.nav\")"));
}

TEST(AppRulesTest, ZoneMustBeInTheCar) {
  std::string line = Edit(kThirdApp, "uid: 10102", "uid: 10102 zone: 3");
  EXPECT_EQ(Check(Scenario({line})),
            At(4, line, "zone", "apps[2]: zone 3 is not a zone of the car (zones: 0, 1, 2)"));
  EXPECT_EQ(Check(Scenario({Edit(kThirdApp, "uid: 10102", "uid: 10102 zone: 1")})), "OK");
}

TEST(AppRulesTest, Usage) {
  std::string line = Edit(kThirdApp, "usage: USAGE_MEDIA ", "");
  EXPECT_EQ(Check(Scenario({line})), At(4, line, "apps", "apps[2]: usage is required"));

  // USAGE_UNKNOWN (0) is a real usage (plays as MUSIC), not a missing one.
  EXPECT_EQ(Check(Scenario({Edit(kThirdApp, "USAGE_MEDIA", "USAGE_UNKNOWN")})), "OK");

  line = Edit(kThirdApp, "usage: USAGE_MEDIA", "usage: 99");
  EXPECT_EQ(Check(Scenario({line})),
            At(4, line, "usage", "apps[2]: usage 99 is not a listed AudioUsage"));

  line = Edit(kThirdApp, "USAGE_MEDIA", "USAGE_VIRTUAL_SOURCE");
  EXPECT_EQ(Check(Scenario({line})),
            At(4, line, "usage",
               "apps[2]: usage USAGE_VIRTUAL_SOURCE is not routed in zone 0 (\"driver/front\")"));
}

TEST(AppRulesTest, UsageMustBeRoutedInTheAppsOwnZone) {
  CarAudioConfig car = testing::DefaultCar();
  car.zones[1].volume_groups.erase(car.zones[1].volume_groups.begin());  // media, nav, calls
  const std::string line = Edit(kThirdApp, "uid: 10102", "uid: 10102 zone: 1");
  absl::StatusOr<v1::Scenario> scenario =
      ParseScenario(Scenario({line}), ScenarioFormat::kTextFormat, car, "scenario.textproto");
  ASSERT_FALSE(scenario.ok());
  EXPECT_EQ(
      scenario.status().message(),
      At(4, line, "usage", "apps[2]: usage USAGE_MEDIA is not routed in zone 1 (\"rear left\")"));
}

TEST(AppRulesTest, Gain) {
  std::string line = Edit(kThirdApp, "gain: FOCUS_GAIN ", "");
  EXPECT_EQ(Check(Scenario({line})),
            At(4, line, "apps",
               "apps[2]: gain is required (FOCUS_GAIN, FOCUS_GAIN_TRANSIENT, "
               "FOCUS_GAIN_TRANSIENT_MAY_DUCK or FOCUS_GAIN_TRANSIENT_EXCLUSIVE)"));

  line = Edit(kThirdApp, "gain: FOCUS_GAIN", "gain: FOCUS_GAIN_NONE");
  EXPECT_EQ(Check(Scenario({line})),
            At(4, line, "gain",
               "apps[2]: gain is required (FOCUS_GAIN, FOCUS_GAIN_TRANSIENT, "
               "FOCUS_GAIN_TRANSIENT_MAY_DUCK or FOCUS_GAIN_TRANSIENT_EXCLUSIVE)"));

  line = Edit(kThirdApp, "gain: FOCUS_GAIN", "gain: 9");
  EXPECT_EQ(Check(Scenario({line})),
            At(4, line, "gain", "apps[2]: gain 9 is not a listed FocusGain"));
}

TEST(AppRulesTest, FrequencyStrictlyBetween20And20000Hz) {
  std::string line = Edit(kThirdApp, " frequency_hz: 700", "");
  EXPECT_EQ(Check(Scenario({line})),
            At(4, line, "apps",
               "apps[2]: frequency_hz is required (a tone between 20 and 20000 Hz, different for "
               "each app)"));
  for (const char* value : {"20", "20000", "-440", "15.5", "25000", "nan", "inf"}) {
    line = Edit(kThirdApp, "frequency_hz: 700", absl::StrCat("frequency_hz: ", value));
    EXPECT_EQ(Check(Scenario({line})),
              At(4, line, "frequency_hz",
                 absl::StrCat("apps[2]: frequency_hz ", value, " is outside (20, 20000) Hz")))
        << value;
  }
  for (const char* value : {"20.5", "19999.5"}) {
    EXPECT_EQ(Check(Scenario({Edit(kThirdApp, "700", value)})), "OK") << value;
  }
}

TEST(AppRulesTest, EachAppHasItsOwnFrequency) {
  const std::string line = Edit(kThirdApp, "frequency_hz: 700", "frequency_hz: 1500");
  EXPECT_EQ(Check(Scenario({line})),
            At(4, line, "frequency_hz",
               "apps[2]: frequency_hz 1500 is already the tone of apps[1] (\"com.nav\"); each app "
               "needs its own"));
}

TEST(AppRulesTest, Behaviour) {
  std::string line = Edit(kThirdApp, "frequency_hz: 700", "frequency_hz: 700 behaviour: 42");
  EXPECT_EQ(Check(Scenario({line})),
            At(4, line, "behaviour", "apps[2]: behaviour 42 is not a listed Behaviour"));

  for (const char* behaviour :
       {"BEHAVIOUR_STARTS_FROM_BOOT_COMPLETED", "BEHAVIOUR_BACKGROUND_WITHOUT_FGS"}) {
    line = Edit(kThirdApp, "frequency_hz: 700",
                absl::StrCat("frequency_hz: 700 behaviour: ", behaviour,
                             " initial_lifecycle { visibility: APP_VISIBILITY_VISIBLE }"));
    EXPECT_EQ(Check(Scenario({line})),
              At(4, line, "initial_lifecycle",
                 absl::StrCat("apps[2]: initial_lifecycle must be left out: behaviour ", behaviour,
                              " sets the initial lifecycle itself")));
    EXPECT_EQ(Check(Scenario({Edit(kThirdApp, "frequency_hz: 700",
                                   absl::StrCat("frequency_hz: 700 behaviour: ", behaviour))})),
              "OK");
  }
}

TEST(AppRulesTest, InitialLifecycle) {
  // One element per line, so each problem has its own line.
  const std::vector<std::string> app = {
      "apps {",
      "  package_name: \"com.third\" uid: 10102 usage: USAGE_MEDIA gain: FOCUS_GAIN frequency_hz: "
      "700",
      "  initial_lifecycle {",
      "    visibility: 7",
      "    foreground_services { origin: FGS_START_ORIGIN_BOOT_COMPLETED }",
      "    foreground_services { type: FOREGROUND_SERVICE_TYPE_DATA_SYNC }",
      "    foreground_services { type: 3 origin: 9 }",
      "    foreground_services { type: FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK origin: FGS_START_ORIGIN_WHILE_VISIBLE }",
      "    foreground_services { type: FOREGROUND_SERVICE_TYPE_DATA_SYNC origin: FGS_START_ORIGIN_MEDIA_SESSION_EVENT }",
      "  }",
      "}"};
  const std::string services = "apps[2].initial_lifecycle.foreground_services";
  EXPECT_EQ(
      Check(Scenario(app)),
      absl::StrJoin(
          {At(7, app[3], "visibility",
              "apps[2].initial_lifecycle: visibility 7 is not a listed Visibility"),
           At(8, app[4], "foreground_services", services + "[0]: type is required"),
           At(9, app[5], "foreground_services", services + "[1]: origin is required"),
           At(10, app[6], "type", services + "[2]: type 3 is not a listed FgsType"),
           At(10, app[6], "origin", services + "[2]: origin 9 is not a listed FgsStartOrigin"),
           At(11, app[7], "origin",
              services + "[3]: origin FGS_START_ORIGIN_WHILE_VISIBLE needs the app visible or in "
                         "picture-in-picture, but it is in the background here"),
           At(12, app[8], "type",
              services + "[4]: a second FOREGROUND_SERVICE_TYPE_DATA_SYNC service (foreground_services[1] has "
                         "that type; one per type)")},
          "\n"));

  EXPECT_EQ(Check(Scenario({"apps { package_name: \"com.third\" uid: 10102 usage: USAGE_MEDIA "
                            "gain: FOCUS_GAIN frequency_hz: 700 initial_lifecycle { visibility: "
                            "APP_VISIBILITY_PICTURE_IN_PICTURE foreground_services { type: "
                            "FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK origin: FGS_START_ORIGIN_WHILE_VISIBLE } }}"})),
            "OK");
}

// ---- Timeline ----

TEST(TimelineRulesTest, AtMsNeverNegativeNeverBackwards) {
  std::vector<std::string> lines = {"timeline { at_ms: -5 app_play { app: \"com.music\" } }"};
  EXPECT_EQ(Check(Scenario(lines)), At(4, lines[0], "at_ms", "timeline[0]: at_ms -5 is negative"));

  lines = {"timeline { at_ms: 100 app_play { app: \"com.music\" } }",
           "timeline { at_ms: 100 app_play { app: \"com.nav\" } }",
           "timeline { at_ms: 99 app_stop { app: \"com.nav\" } }"};
  EXPECT_EQ(Check(Scenario(lines)),
            At(6, lines[2], "at_ms",
               "timeline[2]: at_ms 99 goes back in time (timeline[1] is at 100 ms)"));
}

TEST(TimelineRulesTest, AStepNeedsAnAction) {
  const std::string line = "timeline { at_ms: 20 }";
  EXPECT_EQ(Check(Scenario({line})),
            At(4, line, "timeline",
               "timeline[0]: no action (set one of app_play, app_stop, lifecycle, hal_chime, "
               "set_hardening, set_group_volume, expect_result, expect_focus_change, "
               "expect_audible, expect_finding, expect_no_findings, set_nav_during_call, "
               "stop_car_service, continue_car_service, expect_device_audible)"));
}

TEST(TimelineRulesTest, AppsMustBeDeclared) {
  // The example of the issue, with the step over several lines.
  const std::vector<std::string> lines = {std::string(kMusicPlays),
                                          std::string(kNavPlays),
                                          "timeline { at_ms: 0 app_stop { app: \"com.music\" } }",
                                          "timeline {",
                                          "  at_ms: 30",
                                          "  app_play {",
                                          "    app: \"com.nav.v2\"",
                                          "  }",
                                          "}"};
  EXPECT_EQ(Check(Scenario(lines)),
            At(10, lines[6], "app", "timeline[3]: app \"com.nav.v2\" is not declared in apps"));

  const std::string missing = "timeline { at_ms: 0 app_play { duration_ms: 5 } }";
  EXPECT_EQ(Check(Scenario({missing})), At(4, missing, "app_play", "timeline[0]: app is required"));

  // Every action that names an app checks it.
  for (const char* action :
       {"app_stop { app: \"x\" }", "lifecycle { app: \"x\" visibility: APP_VISIBILITY_VISIBLE }",
        "expect_result { app: \"x\" result: REQUEST_GRANTED }",
        "expect_focus_change { app: \"x\" change: FOCUS_CHANGE_GAIN }",
        "expect_audible { app: \"x\" audible: true }",
        "expect_finding { app: \"x\" kind: FINDING_KIND_PLAYED_WITHOUT_FOCUS }",
        "expect_no_findings { app: \"x\" }"}) {
    const std::string line = absl::StrCat("timeline { at_ms: 0 ", action, " }");
    EXPECT_EQ(Check(Scenario({line})),
              At(4, line, "app:", "timeline[0]: app \"x\" is not declared in apps"));
  }
}

TEST(TimelineRulesTest, AppPlayDurationMustBePositive) {
  for (const char* duration : {"0", "-250"}) {
    const std::string line = absl::StrCat(
        "timeline { at_ms: 0 app_play { app: \"com.music\" duration_ms: ", duration, " } }");
    EXPECT_EQ(Check(Scenario({line})),
              At(4, line, "duration_ms",
                 absl::StrCat("timeline[0]: duration_ms ", duration, " is not positive")));
  }
  EXPECT_EQ(
      Check(Scenario({"timeline { at_ms: 0 app_play { app: \"com.music\" duration_ms: 1 } }"})),
      "OK");
}

TEST(TimelineRulesTest, AppStopNeedsAnEarlierAppPlay) {
  const std::vector<std::string> lines = {"timeline { at_ms: 0 app_stop { app: \"com.music\" } }",
                                          std::string(kMusicPlays)};
  EXPECT_EQ(Check(Scenario(lines)),
            At(4, lines[0], "app:",
               "timeline[0]: app \"com.music\" is not playing (no app_play for it before)"));
  EXPECT_EQ(Check(Scenario({lines[1], lines[0]})), "OK");
}

TEST(TimelineRulesTest, LifecycleChanges) {
  const std::vector<std::string> lines = {
      "timeline { at_ms: 0 lifecycle { app: \"com.nav\" } }",
      "timeline { at_ms: 0 lifecycle { app: \"com.nav\" visibility: 9 } }",
      "timeline { at_ms: 0 lifecycle { app: \"com.nav\" start_fgs { origin: FGS_START_ORIGIN_BACKGROUND } "
      "} }",
      "timeline { at_ms: 0 lifecycle { app: \"com.nav\" start_fgs { type: FOREGROUND_SERVICE_TYPE_OTHER } } }",
      "timeline { at_ms: 0 lifecycle { app: \"com.nav\" start_fgs { type: FOREGROUND_SERVICE_TYPE_OTHER origin: "
      "FGS_START_ORIGIN_WHILE_VISIBLE } } }",
      "timeline { at_ms: 0 lifecycle { app: \"com.nav\" stop_fgs: FOREGROUND_SERVICE_TYPE_DATA_SYNC } }",
      "timeline { at_ms: 0 lifecycle { app: \"com.nav\" stop_fgs: 3 } }",
      "timeline { at_ms: 0 lifecycle { app: \"com.nav\" playback_state: 9 } }"};
  EXPECT_EQ(
      Check(Scenario(lines)),
      absl::StrJoin(
          {At(4, lines[0], "lifecycle",
              "timeline[0]: lifecycle has no change (set one of visibility, start_fgs, stop_fgs, "
              "playback_state)"),
           At(5, lines[1], "visibility", "timeline[1]: visibility 9 is not a listed Visibility"),
           At(6, lines[2], "start_fgs", "timeline[2]: start_fgs: type is required"),
           At(7, lines[3], "start_fgs", "timeline[3]: start_fgs: origin is required"),
           At(8, lines[4], "origin",
              "timeline[4]: start_fgs: origin FGS_START_ORIGIN_WHILE_VISIBLE needs the app visible or in "
              "picture-in-picture, but it is in the background here"),
           At(9, lines[5], "stop_fgs",
              "timeline[5]: stop_fgs: app \"com.nav\" runs no FOREGROUND_SERVICE_TYPE_DATA_SYNC service at this "
              "point"),
           At(10, lines[6], "stop_fgs", "timeline[6]: stop_fgs 3 is not a listed FgsType"),
           At(11, lines[7], "playback_state",
              "timeline[7]: playback_state 9 is not a listed PlaybackState")},
          "\n"));
}

TEST(TimelineRulesTest, LifecycleIsFollowedAlongTheTimeline) {
  // Visible, then a WHILE_VISIBLE start is fine; background again, a second
  // one is not. Stopping works once per start.
  const std::vector<std::string> lines = {
      "timeline { at_ms: 0 lifecycle { app: \"com.nav\" visibility: APP_VISIBILITY_VISIBLE } }",
      "timeline { at_ms: 1 lifecycle { app: \"com.nav\" start_fgs { type: FOREGROUND_SERVICE_TYPE_OTHER origin: "
      "FGS_START_ORIGIN_WHILE_VISIBLE } } }",
      "timeline { at_ms: 2 lifecycle { app: \"com.nav\" visibility: APP_VISIBILITY_BACKGROUND } }",
      "timeline { at_ms: 3 lifecycle { app: \"com.nav\" playback_state: APP_PLAYBACK_STATE_PAUSED } }",
      "timeline { at_ms: 4 lifecycle { app: \"com.nav\" stop_fgs: FOREGROUND_SERVICE_TYPE_OTHER } }",
      "timeline { at_ms: 5 lifecycle { app: \"com.nav\" stop_fgs: FOREGROUND_SERVICE_TYPE_OTHER } }",
      "timeline { at_ms: 6 lifecycle { app: \"com.nav\" start_fgs { type: FOREGROUND_SERVICE_TYPE_DATA_SYNC "
      "origin: FGS_START_ORIGIN_WHILE_VISIBLE } } }"};
  EXPECT_EQ(
      Check(Scenario(lines)),
      absl::StrJoin({At(9, lines[5], "stop_fgs",
                        "timeline[5]: stop_fgs: app \"com.nav\" runs no FOREGROUND_SERVICE_TYPE_OTHER "
                        "service at this point"),
                     At(10, lines[6], "origin",
                        "timeline[6]: start_fgs: origin FGS_START_ORIGIN_WHILE_VISIBLE needs the app "
                        "visible or in picture-in-picture, but it is in the background here")},
                    "\n"));
}

TEST(TimelineRulesTest, LifecycleProfilesStartWithTheirOwnLifecycle) {
  // STARTS_FROM_BOOT_COMPLETED runs a mediaPlayback FGS from the start, so it
  // may stop it; BACKGROUND_WITHOUT_FGS runs none.
  const std::string boot =
      Edit(kThirdApp, "frequency_hz: 700",
           "frequency_hz: 700 behaviour: BEHAVIOUR_STARTS_FROM_BOOT_COMPLETED");
  const std::string stop =
      "timeline { at_ms: 0 lifecycle { app: \"com.third\" stop_fgs: FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK } }";
  EXPECT_EQ(Check(Scenario({boot, stop})), "OK");
  const std::string background =
      Edit(kThirdApp, "frequency_hz: 700",
           "frequency_hz: 700 behaviour: BEHAVIOUR_BACKGROUND_WITHOUT_FGS");
  EXPECT_EQ(
      Check(Scenario({background, stop})),
      At(5, stop, "stop_fgs",
         "timeline[0]: stop_fgs: app \"com.third\" runs no FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK service at "
         "this point"));
}

TEST(TimelineRulesTest, HalChime) {
  const std::vector<std::string> lines = {
      "timeline { at_ms: 0 hal_chime { zone: 4 usage: USAGE_SAFETY } }",
      "timeline { at_ms: 0 hal_chime { duration_ms: 100 } }",
      "timeline { at_ms: 0 hal_chime { zone: 1 usage: USAGE_VIRTUAL_SOURCE } }",
      "timeline { at_ms: 0 hal_chime { usage: USAGE_SAFETY duration_ms: 0 } }",
      "timeline { at_ms: 0 hal_chime { usage: USAGE_SAFETY duration_ms: 600001 } }"};
  EXPECT_EQ(
      Check(Scenario(lines)),
      absl::StrJoin(
          {At(4, lines[0], "zone", "timeline[0]: zone 4 is not a zone of the car (zones: 0, 1, 2)"),
           At(5, lines[1], "hal_chime", "timeline[1]: usage is required"),
           At(6, lines[2], "usage",
              "timeline[2]: usage USAGE_VIRTUAL_SOURCE is not routed in zone 1 (\"rear left\")"),
           At(7, lines[3], "duration_ms", "timeline[3]: duration_ms 0 is outside 1..600000"),
           At(8, lines[4], "duration_ms", "timeline[4]: duration_ms 600001 is outside 1..600000")},
          "\n"));
  EXPECT_EQ(Check(Scenario({"timeline { at_ms: 0 hal_chime { zone: 2 usage: USAGE_EMERGENCY "
                            "duration_ms: 600000 } }"})),
            "OK");
}

TEST(TimelineRulesTest, SetHardening) {
  const std::vector<std::string> lines = {
      "timeline { at_ms: 0 set_hardening { zone: 8 mode: HARDENING_MODE_OFF } }",
      "timeline { at_ms: 0 set_hardening { zone: 1 } }",
      "timeline { at_ms: 0 set_hardening { mode: 9 } }"};
  EXPECT_EQ(
      Check(Scenario(lines)),
      absl::StrJoin(
          {At(4, lines[0], "zone", "timeline[0]: zone 8 is not a zone of the car (zones: 0, 1, 2)"),
           At(5, lines[1], "set_hardening",
              "timeline[1]: mode is required (HARDENING_MODE_OFF, HARDENING_MODE_WARN or "
              "HARDENING_MODE_ENFORCE)"),
           At(6, lines[2], "mode", "timeline[2]: mode 9 is not a listed HardeningMode")},
          "\n"));
  // OFF (0) given explicitly is a mode, not a missing one.
  EXPECT_EQ(Check(Scenario({"timeline { at_ms: 0 set_hardening { mode: HARDENING_MODE_OFF } }"})),
            "OK");
}

TEST(TimelineRulesTest, SetGroupVolume) {
  // Zone 0's media group spans -3200..600 mB in 100 mB steps: index 0..38.
  const std::vector<std::string> lines = {
      "timeline { at_ms: 0 set_group_volume { index: 3 } }",
      "timeline { at_ms: 0 set_group_volume { group: \"bass\" index: 3 } }",
      "timeline { at_ms: 0 set_group_volume { zone: 1 group: \"navigation\" } }",
      "timeline { at_ms: 0 set_group_volume { group: \"media\" index: -1 } }",
      "timeline { at_ms: 0 set_group_volume { group: \"media\" index: 39 } }",
      "timeline { at_ms: 0 set_group_volume { zone: 6 group: \"media\" } }"};
  EXPECT_EQ(
      Check(Scenario(lines)),
      absl::StrJoin(
          {At(4, lines[0], "set_group_volume", "timeline[0]: group is required"),
           At(5, lines[1], "group:",
              "timeline[1]: group \"bass\" is not a volume group of zone 0 (\"driver/front\") "
              "(groups: media, navigation, voice, alerts, safety)"),
           At(6, lines[2], "group:",
              "timeline[2]: group \"navigation\" is not a volume group of zone 1 (\"rear left\") "
              "(groups: media, alerts, safety)"),
           At(7, lines[3], "index",
              "timeline[3]: index -1 is outside 0..38 of volume group \"media\" in zone 0 "
              "(\"driver/front\")"),
           At(8, lines[4], "index",
              "timeline[4]: index 39 is outside 0..38 of volume group \"media\" in zone 0 "
              "(\"driver/front\")"),
           At(9, lines[5], "zone",
              "timeline[5]: zone 6 is not a zone of the car (zones: 0, 1, 2)")},
          "\n"));
  EXPECT_EQ(Check(Scenario({"timeline { at_ms: 0 set_group_volume { group: \"media\" index: 38 } }",
                            "timeline { at_ms: 0 set_group_volume { group: \"media\" } }"})),
            "OK");
}

TEST(ExpectationRulesTest, ValuesAreRequiredAndListed) {
  const std::vector<std::string> lines = {
      std::string(kMusicPlays),
      "timeline { at_ms: 9 expect_result { app: \"com.music\" } }",
      "timeline { at_ms: 9 expect_result { app: \"com.music\" result: 5 } }",
      "timeline { at_ms: 9 expect_focus_change { app: \"com.music\" } }",
      "timeline { at_ms: 9 expect_focus_change { app: \"com.music\" change: 7 } }",
      "timeline { at_ms: 9 expect_focus_change { app: \"com.music\" change: "
      "FOCUS_CHANGE_GAIN_TRANSIENT } }",
      "timeline { at_ms: 9 expect_audible { app: \"com.music\" } }",
      "timeline { at_ms: 9 expect_finding { app: \"com.music\" } }",
      "timeline { at_ms: 9 expect_finding { app: \"com.music\" kind: 99 } }"};
  const std::string app_changes =
      "FOCUS_CHANGE_GAIN, FOCUS_CHANGE_LOSS, FOCUS_CHANGE_LOSS_TRANSIENT or "
      "FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK";
  EXPECT_EQ(
      Check(Scenario(lines)),
      absl::StrJoin(
          {At(5, lines[1], "expect_result",
              "timeline[1]: result is required (REQUEST_GRANTED, REQUEST_FAILED or "
              "REQUEST_DELAYED)"),
           At(6, lines[2], "result:", "timeline[2]: result 5 is not a listed RequestResult"),
           At(7, lines[3], "expect_focus_change",
              absl::StrCat("timeline[3]: change is required (", app_changes, ")")),
           At(8, lines[4], "change:", "timeline[4]: change 7 is not a listed FocusChange"),
           At(9, lines[5], "change:",
              absl::StrCat(
                  "timeline[5]: change FOCUS_CHANGE_GAIN_TRANSIENT is never sent to apps (",
                  app_changes, ")")),
           At(10, lines[6], "expect_audible", "timeline[6]: audible is required (true or false)"),
           At(11, lines[7], "expect_finding",
              "timeline[7]: kind is required (a FindingKind other than FINDING_KIND_UNSPECIFIED)"),
           At(12, lines[8], "kind", "timeline[8]: kind 99 is not a listed FindingKind")},
          "\n"));

  // REQUEST_FAILED (0) given explicitly is a result, not a missing one;
  // audible: false likewise.
  EXPECT_EQ(
      Check(Scenario({std::string(kMusicPlays),
                      "timeline { at_ms: 9 expect_result { app: \"com.music\" result: "
                      "REQUEST_FAILED } }",
                      "timeline { at_ms: 9 expect_audible { app: \"com.music\" audible: false } }",
                      "timeline { at_ms: 9 expect_focus_change { app: \"com.music\" change: "
                      "FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK } }"})),
      "OK");
}

TEST(ExpectationRulesTest, TheAppMustPlay) {
  // com.nav never plays: nothing can be expected of it.
  for (const char* expect :
       {"expect_result { app: \"com.nav\" result: REQUEST_GRANTED }",
        "expect_focus_change { app: \"com.nav\" change: FOCUS_CHANGE_GAIN }",
        "expect_audible { app: \"com.nav\" audible: false }",
        "expect_finding { app: \"com.nav\" kind: FINDING_KIND_AUDIBLE_AFTER_LOSS }",
        "expect_no_findings { app: \"com.nav\" }"}) {
    const std::string line = absl::StrCat("timeline { at_ms: 50 ", expect, " }");
    EXPECT_EQ(
        Check(Scenario({std::string(kMusicPlays), line})),
        At(5, line, "app:", "timeline[1]: app \"com.nav\" never plays (no app_play step for it)"));
  }
}

TEST(ExpectationRulesTest, ResultsChangesFindingsAndAudibleNeedAnEarlierPlay) {
  const std::string play = "timeline { at_ms: 100 app_play { app: \"com.nav\" } }";
  for (const char* expect :
       {"expect_result { app: \"com.nav\" result: REQUEST_GRANTED }",
        "expect_focus_change { app: \"com.nav\" change: FOCUS_CHANGE_GAIN }",
        "expect_audible { app: \"com.nav\" audible: true }",
        "expect_finding { app: \"com.nav\" kind: FINDING_KIND_HELD_FOCUS_WHILE_SILENT }"}) {
    const std::string line = absl::StrCat("timeline { at_ms: 100 ", expect, " }");
    EXPECT_EQ(Check(Scenario({line, play})),
              At(4, line, "app:",
                 "timeline[0]: app \"com.nav\" first plays at timeline[1] (100 ms), after this "
                 "expectation"));
    // Same time, after the play in file order: fine.
    EXPECT_EQ(Check(Scenario({play, line})), "OK");
  }
  // Silence and the absence of findings may be checked before the app plays.
  EXPECT_EQ(
      Check(Scenario({"timeline { at_ms: 0 expect_audible { app: \"com.nav\" audible: false } }",
                      "timeline { at_ms: 0 expect_no_findings { app: \"com.nav\" } }", play})),
      "OK");
}

TEST(ExpectationRulesTest, AnAppThatPlaysWithoutFocusGetsNoResultsOrFocusChanges) {
  const std::string app = Edit(kThirdApp, "frequency_hz: 700",
                               "frequency_hz: 700 behaviour: BEHAVIOUR_PLAYS_WITHOUT_FOCUS");
  const std::vector<std::string> lines = {
      app, "timeline { at_ms: 0 app_play { app: \"com.third\" } }",
      "timeline { at_ms: 9 expect_result { app: \"com.third\" result: REQUEST_GRANTED } }",
      "timeline { at_ms: 9 expect_focus_change { app: \"com.third\" change: FOCUS_CHANGE_LOSS } }",
      "timeline { at_ms: 9 expect_finding { app: \"com.third\" kind: "
      "FINDING_KIND_PLAYED_WITHOUT_FOCUS } }"};
  const std::string message =
      "app \"com.third\" never requests focus (behaviour BEHAVIOUR_PLAYS_WITHOUT_FOCUS)";
  EXPECT_EQ(Check(Scenario(lines)),
            absl::StrJoin({At(6, lines[2], "app:", absl::StrCat("timeline[1]: ", message)),
                           At(7, lines[3], "app:", absl::StrCat("timeline[2]: ", message))},
                          "\n"));
}

TEST(TimelineRulesTest, SetNavigationDuringCall) {
  const std::vector<std::string> lines = {
      "timeline { at_ms: 0 set_nav_during_call { zone: 5 rejected: true } }",
      "timeline { at_ms: 0 set_nav_during_call { zone: 1 } }"};
  EXPECT_EQ(
      Check(Scenario(lines)),
      absl::StrJoin(
          {At(4, lines[0], "zone", "timeline[0]: zone 5 is not a zone of the car (zones: 0, 1, 2)"),
           At(5, lines[1], "set_nav_during_call", "timeline[1]: rejected is required (true or false)")},
          "\n"));
  // false (the default value) given explicitly is a setting, not a missing one.
  EXPECT_EQ(Check(Scenario({"timeline { at_ms: 0 set_nav_during_call { rejected: false } }",
                            "timeline { at_ms: 5 set_nav_during_call { zone: 2 rejected: true } }"})),
            "OK");
}

TEST(TimelineRulesTest, StopAndContinueTheCarServiceAlternate) {
  const std::vector<std::string> lines = {
      "timeline { at_ms: 0 continue_car_service {} }",
      "timeline { at_ms: 1 stop_car_service {} }",
      "timeline { at_ms: 2 stop_car_service {} }",
      "timeline { at_ms: 3 continue_car_service {} }",
      "timeline { at_ms: 4 stop_car_service {} }"};
  EXPECT_EQ(
      Check(Scenario(lines)),
      absl::StrJoin(
          {At(4, lines[0], "continue_car_service",
              "timeline[0]: continue_car_service: the car service is not stopped here (no "
              "stop_car_service before)"),
           At(6, lines[2], "stop_car_service",
              "timeline[2]: stop_car_service: the car service is already stopped (by "
              "timeline[1])"),
           At(8, lines[4], "stop_car_service",
              "timeline[4]: stop_car_service is never followed by continue_car_service")},
          "\n"));
  EXPECT_EQ(Check(Scenario({"timeline { at_ms: 0 stop_car_service {} }",
                            "timeline { at_ms: 9 continue_car_service {} }",
                            "timeline { at_ms: 9 stop_car_service {} }",
                            "timeline { at_ms: 9 continue_car_service {} }"})),
            "OK");
}

TEST(TimelineRulesTest, WhileTheCarServiceIsStoppedOnlyHalStepsAndLocalChecksRun) {
  const std::string stop = "timeline { at_ms: 100 stop_car_service {} }";
  // Each of these talks to the car service.
  for (const char* step :
       {"app_play { app: \"com.nav\" }", "app_stop { app: \"com.music\" }",
        "lifecycle { app: \"com.music\" visibility: APP_VISIBILITY_VISIBLE }",
        "set_hardening { mode: HARDENING_MODE_OFF }",
        "set_group_volume { group: \"media\" index: 3 }",
        "set_nav_during_call { rejected: true }",
        "expect_finding { app: \"com.music\" kind: FINDING_KIND_AUDIBLE_AFTER_LOSS }",
        "expect_no_findings { app: \"com.music\" }"}) {
    const std::string line = absl::StrCat("timeline { at_ms: 200 ", step, " }");
    const std::string name(absl::string_view(step).substr(0, absl::string_view(step).find(' ')));
    EXPECT_EQ(Check(Scenario({std::string(kMusicPlays), stop, line,
                              "timeline { at_ms: 300 continue_car_service {} }"})),
              At(6, line, name,
                 absl::StrCat("timeline[2]: ", name,
                              " needs the car service, which timeline[1] stopped "
                              "(continue_car_service first)")));
  }
  // The HAL, the recordings and what the apps already received need none.
  EXPECT_EQ(
      Check(Scenario(
          {std::string(kMusicPlays), stop,
           "timeline { at_ms: 200 hal_chime { usage: USAGE_SAFETY } }",
           "timeline { at_ms: 200 expect_audible { app: \"com.music\" audible: false } }",
           "timeline { at_ms: 200 expect_device_audible { device: \"bus4_safety_out\" "
           "audible: true } }",
           "timeline { at_ms: 200 expect_result { app: \"com.music\" result: REQUEST_GRANTED } }",
           "timeline { at_ms: 200 expect_focus_change { app: \"com.music\" change: "
           "FOCUS_CHANGE_GAIN } }",
           "timeline { at_ms: 300 continue_car_service {} }",
           "timeline { at_ms: 300 app_stop { app: \"com.music\" } }"})),
      "OK");
}

TEST(ExpectationRulesTest, AudibleLevelBounds) {
  const std::vector<std::string> lines = {
      std::string(kMusicPlays),
      "timeline { at_ms: 9 expect_audible { app: \"com.music\" audible: false max_dbfs: -20 } }",
      "timeline { at_ms: 9 expect_audible { app: \"com.music\" audible: true min_dbfs: -120 } }",
      "timeline { at_ms: 9 expect_audible { app: \"com.music\" audible: true max_dbfs: 3 } }",
      "timeline { at_ms: 9 expect_audible { app: \"com.music\" audible: true min_dbfs: -20 "
      "max_dbfs: -20 } }"};
  EXPECT_EQ(
      Check(Scenario(lines)),
      absl::StrJoin(
          {At(5, lines[1], "max_dbfs",
              "timeline[1]: max_dbfs needs audible: true (a silent tone has no level to bound)"),
           At(6, lines[2], "min_dbfs", "timeline[2]: min_dbfs -120 is outside (-120, 0] dBFS"),
           At(7, lines[3], "max_dbfs", "timeline[3]: max_dbfs 3 is outside (-120, 0] dBFS"),
           At(8, lines[4], "max_dbfs", "timeline[4]: max_dbfs -20 is not above min_dbfs -20")},
          "\n"));
  EXPECT_EQ(Check(Scenario({std::string(kMusicPlays),
                            "timeline { at_ms: 9 expect_audible { app: \"com.music\" audible: true "
                            "min_dbfs: -40 max_dbfs: -20 } }",
                            "timeline { at_ms: 9 expect_audible { app: \"com.music\" audible: true "
                            "min_dbfs: -20 } }"})),
            "OK");
}

TEST(ExpectationRulesTest, DeviceAudible) {
  const std::vector<std::string> lines = {
      "timeline { at_ms: 0 expect_device_audible { audible: true } }",
      "timeline { at_ms: 0 expect_device_audible { device: \"bus9_out\" audible: true } }",
      "timeline { at_ms: 0 expect_device_audible { device: \"bus102_safety_out\" } }"};
  EXPECT_EQ(
      Check(Scenario(lines)),
      absl::StrJoin(
          {At(4, lines[0], "expect_device_audible",
              "timeline[0]: device is required (a device address, e.g. bus0_media_out)"),
           At(5, lines[1], "device:", "timeline[1]: device \"bus9_out\" is not a device of the car"),
           At(6, lines[2], "expect_device_audible",
              "timeline[2]: audible is required (true or false)")},
          "\n"));
  // Any zone's device, and no app needs to play there.
  EXPECT_EQ(Check(Scenario({"timeline { at_ms: 0 expect_device_audible { device: "
                            "\"bus202_safety_out\" audible: false } }"})),
            "OK");
}

// ---- Reporting ----

TEST(ProblemReportTest, ProblemsComeInRuleOrderAcrossTheFile) {
  const std::vector<std::string> lines = {
      "timeline { at_ms: 10 app_play { app: \"ghost\" } }", Edit(kThirdApp, "uid: 10102", "uid: 0"),
      "timeline { at_ms: 5 set_hardening { mode: HARDENING_MODE_WARN } }"};
  // Apps first (apps[2] is on line 5), then the timeline in order.
  EXPECT_EQ(
      Check(Scenario(lines)),
      absl::StrJoin(
          {At(5, lines[1], "uid", "apps[2]: uid is required (a positive Android uid, e.g. 10100)"),
           At(4, lines[0], "app:", "timeline[0]: app \"ghost\" is not declared in apps"),
           At(6, lines[2], "at_ms",
              "timeline[1]: at_ms 5 goes back in time (timeline[0] is at 10 ms)")},
          "\n"));
}

TEST(ProblemReportTest, AtMostTwentyProblemsAreListed) {
  std::vector<std::string> lines;
  for (int i = 0; i < 25; ++i) {
    lines.push_back(absl::StrCat("timeline { at_ms: 0 app_play { app: \"ghost", i, "\" } }"));
  }
  const std::string error = Check(Scenario(lines));
  const std::vector<std::string> reported = absl::StrSplit(error, '\n');
  ASSERT_EQ(reported.size(), 21u) << error;
  EXPECT_EQ(reported[0],
            At(4, lines[0], "app:", "timeline[0]: app \"ghost0\" is not declared in apps"));
  EXPECT_EQ(reported[19],
            At(23, lines[19], "app:", "timeline[19]: app \"ghost19\" is not declared in apps"));
  EXPECT_EQ(reported[20], "... and 5 more problems");
}

TEST(ProblemReportTest, ValidateScenarioHasNoLineNumbers) {
  v1::Scenario scenario;
  scenario.set_name("built in code");
  v1::App* app = scenario.add_apps();
  app->set_package_name("com.code");
  app->set_uid(10300);
  app->set_usage(caraudio::v1::USAGE_MEDIA);
  app->set_gain(caraudio::v1::FOCUS_GAIN);
  app->set_frequency_hz(440);
  EXPECT_TRUE(ValidateScenario(scenario, testing::DefaultCar()).ok());

  scenario.add_timeline()->mutable_app_stop()->set_app("com.code");
  const absl::Status status = ValidateScenario(scenario, testing::DefaultCar(), "generated");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "generated: timeline[0]: app \"com.code\" is not playing (no app_play for it before)");
}

}  // namespace
}  // namespace caraudio::sim
