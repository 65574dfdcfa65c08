// The timeline picture as files: the SVG parses as XML and carries one zone
// label and one tooltip per hover area (every rejection's reason among
// them); the PNG loads back with cairo at the layout's size, with the
// layout's colours at the layout's positions; bad output paths leave no
// file behind.

#include "tools/timeline/timeline_image.h"

#include <cairo.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <tinyxml2.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/tools/timeline_test_util.h"
#include "tools/timeline/replace_file.h"

namespace caraudio::timeline {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

// A fresh directory for one test's files, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string name = absl::StrCat(::testing::TempDir(), "/timeline_image_test.XXXXXX");
    path_ = ::mkdtemp(name.data()) ? name : "";
  }
  ~TempDir() {
    if (!path_.empty()) std::filesystem::remove_all(path_);
  }
  std::string File(const std::string& name) const { return absl::StrCat(path_, "/", name); }
  std::vector<std::string> Files() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path_)) {
      names.push_back(entry.path().filename());
    }
    return names;
  }

 private:
  std::string path_;
};

// -- SVG -----------------------------------------------------------------------

class TimelineSvgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> svg = RenderSvg(layout_);
    ASSERT_TRUE(svg.ok()) << svg.status();
    svg_ = *svg;
    ASSERT_EQ(doc_.Parse(svg_.data(), svg_.size()), tinyxml2::XML_SUCCESS) << doc_.ErrorStr();
  }

  // Rects of the hover group with class `kind`, as (rect, title) pairs.
  std::vector<std::pair<const tinyxml2::XMLElement*, std::string>> Hover(const char* kind) {
    std::vector<std::pair<const tinyxml2::XMLElement*, std::string>> out;
    for (const tinyxml2::XMLElement* g = doc_.RootElement()->FirstChildElement("g"); g;
         g = g->NextSiblingElement("g")) {
      if (g->Attribute("id", "hover-areas") == nullptr) continue;
      for (const tinyxml2::XMLElement* rect = g->FirstChildElement("rect"); rect;
           rect = rect->NextSiblingElement("rect")) {
        if (kind != nullptr && rect->Attribute("class", kind) == nullptr) continue;
        const tinyxml2::XMLElement* title = rect->FirstChildElement("title");
        out.emplace_back(rect, title && title->GetText() ? title->GetText() : "");
      }
    }
    return out;
  }

  TimelineModel model_ = RecordedDriveModel();
  TimelineLayout layout_ = DriveLayout(model_);
  std::string svg_;
  tinyxml2::XMLDocument doc_;
};

TEST_F(TimelineSvgTest, IsAnSvgDocumentOfTheLayoutsSize) {
  const tinyxml2::XMLElement* root = doc_.RootElement();
  ASSERT_NE(root, nullptr);
  EXPECT_STREQ(root->Name(), "svg");
  EXPECT_STREQ(root->Attribute("width"), "1200px");
  EXPECT_STREQ(root->Attribute("height"),
               absl::StrCat(std::ceil(layout_.height), "px").c_str());
  EXPECT_STREQ(root->Attribute("viewBox"),
               absl::StrCat("0 0 1200 ", std::ceil(layout_.height)).c_str());
  // Drawn by cairo: paths and glyphs, not hand-written markup.
  EXPECT_THAT(svg_, HasSubstr("<path"));
  EXPECT_THAT(svg_, HasSubstr("glyph"));
}

TEST_F(TimelineSvgTest, OneLaneLabelPerZone) {
  const auto zones = Hover("zone");
  ASSERT_THAT(zones, SizeIs(3));
  EXPECT_THAT(zones[0].second, HasSubstr("zone 0 · driver/front"));
  EXPECT_THAT(zones[1].second, HasSubstr("zone 1 · rear left"));
  EXPECT_THAT(zones[2].second, HasSubstr("zone 2 · rear right"));
  // At the header band the layout computed.
  EXPECT_DOUBLE_EQ(zones[0].first->DoubleAttribute("y"), layout_.hover_areas[0].rect.y);
}

