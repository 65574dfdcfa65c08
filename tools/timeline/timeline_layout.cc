#include "tools/timeline/timeline_layout.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "carservice/hal_focus_tracker.h"
#include "tools/audioctl_render.h"

namespace caraudio::timeline {
namespace {

// Page geometry.
constexpr double kMargin = 16;
constexpr double kGutter = 250;  // the label column left of the plot
constexpr double kRightPad = 12;
constexpr double kTitleBaseline = 26;
constexpr double kTopAxisBaseline = 50;
constexpr double kLanesTop = 60;
constexpr double kZoneGap = 10;
constexpr double kHeaderHeight = 22;
constexpr double kAppRowHeight = 22;
constexpr double kBarInset = 4;
constexpr double kDeviceRowHeight = 34;
constexpr double kLevelTopInset = 6;   // 0 dB
constexpr double kLevelBottomInset = 6;  // muted
constexpr double kMarkerSize = 12;
constexpr double kMinBarWidth = 2;
constexpr double kMinTickSpacing = 70;

// Four text sizes only: the SVG carries one set of glyph outlines per size.
constexpr double kSmallText = 9;  // axis, scale, notes
constexpr double kText = 11;      // app and device labels, legend
constexpr double kHeading = 12;   // zone headers (bold)
constexpr double kTitleText = 15;

// Colours.
constexpr Color kInk{0x22, 0x22, 0x22};
constexpr Color kMutedInk{0x77, 0x77, 0x77};
constexpr Color kHeaderBand{0xe4, 0xe7, 0xee};
constexpr Color kStripe{0xf6, 0xf7, 0xf9};
constexpr Color kGrid{0xdd, 0xdd, 0xdd};
constexpr Color kAxis{0x99, 0x99, 0x99};
constexpr Color kLevelLine{0x1f, 0x4e, 0x79};
constexpr Color kLevelFill{0xc6, 0xdb, 0xef};
constexpr Color kRejection{0xc0, 0x00, 0x00};
constexpr Color kHardening{0x22, 0x22, 0x22};
constexpr Color kAudit{0xe6, 0x00, 0x7e};
constexpr Color kLegendGrey{0x88, 0x88, 0x88};

// Average glyph advance of DejaVu Sans relative to the font size.
double TextWidth(absl::string_view text, double size, bool bold) {
  int code_points = 0;
  for (unsigned char c : text) code_points += (c & 0xC0) != 0x80;
  return code_points * size * (bold ? 0.66 : 0.6);
}

// `text` shortened with "…" to at most `width` pixels.
std::string Fit(const std::string& text, double width, double size, bool bold = false) {
  if (TextWidth(text, size, bold) <= width) return text;
  std::string fitted = text;
  while (!fitted.empty() && TextWidth(fitted + "…", size, bold) > width) {
    fitted.pop_back();
    while (!fitted.empty() && (static_cast<unsigned char>(fitted.back()) & 0xC0) == 0x80) {
      fitted.pop_back();  // never cut a UTF-8 sequence
    }
    if (!fitted.empty() && (static_cast<unsigned char>(fitted.back()) & 0xC0) == 0xC0) {
      fitted.pop_back();
    }
  }
  return fitted + "…";
}

// "1 app", "3 apps".
std::string Count(size_t n, absl::string_view noun) {
  return absl::StrCat(n, " ", noun, n == 1 ? "" : "s");
}

std::string Seconds(int64_t ns) { return absl::StrFormat("%.2f s", ns / 1e9); }

// "0.34 s – 1.91 s (events #3–#14)", with the log's edges said in words.
std::string Span(int64_t start_ns, int64_t end_ns, uint64_t start_seq, uint64_t end_seq) {
  std::string text = absl::StrCat(start_seq == 0 ? "from the recorded state at " : "",
                                  Seconds(start_ns), " – ", Seconds(end_ns));
  if (end_seq == 0) absl::StrAppend(&text, " (the log's end)");
  if (start_seq != 0 && end_seq != 0) {
    absl::StrAppend(&text, " (events #", start_seq, "–#", end_seq, ")");
  } else if (start_seq != 0) {
    absl::StrAppend(&text, " (from event #", start_seq, ")");
  } else if (end_seq != 0) {
    absl::StrAppend(&text, " (until event #", end_seq, ")");
  }
  return text;
}

Color Lighter(Color c, double amount) {
  auto mix = [amount](uint8_t v) {
    return static_cast<uint8_t>(std::lround(v + (255 - v) * amount));
  };
  return Color{mix(c.r), mix(c.g), mix(c.b)};
}

std::string ZoneTitle(const ZoneTimeline& zone) {
  return zone.name.empty() ? absl::StrCat("zone ", zone.zone_id)
                           : absl::StrCat("zone ", zone.zone_id, " · ", zone.name);
}

// One app row of a zone: a client id, or a package seen only in markers.
struct Row {
  std::string client_id;  // "" for a package-only row
  std::string package_name;
  int32_t usage = 0;  // of its first interval (names HAL rows)
  int64_t first_ns = 0;
  uint64_t first_sequence = 0;
};

std::string RowLabel(const Row& row) {
  if (IsHalFocusClientId(row.client_id)) {
    return absl::StrCat("vehicle (HAL) · ", audioctl::UsageLabel(row.usage));
  }
  if (row.client_id.empty()) return row.package_name;
  if (row.package_name.empty() || row.package_name == row.client_id) return row.client_id;
  return absl::StrCat(row.client_id, " · ", row.package_name);
}

// The zone's app rows in order of first appearance, and which row each
// marker goes to (its client's row, else the first row of its package).
struct Rows {
  std::vector<Row> rows;
  std::vector<size_t> marker_rows;  // parallel to zone.markers
};

Rows AssignRows(const ZoneTimeline& zone) {
  std::vector<Row> rows;
  std::map<std::string, size_t> by_client;
  auto note = [&](const std::string& client, const std::string& package, int32_t usage,
                  int64_t ns, uint64_t seq) {
    auto [it, inserted] = by_client.try_emplace(client, rows.size());
    if (inserted) {
      rows.push_back(Row{client, package, usage, ns, seq});
      return;
    }
    Row& row = rows[it->second];
    if (row.package_name.empty()) row.package_name = package;
    if (std::tie(ns, seq) < std::tie(row.first_ns, row.first_sequence)) {
      row.first_ns = ns;
      row.first_sequence = seq;
    }
  };
  for (const FocusInterval& f : zone.focus) {
    note(f.client_id, f.package_name, f.usage, f.start_ns, f.start_sequence);
  }
  for (const Marker& m : zone.markers) {
    if (!m.client_id.empty()) note(m.client_id, m.package_name, 0, m.time_ns, m.sequence);
  }
  // Package-only markers join their package's first row, else a row of
  // their own (keyed by the package, which no client id collides with here
  // because client rows are looked up by client id only).
  std::map<std::string, size_t> package_rows;
  for (const Marker& m : zone.markers) {
    if (!m.client_id.empty()) continue;
    bool found = false;
    for (const Row& row : rows) found = found || row.package_name == m.package_name;
    if (!found && !package_rows.contains(m.package_name)) {
      package_rows[m.package_name] = rows.size();
      rows.push_back(Row{"", m.package_name, 0, m.time_ns, m.sequence});
    }
  }
  std::vector<size_t> order(rows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::tie(rows[a].first_ns, rows[a].first_sequence) <
           std::tie(rows[b].first_ns, rows[b].first_sequence);
  });
  Rows result;
  for (size_t i : order) result.rows.push_back(rows[i]);
  auto client_row = [&](const std::string& client) -> std::optional<size_t> {
    for (size_t i = 0; i < result.rows.size(); ++i) {
      if (!client.empty() && result.rows[i].client_id == client) return i;
    }
    return std::nullopt;
  };
  auto package_row = [&](const std::string& package) -> size_t {
    for (size_t i = 0; i < result.rows.size(); ++i) {
      if (result.rows[i].package_name == package) return i;
    }
    return 0;  // unreachable: every package got a row above
  };
  for (const Marker& m : zone.markers) {
    std::optional<size_t> row = client_row(m.client_id);
    result.marker_rows.push_back(row ? *row : package_row(m.package_name));
  }
  return result;
}

// How a focus state is drawn and said.
struct StateLook {
  BarStyle style;
  // How far the fill is lightened from the context's colour toward white.
  double lighten;
  const char* words;
};

StateLook LookFor(FocusState state) {
  switch (state) {
    case FocusState::kHolding:
      return {BarStyle::kSolid, 0, "holds focus"};
    case FocusState::kWaiting:  // light: it does not play, or plays ducked
      return {BarStyle::kHatched, 0.6, "waits"};
    case FocusState::kDelayed:  // empty: it has not played yet
      return {BarStyle::kDashedOutline, 1, "delayed (DELAY_OK), waits for its first GAIN"};
  }
  return {BarStyle::kSolid, 0, ""};
}

Color FillFor(FocusState state, Color color) { return Lighter(color, LookFor(state).lighten); }

// How a marker is drawn, named in tooltips' class and in the legend.
struct MarkerLook {
  MarkerShape shape;
  Color color;
  const char* hover_kind;
  const char* legend;
};

MarkerLook LookFor(MarkerKind kind) {
  switch (kind) {
    case MarkerKind::kRejection:
      return {MarkerShape::kTriangle, kRejection, "rejection", "rejected request"};
    case MarkerKind::kHardening:
      return {MarkerShape::kDiamond, kHardening, "hardening", "hardening decision"};
    case MarkerKind::kAuditFinding:
      return {MarkerShape::kCircle, kAudit, "audit", "audit finding"};
  }
  return {MarkerShape::kCircle, kInk, "", ""};
}

std::string FocusHover(const FocusInterval& f) {
  const std::string who = AppName(f.client_id, f.package_name);
  std::string state = LookFor(f.state).words;
  if (f.state == FocusState::kWaiting) {
    absl::StrAppend(&state, " after ", audioctl::ChangeLabel(f.loss),
                    f.loss == -3 ? " (may keep playing, ducked)" : "");
  }
  return absl::StrCat(who, " — ", audioctl::ContextLabel(ContextIndex(f.context)), " (",
                      audioctl::UsageLabel(f.usage), ")\n", state, ": ",
                      Span(f.start_ns, f.end_ns, f.start_sequence, f.end_sequence));
}

std::string MarkerHover(const Marker& m) {
  return absl::StrCat("#", m.sequence, " at ", Seconds(m.time_ns), ": ", m.summary, "\n",
                      m.reason);
}

// The axis step: the smallest "round" step leaving kMinTickSpacing pixels.
int64_t TickStepNs(int64_t span_ns, double plot_width) {
  constexpr int64_t kMs = 1'000'000;
  constexpr int64_t kSteps[] = {10 * kMs,    20 * kMs,    50 * kMs,     100 * kMs,
                                200 * kMs,   500 * kMs,   1000 * kMs,   2000 * kMs,
                                5000 * kMs,  10000 * kMs, 15000 * kMs,  30000 * kMs,
                                60000 * kMs, 120000 * kMs, 300000 * kMs, 600000 * kMs,
                                1800000 * kMs, 3600000 * kMs};
  for (int64_t step : kSteps) {
    if (plot_width * static_cast<double>(step) / static_cast<double>(span_ns) >=
        kMinTickSpacing) {
      return step;
    }
  }
  return kSteps[std::size(kSteps) - 1];
}

std::string TickLabel(int64_t ns, int64_t step_ns) {
  if (step_ns % 1'000'000'000 == 0) return absl::StrCat(ns / 1'000'000'000, " s");
  if (step_ns % 100'000'000 == 0) return absl::StrFormat("%.1f s", ns / 1e9);
  return absl::StrFormat("%.2f s", ns / 1e9);
}

class LayoutBuilder {
 public:
  LayoutBuilder(const TimelineModel& model, int width) : model_(model) {
    layout_.width = width;
    layout_.span_ns = model.end_ns > 0 ? model.end_ns : 1'000'000'000;
    layout_.plot.x = kMargin + kGutter;
    layout_.plot.width = width - kRightPad - layout_.plot.x;
  }

