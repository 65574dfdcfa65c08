// ComplianceAudit on the default car with a fake clock: each rule of
// seeds.md §4 produces exactly its finding for an app that breaks it, and a
// well-behaved app (which reacts within a few milliseconds, so one level
// report may straddle its reaction) produces none.

#include "carservice/compliance_audit.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "carservice/car_audio_core.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/core/core_test_util.h"

namespace caraudio {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

constexpr double kPlaying = -9.0;   // a tone of amplitude 0.5
constexpr double kLowered = -18.1;  // the same at 35 %
constexpr double kSilent = -120.0;
constexpr absl::Duration kReport = absl::Milliseconds(50);

const AppKey kMusic{"com.example.music", 10100};
const AppKey kNav{"com.example.nav", 10101};
const AppKey kCall{"com.example.dialer", 10102};
const AppKey kOther{"com.example.other", 10103};

FocusRequest Request(const AppKey& app, std::string client, AudioUsage usage, FocusGain gain) {
  FocusRequest request;
  request.client_id = std::move(client);
  request.package_name = app.package_name;
  request.uid = app.uid;
  request.usage = static_cast<int32_t>(usage);
  request.gain = gain;
  request.requested_zone_id = 0;
  return request;
}

class ComplianceAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core_ = DefaultCarAudioCore();
    ASSERT_NE(core_, nullptr);
  }

  // The service's order: the request, the callbacks it dispatched, then the
  // stacks.
  RequestResult Ask(FocusRequest request) {
    CoreOutput output = core_->RequestFocus(request, now_);
    audit_.ObserveRequest(request, *output.decision, output.app_callbacks, now_);
    Observe(output);
    return output.decision->result;
  }
  void Abandon(const std::string& client) { Observe(core_->AbandonFocus(client, std::nullopt)); }
  void Observe(const CoreOutput& output) {
    for (const FocusCallback& callback : output.app_callbacks) {
      audit_.ObserveCallback(callback, now_);
    }
    audit_.ObserveFocus(core_->engine(), now_);
  }

  // `duration` of level reports, every 50 ms, with these levels (apps not
  // listed have no stream).
  void Play(absl::Duration duration, const std::map<AppKey, double>& levels) {
    for (absl::Duration t; t < duration; t += kReport) {
      now_ += kReport;
      std::vector<StreamLevelSample> streams;
      for (const auto& [app, rms] : levels) {
        StreamLevelSample stream;
        stream.app = app;
        stream.zone_id = 0;
        stream.rms_dbfs = rms;
        streams.push_back(stream);
      }
      audit_.ObserveLevels(streams, now_);
    }
  }
  // A reaction a few milliseconds after a change, inside one report period.
  void React() { now_ += absl::Milliseconds(5); }

  std::vector<FindingKind> Kinds() {
    std::vector<FindingKind> kinds;
    for (const AuditFinding& finding : audit_.findings()) kinds.push_back(finding.kind);
    return kinds;
  }

  std::unique_ptr<CarAudioCore> core_;
  ComplianceAudit audit_;
  absl::Time now_ = absl::FromUnixSeconds(1000);
};

TEST_F(ComplianceAuditTest, WellBehavedMusicAndNavigationHaveNoFindings) {
  Play(absl::Seconds(1), {});
  FocusRequest music = Request(kMusic, "music", AudioUsage::kMedia, FocusGain::kGain);
  music.receives_ducking_events = true;
  ASSERT_EQ(Ask(music), RequestResult::kGranted);
  React();
  Play(absl::Seconds(2), {{kMusic, kPlaying}});
  // The prompt: music gets CAN_DUCK and lowers itself a moment later.
  ASSERT_EQ(Ask(Request(kNav, "nav", AudioUsage::kAssistanceNavigationGuidance,
                        FocusGain::kGainTransientMayDuck)),
            RequestResult::kGranted);
  Play(kReport, {{kMusic, kPlaying}, {kNav, kPlaying}});  // straddles the reaction
  Play(absl::Seconds(2), {{kMusic, kLowered}, {kNav, kPlaying}});
  // Nav stops, then abandons; music restores on GAIN.
  Play(kReport, {{kMusic, kLowered}, {kNav, kPlaying}});
  React();
  Abandon("nav");
  Play(absl::Seconds(2), {{kMusic, kPlaying}, {kNav, kSilent}});
  // Music ends and abandons right after.
  Play(kReport, {{kMusic, kPlaying}});
  React();
  Abandon("music");
  Play(absl::Seconds(10), {{kMusic, kSilent}});
  EXPECT_THAT(audit_.findings(), IsEmpty());
}