TEST_F(TimelineSvgTest, EveryRejectionReasonIsATooltipAtItsMarker) {
  std::vector<const Marker*> rejections;
  for (const ZoneTimeline& zone : model_.zones) {
    for (const Marker& m : zone.markers) {
      if (m.kind == MarkerKind::kRejection) rejections.push_back(&m);
    }
  }
  ASSERT_THAT(rejections, SizeIs(2));
  const auto hover = Hover("rejection");
  ASSERT_THAT(hover, SizeIs(2));
  for (size_t i = 0; i < rejections.size(); ++i) {
    EXPECT_THAT(hover[i].second, HasSubstr(rejections[i]->reason));
    // The rect is the marker's, centred where the layout put the marker.
    const tinyxml2::XMLElement* rect = hover[i].first;
    const double cx = rect->DoubleAttribute("x") + rect->DoubleAttribute("width") / 2;
    bool at_a_marker = false;
    for (const MarkerMark& mark : layout_.markers) {
      at_a_marker = at_a_marker || (mark.kind == MarkerKind::kRejection &&
                                    std::abs(mark.center.x - cx) < 0.01);
    }
    EXPECT_TRUE(at_a_marker) << hover[i].second;
  }
  EXPECT_THAT(Hover("hardening"), SizeIs(2));
  EXPECT_THAT(Hover("audit"), SizeIs(1));
}

TEST_F(TimelineSvgTest, EveryHoverAreaOfTheLayoutIsThereWithItsText) {
  const auto all = Hover(nullptr);
  ASSERT_EQ(all.size(), layout_.hover_areas.size());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].second, layout_.hover_areas[i].text);
    EXPECT_NEAR(all[i].first->DoubleAttribute("x"), layout_.hover_areas[i].rect.x, 0.005);
    EXPECT_STREQ(all[i].first->Attribute("fill-opacity"), "0");
  }
}

// -- PNG -----------------------------------------------------------------------

struct SurfaceDeleter {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
using Surface = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;

Color PixelAt(cairo_surface_t* surface, Point p) {
  const int x = static_cast<int>(std::floor(p.x));
  const int y = static_cast<int>(std::floor(p.y));
  const unsigned char* data = cairo_image_surface_get_data(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  uint32_t pixel;  // native-endian 0xAARRGGBB (RGB24 / opaque ARGB32)
  std::memcpy(&pixel, data + y * stride + x * 4, sizeof(pixel));
  return Color{static_cast<uint8_t>(pixel >> 16), static_cast<uint8_t>(pixel >> 8),
               static_cast<uint8_t>(pixel)};
}

class TimelinePngTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteTimelineImage(layout_, path_).ok());
    png_.reset(cairo_image_surface_create_from_png(path_.c_str()));
    ASSERT_EQ(cairo_surface_status(png_.get()), CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(png_.get());
  }

  TempDir dir_;
  std::string path_ = dir_.File("drive.png");
  TimelineModel model_ = RecordedDriveModel();
  TimelineLayout layout_ = DriveLayout(model_);
  Surface png_;
};

TEST_F(TimelinePngTest, HasTheLayoutsSize) {
  EXPECT_EQ(cairo_image_surface_get_width(png_.get()), 1200);
  EXPECT_EQ(cairo_image_surface_get_height(png_.get()), std::ceil(layout_.height));
}

TEST_F(TimelinePngTest, BarsHaveTheirContextColourInsideTheirRectangles) {
  const ZoneTimeline& front = model_.zones[0];
  const Bar* radio = FindBar(layout_, 0, front.focus[0]);     // MUSIC, holding
  const Bar* maps = FindBar(layout_, 0, front.focus[1]);      // NAVIGATION, holding
  const Bar* call = FindBar(layout_, 0, front.focus[5]);      // CALL, holding
  const Bar* delayed = FindBar(layout_, 0, front.focus[7]);   // podcast, delayed
  const Bar* rse_left = FindBar(layout_, 1, model_.zones[1].focus[0]);
  ASSERT_TRUE(radio && maps && call && delayed && rse_left);
  EXPECT_EQ(PixelAt(png_.get(), radio->rect.Center()), ContextColor(AudioContext::kMusic));
  EXPECT_EQ(PixelAt(png_.get(), maps->rect.Center()), ContextColor(AudioContext::kNavigation));
  EXPECT_EQ(PixelAt(png_.get(), call->rect.Center()), ContextColor(AudioContext::kCall));
  EXPECT_EQ(PixelAt(png_.get(), rse_left->rect.Center()), ContextColor(AudioContext::kMusic));
  // A delayed request is an empty box with a dashed outline.
  EXPECT_EQ(PixelAt(png_.get(), delayed->rect.Center()), (Color{255, 255, 255}));
  // Just outside the radio's bar, left of its start: not the bar's colour.
  EXPECT_NE(PixelAt(png_.get(), {radio->rect.x - 3, radio->rect.Center().y}),
            ContextColor(AudioContext::kMusic));
}

