#include "tools/timeline/timeline_image.h"

#include <cairo-svg.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include <cmath>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/timeline/replace_file.h"
#include "tools/timeline/svg_hover_overlay.h"
#include "tools/timeline/timeline_painter.h"

namespace caraudio::timeline {
namespace {

// The largest image cairo's image surface takes.
constexpr int kMaxImageSide = 32767;

struct SurfaceDeleter {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct ContextDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using Context = std::unique_ptr<cairo_t, ContextDeleter>;

// Once a picture is done, drops the process-wide font caches that drawing
// text filled (cairo's font map, fontconfig's configuration). Nothing else
// ever frees them, so every process that drew a label would end with
// "leaks" that LeakSanitizer fails the run for; releasing them makes each
// render self-contained at the price of fontconfig re-reading its cache
// (a few ms) for the next picture. Declared before any cairo object of the
// render so that it runs after they are all destroyed; renders are never
// concurrent (one command, one picture).
class FontCachesReleasedAfterwards {
 public:
  FontCachesReleasedAfterwards() = default;
  FontCachesReleasedAfterwards(const FontCachesReleasedAfterwards&) = delete;
  FontCachesReleasedAfterwards& operator=(const FontCachesReleasedAfterwards&) = delete;
  ~FontCachesReleasedAfterwards() {
    cairo_debug_reset_static_data();
    FcFini();
  }
};

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

absl::Status CairoError(cairo_status_t status, absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", cairo_status_to_string(status)));
}

absl::Status CheckSize(const TimelineLayout& layout) {
  if (std::ceil(layout.height) > kMaxImageSide) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the picture would be ", std::ceil(layout.height), " pixels tall, more than the ",
        kMaxImageSide, " cairo can draw: too many apps and devices for one picture"));
  }
  return absl::OkStatus();
}

// Paints the layout on `surface` and finishes it.
absl::Status Paint(const TimelineLayout& layout, cairo_surface_t* surface) {
  Context cr(cairo_create(surface));
  if (cairo_status_t status = cairo_status(cr.get()); status != CAIRO_STATUS_SUCCESS) {
    return CairoError(status, "cairo_create");
  }
  PaintTimeline(layout, cr.get());
  if (cairo_status_t status = cairo_status(cr.get()); status != CAIRO_STATUS_SUCCESS) {
    return CairoError(status, "drawing the timeline");
  }
  cr.reset();
  cairo_surface_flush(surface);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ImageFormat> ImageFormatForPath(absl::string_view path) {
  const std::string lower = absl::AsciiStrToLower(path);
  if (absl::EndsWith(lower, ".svg")) return ImageFormat::kSvg;
  if (absl::EndsWith(lower, ".png")) return ImageFormat::kPng;
  const size_t slash = path.rfind('/');
  const absl::string_view name = slash == absl::string_view::npos ? path : path.substr(slash + 1);
  const size_t dot = name.rfind('.');
  return absl::InvalidArgumentError(absl::StrCat(
      path, ": ",
      dot == absl::string_view::npos ? std::string("no file extension")
                                     : absl::StrCat("unknown picture format \"",
                                                    name.substr(dot), "\""),
      " (the output must end in .svg or .png)"));
}

absl::StatusOr<std::string> RenderSvg(const TimelineLayout& layout) {
  if (absl::Status status = CheckSize(layout); !status.ok()) return status;
  std::string svg;
  {
    FontCachesReleasedAfterwards release_font_caches;
    Surface surface(cairo_svg_surface_create_for_stream(&AppendToString, &svg, layout.width,
                                                        std::ceil(layout.height)));
    if (cairo_status_t status = cairo_surface_status(surface.get());
        status != CAIRO_STATUS_SUCCESS) {
      return CairoError(status, "cairo_svg_surface_create_for_stream");
    }
    cairo_svg_surface_set_document_unit(surface.get(), CAIRO_SVG_UNIT_PX);
    if (absl::Status status = Paint(layout, surface.get()); !status.ok()) return status;
    cairo_surface_finish(surface.get());  // writes the document to `svg`
    if (cairo_status_t status = cairo_surface_status(surface.get());
        status != CAIRO_STATUS_SUCCESS) {
      return CairoError(status, "writing the SVG");
    }
  }
  return AddHoverAreas(svg, layout.hover_areas);
}

absl::StatusOr<std::string> RenderPng(const TimelineLayout& layout) {
  if (absl::Status status = CheckSize(layout); !status.ok()) return status;
  FontCachesReleasedAfterwards release_font_caches;
  Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24,
                                             static_cast<int>(std::ceil(layout.width)),
                                             static_cast<int>(std::ceil(layout.height))));
  if (cairo_status_t status = cairo_surface_status(surface.get());
      status != CAIRO_STATUS_SUCCESS) {
    return CairoError(status, "cairo_image_surface_create");
  }
  if (absl::Status status = Paint(layout, surface.get()); !status.ok()) return status;
  std::string png;
  if (cairo_status_t status =
          cairo_surface_write_to_png_stream(surface.get(), &AppendToString, &png);
      status != CAIRO_STATUS_SUCCESS) {
    return CairoError(status, "encoding the PNG");
  }
  return png;
}

absl::Status WriteTimelineImage(const TimelineLayout& layout, const std::string& path) {
  absl::StatusOr<ImageFormat> format = ImageFormatForPath(path);
  if (!format.ok()) return format.status();
  absl::StatusOr<std::string> bytes =
      *format == ImageFormat::kSvg ? RenderSvg(layout) : RenderPng(layout);
  if (!bytes.ok()) return bytes.status();
  return ReplaceFile(path, *bytes, "timeline picture");
}

}  // namespace caraudio::timeline
