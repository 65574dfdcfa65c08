// AddHoverAreas: tooltips for an SVG that cairo drew. Cairo's SVG surface
// cannot emit <title> elements, so the finished document is parsed with
// tinyxml2 and given, as the last child of its root, a group
//   <g id="hover-areas">
//     <rect class="KIND" x=".." y=".." width=".." height=".." fill="#000"
//           fill-opacity="0" pointer-events="all"><title>TEXT</title></rect>
//     ...
//   </g>
// with one invisible rectangle per HoverArea, in order (later ones on top).
// The rectangles are in the SVG's user units, which are the layout's pixels
// when cairo drew the layout at scale 1. Pure; thread-compatible.

#ifndef CARAUDIO_TOOLS_TIMELINE_SVG_HOVER_OVERLAY_H_
#define CARAUDIO_TOOLS_TIMELINE_SVG_HOVER_OVERLAY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tools/timeline/timeline_layout.h"

namespace caraudio::timeline {

// `svg` with the hover group added. InvalidArgument when `svg` is not XML
// with an <svg> root.
absl::StatusOr<std::string> AddHoverAreas(absl::string_view svg,
                                          const std::vector<HoverArea>& areas);

}  // namespace caraudio::timeline

#endif  // CARAUDIO_TOOLS_TIMELINE_SVG_HOVER_OVERLAY_H_