TEST_F(TimelinePngTest, DuckedLevelIsShadedBelowTheLineAndWhiteAbove) {
  const HoverArea* ducked = nullptr;
  for (const HoverArea& area : layout_.hover_areas) {
    if (area.kind == "level" && absl::StrContains(area.text, "ducked")) ducked = &area;
  }
  ASSERT_NE(ducked, nullptr);
  const double x = ducked->rect.Center().x;
  const Color fill = layout_.levels[0].fill_color;
  // The line is at half height while ducked: shaded below it, not above.
  EXPECT_EQ(PixelAt(png_.get(), {x, ducked->rect.y + ducked->rect.height * 0.75}), fill);
  EXPECT_NE(PixelAt(png_.get(), {x, ducked->rect.y + ducked->rect.height * 0.25}), fill);
  // Before the duck, at full level, the whole height is shaded.
  EXPECT_EQ(PixelAt(png_.get(), {ducked->rect.x - 20, ducked->rect.y + ducked->rect.height * 0.25}),
            fill);
}

TEST_F(TimelinePngTest, RejectionMarkerIsRedAtItsCentre) {
  for (const MarkerMark& mark : layout_.markers) {
    if (mark.kind != MarkerKind::kRejection || mark.hover.empty()) continue;
    EXPECT_EQ(PixelAt(png_.get(), mark.center), mark.color) << mark.hover;
  }
}

// -- Output files ----------------------------------------------------------------

TEST(TimelineImageFileTest, FormatFollowsTheExtension) {
  EXPECT_EQ(*ImageFormatForPath("a/drive.svg"), ImageFormat::kSvg);
  EXPECT_EQ(*ImageFormatForPath("DRIVE.PNG"), ImageFormat::kPng);
  absl::StatusOr<ImageFormat> jpg = ImageFormatForPath("out/drive.jpg");
  EXPECT_EQ(jpg.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(jpg.status().message()),
              HasSubstr("unknown picture format \".jpg\" (the output must end in .svg or .png)"));
  EXPECT_THAT(std::string(ImageFormatForPath("out.d/drive").status().message()),
              HasSubstr("no file extension"));
}

TEST(TimelineImageFileTest, BadPathsLeaveNoFileBehind) {
  TempDir dir;
  const TimelineLayout layout = DriveLayout(RecordedDriveModel());
  EXPECT_FALSE(WriteTimelineImage(layout, dir.File("drive.gif")).ok());
  const absl::Status missing_dir = WriteTimelineImage(layout, dir.File("no/such/dir/drive.svg"));
  EXPECT_EQ(missing_dir.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing_dir.message()),
              HasSubstr("drive.svg: cannot write timeline picture: No such file or directory"));
  EXPECT_THAT(dir.Files(), SizeIs(0));
}

TEST(TimelineImageFileTest, ReplaceFileSwapsTheWholeFileAndLeavesNoTemporary) {
  TempDir dir;
  const std::string path = dir.File("picture.svg");
  ASSERT_TRUE(ReplaceFile(path, "old", "picture").ok());
  ASSERT_TRUE(ReplaceFile(path, "new contents", "picture").ok());
  EXPECT_THAT(dir.Files(), testing::ElementsAre("picture.svg"));
  EXPECT_EQ(std::filesystem::file_size(path), 12u);
  // A directory in the way: an error naming the path, the directory stays.
  const std::string sub = dir.File("sub");
  std::filesystem::create_directory(sub);
  const absl::Status status = ReplaceFile(sub, "x", "picture");
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), HasSubstr(sub));
  EXPECT_TRUE(std::filesystem::is_directory(sub));
  EXPECT_THAT(dir.Files(), SizeIs(2));
}

}  // namespace
}  // namespace caraudio::timeline
