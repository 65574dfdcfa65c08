// Shared by the timeline tests: the recorded drive (testdata/timeline/
// drive.jsonl, TIMELINE_TESTDATA_DIR set by CMake) as a model and a layout,
// and the bar the layout drew for a focus interval.

#ifndef CARAUDIO_TESTS_TOOLS_TIMELINE_TEST_UTIL_H_
#define CARAUDIO_TESTS_TOOLS_TIMELINE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tools/event_replay.h"
#include "tools/timeline/timeline_layout.h"
#include "tools/timeline/timeline_model.h"
#include "zones/car_audio_config_parser.h"
#include "zones/text_file.h"

namespace caraudio::timeline {

inline std::string RecordedDrivePath() {
  return absl::StrCat(TIMELINE_TESTDATA_DIR, "/drive.jsonl");
}

inline CarAudioConfig DefaultCar() {
  absl::StatusOr<CarAudioConfig> car = LoadDefaultCarAudioConfig();
  EXPECT_TRUE(car.ok()) << car.status();
  return car.ok() ? *car : CarAudioConfig{};
}

inline TimelineModel RecordedDriveModel() {
  absl::StatusOr<std::string> text = ReadTextFile(RecordedDrivePath(), "event log");
  EXPECT_TRUE(text.ok()) << text.status();
  absl::StatusOr<std::vector<v1::Event>> events =
      ParseEventLog(text.value_or(""), RecordedDrivePath());
  EXPECT_TRUE(events.ok()) << events.status();
  absl::StatusOr<TimelineModel> model = BuildTimelineModel(events.value_or(std::vector<v1::Event>{}), DefaultCar());
  EXPECT_TRUE(model.ok()) << model.status();
  return model.value_or(TimelineModel{});
}

inline TimelineLayout DriveLayout(const TimelineModel& model) {
  absl::StatusOr<TimelineLayout> layout =
      LayOutTimeline(model, kDefaultTimelineWidth, "Focus timeline · drive.jsonl");
  EXPECT_TRUE(layout.ok()) << layout.status();
  return layout.value_or(TimelineLayout{});
}

// The bar drawn for interval `f` of zone `zone_id`; nullptr when none.
inline const Bar* FindBar(const TimelineLayout& layout, int32_t zone_id,
                          const FocusInterval& f) {
  for (const Bar& bar : layout.bars) {
    if (bar.zone_id == zone_id && bar.client_id == f.client_id && bar.state == f.state &&
        bar.rect.x == layout.XForTime(f.start_ns)) {
      return &bar;
    }
  }
  return nullptr;
}

}  // namespace caraudio::timeline

#endif  // CARAUDIO_TESTS_TOOLS_TIMELINE_TEST_UTIL_H_
