#include "tools/audiofocus_sim/lifecycle_reports.h"

#include "absl/strings/str_cat.h"
#include "carservice/app_lifecycle.h"
#include "carservice/foreground_service.h"

namespace caraudio::sim {
namespace {

caraudio::v1::ReportAppStateRequest ReportFor(const sim::v1::App& app) {
  caraudio::v1::ReportAppStateRequest report;
  report.set_package_name(app.package_name());
  report.set_uid(app.uid());
  return report;
}

caraudio::v1::ReportAppStateRequest VisibilityReport(const sim::v1::App& app,
                                                     caraudio::v1::AppVisibility visibility) {
  caraudio::v1::ReportAppStateRequest report = ReportFor(app);
  report.set_visibility(visibility);
  return report;
}

caraudio::v1::ReportAppStateRequest StartServiceReport(
    const sim::v1::App& app, caraudio::v1::ForegroundServiceType type,
    caraudio::v1::ForegroundServiceStartOrigin origin) {
  caraudio::v1::ReportAppStateRequest report = ReportFor(app);
  report.mutable_start_foreground_service()->set_type(type);
  report.mutable_start_foreground_service()->set_origin(origin);
  return report;
}

caraudio::v1::ReportAppStateRequest StopServiceReport(const sim::v1::App& app,
                                                      caraudio::v1::ForegroundServiceType type) {
  caraudio::v1::ReportAppStateRequest report = ReportFor(app);
  report.set_stop_foreground_service(type);
  return report;
}

std::string TypeName(int32_t type) { return FgsTypeName(static_cast<FgsType>(type)); }

}  // namespace

std::vector<caraudio::v1::ReportAppStateRequest> InitialReports(const sim::v1::App& app) {
  switch (app.behaviour()) {
    case sim::v1::BEHAVIOUR_STARTS_FROM_BOOT_COMPLETED:
      return {VisibilityReport(app, caraudio::v1::APP_VISIBILITY_BACKGROUND),
              StartServiceReport(app, caraudio::v1::FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK,
                                 caraudio::v1::FGS_START_ORIGIN_BOOT_COMPLETED)};
    case sim::v1::BEHAVIOUR_BACKGROUND_WITHOUT_FGS:
      return {VisibilityReport(app, caraudio::v1::APP_VISIBILITY_BACKGROUND)};
    default:
      break;
  }
  std::vector<caraudio::v1::ReportAppStateRequest> reports = {
      VisibilityReport(app, app.initial_lifecycle().visibility())};
  for (const sim::v1::ForegroundService& service : app.initial_lifecycle().foreground_services()) {
    reports.push_back(StartServiceReport(app, service.type(), service.origin()));
  }
  return reports;
}

caraudio::v1::ReportAppStateRequest StepReport(const sim::v1::App& app,
                                               const sim::v1::LifecycleChange& change) {
  switch (change.change_case()) {
    case sim::v1::LifecycleChange::kVisibility:
      return VisibilityReport(app, change.visibility());
    case sim::v1::LifecycleChange::kStartFgs:
      return StartServiceReport(app, change.start_fgs().type(), change.start_fgs().origin());
    case sim::v1::LifecycleChange::kStopFgs:
      return StopServiceReport(app, change.stop_fgs());
    case sim::v1::LifecycleChange::kPlaybackState: {
      caraudio::v1::ReportAppStateRequest report = ReportFor(app);
      report.set_playback_state(change.playback_state());
      return report;
    }
    case sim::v1::LifecycleChange::CHANGE_NOT_SET:
      break;
  }
  return ReportFor(app);  // validation rejects a step without a change
}

std::vector<caraudio::v1::ReportAppStateRequest> FinalReports(
    const sim::v1::App& app, const std::set<caraudio::v1::ForegroundServiceType>& running) {
  std::vector<caraudio::v1::ReportAppStateRequest> reports;
  for (caraudio::v1::ForegroundServiceType type : running)
    reports.push_back(StopServiceReport(app, type));
  reports.push_back(VisibilityReport(app, caraudio::v1::APP_VISIBILITY_BACKGROUND));
  return reports;
}

caraudio::v1::ReportAppStateRequest StopReportFor(
    const caraudio::v1::ReportAppStateRequest& start) {
  caraudio::v1::ReportAppStateRequest report;
  report.set_package_name(start.package_name());
  report.set_uid(start.uid());
  report.set_stop_foreground_service(start.start_foreground_service().type());
  return report;
}

std::string DescribeReport(const caraudio::v1::ReportAppStateRequest& report) {
  switch (report.report_case()) {
    case caraudio::v1::ReportAppStateRequest::kVisibility:
      return VisibilityName(static_cast<Visibility>(report.visibility()));
    case caraudio::v1::ReportAppStateRequest::kStartForegroundService:
      return absl::StrCat("starts ", TypeName(report.start_foreground_service().type()), " FGS (",
                          FgsStartOriginName(static_cast<FgsStartOrigin>(
                              report.start_foreground_service().origin())),
                          ")");
    case caraudio::v1::ReportAppStateRequest::kStopForegroundService:
      return absl::StrCat("stops ", TypeName(report.stop_foreground_service()), " FGS");
    case caraudio::v1::ReportAppStateRequest::kPlaybackState:
      return absl::StrCat("playback ",
                          PlaybackStateName(static_cast<PlaybackState>(report.playback_state())));
    case caraudio::v1::ReportAppStateRequest::kUserInteraction:
      return "user interaction";
    case caraudio::v1::ReportAppStateRequest::REPORT_NOT_SET:
      break;
  }
  return "no report";
}

}  // namespace caraudio::sim
