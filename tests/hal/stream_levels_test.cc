// WatchStreamLevels (audio_control.proto): one report per interval with
// every routed stream, levels of the period since the watch's previous
// report, ends on cancel and shutdown. The in-memory backend stands in for
// the bridge's meter with injected cumulative readings.

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/hal/hal_test_harness.h"

namespace caraudio::testing {
namespace {

constexpr uint64_t kQuantum = 128;

// `cycles` cycles of a stereo sine of `amplitude` added to `meter`.
void AddSine(StreamMeterReading& meter, int cycles, double amplitude) {
  for (int i = 0; i < cycles; ++i) {
    AddCycle(meter, kQuantum, kQuantum * amplitude * amplitude, static_cast<float>(amplitude));
  }
}

MeteredStream Stream(uint32_t node_id, const std::string& package, int32_t uid, bool silenced) {
  MeteredStream stream;
  stream.node_id = node_id;
  stream.node_name = package + "-player";
  stream.route.zone_id = 1;
  stream.route.usage = v1::USAGE_MEDIA;
  stream.route.device_address = "bus100_media_out";
  stream.route.client_id = package + "-client";
  stream.route.package_name = package;
  stream.route.uid = uid;
  stream.silenced = silenced;
  stream.meter.serial = node_id;
  return stream;
}

TEST(StreamLevelsTest, IntervalOutsideTenToOneThousandIsRejected) {
  HalHarness hal;
  for (int32_t interval_ms : {9, 1001, -50}) {
    std::unique_ptr<LevelStream> levels = hal.WatchStreamLevels(interval_ms);
    EXPECT_TRUE(EndsWith(*levels, grpc::StatusCode::INVALID_ARGUMENT,
                         absl::StrCat("interval_ms ", interval_ms,
                                      " is outside 10..1000 (0 means 50)")));
  }
  EXPECT_EQ(hal.hal().snapshot().stream_level_watches, 0);
}

TEST(StreamLevelsTest, ABackendWithoutAudioReportsNothingMeasured) {
  HalHarness hal;  // in-memory backend, nothing injected
  std::unique_ptr<LevelStream> levels = hal.WatchStreamLevels(20);
  std::optional<v1::StreamLevelsReport> report = levels->Next();
  ASSERT_TRUE(report.has_value());
  EXPECT_FALSE(report->measured());
  EXPECT_EQ(report->streams_size(), 0);
  // Once levels exist, reports say so (a report already on its way may not).
  hal.backend().SetStreamLevels({});
  bool measured = false;
  for (int i = 0; i < 5 && !measured; ++i) {
    report = levels->Next();
    ASSERT_TRUE(report.has_value());
    measured = report->measured();
  }
  EXPECT_TRUE(measured);
}

TEST(StreamLevelsTest, ReportsListEveryStreamByNodeIdWithItsIdentity) {
  HalHarness hal;
  // Injected out of order; reports are by node id.
  hal.backend().SetStreamLevels(
      {Stream(42, "com.example.radio", 10100, true), Stream(7, "com.example.nav", 10200, false)});
  std::unique_ptr<LevelStream> levels = hal.WatchStreamLevels(20);
  std::optional<v1::StreamLevelsReport> report = levels->Next();
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->streams_size(), 2);
  const v1::StreamLevel& nav = report->streams(0);
  EXPECT_EQ(nav.node_id(), 7u);
  EXPECT_EQ(nav.node_name(), "com.example.nav-player");
  EXPECT_EQ(nav.package_name(), "com.example.nav");
  EXPECT_EQ(nav.uid(), 10200);
  EXPECT_EQ(nav.client_id(), "com.example.nav-client");
  EXPECT_EQ(nav.zone_id(), 1);
  EXPECT_EQ(nav.usage(), v1::USAGE_MEDIA);
  EXPECT_EQ(nav.device_address(), "bus100_media_out");
  EXPECT_FALSE(nav.silenced());
  EXPECT_EQ(report->streams(1).node_id(), 42u);
  EXPECT_TRUE(report->streams(1).silenced());
  // Nothing was measured in the period: silence.
  EXPECT_EQ(nav.peak_dbfs(), -120.0f);
  EXPECT_EQ(nav.rms_dbfs(), -120.0f);

  // No streams: empty reports keep coming.
  hal.backend().SetStreamLevels({});
  for (int i = 0; i < 3; ++i) {
    report = levels->Next();
    ASSERT_TRUE(report.has_value());
  }
  EXPECT_EQ(report->streams_size(), 0);
}

// Each report covers what was measured since the watch's previous report:
// audio injected once shows in exactly one report.
// Reports come every 10 ms and queue up while the test is slow (a loaded
// machine, ThreadSanitizer), so the test reads half a second's worth.
constexpr int kReportsToRead = 50;
TEST(StreamLevelsTest, EachReportCoversItsOwnPeriod) {
  HalHarness hal;
  MeteredStream radio = Stream(3, "com.example.radio", 10100, false);
  AddSine(radio.meter, 100, 0.9);  // before the watch: never reported
  hal.backend().SetStreamLevels({radio});
  std::unique_ptr<LevelStream> levels = hal.WatchStreamLevels(10);
  std::optional<v1::StreamLevelsReport> report = levels->Next();
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->streams_size(), 1);
  EXPECT_EQ(report->streams(0).rms_dbfs(), -120.0f);

