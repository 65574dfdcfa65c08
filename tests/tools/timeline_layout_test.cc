// TimelineLayout of the recorded drive: where the bars, markers, level
// curves and tooltips go, and that they follow the model exactly (the
// painter and the SVG overlay use nothing else).

#include "tools/timeline/timeline_layout.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/tools/timeline_test_util.h"

namespace caraudio::timeline {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr double kEps = 1e-9;

TEST(TimelineLayoutTest, TimeMapsLinearlyOntoThePlot) {
  const TimelineModel model = RecordedDriveModel();
  const TimelineLayout layout = DriveLayout(model);
  EXPECT_EQ(layout.width, 1200);
  EXPECT_GT(layout.plot.x, 0);
  EXPECT_LT(layout.plot.x + layout.plot.width, layout.width);
  EXPECT_NEAR(layout.XForTime(0), layout.plot.x, kEps);
  EXPECT_NEAR(layout.XForTime(model.end_ns), layout.plot.x + layout.plot.width, kEps);
  EXPECT_NEAR(layout.XForTime(model.end_ns / 2), layout.plot.x + layout.plot.width / 2, 1e-6);
  EXPECT_GT(layout.height, layout.plot.y + layout.plot.height);
}

TEST(TimelineLayoutTest, OneHeaderTooltipPerZoneNamingIt) {
  const TimelineLayout layout = DriveLayout(RecordedDriveModel());
  std::vector<std::string> zones;
  for (const HoverArea& area : layout.hover_areas) {
    if (area.kind == "zone") zones.push_back(area.text);
  }
  ASSERT_THAT(zones, SizeIs(3));
  EXPECT_THAT(zones[0], StartsWith("zone 0 · driver/front: 6 apps, 1 ducked or muted device"));
  EXPECT_THAT(zones[1], StartsWith("zone 1 · rear left: 1 app, 0 ducked or muted devices"));
  EXPECT_THAT(zones[2], StartsWith("zone 2 · rear right"));
}

TEST(TimelineLayoutTest, EveryFocusIntervalIsABarAtItsTimesInItsClientsRow) {
  const TimelineModel model = RecordedDriveModel();
  const TimelineLayout layout = DriveLayout(model);
  size_t intervals = 0;
  for (const ZoneTimeline& zone : model.zones) {
    for (const FocusInterval& f : zone.focus) {
      ++intervals;
      const Bar* bar = FindBar(layout, zone.zone_id, f);
      ASSERT_NE(bar, nullptr) << f.client_id << " #" << f.start_sequence;
      EXPECT_NEAR(bar->rect.x, layout.XForTime(f.start_ns), kEps);
      EXPECT_NEAR(bar->rect.x + bar->rect.width,
                  std::max(layout.XForTime(f.end_ns), layout.XForTime(f.start_ns) + 2), kEps);
      EXPECT_EQ(bar->color, ContextColor(f.context));
    }
  }
  // Every bar with a tooltip is an interval; the rest are legend swatches.
  size_t hovered = std::count_if(layout.bars.begin(), layout.bars.end(),
                                 [](const Bar& bar) { return !bar.hover.empty(); });
  EXPECT_EQ(hovered, intervals);
  // One row per client: all of radio's bars share a y; the dialer's ring and
  // call (one client id) too.
  const ZoneTimeline& front = model.zones[0];
  const Bar* radio = FindBar(layout, 0, front.focus[0]);
  const Bar* radio_waiting = FindBar(layout, 0, front.focus[3]);
  const Bar* ring = FindBar(layout, 0, front.focus[2]);
  const Bar* call = FindBar(layout, 0, front.focus[5]);
  ASSERT_TRUE(radio && radio_waiting && ring && call);
  EXPECT_EQ(radio->rect.y, radio_waiting->rect.y);
  EXPECT_EQ(ring->rect.y, call->rect.y);
  EXPECT_GT(ring->rect.y, radio->rect.y);
}

TEST(TimelineLayoutTest, StatesAreDrawnDifferently) {
  const TimelineModel model = RecordedDriveModel();
  const TimelineLayout layout = DriveLayout(model);
  const ZoneTimeline& front = model.zones[0];
  const Bar* holding = FindBar(layout, 0, front.focus[0]);   // radio
  const Bar* waiting = FindBar(layout, 0, front.focus[3]);   // radio after LOSS_TRANSIENT
  const Bar* delayed = FindBar(layout, 0, front.focus[7]);   // podcast, DELAY_OK
  ASSERT_TRUE(holding && waiting && delayed);
  EXPECT_EQ(holding->style, BarStyle::kSolid);
  EXPECT_EQ(holding->fill, ContextColor(AudioContext::kMusic));
  EXPECT_EQ(waiting->style, BarStyle::kHatched);
  EXPECT_NE(waiting->fill, waiting->color);
  EXPECT_GT(waiting->fill.r, waiting->color.r);  // lighter
  EXPECT_EQ(delayed->style, BarStyle::kDashedOutline);
  EXPECT_EQ(delayed->fill, (Color{255, 255, 255}));
  EXPECT_THAT(waiting->hover, HasSubstr("waits after LOSS_TRANSIENT"));
  EXPECT_THAT(delayed->hover, HasSubstr("delayed (DELAY_OK)"));
  EXPECT_THAT(holding->hover, HasSubstr("radio (com.example.radio) — MUSIC (USAGE_MEDIA)"));
  EXPECT_THAT(holding->hover, HasSubstr("holds focus: 0.34 s – 2.25 s (events #3–#14)"));
}

TEST(TimelineLayoutTest, MarkersCarryTheirReasonsAndSitInTheirAppsRow) {
  const TimelineModel model = RecordedDriveModel();
  const TimelineLayout layout = DriveLayout(model);
  std::vector<const HoverArea*> markers;
  for (const HoverArea& area : layout.hover_areas) {
    if (area.kind == "rejection" || area.kind == "hardening" || area.kind == "audit") {
      markers.push_back(&area);
    }
  }
  ASSERT_THAT(markers, SizeIs(5));
  EXPECT_EQ(markers[0]->kind, "rejection");
  EXPECT_THAT(markers[0]->text,
              HasSubstr("rejected: CALL holder \"dialer\" → NAVIGATION request is REJECT"));
  EXPECT_EQ(markers[2]->kind, "rejection");
  EXPECT_THAT(markers[2]->text, HasSubstr("hardening: background, no foreground service"));
  EXPECT_EQ(markers[4]->kind, "audit");
  EXPECT_THAT(markers[4]->text, HasSubstr("changed-volume-itself"));

  // The maps rejection is in maps' row, at its time.
  const ZoneTimeline& front = model.zones[0];
  const Bar* maps = FindBar(layout, 0, front.focus[1]);
  ASSERT_NE(maps, nullptr);
  EXPECT_NEAR(markers[0]->rect.Center().y, maps->rect.Center().y, kEps);
  EXPECT_NEAR(markers[0]->rect.Center().x, layout.XForTime(front.markers[0].time_ns), kEps);
  // The audit finding names only the package: it joins the podcast's row.
  const Bar* podcast = FindBar(layout, 0, front.focus[8]);
  ASSERT_NE(podcast, nullptr);
  EXPECT_NEAR(markers[4]->rect.Center().y, podcast->rect.Center().y, kEps);
  // The bgapp's three markers (7.00 s, 7.01 s, 7.01 s) share a row but do
  // not cover each other.
  for (int i : {1, 2}) {
    EXPECT_EQ(markers[i]->rect.y, markers[i + 1]->rect.y);
    EXPECT_GE(markers[i + 1]->rect.Center().x - markers[i]->rect.Center().x, 12);
  }
}

TEST(TimelineLayoutTest, LevelCurveStepsThroughDuckAndMute) {
  const TimelineModel model = RecordedDriveModel();
  const TimelineLayout layout = DriveLayout(model);
  std::vector<const HoverArea*> levels;
  for (const HoverArea& area : layout.hover_areas) {
    if (area.kind == "level") levels.push_back(&area);
  }
  ASSERT_THAT(levels, SizeIs(2));
  EXPECT_THAT(levels[0]->text, StartsWith("bus0_media_out ducked: 1.01 s – 1.82 s"));
  EXPECT_THAT(levels[1]->text, StartsWith("bus0_media_out muted: 6.03 s – 6.66 s"));
  // The first curve is the device's (the legend's sample comes after).
  ASSERT_FALSE(layout.levels.empty());
  const LevelCurve& curve = layout.levels[0];
  const double full = levels[0]->rect.y;
  const double muted = levels[0]->rect.y + levels[0]->rect.height;
  EXPECT_NEAR(curve.baseline_y, muted, kEps);
  // Its y values: full level, then halfway down while ducked, then the
  // baseline while muted, and back.
  std::vector<double> ys;
  for (const Point& p : curve.points) {
    if (ys.empty() || ys.back() != p.y) ys.push_back(p.y);
  }
  EXPECT_THAT(ys, testing::ElementsAre(full, (full + muted) / 2, full, muted, full));
}

TEST(TimelineLayoutTest, LegendListsTheContextsUsed) {
  const TimelineLayout layout = DriveLayout(RecordedDriveModel());
  std::vector<std::string> texts;
  for (const Text& text : layout.texts) texts.push_back(text.text);
  for (const char* context : {"MUSIC", "NAVIGATION", "CALL_RING", "CALL", "SAFETY"}) {
    EXPECT_NE(std::find(texts.begin(), texts.end(), context), texts.end()) << context;
  }
  EXPECT_EQ(std::find(texts.begin(), texts.end(), "ALARM"), texts.end());
  for (const char* words : {"holds focus", "waits after a transient loss", "delayed (DELAY_OK)",
                            "rejected request", "hardening decision", "audit finding"}) {
    EXPECT_NE(std::find(texts.begin(), texts.end(), words), texts.end()) << words;
  }
}

TEST(TimelineLayoutTest, LongLabelsAreShortenedToTheLabelColumn) {
  TimelineModel model;
  model.end_ns = 1'000'000'000;
  ZoneTimeline zone;
  zone.focus.push_back(FocusInterval{
      "a-client-id-much-too-long-for-the-label-column",
      "com.example.an.application.with.a.very.long.package.name", v1::USAGE_MEDIA,
      AudioContext::kMusic, FocusState::kHolding, 0, 0, 500'000'000, 1, 2});
  model.zones.push_back(zone);
  absl::StatusOr<TimelineLayout> layout = LayOutTimeline(model, 800, "t");
  ASSERT_TRUE(layout.ok()) << layout.status();
  bool found = false;
  for (const Text& text : layout->texts) {
    if (absl::StartsWith(text.text, "a-client-id")) {
      found = true;
      EXPECT_TRUE(absl::EndsWith(text.text, "…")) << text.text;
      EXPECT_LT(text.text.size(), 60u);
    }
  }
  EXPECT_TRUE(found);
}

TEST(TimelineLayoutTest, RowLabelsNameClientAndPackageOnce) {
  TimelineModel model;
  model.end_ns = 1'000'000'000;
  ZoneTimeline zone;
  for (const char* client : {"com.example.radio", "radio", "hal-focus/zone0/USAGE_SAFETY"}) {
    zone.focus.push_back(FocusInterval{client,
                                       absl::StartsWith(client, "hal") ? "" : "com.example.radio",
                                       v1::USAGE_MEDIA, AudioContext::kMusic,
                                       FocusState::kHolding, 0, 0, 1, 1, 2});
  }
  model.zones.push_back(zone);
  absl::StatusOr<TimelineLayout> layout = LayOutTimeline(model, 1200, "t");
  ASSERT_TRUE(layout.ok()) << layout.status();
  std::vector<std::string> texts;
  for (const Text& text : layout->texts) texts.push_back(text.text);
  for (const char* label : {"com.example.radio", "radio · com.example.radio",
                            "vehicle (HAL) · USAGE_MEDIA"}) {
    EXPECT_NE(std::find(texts.begin(), texts.end(), label), texts.end()) << label;
  }
}

TEST(TimelineLayoutTest, WidthOutsideTheRangeIsRefused) {
  const TimelineModel model = RecordedDriveModel();
  for (int width : {0, 599, 10001}) {
    absl::StatusOr<TimelineLayout> layout = LayOutTimeline(model, width, "t");
    EXPECT_EQ(layout.status().code(), absl::StatusCode::kInvalidArgument) << width;
    EXPECT_THAT(std::string(layout.status().message()), HasSubstr("600..10000"));
  }
  EXPECT_TRUE(LayOutTimeline(model, 600, "t").ok());
}

}  // namespace
}  // namespace caraudio::timeline
