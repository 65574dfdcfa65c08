// The timeline picture as a file: SVG (cairo's SVG surface, then the hover
// tooltips of svg_hover_overlay.h) or PNG (cairo's image surface), chosen by
// the output file's extension, both painted from the same TimelineLayout at
// one user unit per pixel.

#ifndef CARAUDIO_TOOLS_TIMELINE_TIMELINE_IMAGE_H_
#define CARAUDIO_TOOLS_TIMELINE_TIMELINE_IMAGE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tools/timeline/timeline_layout.h"

namespace caraudio::timeline {

enum class ImageFormat { kSvg, kPng };

// ".svg" or ".png" (any case) at the end of `path`; InvalidArgument naming
// the extension otherwise.
absl::StatusOr<ImageFormat> ImageFormatForPath(absl::string_view path);

// The whole SVG document, with hover tooltips.
absl::StatusOr<std::string> RenderSvg(const TimelineLayout& layout);

// The whole PNG file (RGB, layout.width × ceil(layout.height) pixels).
absl::StatusOr<std::string> RenderPng(const TimelineLayout& layout);

// Renders in the format of `path` and replaces the file (replace_file.h):
// on any error no file is left behind and an existing one is unchanged.
absl::Status WriteTimelineImage(const TimelineLayout& layout, const std::string& path);

}  // namespace caraudio::timeline

#endif  // CARAUDIO_TOOLS_TIMELINE_TIMELINE_IMAGE_H_