  AddSine(radio.meter, 20, 0.5);
  hal.backend().SetStreamLevels({radio});
  int loud_reports = 0;
  for (int i = 0; i < kReportsToRead; ++i) {
    report = levels->Next();
    ASSERT_TRUE(report.has_value());
    ASSERT_EQ(report->streams_size(), 1);
    const v1::StreamLevel& level = report->streams(0);
    if (level.rms_dbfs() > -120.0f) {
      ++loud_reports;
      EXPECT_NEAR(level.rms_dbfs(), -9.03, 0.01);
      EXPECT_NEAR(level.peak_dbfs(), -6.02, 0.01);
    } else {
      EXPECT_EQ(level.peak_dbfs(), -120.0f);
    }
  }
  EXPECT_EQ(loud_reports, 1);

  // A restarted stream under the same node id counts from its own start.
  MeteredStream restarted = Stream(3, "com.example.radio", 10100, false);
  restarted.meter.serial = 99;
  AddSine(restarted.meter, 4, 0.05);
  hal.backend().SetStreamLevels({restarted});
  for (int i = 0; i < kReportsToRead; ++i) {
    report = levels->Next();
    ASSERT_TRUE(report.has_value());
    if (report->streams(0).rms_dbfs() > -120.0f) break;
  }
  EXPECT_NEAR(report->streams(0).rms_dbfs(), -29.03, 0.01);
}

TEST(StreamLevelsTest, ReportsComeEveryIntervalForEachWatcherOnItsOwnClock) {
  HalHarness hal;
  hal.backend().SetStreamLevels({Stream(5, "com.example.radio", 1, false)});
  std::unique_ptr<LevelStream> fast = hal.WatchStreamLevels(20);
  std::unique_ptr<LevelStream> slow = hal.WatchStreamLevels(0);  // 50 ms
  auto periods_ms = [](LevelStream& stream, int reports) {
    std::vector<double> periods;
    int64_t last_ns = 0;
    for (int i = 0; i < reports; ++i) {
      std::optional<v1::StreamLevelsReport> report = stream.Next();
      if (!report) break;
      if (last_ns != 0) periods.push_back((report->timestamp_ns() - last_ns) / 1e6);
      last_ns = report->timestamp_ns();
    }
    return periods;
  };
  const std::vector<double> slow_periods = periods_ms(*slow, 8);
  const std::vector<double> fast_periods = periods_ms(*fast, 12);
  ASSERT_EQ(slow_periods.size(), 7u);
  ASSERT_GE(fast_periods.size(), 11u);
  auto median = [](std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
  };
  // Timed from when each report was due, so periods do not drift: the
  // median period is the interval. (Not the mean: a report delayed past its
  // next due time, on a stalled machine or under ThreadSanitizer, restarts
  // the schedule from then by design, which stretches that one period.)
  EXPECT_NEAR(median(slow_periods), 50.0, 5.0);
  EXPECT_NEAR(median(fast_periods), 20.0, 4.0);
  EXPECT_GT(*std::min_element(slow_periods.begin(), slow_periods.end()), 0.0);
  EXPECT_EQ(hal.hal().snapshot().stream_level_watches, 2);
}

TEST(StreamLevelsTest, CancelEndsTheWatchAndShutdownEndsTheRest) {
  HalHarness hal;
  std::unique_ptr<LevelStream> cancelled = hal.WatchStreamLevels(10);
  std::unique_ptr<LevelStream> open = hal.WatchStreamLevels(10);
  ASSERT_TRUE(cancelled->Next().has_value());
  ASSERT_TRUE(open->Next().has_value());
  EXPECT_EQ(hal.hal().snapshot().stream_level_watches, 2);
  cancelled->Cancel();
  std::optional<grpc::Status> status = cancelled->WaitForEnd();
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_TRUE(hal.WaitFor([](const auto& s) { return s.stream_level_watches == 1; }));

  hal.hal().Shutdown();
  status = open->WaitForEnd();
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(status->error_message(), "shutting down");
  EXPECT_EQ(hal.hal().snapshot().stream_level_watches, 0);
  std::unique_ptr<LevelStream> late = hal.WatchStreamLevels(10);
  EXPECT_TRUE(EndsWith(*late, grpc::StatusCode::UNAVAILABLE, "shutting down"));
}

}  // namespace
}  // namespace caraudio::testing
