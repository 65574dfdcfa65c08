// Background-audio hardening (seeds.md §1): off / warn / enforce per zone,
// the three API groups of the seed table, the AudioHardening log lines and
// the bounded record of suppressed calls.

#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/lifecycle/lifecycle_test_util.h"

namespace caraudio {
namespace {

using lifecycle_test::App;
using lifecycle_test::FakeClock;
using lifecycle_test::Ok;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

constexpr absl::string_view kNoFgs = "background, no foreground service";

class AudioHardeningTest : public ::testing::Test {
 protected:
  void MakeVisible(const AppKey& app) {
    Ok(lifecycle_.SetVisibility(app, Visibility::kVisible, clock_.Now()));
  }
  void MakeBackground(const AppKey& app) {
    Ok(lifecycle_.SetVisibility(app, Visibility::kBackground, clock_.Now()));
  }
  HardeningDecision Focus(int32_t zone, const AppKey& app) {
    return Ok(hardening_.CheckFocusRequest(zone, app, clock_.Now()));
  }
  HardeningDecision Silence(int32_t zone, const AppKey& app) {
    return Ok(hardening_.ShouldSilencePlayback(zone, app, clock_.Now()));
  }
  HardeningDecision Volume(int32_t zone, const AppKey& app, VolumeCall call) {
    return Ok(hardening_.CheckVolumeCall(zone, app, call, clock_.Now()));
  }
  std::vector<std::string> LoggedLines() const {
    std::vector<std::string> lines;
    for (const SuppressedCall& call : hardening_.suppressed_calls()) lines.push_back(call.log_line);
    return lines;
  }

