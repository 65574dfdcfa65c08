// The ReportAppState calls a simulated app's lifecycle stands for
// (tools/audiofocus_sim/lifecycle_reports.h), per profile and per step.

#include "tools/audiofocus_sim/lifecycle_reports.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "google/protobuf/text_format.h"

namespace caraudio::sim {
namespace {

v1::App App(const std::string& text) {
  v1::App app;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      "package_name: 'com.example.app' uid: 10100 " + text, &app));
  return app;
}

std::vector<std::string> Describe(const std::vector<caraudio::v1::ReportAppStateRequest>& reports) {
  std::vector<std::string> lines;
  for (const auto& report : reports) {
    EXPECT_EQ(report.package_name(), "com.example.app");
    EXPECT_EQ(report.uid(), 10100);
    lines.push_back(DescribeReport(report));
  }
  return lines;
}

TEST(LifecycleReportsTest, InitialLifecycleAsDeclared) {
  const v1::App app = App(R"(initial_lifecycle {
      visibility: APP_VISIBILITY_VISIBLE
      foreground_services { type: FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK
                            origin: FGS_START_ORIGIN_WHILE_VISIBLE }
      foreground_services { type: FOREGROUND_SERVICE_TYPE_DATA_SYNC
                            origin: FGS_START_ORIGIN_USER_INTERACTION } })");
  EXPECT_EQ(Describe(InitialReports(app)),
            (std::vector<std::string>{"visible", "starts mediaPlayback FGS (while-visible)",
                                      "starts dataSync FGS (user-interaction)"}));
}

TEST(LifecycleReportsTest, LeftOutMeansBackground) {
  EXPECT_EQ(Describe(InitialReports(App(""))), (std::vector<std::string>{"background"}));
}

TEST(LifecycleReportsTest, BootCompletedProfileStartsItsServiceFromTheBackground) {
  const std::vector<caraudio::v1::ReportAppStateRequest> reports =
      InitialReports(App("behaviour: BEHAVIOUR_STARTS_FROM_BOOT_COMPLETED"));
  EXPECT_EQ(Describe(reports),
            (std::vector<std::string>{"background", "starts mediaPlayback FGS (boot-completed)"}));
  EXPECT_EQ(reports[1].start_foreground_service().origin(),
            caraudio::v1::FGS_START_ORIGIN_BOOT_COMPLETED);
  EXPECT_EQ(Describe({StopReportFor(reports[1])}),
            (std::vector<std::string>{"stops mediaPlayback FGS"}));
}

TEST(LifecycleReportsTest, BackgroundWithoutServiceProfile) {
  EXPECT_EQ(Describe(InitialReports(App("behaviour: BEHAVIOUR_BACKGROUND_WITHOUT_FGS"))),
            (std::vector<std::string>{"background"}));
}

TEST(LifecycleReportsTest, Steps) {
  const v1::App app = App("");
  auto step = [&app](const std::string& text) {
    v1::LifecycleChange change;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &change));
    return DescribeReport(StepReport(app, change));
  };
  EXPECT_EQ(step("visibility: APP_VISIBILITY_PICTURE_IN_PICTURE"), "picture-in-picture");
  EXPECT_EQ(step("start_fgs { type: FOREGROUND_SERVICE_TYPE_LOCATION "
                 "origin: FGS_START_ORIGIN_BACKGROUND }"),
            "starts location FGS (background)");
  EXPECT_EQ(step("stop_fgs: FOREGROUND_SERVICE_TYPE_LOCATION"), "stops location FGS");
  EXPECT_EQ(step("playback_state: APP_PLAYBACK_STATE_PAUSED"), "playback paused");
}

TEST(LifecycleReportsTest, FinalReportsStopEveryServiceThenBackground) {
  EXPECT_EQ(
      Describe(FinalReports(App(""), {caraudio::v1::FOREGROUND_SERVICE_TYPE_DATA_SYNC,
                                      caraudio::v1::FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK})),
      (std::vector<std::string>{"stops dataSync FGS", "stops mediaPlayback FGS", "background"}));
}

}  // namespace
}  // namespace caraudio::sim
