// ExpectationCheck: how audiofocus-sim judges the scenario's expect steps,
// as pure functions of what the run observed, each returning PASS or FAIL
// with one line that names the expectation and the measured value:
//
//   expect_result com.example.nav REQUEST_GRANTED: got REQUEST_GRANTED at 2.004 s
//   expect_audible com.example.music audible: 500 Hz at -24.3 dBFS on bus0_media_out
//       (audible above -50.0 dBFS)
//   expect_no_findings com.example.nav: cannot check: CarAudioAdmin.GetAudit is
//       UNIMPLEMENTED on this daemon
//
// What is observed (by ScenarioRunner):
//   expect_result        the answer to the app's latest request made at or
//                        before the check (none yet: FAIL);
//   expect_focus_change  the latest focus change the app received at or
//                        before the check, from any of its requests (none:
//                        FAIL);
//   expect_audible       the level of the app's own frequency above the
//                        local floor (tone_level.h ToneLevelAboveFloorDbfs)
//                        over the kAudibleWindow of audio recorded from its
//                        device up to the check; audible when above
//                        kAudibleThresholdDbfs, and then also within
//                        min_dbfs / max_dbfs when given (e.g. ducked);
//   expect_device_audible the RMS level of everything the device played
//                        over the kAudibleWindow up to the check, against
//                        the same threshold;
//   expect_finding       CarAudioAdmin.GetAudit for the app's package at the
//                        check: PASS when a finding of the kind is there;
//   expect_no_findings   the same call: PASS when it lists no finding.
// A GetAudit that fails cannot be judged: FAIL, marked `unchecked`.
//
// Pure functions; thread-safe.

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_EXPECTATION_CHECK_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_EXPECTATION_CHECK_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caraudio/sim/v1/scenario.pb.h"
#include "caraudio/v1/admin.pb.h"

namespace caraudio::sim {

// An app's tone counts as audible above this level (RMS of its sine, dBFS).
// A playing app reads about -9 dBFS before the device's gain: -15 at the
// default media volume, -25 ducked by the car, -34 ducked by the car and by
// itself; a paused, stopped, muted or silenced one reads -120 or less.
inline constexpr double kAudibleThresholdDbfs = -50.0;
// How much audio, up to the check, is measured.
inline constexpr absl::Duration kAudibleWindow = absl::Milliseconds(100);
// A check that does not hold (other than expect_no_findings) is checked
// again this much later — audio on fresh audio — up to this many attempts in
// all (ScenarioRunner).
inline constexpr absl::Duration kCheckRetryInterval = kAudibleWindow;
inline constexpr int kCheckAttempts = 3;

struct CheckOutcome {
  bool passed = false;
  // FAIL because the run could not observe what the check needs (e.g. the
  // daemon does not serve GetAudit), rather than because it saw otherwise.
  bool unchecked = false;
  // The line after PASS / FAIL.
  std::string text;
};

// What an app received, `at_s` seconds into the timeline.
struct ObservedResult {
  caraudio::v1::RequestResult result = caraudio::v1::REQUEST_FAILED;
  double at_s = 0.0;
};
struct ObservedChange {
  caraudio::v1::FocusChange change = caraudio::v1::FOCUS_CHANGE_NONE;
  double at_s = 0.0;
};

// The level of an app's frequency on its device.
struct ToneMeasurement {
  double frequency_hz = 0.0;
  std::string device_address;
  double level_dbfs = 0.0;
};

// The level of everything a device played.
struct DeviceMeasurement {
  std::string device_address;
  double rms_dbfs = 0.0;
};

CheckOutcome CheckResult(const v1::ExpectResult& expect,
                         const std::optional<ObservedResult>& observed);
CheckOutcome CheckFocusChange(const v1::ExpectFocusChange& expect,
                              const std::optional<ObservedChange>& observed);
// `measured` is an error when nothing was recorded.
CheckOutcome CheckAudible(const v1::ExpectAudible& expect,
                          const absl::StatusOr<ToneMeasurement>& measured);
// `measured` is an error when nothing was recorded.
CheckOutcome CheckDeviceAudible(const v1::ExpectDeviceAudible& expect,
                                const absl::StatusOr<DeviceMeasurement>& measured);
CheckOutcome CheckFinding(const v1::ExpectFinding& expect,
                          const absl::StatusOr<caraudio::v1::AuditReport>& audit);
CheckOutcome CheckNoFindings(const v1::ExpectNoFindings& expect,
                             const absl::StatusOr<caraudio::v1::AuditReport>& audit);

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_EXPECTATION_CHECK_H_
