// TimelineLayout: the timeline picture as geometry — every band, line, bar,
// level curve, marker and text with its coordinates and colour — computed
// once from a TimelineModel. A painter (timeline_painter.h) draws it; the SVG
// hover overlay (svg_hover_overlay.h) puts its tooltips on exactly the same
// rectangles; tests read positions and colours from it.
//
// The picture, top to bottom: a title, the time axis (seconds since the
// log's first event), then per zone a lane group — a header band naming the
// zone, one row per app (client id and package at the left) with its focus
// bars coloured by audio context (holding: solid; waiting after a transient
// loss: light and hatched; delayed: dashed outline) and its markers
// (rejection: red triangle; hardening: black diamond; audit finding: magenta
// circle), then one row per ducked or muted device with its level as a step
// line (top: 0 dB, middle: ducked, bottom: muted) — and a legend.
//
// Coordinates are pixels (SVG user units), origin top left. Text widths are
// estimated from the font size, so the layout needs no font machinery; long
// labels are shortened with "…" to fit. Pure; thread-compatible.

#ifndef CARAUDIO_TOOLS_TIMELINE_TIMELINE_LAYOUT_H_
#define CARAUDIO_TOOLS_TIMELINE_TIMELINE_LAYOUT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "carservice/audio_context.h"
#include "tools/timeline/timeline_model.h"

namespace caraudio::timeline {

struct Color {
  uint8_t r = 0, g = 0, b = 0;
  friend bool operator==(const Color&, const Color&) = default;
};

struct Point {
  double x = 0, y = 0;
};

struct Rect {
  double x = 0, y = 0, width = 0, height = 0;
  Point Center() const { return {x + width / 2, y + height / 2}; }
};

// A filled rectangle behind everything (zone header bands, row stripes).
struct Band {
  Rect rect;
  Color color;
};

// A straight line (grid, axis, ticks).
struct Line {
  Point from, to;
  Color color;
  double width = 1;
};

enum class BarStyle {
  kSolid,          // holding
  kHatched,        // waiting: light fill, diagonal hatching in the colour
  kDashedOutline,  // delayed: white fill, dashed outline in the colour
};

// One focus interval (or a legend swatch: zone_id -1, no hover).
struct Bar {
  Rect rect;
  Color color;  // the context's: the solid fill, the hatching, the outline
  Color fill;   // what fills the rectangle under any hatching
  BarStyle style = BarStyle::kSolid;
  int32_t zone_id = -1;
  std::string client_id;
  FocusState state = FocusState::kHolding;
  std::string hover;  // tooltip; "" for legend swatches
};

// One device's level over time: a step line through `points` with the area
// between it and the muted baseline filled.
struct LevelCurve {
  std::vector<Point> points;
  double baseline_y = 0;  // the muted level
  Color line_color;
  Color fill_color;
};

enum class MarkerShape { kTriangle, kDiamond, kCircle };

struct MarkerMark {
  Point center;
  double size = 0;  // width and height of the shape
  MarkerShape shape = MarkerShape::kTriangle;
  Color color;
  MarkerKind kind = MarkerKind::kRejection;
  std::string hover;  // "" for legend samples
};

enum class TextAlign { kLeft, kCenter, kRight };

struct Text {
  Point anchor;  // on the baseline; x per `align`
  std::string text;
  double size = 11;
  bool bold = false;
  TextAlign align = TextAlign::kLeft;
  Color color;
};

// A tooltip area: in SVG a transparent rectangle with a <title>.
struct HoverArea {
  Rect rect;
  std::string kind;  // "zone", "focus", "level", "rejection", "hardening", "audit"
  std::string text;
};

struct TimelineLayout {
  double width = 0;
  double height = 0;
  Rect plot;  // the time area of the lanes: x = time, spans every lane
  std::vector<Band> bands;
  std::vector<Line> lines;
  std::vector<Bar> bars;
  std::vector<LevelCurve> levels;
  std::vector<MarkerMark> markers;
  std::vector<Text> texts;
  // Tooltips in drawing order (later ones on top): zone headers, focus bars,
  // level intervals, markers.
  std::vector<HoverArea> hover_areas;

  // The x of a time (ns since the log's start).
  double XForTime(int64_t ns) const;
  int64_t span_ns = 1;
};

inline constexpr int kDefaultTimelineWidth = 1200;
inline constexpr int kMinTimelineWidth = 600;
inline constexpr int kMaxTimelineWidth = 10000;

// The colour of an audio context's bars.
Color ContextColor(AudioContext context);

// Lays out `model` `width` pixels wide (kMinTimelineWidth..kMaxTimelineWidth,
// else InvalidArgument); the height follows from the lanes. `title` heads
// the picture (e.g. the log's file name).
absl::StatusOr<TimelineLayout> LayOutTimeline(const TimelineModel& model, int width,
                                              const std::string& title);

}  // namespace caraudio::timeline

#endif  // CARAUDIO_TOOLS_TIMELINE_TIMELINE_LAYOUT_H_
