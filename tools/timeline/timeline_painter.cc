#include "tools/timeline/timeline_painter.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace caraudio::timeline {
namespace {

constexpr double kHatchSpacing = 6;
constexpr double kDash[] = {4, 3};

void SetColor(cairo_t* cr, Color c) { cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0); }

void FillRect(cairo_t* cr, const Rect& r, Color color) {
  SetColor(cr, color);
  cairo_rectangle(cr, r.x, r.y, r.width, r.height);
  cairo_fill(cr);
}

void PaintLine(cairo_t* cr, const Line& line) {
  SetColor(cr, line.color);
  cairo_set_line_width(cr, line.width);
  // Half-pixel offsets keep 1 px lines crisp on the image surface.
  const bool vertical = line.from.x == line.to.x;
  const double dx = vertical ? 0.5 : 0, dy = vertical ? 0 : 0.5;
  cairo_move_to(cr, std::floor(line.from.x) + dx, std::floor(line.from.y) + dy);
  cairo_line_to(cr, std::floor(line.to.x) + dx, std::floor(line.to.y) + dy);
  cairo_stroke(cr);
}

void PaintBar(cairo_t* cr, const Bar& bar) {
  const Rect& r = bar.rect;
  FillRect(cr, r, bar.fill);
  switch (bar.style) {
    case BarStyle::kSolid:
      break;
    case BarStyle::kHatched:
      cairo_save(cr);
      cairo_rectangle(cr, r.x, r.y, r.width, r.height);
      cairo_clip(cr);
      SetColor(cr, bar.color);
      cairo_set_line_width(cr, 1.2);
      for (double x = r.x - r.height; x < r.x + r.width; x += kHatchSpacing) {
        cairo_move_to(cr, x, r.y + r.height);
        cairo_line_to(cr, x + r.height, r.y);
      }
      cairo_stroke(cr);
      cairo_restore(cr);
      break;
    case BarStyle::kDashedOutline:
      cairo_save(cr);
      SetColor(cr, bar.color);
      cairo_set_line_width(cr, 1.5);
      cairo_set_dash(cr, kDash, 2, 0);
      cairo_rectangle(cr, r.x + 0.75, r.y + 0.75, std::max(0.0, r.width - 1.5),
                      std::max(0.0, r.height - 1.5));
      cairo_stroke(cr);
      cairo_restore(cr);
      break;
  }
}

void PaintLevel(cairo_t* cr, const LevelCurve& curve) {
  if (curve.points.empty()) return;
  cairo_move_to(cr, curve.points.front().x, curve.baseline_y);
  for (const Point& p : curve.points) cairo_line_to(cr, p.x, p.y);
  cairo_line_to(cr, curve.points.back().x, curve.baseline_y);
  cairo_close_path(cr);
  SetColor(cr, curve.fill_color);
  cairo_fill(cr);
  cairo_move_to(cr, curve.points.front().x, curve.points.front().y);
  for (const Point& p : curve.points) cairo_line_to(cr, p.x, p.y);
  SetColor(cr, curve.line_color);
  cairo_set_line_width(cr, 1.5);
  cairo_stroke(cr);
}

void PaintMarker(cairo_t* cr, const MarkerMark& m) {
  const double h = m.size / 2;
  const Point c = m.center;
  switch (m.shape) {
    case MarkerShape::kTriangle:  // pointing down at the instant
      cairo_move_to(cr, c.x - h, c.y - h);
      cairo_line_to(cr, c.x + h, c.y - h);
      cairo_line_to(cr, c.x, c.y + h);
      cairo_close_path(cr);
      break;
    case MarkerShape::kDiamond:
      cairo_move_to(cr, c.x, c.y - h);
      cairo_line_to(cr, c.x + h, c.y);
      cairo_line_to(cr, c.x, c.y + h);
      cairo_line_to(cr, c.x - h, c.y);
      cairo_close_path(cr);
      break;
    case MarkerShape::kCircle:
      cairo_new_sub_path(cr);
      cairo_arc(cr, c.x, c.y, h, 0, 2 * std::numbers::pi);
      break;
  }
  SetColor(cr, m.color);
  cairo_fill_preserve(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);  // a white rim keeps it readable on any bar
  cairo_set_line_width(cr, 1);
  cairo_stroke(cr);
}

void PaintText(cairo_t* cr, const Text& text) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         text.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, text.size);
  double x = text.anchor.x;
  if (text.align != TextAlign::kLeft) {
    cairo_text_extents_t extents;
    cairo_text_extents(cr, text.text.c_str(), &extents);
    x -= text.align == TextAlign::kCenter ? extents.x_advance / 2 : extents.x_advance;
  }
  SetColor(cr, text.color);
  cairo_move_to(cr, x, text.anchor.y);
  cairo_show_text(cr, text.text.c_str());
  cairo_new_path(cr);
}

}  // namespace

void PaintTimeline(const TimelineLayout& layout, cairo_t* cr) {
  cairo_save(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  for (const Band& band : layout.bands) FillRect(cr, band.rect, band.color);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  for (const Line& line : layout.lines) PaintLine(cr, line);
  for (const LevelCurve& curve : layout.levels) PaintLevel(cr, curve);
  for (const Bar& bar : layout.bars) PaintBar(cr, bar);
  for (const MarkerMark& marker : layout.markers) PaintMarker(cr, marker);
  for (const Text& text : layout.texts) PaintText(cr, text);
  cairo_restore(cr);
}

}  // namespace caraudio::timeline