  TimelineLayout Build(const std::string& title) {
    Add(Text{{kMargin, kTitleBaseline}, Fit(title, layout_.width - 2 * kMargin, kTitleText, true), kTitleText,
             true, TextAlign::kLeft, kInk});
    double y = kLanesTop;
    for (size_t i = 0; i < model_.zones.size(); ++i) {
      if (i > 0) y += kZoneGap;
      y = AddZone(model_.zones[i], y);
    }
    layout_.plot.y = kLanesTop;
    layout_.plot.height = y - kLanesTop;
    AddAxis(kLanesTop, y);
    layout_.height = std::ceil(AddLegend(y + 40) + kMargin);
    return std::move(layout_);
  }

 private:
  double X(int64_t ns) const { return layout_.XForTime(ns); }
  double Right() const { return layout_.width - kMargin; }
  void Add(Text text) { layout_.texts.push_back(std::move(text)); }

  double AddZone(const ZoneTimeline& zone, double y) {
    const Rect header{kMargin, y, Right() - kMargin, kHeaderHeight};
    layout_.bands.push_back(Band{header, kHeaderBand});
    const std::string title = ZoneTitle(zone);
    Add(Text{{kMargin + 6, y + 15}, Fit(title, Right() - kMargin - 12, kHeading, true), kHeading, true,
             TextAlign::kLeft, kInk});
    const Rows rows = AssignRows(zone);
    layout_.hover_areas.push_back(HoverArea{
        header, "zone",
        absl::StrCat(title, ": ", Count(rows.rows.size(), "app"), ", ",
                     Count(zone.devices.size(), "ducked or muted device"))});
    y += kHeaderHeight;

    if (rows.rows.empty() && zone.devices.empty()) {
      Add(Text{{kMargin + 10, y + 15}, "no focus activity", kSmallText, false, TextAlign::kLeft,
               kMutedInk});
      return y + kAppRowHeight;
    }
    std::map<std::string, double> client_row_y;
    std::vector<double> row_y;
    for (size_t i = 0; i < rows.rows.size(); ++i) {
      const Row& row = rows.rows[i];
      const double top = y + i * kAppRowHeight;
      row_y.push_back(top);
      if (!row.client_id.empty()) client_row_y[row.client_id] = top;
      if (i % 2 == 1) {
        layout_.bands.push_back(Band{{kMargin, top, Right() - kMargin, kAppRowHeight}, kStripe});
      }
      Add(Text{{kMargin + 10, top + 15}, Fit(RowLabel(row), kGutter - 16, kText), kText, false,
               TextAlign::kLeft, kInk});
    }
    for (const FocusInterval& f : zone.focus) {
      const double top = client_row_y.at(f.client_id);
      const double x0 = X(f.start_ns);
      const double width = std::max(kMinBarWidth, X(f.end_ns) - x0);
      const Color color = ContextColor(f.context);
      Bar bar{{x0, top + kBarInset, width, kAppRowHeight - 2 * kBarInset},
              color,
              FillFor(f.state, color),
              LookFor(f.state).style,
              zone.zone_id,
              f.client_id,
              f.state,
              FocusHover(f)};
      layout_.hover_areas.push_back(HoverArea{bar.rect, "focus", bar.hover});
      layout_.bars.push_back(std::move(bar));
    }
    y += rows.rows.size() * kAppRowHeight;

    for (const std::string& address : zone.devices) {
      AddDeviceRow(zone, address, y);
      y += kDeviceRowHeight;
    }

    // Markers last, so that their tooltips sit above the bars'. Markers of
    // one row closer than their size (a rejection and its hardening line)
    // are set side by side to the right, so that each stays visible and
    // hoverable; their tooltips give the exact time.
    std::map<size_t, double> row_right;  // right edge of the row's last marker
    for (size_t i = 0; i < zone.markers.size(); ++i) {
      const Marker& m = zone.markers[i];
      const size_t row = rows.marker_rows[i];
      double x = X(m.time_ns);
      if (auto it = row_right.find(row); it != row_right.end()) {
        x = std::max(x, it->second + 1 + kMarkerSize / 2);
      }
      row_right[row] = x + kMarkerSize / 2;
      const Point center{x, row_y[row] + kAppRowHeight / 2};
      const MarkerLook look = LookFor(m.kind);
      MarkerMark mark{center, kMarkerSize, look.shape, look.color, m.kind,
                      MarkerHover(m)};
      const double hit = kMarkerSize + 4;
      layout_.hover_areas.push_back(HoverArea{
          {center.x - hit / 2, center.y - hit / 2, hit, hit}, look.hover_kind,
          mark.hover});
      layout_.markers.push_back(std::move(mark));
    }
    return y;
  }

