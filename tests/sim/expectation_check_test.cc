// The verdicts and lines of audiofocus-sim's expectation checks
// (tools/audiofocus_sim/expectation_check.h).

#include "tools/audiofocus_sim/expectation_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace caraudio::sim {
namespace {

using ::testing::HasSubstr;

v1::ExpectResult Result(caraudio::v1::RequestResult result) {
  v1::ExpectResult expect;
  expect.set_app("com.example.nav");
  expect.set_result(result);
  return expect;
}

TEST(ExpectationCheckTest, Result) {
  const CheckOutcome pass = CheckResult(Result(caraudio::v1::REQUEST_GRANTED),
                                        ObservedResult{caraudio::v1::REQUEST_GRANTED, 2.004});
  EXPECT_TRUE(pass.passed);
  EXPECT_EQ(pass.text,
            "expect_result com.example.nav REQUEST_GRANTED: got REQUEST_GRANTED at 2.004 s");
  EXPECT_FALSE(CheckResult(Result(caraudio::v1::REQUEST_GRANTED),
                           ObservedResult{caraudio::v1::REQUEST_DELAYED, 1.0})
                   .passed);
  const CheckOutcome none = CheckResult(Result(caraudio::v1::REQUEST_FAILED), std::nullopt);
  EXPECT_FALSE(none.passed);
  EXPECT_FALSE(none.unchecked);
  EXPECT_THAT(none.text, HasSubstr("no answer to its latest request yet"));
}

TEST(ExpectationCheckTest, FocusChange) {
  v1::ExpectFocusChange expect;
  expect.set_app("com.example.music");
  expect.set_change(caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK);
  EXPECT_TRUE(CheckFocusChange(
                  expect, ObservedChange{caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK, 2})
                  .passed);
  const CheckOutcome wrong =
      CheckFocusChange(expect, ObservedChange{caraudio::v1::FOCUS_CHANGE_GAIN, 0.5});
  EXPECT_FALSE(wrong.passed);
  EXPECT_EQ(wrong.text,
            "expect_focus_change com.example.music FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK: latest "
            "was FOCUS_CHANGE_GAIN at 0.500 s");
  EXPECT_THAT(CheckFocusChange(expect, std::nullopt).text, HasSubstr("no focus change received"));
}

TEST(ExpectationCheckTest, AudibleAgainstTheThreshold) {
  v1::ExpectAudible audible;
  audible.set_app("com.example.music");
  audible.set_audible(true);
  v1::ExpectAudible silent = audible;
  silent.set_audible(false);
  const ToneMeasurement ducked{500, "bus0_media_out", -34.2};
  const ToneMeasurement paused{500, "bus0_media_out", -200};
  const ToneMeasurement at_threshold{500, "bus0_media_out", kAudibleThresholdDbfs};

  const CheckOutcome pass = CheckAudible(audible, ducked);
  EXPECT_TRUE(pass.passed);
  EXPECT_EQ(pass.text,
            "expect_audible com.example.music audible: 500 Hz at -34.2 dBFS on bus0_media_out "
            "(audible above -50.0 dBFS)");
  EXPECT_FALSE(CheckAudible(silent, ducked).passed);
  EXPECT_TRUE(CheckAudible(silent, paused).passed);
  EXPECT_FALSE(CheckAudible(audible, paused).passed);
  EXPECT_TRUE(CheckAudible(silent, at_threshold).passed);  // "above" is strict

  const CheckOutcome unmeasured =
      CheckAudible(audible, absl::UnavailableError("only 12 samples recorded"));
  EXPECT_FALSE(unmeasured.passed);
  EXPECT_TRUE(unmeasured.unchecked);
}

TEST(ExpectationCheckTest, AudibleWithinLevelBounds) {
  v1::ExpectAudible ducked;
  ducked.set_app("com.example.radio");
  ducked.set_audible(true);
  ducked.set_max_dbfs(-20);
  v1::ExpectAudible full = ducked;
  full.clear_max_dbfs();
  full.set_min_dbfs(-20);
  v1::ExpectAudible between = ducked;
  between.set_min_dbfs(-40);
  const ToneMeasurement car_ducked{500, "bus0_media_out", -25.1};
  const ToneMeasurement not_ducked{500, "bus0_media_out", -15.0};
  const ToneMeasurement paused{500, "bus0_media_out", -200};

  const CheckOutcome pass = CheckAudible(ducked, car_ducked);
  EXPECT_TRUE(pass.passed);
  EXPECT_EQ(pass.text,
            "expect_audible com.example.radio audible at or below -20.0 dBFS: 500 Hz at -25.1 "
            "dBFS on bus0_media_out (audible above -50.0 dBFS)");
  EXPECT_FALSE(CheckAudible(ducked, not_ducked).passed);
  EXPECT_FALSE(CheckAudible(ducked, paused).passed);  // below the bound, but not audible
  EXPECT_TRUE(CheckAudible(full, not_ducked).passed);
  EXPECT_FALSE(CheckAudible(full, car_ducked).passed);
  EXPECT_THAT(CheckAudible(full, car_ducked).text,
              HasSubstr("expect_audible com.example.radio audible at or above -20.0 dBFS: "));
  EXPECT_TRUE(CheckAudible(between, car_ducked).passed);
  EXPECT_THAT(CheckAudible(between, car_ducked).text,
              HasSubstr("audible between -40.0 and -20.0 dBFS: "));
  // Bounds are inclusive.
  EXPECT_TRUE(CheckAudible(full, ToneMeasurement{500, "bus0_media_out", -20.0}).passed);
}

TEST(ExpectationCheckTest, DeviceAudible) {
  v1::ExpectDeviceAudible audible;
  audible.set_device("bus4_safety_out");
  audible.set_audible(true);
  v1::ExpectDeviceAudible silent = audible;
  silent.set_audible(false);
  const DeviceMeasurement chime{"bus4_safety_out", -12.3};
  const DeviceMeasurement quiet{"bus4_safety_out", -120};

  const CheckOutcome pass = CheckDeviceAudible(audible, chime);
  EXPECT_TRUE(pass.passed);
  EXPECT_EQ(pass.text,
            "expect_device_audible bus4_safety_out audible: -12.3 dBFS RMS (audible above "
            "-50.0 dBFS)");
  EXPECT_FALSE(CheckDeviceAudible(audible, quiet).passed);
  EXPECT_TRUE(CheckDeviceAudible(silent, quiet).passed);
  EXPECT_FALSE(CheckDeviceAudible(silent, chime).passed);
  EXPECT_TRUE(
      CheckDeviceAudible(silent, DeviceMeasurement{"bus4_safety_out", kAudibleThresholdDbfs})
          .passed);  // "above" is strict

  const CheckOutcome unmeasured =
      CheckDeviceAudible(audible, absl::UnavailableError("only 12 samples recorded"));
  EXPECT_FALSE(unmeasured.passed);
  EXPECT_TRUE(unmeasured.unchecked);
  EXPECT_THAT(unmeasured.text, HasSubstr("cannot measure: only 12 samples recorded"));
}

caraudio::v1::AuditReport Findings(std::initializer_list<caraudio::v1::FindingKind> kinds) {
  caraudio::v1::AuditReport report;
  for (caraudio::v1::FindingKind kind : kinds) {
    caraudio::v1::AuditFinding* finding = report.add_findings();
    finding->set_kind(kind);
    finding->set_package_name("com.example.app");
    finding->set_detail("audible at -9.0 dBFS for 420 ms");
  }
  return report;
}

TEST(ExpectationCheckTest, Finding) {
  v1::ExpectFinding expect;
  expect.set_app("com.example.app");
  expect.set_kind(caraudio::v1::FINDING_KIND_AUDIBLE_AFTER_LOSS);
  EXPECT_TRUE(
      CheckFinding(expect, Findings({caraudio::v1::FINDING_KIND_AUDIBLE_AFTER_LOSS})).passed);
  const CheckOutcome other =
      CheckFinding(expect, Findings({caraudio::v1::FINDING_KIND_PLAYED_WITHOUT_FOCUS}));
  EXPECT_FALSE(other.passed);
  EXPECT_THAT(other.text, HasSubstr("only FINDING_KIND_PLAYED_WITHOUT_FOCUS (audible at"));
  EXPECT_THAT(CheckFinding(expect, Findings({})).text, HasSubstr(": no findings"));
}

TEST(ExpectationCheckTest, NoFindings) {
  v1::ExpectNoFindings expect;
  expect.set_app("com.example.app");
  EXPECT_TRUE(CheckNoFindings(expect, Findings({})).passed);
  const CheckOutcome found =
      CheckNoFindings(expect, Findings({caraudio::v1::FINDING_KIND_CHANGED_VOLUME_ITSELF}));
  EXPECT_FALSE(found.passed);
  EXPECT_THAT(found.text, HasSubstr("found FINDING_KIND_CHANGED_VOLUME_ITSELF"));
}

TEST(ExpectationCheckTest, AuditNotServedIsAFailureThatSaysSo) {
  v1::ExpectNoFindings expect;
  expect.set_app("com.example.app");
  const CheckOutcome outcome =
      CheckNoFindings(expect, absl::UnimplementedError("CarAudioAdmin.GetAudit: "));
  EXPECT_FALSE(outcome.passed);
  EXPECT_TRUE(outcome.unchecked);
  EXPECT_EQ(outcome.text,
            "expect_no_findings com.example.app: cannot check: CarAudioAdmin.GetAudit is "
            "UNIMPLEMENTED on this daemon");
}

}  // namespace
}  // namespace caraudio::sim
