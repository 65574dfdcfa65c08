// LifecycleReports: the CarAudioAdmin.ReportAppState calls that stand for a
// simulated app's lifecycle (seeds.md §1, §2, §5): what the head unit tells
// the service about the app when the run starts, at each lifecycle step, and
// when the run ends.
//
//   start  initial_lifecycle: its visibility, then each foreground service it
//          runs (type, origin). Left out: visibility BACKGROUND only (what the
//          service assumes of an app never reported, made explicit so the
//          app shows up in the service's state).
//          BEHAVIOUR_STARTS_FROM_BOOT_COMPLETED: BACKGROUND, then a
//          mediaPlayback FGS started from BOOT_COMPLETED (no while-in-use).
//          BEHAVIOUR_BACKGROUND_WITHOUT_FGS: BACKGROUND, nothing else.
//   step   one report per lifecycle step, as the step says.
//   end    the app goes away: its running foreground services stop, then it
//          is BACKGROUND, so a later run against the same daemon starts from
//          a clean slate.
//
// Pure functions; thread-safe.

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_LIFECYCLE_REPORTS_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_LIFECYCLE_REPORTS_H_

#include <set>
#include <string>
#include <vector>

#include "caraudio/sim/v1/scenario.pb.h"
#include "caraudio/v1/admin.pb.h"

namespace caraudio::sim {

// The reports made for `app` before the first step, in order.
std::vector<caraudio::v1::ReportAppStateRequest> InitialReports(const sim::v1::App& app);

// The report of one lifecycle step of `app`.
caraudio::v1::ReportAppStateRequest StepReport(const sim::v1::App& app,
                                               const sim::v1::LifecycleChange& change);

// The reports when the run ends, for an app that runs `running` services.
std::vector<caraudio::v1::ReportAppStateRequest> FinalReports(
    const sim::v1::App& app, const std::set<caraudio::v1::ForegroundServiceType>& running);

// A report that stops the foreground service `start` would start (to start
// it again when the service says it already runs).
caraudio::v1::ReportAppStateRequest StopReportFor(const caraudio::v1::ReportAppStateRequest& start);

// The report in words, for the timeline: "visible", "background",
// "starts mediaPlayback FGS (boot-completed)", "stops dataSync FGS",
// "playback paused", "user interaction".
std::string DescribeReport(const caraudio::v1::ReportAppStateRequest& report);

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_LIFECYCLE_REPORTS_H_