  void AddDeviceRow(const ZoneTimeline& zone, const std::string& address, double top) {
    const double full_y = top + kLevelTopInset;
    const double muted_y = top + kDeviceRowHeight - kLevelBottomInset;
    const double ducked_y = (full_y + muted_y) / 2;
    Add(Text{{kMargin + 10, top + 21}, Fit(address, kGutter - 60, kText), kText, false,
             TextAlign::kLeft, kInk});
    const double scale_x = layout_.plot.x - 5;
    Add(Text{{scale_x, full_y + 3}, "0 dB", kSmallText, false, TextAlign::kRight, kMutedInk});
    Add(Text{{scale_x, ducked_y + 3}, "duck", kSmallText, false, TextAlign::kRight, kMutedInk});
    Add(Text{{scale_x, muted_y + 3}, "mute", kSmallText, false, TextAlign::kRight, kMutedInk});

    auto level_y = [&](DeviceLevel level) {
      switch (level) {
        case DeviceLevel::kFull:
          return full_y;
        case DeviceLevel::kDucked:
          return ducked_y;
        case DeviceLevel::kMuted:
          return muted_y;
      }
      return full_y;
    };
    LevelCurve curve{{}, muted_y, kLevelLine, kLevelFill};
    auto step_to = [&](double x, double y) {
      if (!curve.points.empty()) curve.points.push_back({x, curve.points.back().y});
      curve.points.push_back({x, y});
    };
    step_to(X(0), full_y);
    for (const LevelInterval& level : zone.levels) {
      if (level.device_address != address) continue;
      const double x0 = X(level.start_ns);
      const double x1 = std::max(x0 + kMinBarWidth, X(level.end_ns));
      step_to(x0, level_y(level.level));
      step_to(x1, full_y);
      layout_.hover_areas.push_back(HoverArea{
          {x0, full_y, x1 - x0, muted_y - full_y},
          "level",
          absl::StrCat(address, " ", level.level == DeviceLevel::kMuted ? "muted" : "ducked",
                       ": ",
                       Span(level.start_ns, level.end_ns, level.start_sequence,
                            level.end_sequence))});
    }
    step_to(X(layout_.span_ns), curve.points.back().y);
    layout_.levels.push_back(std::move(curve));
  }

