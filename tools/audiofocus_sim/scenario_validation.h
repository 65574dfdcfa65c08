// The rules a parsed scenario (caraudio.sim.v1.Scenario) must meet before
// audiofocus-sim runs it, checked against the car it will run in. Parsing
// catches syntax, unknown fields and a second action in one step; these
// rules catch the rest:
//
// Scenario
//   - name is not empty;
//   - zone is a zone of the car;
//   - at least one app.
// Each app (apps[i])
//   - package_name is not empty, has no whitespace or control characters,
//     and no other app has it;
//   - uid > 0, and no other app has it;
//   - zone (or the scenario's) is a zone of the car;
//   - usage is given, is a listed AudioUsage, and the app's zone routes its
//     context to a device;
//   - gain is FOCUS_GAIN .. FOCUS_GAIN_TRANSIENT_EXCLUSIVE;
//   - 20 < frequency_hz < 20000, and no other app has the same frequency;
//   - behaviour is a listed Behaviour; BEHAVIOUR_STARTS_FROM_BOOT_COMPLETED
//     and BEHAVIOUR_BACKGROUND_WITHOUT_FGS come without initial_lifecycle;
//   - initial_lifecycle: a listed visibility; each foreground service has a
//     listed type and origin, at most one per type, and a
//     FGS_START_ORIGIN_WHILE_VISIBLE one needs a visible (or PiP) app.
// Timeline (timeline[i])
//   - at_ms >= 0 and not less than the previous step's;
//   - exactly one action is set;
//   - every `app` is given and names a declared app;
//   - app_play: duration_ms > 0 when given;
//   - app_stop: the app has an app_play step before this one;
//   - lifecycle: a change is set, with listed values; start_fgs has type
//     and origin, and FGS_START_ORIGIN_WHILE_VISIBLE needs the app visible or in
//     PiP at that point of the timeline; stop_fgs names a type the app runs
//     at that point (started initially or by an earlier step). Whether a
//     service has meanwhile left the foreground or timed out is a matter of
//     time and is not checked here;
//   - hal_chime: zone of the car; usage given, listed and routed in the
//     zone; 1 <= duration_ms <= 600000 when given;
//   - set_hardening: zone of the car; mode given and listed;
//   - set_group_volume: zone of the car; group is one of the zone's volume
//     groups; 0 <= index <= the group's highest index;
//   - set_nav_during_call: zone of the car; rejected given;
//   - stop_car_service / continue_car_service: they alternate, starting with
//     a stop, and every stop is continued later; between the two no step
//     that needs the car service (app_play, app_stop, lifecycle,
//     set_hardening, set_group_volume, set_nav_during_call, expect_finding,
//     expect_no_findings);
//   - expectations: the value is given and listed (expect_focus_change only
//     GAIN, LOSS, LOSS_TRANSIENT or LOSS_TRANSIENT_CAN_DUCK); the app plays
//     somewhere in the timeline, and, for expect_result,
//     expect_focus_change, expect_finding and expect_audible { audible: true },
//     in an earlier step; expect_result and expect_focus_change are not
//     about a BEHAVIOUR_PLAYS_WITHOUT_FOCUS app, which never requests focus;
//     expect_audible's min_dbfs / max_dbfs only with audible: true, each in
//     (kMinLevelBoundDbfs, 0], min below max; expect_device_audible names a
//     device of the car and gives audible.
//
// Pure functions; thread-safe.

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SCENARIO_VALIDATION_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SCENARIO_VALIDATION_H_

#include <string>
#include <vector>

#include "caraudio/sim/v1/scenario.pb.h"
#include "tools/audiofocus_sim/source_locations.h"
#include "zones/car_audio_config.h"

namespace caraudio::sim {

// Tones must lie strictly between these (hertz).
inline constexpr double kMinToneHz = 20;
inline constexpr double kMaxToneHz = 20000;

// hal_chime duration_ms limits (those of HalFocus.PlaySound).
inline constexpr int kMaxChimeMs = 600000;

// expect_audible's min_dbfs and max_dbfs lie above this (the silence floor
// of the bridge's meters).
inline constexpr double kMinLevelBoundDbfs = -120;

// One broken rule.
struct ScenarioProblem {
  // The element the problem is in: "apps[1]", "timeline[3]",
  // "apps[0].initial_lifecycle.foreground_services[1]"; "" for the scenario
  // itself. Printed before the message.
  std::string where;
  // The field the problem is about (or the element, when the problem is
  // that something is missing), for its line and column.
  FieldPath field;
  // What is wrong, naming the field and value: `app "com.nav" is not
  // declared in apps`.
  std::string message;
};

// Every problem of `scenario` when run in `car`, in the order of the rules
// above: scenario, apps in order, timeline in order. Empty when it is valid.
std::vector<ScenarioProblem> FindScenarioProblems(const v1::Scenario& scenario,
                                                  const CarAudioConfig& car);

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SCENARIO_VALIDATION_H_