TEST_F(ComplianceAuditTest, PlayingWithoutFocusIsFoundOnceAfterTheReactionTime) {
  Play(absl::Milliseconds(250), {{kOther, kPlaying}});
  EXPECT_THAT(audit_.findings(), IsEmpty()) << "within the reaction time";
  Play(absl::Seconds(3), {{kOther, kPlaying}});
  ASSERT_THAT(Kinds(), ElementsAre(FindingKind::kPlayedWithoutFocus));
  const AuditFinding& finding = audit_.findings()[0];
  EXPECT_EQ(finding.app, kOther);
  EXPECT_EQ(finding.zone_id, 0);
  EXPECT_EQ(finding.since, absl::FromUnixSeconds(1000) + kReport);
  EXPECT_EQ(finding.at - finding.since, absl::Milliseconds(300));
  EXPECT_THAT(finding.detail, ::testing::HasSubstr("audible at -9.0 dBFS for 300 ms"));
  EXPECT_THAT(audit_.TakeNewFindings(), ElementsAre(finding));
  EXPECT_THAT(audit_.TakeNewFindings(), IsEmpty());
}

TEST_F(ComplianceAuditTest, KeepingOnPlayingAfterLossIsFound) {
  ASSERT_EQ(Ask(Request(kMusic, "music", AudioUsage::kMedia, FocusGain::kGain)),
            RequestResult::kGranted);
  Play(absl::Seconds(1), {{kMusic, kPlaying}});
  ASSERT_EQ(Ask(Request(kOther, "other", AudioUsage::kMedia, FocusGain::kGain)),
            RequestResult::kGranted);
  Play(absl::Seconds(1), {{kMusic, kPlaying}, {kOther, kPlaying}});
  ASSERT_THAT(Kinds(), ElementsAre(FindingKind::kAudibleAfterLoss));
  EXPECT_EQ(audit_.findings()[0].app, kMusic);
  EXPECT_EQ(audit_.findings()[0].client_id, "music");
}

TEST_F(ComplianceAuditTest, StoppingRightAfterLossIsNotFound) {
  ASSERT_EQ(Ask(Request(kMusic, "music", AudioUsage::kMedia, FocusGain::kGain)),
            RequestResult::kGranted);
  Play(absl::Seconds(1), {{kMusic, kPlaying}});
  ASSERT_EQ(Ask(Request(kOther, "other", AudioUsage::kMedia, FocusGain::kGain)),
            RequestResult::kGranted);
  Play(kReport, {{kMusic, kPlaying}, {kOther, kPlaying}});
  Play(absl::Seconds(2), {{kMusic, kSilent}, {kOther, kPlaying}});
  EXPECT_THAT(audit_.findings(), IsEmpty());
}

TEST_F(ComplianceAuditTest, PlayingDuringTransientLossIsFoundAndPausingIsNot) {
  ASSERT_EQ(Ask(Request(kMusic, "music", AudioUsage::kMedia, FocusGain::kGain)),
            RequestResult::kGranted);
  ASSERT_EQ(Ask(Request(kNav, "nav", AudioUsage::kMedia, FocusGain::kGain)),
            RequestResult::kGranted);  // music: LOSS, gone
  // The call takes nav's focus transiently; nav pauses the first time...
  ASSERT_EQ(Ask(Request(kCall, "call", AudioUsage::kVoiceCommunication,
                        FocusGain::kGainTransient)),
            RequestResult::kGranted);
  Play(absl::Seconds(1), {{kNav, kSilent}, {kCall, kPlaying}});
  EXPECT_THAT(audit_.findings(), IsEmpty());
  // ...then resumes while the call goes on.
  Play(absl::Seconds(1), {{kNav, kPlaying}, {kCall, kPlaying}});
  ASSERT_THAT(Kinds(), ElementsAre(FindingKind::kAudibleDuringTransientLoss));
  EXPECT_EQ(audit_.findings()[0].client_id, "nav");
}

TEST_F(ComplianceAuditTest, NotLoweringAfterCanDuckIsFoundAndLoweringIsNot) {
  FocusRequest music = Request(kMusic, "music", AudioUsage::kMedia, FocusGain::kGain);
  music.receives_ducking_events = true;
  ASSERT_EQ(Ask(music), RequestResult::kGranted);
  Play(absl::Seconds(1), {{kMusic, kPlaying}});
  ASSERT_EQ(Ask(Request(kNav, "nav", AudioUsage::kAssistanceNavigationGuidance,
                        FocusGain::kGainTransientMayDuck)),
            RequestResult::kGranted);
  Play(absl::Seconds(1), {{kMusic, kPlaying - 3}, {kNav, kPlaying}});  // only 3 dB lower
  ASSERT_THAT(Kinds(), ElementsAre(FindingKind::kNotLoweredAfterCanDuck));
  EXPECT_THAT(audit_.findings()[0].detail, ::testing::HasSubstr("3.0 dB below"));
}