  void AddAxis(double top, double bottom) {
    const Rect& plot = layout_.plot;
    layout_.lines.push_back(Line{{plot.x, top}, {plot.x + plot.width, top}, kAxis, 1});
    layout_.lines.push_back(Line{{plot.x, bottom}, {plot.x + plot.width, bottom}, kAxis, 1});
    const int64_t step = TickStepNs(layout_.span_ns, plot.width);
    for (int64_t t = 0; t <= layout_.span_ns; t += step) {
      const double x = X(t);
      layout_.lines.push_back(Line{{x, top}, {x, bottom}, kGrid, 1});
      layout_.lines.push_back(Line{{x, top - 4}, {x, top}, kAxis, 1});
      layout_.lines.push_back(Line{{x, bottom}, {x, bottom + 4}, kAxis, 1});
      const std::string label = TickLabel(t, step);
      Add(Text{{x, kTopAxisBaseline}, label, kSmallText, false, TextAlign::kCenter, kMutedInk});
      Add(Text{{x, bottom + 16}, label, kSmallText, false, TextAlign::kCenter, kMutedInk});
    }
    Add(Text{{kMargin, kTopAxisBaseline}, "time since the log's first event", kSmallText, false,
             TextAlign::kLeft, kMutedInk});
  }

  // The legend from `top`; returns its bottom.
  double AddLegend(double top) {
    Add(Text{{kMargin, top}, "Legend", kHeading, true, TextAlign::kLeft, kInk});
    double x = kMargin;
    double y = top + 10;
    constexpr double kItemHeight = 20;
    constexpr double kSwatchWidth = 22;
    // Places an item of `width` pixels at the cursor, wrapping; returns its left.
    auto place = [&](double width) {
      if (x > kMargin && x + width > Right()) {
        x = kMargin;
        y += kItemHeight;
      }
      const double left = x;
      x += width + 18;
      return left;
    };
    auto label = [&](double left, const std::string& text) {
      Add(Text{{left + kSwatchWidth + 6, y + 12}, text, kText, false, TextAlign::kLeft, kInk});
    };
    auto swatch = [&](Color color, FocusState state, const std::string& text) {
      const double left = place(kSwatchWidth + 6 + TextWidth(text, kText, false));
      Bar bar;
      bar.rect = {left, y + 3, kSwatchWidth, 11};
      bar.color = color;
      bar.fill = FillFor(state, color);
      bar.style = LookFor(state).style;
      layout_.bars.push_back(bar);
      label(left, text);
    };

    std::set<AudioContext> contexts;
    for (const ZoneTimeline& zone : model_.zones) {
      for (const FocusInterval& f : zone.focus) contexts.insert(f.context);
    }
    for (AudioContext context : contexts) {
      swatch(ContextColor(context), FocusState::kHolding,
             audioctl::ContextLabel(ContextIndex(context)));
    }
    x = kMargin;
    y += kItemHeight;
    swatch(kLegendGrey, FocusState::kHolding, "holds focus");
    swatch(kLegendGrey, FocusState::kWaiting, "waits after a transient loss");
    swatch(kLegendGrey, FocusState::kDelayed, "delayed (DELAY_OK)");
    for (MarkerKind kind :
         {MarkerKind::kRejection, MarkerKind::kHardening, MarkerKind::kAuditFinding}) {
      const MarkerLook look = LookFor(kind);
      const std::string text = look.legend;
      const double left = place(kSwatchWidth + 6 + TextWidth(text, kText, false));
      layout_.markers.push_back(MarkerMark{{left + kSwatchWidth / 2, y + 8}, kMarkerSize - 2,
                                           look.shape, look.color, kind, ""});
      label(left, text);
    }
    {
      const std::string text = "device level: 0 dB, ducked, muted";
      const double left = place(kSwatchWidth + 6 + TextWidth(text, kText, false));
      const double t = y + 2, m = y + 8, b = y + 14;
      layout_.levels.push_back(LevelCurve{{{left, t},
                                           {left + 7, t},
                                           {left + 7, m},
                                           {left + 15, m},
                                           {left + 15, b},
                                           {left + kSwatchWidth, b}},
                                          b,
                                          kLevelLine,
                                          kLevelFill});
      label(left, text);
    }
    Add(Text{{kMargin, y + kItemHeight + 14},
             "In the SVG, hover over a bar, a level change or a marker for details (why a "
             "request was rejected, the hardening log line, the audit finding).",
             kSmallText, false, TextAlign::kLeft, kMutedInk});
    return y + kItemHeight + 14;
  }

