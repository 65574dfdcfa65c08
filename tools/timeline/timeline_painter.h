// PaintTimeline: draws a TimelineLayout with cairo, on any cairo surface
// (SVG, image). It decides nothing: every position and colour comes from the
// layout, so what the tests read from the layout is what the picture shows.
//
// Order, back to front: white page, bands, lines, level curves, bars,
// markers, texts. Text uses cairo's toy font API with "DejaVu Sans"
// (fontconfig substitutes a sans font when it is missing).

#ifndef CARAUDIO_TOOLS_TIMELINE_TIMELINE_PAINTER_H_
#define CARAUDIO_TOOLS_TIMELINE_TIMELINE_PAINTER_H_

#include <cairo.h>

#include "tools/timeline/timeline_layout.h"

namespace caraudio::timeline {

// Paints `layout` onto `cr` (not owned), whose user space must be the
// layout's pixel space. Leaves cr's state as it found it.
void PaintTimeline(const TimelineLayout& layout, cairo_t* cr);

}  // namespace caraudio::timeline

#endif  // CARAUDIO_TOOLS_TIMELINE_TIMELINE_PAINTER_H_