  lifecycle_test::FakeClock clock_;
  AppLifecycle lifecycle_;
  AudioHardening hardening_{&lifecycle_};
};

TEST_F(AudioHardeningTest, DefaultModeIsEnforceInEveryZone) {
  EXPECT_EQ(kDefaultHardeningMode, HardeningMode::kEnforce);
  EXPECT_EQ(hardening_.default_mode(), HardeningMode::kEnforce);
  EXPECT_EQ(hardening_.mode(0), HardeningMode::kEnforce);
  EXPECT_EQ(hardening_.mode(7), HardeningMode::kEnforce);
  EXPECT_TRUE(hardening_.zone_modes().empty());
  EXPECT_EQ(hardening_.log_capacity(), AudioHardening::kDefaultLogCapacity);
}

TEST_F(AudioHardeningTest, ZoneModesAreIndependent) {
  ASSERT_TRUE(hardening_.SetMode(1, HardeningMode::kWarn).ok());
  ASSERT_TRUE(hardening_.SetMode(2, HardeningMode::kOff).ok());
  EXPECT_EQ(hardening_.mode(0), HardeningMode::kEnforce);
  EXPECT_EQ(hardening_.mode(1), HardeningMode::kWarn);
  EXPECT_EQ(hardening_.mode(2), HardeningMode::kOff);
  const AppKey app = App();
  EXPECT_EQ(Focus(0, app).action, HardeningAction::kDeny);
  EXPECT_EQ(Focus(1, app).action, HardeningAction::kAllowButLog);
  EXPECT_EQ(Focus(2, app).action, HardeningAction::kAllow);
}

TEST_F(AudioHardeningTest, DefaultModeAppliesToZonesNeverSet) {
  ASSERT_TRUE(hardening_.SetMode(1, HardeningMode::kEnforce).ok());
  ASSERT_TRUE(hardening_.SetDefaultMode(HardeningMode::kWarn).ok());
  EXPECT_EQ(hardening_.mode(0), HardeningMode::kWarn);
  EXPECT_EQ(hardening_.mode(1), HardeningMode::kEnforce);
  EXPECT_EQ(hardening_.default_mode(), HardeningMode::kWarn);
}

TEST_F(AudioHardeningTest, ModeIsSwitchableAtRunTime) {
  const AppKey app = App();
  EXPECT_FALSE(Focus(0, app).allowed());
  ASSERT_TRUE(hardening_.SetMode(0, HardeningMode::kOff).ok());
  EXPECT_TRUE(Focus(0, app).allowed());
  ASSERT_TRUE(hardening_.SetMode(0, HardeningMode::kEnforce).ok());
  EXPECT_FALSE(Focus(0, app).allowed());
}

TEST_F(AudioHardeningTest, BadModeSettingsAreRefused) {
  EXPECT_EQ(hardening_.SetMode(-1, HardeningMode::kOff).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(hardening_.SetMode(0, static_cast<HardeningMode>(3)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(hardening_.SetDefaultMode(static_cast<HardeningMode>(-1)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(hardening_.zone_modes().empty());
  EXPECT_EQ(hardening_.default_mode(), HardeningMode::kEnforce);
}

TEST_F(AudioHardeningTest, OutOfRangeDefaultModeMeansEnforce) {
  AudioHardening hardening(&lifecycle_, static_cast<HardeningMode>(9));
  EXPECT_EQ(hardening.default_mode(), HardeningMode::kEnforce);
}

// --- The decision table: mode x lifecycle x API group ----------------------

struct GroupCase {
  AudioApiGroup group;
  const char* api;       // as the log line names it
  const char* enforced;  // seeds.md §1 outcome
  const char* warned;
};
constexpr GroupCase kGroups[] = {
    {AudioApiGroup::kFocusRequest, "requestAudioFocus", "REQUEST_FAILED",
     "would fail with REQUEST_FAILED (warn only)"},
    {AudioApiGroup::kPlayback, "playback", "silenced", "would be silenced (warn only)"},
    {AudioApiGroup::kVolume, "setStreamVolume", "ignored", "would be ignored (warn only)"},
};

void PrintTo(const GroupCase& group, std::ostream* os) { *os << group.api; }

class HardeningDecisionTableTest
    : public AudioHardeningTest,
      public ::testing::WithParamInterface<std::tuple<HardeningMode, bool, GroupCase>> {
 protected:
  HardeningDecision Ask(const GroupCase& group, int32_t zone, const AppKey& app) {
    switch (group.group) {
      case AudioApiGroup::kFocusRequest:
        return Focus(zone, app);
      case AudioApiGroup::kPlayback:
        return Silence(zone, app);
      case AudioApiGroup::kVolume:
        return Volume(zone, app, VolumeCall::kSetStreamVolume);
    }
    return {};
  }
};

TEST_P(HardeningDecisionTableTest, Cell) {
  const auto& [mode, valid, group] = GetParam();
  const int32_t zone = 1;
  ASSERT_TRUE(hardening_.SetMode(zone, mode).ok());
  const AppKey app = App();
  if (valid) MakeVisible(app); else MakeBackground(app);

  const HardeningDecision decision = Ask(group, zone, app);

  HardeningAction expected = HardeningAction::kAllow;
  if (!valid && mode == HardeningMode::kWarn) expected = HardeningAction::kAllowButLog;
  if (!valid && mode == HardeningMode::kEnforce) expected = HardeningAction::kDeny;
  EXPECT_EQ(decision.action, expected);
  EXPECT_EQ(decision.allowed(), expected != HardeningAction::kDeny);
  EXPECT_EQ(decision.mode, mode);
  EXPECT_EQ(decision.verdict.valid, valid);
  EXPECT_EQ(decision.verdict.reason, valid ? "visible activity" : std::string(kNoFgs));

  std::string line;
  if (expected != HardeningAction::kAllow) {
    line = absl::StrCat("AudioHardening com.example.radio uid=10057 zone=1 ", group.api, ": ",
                        expected == HardeningAction::kDeny ? group.enforced : group.warned, ": ",
                        kNoFgs);
  }
  EXPECT_EQ(decision.log_line, line);
  const bool failed_focus =
      expected == HardeningAction::kDeny && group.group == AudioApiGroup::kFocusRequest;
  EXPECT_EQ(decision.focus_explanation,
            failed_focus ? absl::StrCat("hardening: ", kNoFgs) : std::string());

  if (expected == HardeningAction::kAllow) {
    EXPECT_THAT(hardening_.suppressed_calls(), IsEmpty());
    EXPECT_EQ(hardening_.suppressed_total(), 0u);
  } else {
    ASSERT_EQ(hardening_.suppressed_calls().size(), 1u);
    const SuppressedCall& call = hardening_.suppressed_calls().front();
    EXPECT_EQ(call.at, clock_.Now());
    EXPECT_EQ(call.zone_id, zone);
    EXPECT_EQ(call.app, app);
    EXPECT_EQ(call.group, group.group);
    EXPECT_EQ(call.api, group.api);
    EXPECT_EQ(call.mode, mode);
    EXPECT_EQ(call.action, expected);
    EXPECT_EQ(call.log_line, line);
    EXPECT_EQ(hardening_.suppressed_total(), 1u);
  }
}

std::string TableCellName(
    const ::testing::TestParamInfo<HardeningDecisionTableTest::ParamType>& info) {
  const auto& [mode, valid, group] = info.param;
  std::string name = absl::StrCat(HardeningModeName(mode), "_", valid ? "valid" : "invalid", "_",
                                  AudioApiGroupName(group.group));
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(
    AllCells, HardeningDecisionTableTest,
    ::testing::Combine(::testing::Values(HardeningMode::kOff, HardeningMode::kWarn,
                                         HardeningMode::kEnforce),
                       ::testing::Bool(), ::testing::ValuesIn(kGroups)),
    TableCellName);

// --- Focus -------------------------------------------------------------------

TEST_F(AudioHardeningTest, EnforcedFocusFailureCarriesTheLifecycleReason) {
  const AppKey app = App("com.example.podcast", 10099);
  Ok(lifecycle_.StartForegroundService(app, FgsType::kMediaPlayback, FgsStartOrigin::kBootCompleted,
                                       clock_.Now()));
  const HardeningDecision decision = Focus(0, app);
  EXPECT_EQ(decision.action, HardeningAction::kDeny);
  EXPECT_EQ(decision.focus_explanation,
            "hardening: mediaPlayback FGS started from BOOT_COMPLETED has no while-in-use "
            "capability");
  EXPECT_EQ(decision.log_line,
            "AudioHardening com.example.podcast uid=10099 zone=0 requestAudioFocus: "
            "REQUEST_FAILED: mediaPlayback FGS started from BOOT_COMPLETED has no while-in-use "
            "capability");
}

TEST_F(AudioHardeningTest, UnreportedAppIsRefusedUnderEnforce) {
  const HardeningDecision decision = Focus(0, App("com.example.unknown"));
  EXPECT_EQ(decision.action, HardeningAction::kDeny);
  EXPECT_EQ(decision.focus_explanation,
            "hardening: background, no foreground service (no lifecycle reported)");
}

TEST_F(AudioHardeningTest, EveryFocusRequestIsLogged) {
  const AppKey app = App();
  Focus(0, app);
  clock_.Advance(absl::Seconds(1));
  Focus(0, app);
  EXPECT_EQ(hardening_.suppressed_total(), 2u);
  ASSERT_EQ(hardening_.suppressed_calls().size(), 2u);
  EXPECT_EQ(hardening_.suppressed_calls()[1].at - hardening_.suppressed_calls()[0].at,
            absl::Seconds(1));
}

TEST_F(AudioHardeningTest, ValidAppsAreNeverLogged) {
  const AppKey app = App();
  Ok(lifecycle_.StartForegroundService(app, FgsType::kMediaPlayback,
                                       FgsStartOrigin::kUserInteraction, clock_.Now()));
  Ok(lifecycle_.SetPlaybackState(app, PlaybackState::kPlaying, clock_.Now()));
  EXPECT_EQ(Focus(0, app).action, HardeningAction::kAllow);
  EXPECT_EQ(Silence(0, app).action, HardeningAction::kAllow);
  EXPECT_EQ(Volume(0, app, VolumeCall::kSetStreamMute).action, HardeningAction::kAllow);
  EXPECT_EQ(hardening_.suppressed_total(), 0u);
}

// --- Playback -----------------------------------------------------------------

TEST_F(AudioHardeningTest, SilencedPlaybackIsLoggedOncePerEpisode) {
  const AppKey app = App();
  MakeBackground(app);
  EXPECT_EQ(Silence(0, app).action, HardeningAction::kDeny);
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(Silence(0, app).action, HardeningAction::kDeny);
  EXPECT_EQ(Silence(0, app).action, HardeningAction::kDeny);
  EXPECT_EQ(hardening_.suppressed_total(), 1u);

  // Valid again: un-silenced, and the next suppression is a new episode.
  MakeVisible(app);
  EXPECT_EQ(Silence(0, app).action, HardeningAction::kAllow);
  clock_.Advance(absl::Seconds(1));
  MakeBackground(app);
  EXPECT_EQ(Silence(0, app).action, HardeningAction::kDeny);
  EXPECT_EQ(hardening_.suppressed_total(), 2u);
}

TEST_F(AudioHardeningTest, PlaybackEpisodesArePerZone) {
  const AppKey app = App();
  Silence(0, app);
  Silence(1, app);
  Silence(0, app);
  EXPECT_EQ(hardening_.suppressed_total(), 2u);
  EXPECT_EQ(hardening_.suppressed_calls()[0].zone_id, 0);
  EXPECT_EQ(hardening_.suppressed_calls()[1].zone_id, 1);
}

TEST_F(AudioHardeningTest, ModeChangeDuringAnEpisodeLogsTheNewOutcome) {
  const AppKey app = App();
  ASSERT_TRUE(hardening_.SetMode(0, HardeningMode::kWarn).ok());
  EXPECT_EQ(Silence(0, app).action, HardeningAction::kAllowButLog);
  EXPECT_EQ(Silence(0, app).action, HardeningAction::kAllowButLog);
  ASSERT_TRUE(hardening_.SetMode(0, HardeningMode::kEnforce).ok());
  EXPECT_EQ(Silence(0, app).action, HardeningAction::kDeny);
  ASSERT_TRUE(hardening_.SetMode(0, HardeningMode::kOff).ok());
  EXPECT_EQ(Silence(0, app).action, HardeningAction::kAllow);  // un-silence, not logged
  ASSERT_TRUE(hardening_.SetMode(0, HardeningMode::kEnforce).ok());
  EXPECT_EQ(Silence(0, app).action, HardeningAction::kDeny);
  EXPECT_THAT(LoggedLines(),
              ElementsAre(HasSubstr("playback: would be silenced (warn only)"),
                          HasSubstr("playback: silenced"), HasSubstr("playback: silenced")));
}

TEST_F(AudioHardeningTest, PlaybackEndedStartsANewEpisode) {
  const AppKey app = App();
  Silence(0, app);
  hardening_.PlaybackEnded(0, app);
  Silence(0, app);
  hardening_.PlaybackEnded(1, app);  // another zone: no effect on zone 0
  Silence(0, app);
  EXPECT_EQ(hardening_.suppressed_total(), 2u);
}

// seeds.md §2 through hardening: the stream goes silent at 10:00 of pause,
// without the service calling AdvanceTo first.
TEST_F(AudioHardeningTest, PausedMediaAppIsSilencedAtTenMinutes) {
  const AppKey app = App();
  Ok(lifecycle_.StartForegroundService(app, FgsType::kMediaPlayback,
                                       FgsStartOrigin::kUserInteraction, clock_.Now()));
  Ok(lifecycle_.SetPlaybackState(app, PlaybackState::kPaused, clock_.Now()));
  clock_.Advance(absl::Minutes(10) - absl::Seconds(1));
  EXPECT_EQ(Silence(0, app).action, HardeningAction::kAllow);
  clock_.Advance(absl::Seconds(1));
  const HardeningDecision decision = Silence(0, app);
  EXPECT_EQ(decision.action, HardeningAction::kDeny);
  EXPECT_EQ(decision.log_line,
            "AudioHardening com.example.radio uid=10057 zone=0 playback: silenced: mediaPlayback "
            "FGS left the foreground after 10 min paused");
}

TEST_F(AudioHardeningTest, TimedOutDataSyncAppIsRefusedFocus) {
  const AppKey app = App();
  Ok(lifecycle_.StartForegroundService(app, FgsType::kDataSync, FgsStartOrigin::kUserInteraction,
                                       clock_.Now()));
  clock_.Advance(absl::Hours(6));
  EXPECT_EQ(Focus(0, app).focus_explanation, "hardening: dataSync FGS timed out: 6 h used in 24 h");
  Ok(lifecycle_.SetVisibility(app, Visibility::kVisible, clock_.Now()));  // foregrounded again
  EXPECT_TRUE(Focus(0, app).allowed());
}

// --- Volume ---------------------------------------------------------------------

TEST_F(AudioHardeningTest, EveryVolumeCallOfTheSeedTableIsIgnored) {
  const std::vector<std::pair<VolumeCall, std::string>> calls = {
      {VolumeCall::kSetStreamVolume, "setStreamVolume"},
      {VolumeCall::kSetStreamMute, "setStreamMute"},
      {VolumeCall::kAdjustStreamVolume, "adjustStreamVolume"},
      {VolumeCall::kAdjustVolume, "adjustVolume"},
      {VolumeCall::kAdjustSuggestedStreamVolume, "adjustSuggestedStreamVolume"},
      {VolumeCall::kSetRingerMode, "setRingerMode"},
  };
  const AppKey app = App();
  MakeBackground(app);
  for (const auto& [call, name] : calls) {
    SCOPED_TRACE(name);
    const HardeningDecision decision = Volume(0, app, call);
    EXPECT_EQ(decision.action, HardeningAction::kDeny);
    EXPECT_EQ(decision.log_line, absl::StrCat("AudioHardening com.example.radio uid=10057 zone=0 ",
                                              name, ": ignored: ", kNoFgs));
    EXPECT_TRUE(decision.focus_explanation.empty());
    EXPECT_EQ(hardening_.suppressed_calls().back().api, name);
    EXPECT_EQ(hardening_.suppressed_calls().back().group, AudioApiGroup::kVolume);
  }
  EXPECT_EQ(hardening_.suppressed_total(), calls.size());
}

TEST_F(AudioHardeningTest, WarnedVolumeCallGoesThroughAndIsLogged) {
  ASSERT_TRUE(hardening_.SetMode(0, HardeningMode::kWarn).ok());
  MakeBackground(App());
  const HardeningDecision decision = Volume(0, App(), VolumeCall::kAdjustVolume);
  EXPECT_TRUE(decision.allowed());
  EXPECT_EQ(decision.log_line,
            absl::StrCat("AudioHardening com.example.radio uid=10057 zone=0 adjustVolume: would be "
                         "ignored (warn only): ",
                         kNoFgs));
}

// --- The record -------------------------------------------------------------------

TEST_F(AudioHardeningTest, RecordIsABoundedRingOldestDroppedFirst) {
  AudioHardening small(&lifecycle_, HardeningMode::kEnforce, 3);
  std::vector<absl::Time> times;
  for (int i = 0; i < 5; ++i) {
    times.push_back(clock_.Advance(absl::Seconds(1)));
    Ok(small.CheckFocusRequest(0, App(absl::StrCat("com.example.app", i)), clock_.Now()));
  }
  EXPECT_EQ(small.suppressed_total(), 5u);
  ASSERT_EQ(small.suppressed_calls().size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(small.suppressed_calls()[i].app.package_name, absl::StrCat("com.example.app", i + 2));
    EXPECT_EQ(small.suppressed_calls()[i].at, times[i + 2]);
  }
}

TEST_F(AudioHardeningTest, ZeroCapacityKeepsOnlyTheCount) {
  AudioHardening none(&lifecycle_, HardeningMode::kEnforce, 0);
  Ok(none.CheckFocusRequest(0, App(), clock_.Now()));
  Ok(none.CheckVolumeCall(0, App(), VolumeCall::kSetStreamMute, clock_.Now()));
  EXPECT_THAT(none.suppressed_calls(), IsEmpty());
  EXPECT_EQ(none.suppressed_total(), 2u);
}

TEST_F(AudioHardeningTest, EveryLineStartsWithAudioHardeningAndThePackage) {
  ASSERT_TRUE(hardening_.SetMode(1, HardeningMode::kWarn).ok());
  const AppKey app = App("com.example.nav", 10061);
  for (int32_t zone : {0, 1}) {
    Focus(zone, app);
    Silence(zone, app);
    Volume(zone, app, VolumeCall::kSetRingerMode);
  }
  ASSERT_EQ(hardening_.suppressed_calls().size(), 6u);
  for (const std::string& line : LoggedLines()) {
    EXPECT_THAT(line, StartsWith("AudioHardening com.example.nav "));
  }
}

// --- Bad input ------------------------------------------------------------------------

TEST_F(AudioHardeningTest, BadInputIsRefusedAndNothingIsLogged) {
  const absl::Time now = clock_.Now();
  const std::vector<absl::StatusOr<HardeningDecision>> results = {
      hardening_.CheckFocusRequest(-1, App(), now),
      hardening_.CheckFocusRequest(0, AppKey{"", 10057}, now),
      hardening_.CheckFocusRequest(0, AppKey{"com.example.radio", -3}, now),
      hardening_.ShouldSilencePlayback(-1, App(), now),
      hardening_.ShouldSilencePlayback(0, AppKey{"com.x y", 1}, now),
      hardening_.CheckVolumeCall(-2, App(), VolumeCall::kSetStreamVolume, now),
      hardening_.CheckVolumeCall(0, AppKey{"", 1}, VolumeCall::kSetStreamVolume, now),
      hardening_.CheckVolumeCall(0, App(), static_cast<VolumeCall>(6), now),
  };
  for (const auto& result : results) {
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
  }
  EXPECT_THAT(std::string(results[0].status().message()), HasSubstr("zone id -1 is negative"));
  EXPECT_THAT(std::string(results[7].status().message()), HasSubstr("unknown volume call 6"));
  EXPECT_EQ(hardening_.suppressed_total(), 0u);
  EXPECT_THAT(hardening_.suppressed_calls(), IsEmpty());
  // A refused playback question opened no episode: the next one logs.
  Silence(0, App());
  EXPECT_EQ(hardening_.suppressed_total(), 1u);
}

TEST_F(AudioHardeningTest, HardeningNeverChangesTheLifecycle) {
  const AppKey app = App();
  Ok(lifecycle_.StartForegroundService(app, FgsType::kMediaPlayback,
                                       FgsStartOrigin::kUserInteraction, clock_.Now()));
  Ok(lifecycle_.SetPlaybackState(app, PlaybackState::kPaused, clock_.Now()));
  const absl::Time model_time = lifecycle_.now();
  clock_.Advance(absl::Minutes(20));
  Focus(0, app);
  Silence(0, app);
  EXPECT_EQ(lifecycle_.now(), model_time);
  EXPECT_EQ(lifecycle_.AdvanceTo(clock_.Now()).size(), 1u);  // still pending for the service
}

// --- Names ----------------------------------------------------------------------------

TEST(HardeningNamesTest, ModeNamesAndParser) {
  EXPECT_STREQ(HardeningModeName(HardeningMode::kOff), "off");
  EXPECT_STREQ(HardeningModeName(HardeningMode::kWarn), "warn");
  EXPECT_STREQ(HardeningModeName(HardeningMode::kEnforce), "enforce");
  EXPECT_EQ(ParseHardeningMode("off"), HardeningMode::kOff);
  EXPECT_EQ(ParseHardeningMode("warn"), HardeningMode::kWarn);
  EXPECT_EQ(ParseHardeningMode("WARN_ONLY"), HardeningMode::kWarn);
  EXPECT_EQ(ParseHardeningMode("Enforce"), HardeningMode::kEnforce);
  EXPECT_EQ(ParseHardeningMode("1"), HardeningMode::kEnforce);  // set-enable-hardening 1
  EXPECT_EQ(ParseHardeningMode("on"), HardeningMode::kEnforce);
  EXPECT_EQ(ParseHardeningMode("0"), HardeningMode::kOff);      // set-enable-hardening 0
  EXPECT_EQ(ParseHardeningMode("2"), std::nullopt);
  EXPECT_EQ(ParseHardeningMode(""), std::nullopt);
  EXPECT_EQ(ParseHardeningMode("strict"), std::nullopt);
}

TEST(HardeningNamesTest, ActionGroupAndVolumeCallNames) {
  EXPECT_STREQ(HardeningActionName(HardeningAction::kAllow), "allow");
  EXPECT_STREQ(HardeningActionName(HardeningAction::kAllowButLog), "allow_but_log");
  EXPECT_STREQ(HardeningActionName(HardeningAction::kDeny), "deny");
  EXPECT_STREQ(AudioApiGroupName(AudioApiGroup::kFocusRequest), "focus-request");
  EXPECT_STREQ(AudioApiGroupName(AudioApiGroup::kPlayback), "playback");
  EXPECT_STREQ(AudioApiGroupName(AudioApiGroup::kVolume), "volume");
  EXPECT_EQ(ParseVolumeCall("setStreamVolume"), VolumeCall::kSetStreamVolume);
  EXPECT_EQ(ParseVolumeCall("SET_STREAM_MUTE"), VolumeCall::kSetStreamMute);
  EXPECT_EQ(ParseVolumeCall("adjust-stream-volume"), VolumeCall::kAdjustStreamVolume);
  EXPECT_EQ(ParseVolumeCall("adjustvolume"), VolumeCall::kAdjustVolume);
  EXPECT_EQ(ParseVolumeCall("adjustSuggestedStreamVolume"), VolumeCall::kAdjustSuggestedStreamVolume);
  EXPECT_EQ(ParseVolumeCall("setRingerMode"), VolumeCall::kSetRingerMode);
  EXPECT_EQ(ParseVolumeCall("setVolume"), std::nullopt);
  EXPECT_EQ(ParseVolumeCall(""), std::nullopt);
}

}  // namespace
}  // namespace caraudio