  const TimelineModel& model_;
  TimelineLayout layout_;
};

}  // namespace

double TimelineLayout::XForTime(int64_t ns) const {
  const double clamped = std::clamp<double>(static_cast<double>(ns), 0, static_cast<double>(span_ns));
  return plot.x + clamped / static_cast<double>(span_ns) * plot.width;
}

Color ContextColor(AudioContext context) {
  switch (context) {
    case AudioContext::kMusic:
      return {0x4e, 0x79, 0xa7};
    case AudioContext::kNavigation:
      return {0x59, 0xa1, 0x4f};
    case AudioContext::kVoiceCommand:
      return {0xb0, 0x7a, 0xa1};
    case AudioContext::kCallRing:
      return {0xed, 0xc9, 0x48};
    case AudioContext::kCall:
      return {0xf2, 0x8e, 0x2b};
    case AudioContext::kAlarm:
      return {0xff, 0x9d, 0xa7};
    case AudioContext::kNotification:
      return {0x76, 0xb7, 0xb2};
    case AudioContext::kSystemSound:
      return {0xba, 0xb0, 0xac};
    case AudioContext::kEmergency:
      return {0xe1, 0x57, 0x59};
    case AudioContext::kSafety:
      return {0x9c, 0x75, 0x5f};
    case AudioContext::kVehicleStatus:
      return {0x86, 0xbc, 0xb6};
    case AudioContext::kAnnouncement:
      return {0xd3, 0x72, 0x95};
    case AudioContext::kInvalid:
      break;
  }
  return {0x7f, 0x7f, 0x7f};
}

absl::StatusOr<TimelineLayout> LayOutTimeline(const TimelineModel& model, int width,
                                              const std::string& title) {
  if (width < kMinTimelineWidth || width > kMaxTimelineWidth) {
    return absl::InvalidArgumentError(absl::StrCat("the width must be ", kMinTimelineWidth, "..",
                                                   kMaxTimelineWidth, " pixels, not ", width));
  }
  return LayoutBuilder(model, width).Build(title);
}

}  // namespace caraudio::timeline