TEST_F(ComplianceAuditTest, HoldingFocusSilentIsFoundAfterTheIdleLimitOnly) {
  ASSERT_EQ(Ask(Request(kMusic, "music", AudioUsage::kMedia, FocusGain::kGain)),
            RequestResult::kGranted);
  Play(absl::Seconds(1), {{kMusic, kPlaying}});
  Play(absl::Milliseconds(4900), {{kMusic, kSilent}});
  EXPECT_THAT(audit_.findings(), IsEmpty());
  Play(absl::Seconds(10), {{kMusic, kSilent}});
  ASSERT_THAT(Kinds(), ElementsAre(FindingKind::kHeldFocusWhileSilent));
  EXPECT_EQ(audit_.findings()[0].since, absl::FromUnixSeconds(1001));
  // Playing again starts a new episode.
  Play(absl::Seconds(1), {{kMusic, kPlaying}});
  Play(absl::Seconds(6), {{kMusic, kSilent}});
  EXPECT_EQ(audit_.findings().size(), 2u);
}

TEST_F(ComplianceAuditTest, WithoutLevelReportsNoAudioRuleIsJudged) {
  ASSERT_EQ(Ask(Request(kMusic, "music", AudioUsage::kMedia, FocusGain::kGain)),
            RequestResult::kGranted);
  now_ += absl::Hours(1);
  audit_.ObserveFocus(core_->engine(), now_);
  EXPECT_THAT(audit_.findings(), IsEmpty());
  EXPECT_FALSE(audit_.levels_available());
  // The first report starts the idle clock; it does not count the hour.
  Play(absl::Seconds(1), {});
  EXPECT_THAT(audit_.findings(), IsEmpty());
  audit_.LevelsLost();
  EXPECT_FALSE(audit_.levels_available());
}

TEST_F(ComplianceAuditTest, TwoEntriesOfOneAppAreFound) {
  ASSERT_EQ(Ask(Request(kMusic, "music-1", AudioUsage::kMedia, FocusGain::kGain)),
            RequestResult::kGranted);
  // The same client asking again replaces its entry: no finding.
  ASSERT_EQ(Ask(Request(kMusic, "music-1", AudioUsage::kMedia, FocusGain::kGain)),
            RequestResult::kGranted);
  EXPECT_THAT(audit_.findings(), IsEmpty());
  // A second session takes the first one's focus.
  ASSERT_EQ(Ask(Request(kMusic, "music-2", AudioUsage::kMedia, FocusGain::kGain)),
            RequestResult::kGranted);
  ASSERT_THAT(Kinds(), ElementsAre(FindingKind::kMultipleStackEntries));
  EXPECT_THAT(audit_.findings()[0].detail,
              ::testing::HasSubstr("second session music-2 took focus from its own music-1"));
  // Two live entries at once (a transient second session): found too.
  ASSERT_EQ(Ask(Request(kMusic, "music-3", AudioUsage::kAssistanceNavigationGuidance,
                        FocusGain::kGainTransientMayDuck)),
            RequestResult::kGranted);
  ASSERT_THAT(Kinds(), ElementsAre(FindingKind::kMultipleStackEntries,
                                   FindingKind::kMultipleStackEntries));
  EXPECT_THAT(audit_.findings()[1].detail, ::testing::HasSubstr("2 entries"));
}

TEST_F(ComplianceAuditTest, EveryVolumeCallOfAnAppIsFound) {
  audit_.ObserveVolumeCall(kMusic, 0, "setStreamVolume", now_);
  audit_.ObserveVolumeCall(kMusic, 0, "setStreamMute", now_);
  EXPECT_THAT(audit_.findings(),
              ElementsAre(Field(&AuditFinding::detail, "called setStreamVolume on its own"),
                          Field(&AuditFinding::detail, "called setStreamMute on its own")));
}

TEST_F(ComplianceAuditTest, StreamsWithoutAPackageAndSilencedAppsAreNotFound) {
  StreamLevelSample anonymous;
  anonymous.rms_dbfs = kPlaying;
  StreamLevelSample silenced;
  silenced.app = kOther;
  silenced.rms_dbfs = kSilent;
  silenced.silenced = true;
  for (int i = 0; i < 40; ++i) {
    now_ += kReport;
    audit_.ObserveLevels({anonymous, silenced}, now_);
  }
  EXPECT_THAT(audit_.findings(), IsEmpty());
}

TEST_F(ComplianceAuditTest, TheOldestFindingsAreDroppedAtCapacity) {
  ComplianceAudit audit(AuditSettings{}, 2);
  for (const char* api : {"a", "b", "c"}) audit.ObserveVolumeCall(kMusic, 0, api, now_);
  ASSERT_EQ(audit.findings().size(), 2u);
  EXPECT_EQ(audit.findings()[0].detail, "called b on its own");
}

}  // namespace
}  // namespace caraudio
