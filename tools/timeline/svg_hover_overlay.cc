#include "tools/timeline/svg_hover_overlay.h"

#include <tinyxml2.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace caraudio::timeline {
namespace {

std::string Number(double value) { return absl::StrFormat("%.2f", value); }

}  // namespace

absl::StatusOr<std::string> AddHoverAreas(absl::string_view svg,
                                          const std::vector<HoverArea>& areas) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(svg.data(), svg.size()) != tinyxml2::XML_SUCCESS) {
    return absl::InvalidArgumentError(
        absl::StrCat("the SVG from cairo does not parse: ", doc.ErrorStr()));
  }
  tinyxml2::XMLElement* root = doc.RootElement();
  if (root == nullptr || absl::string_view(root->Name()) != "svg") {
    return absl::InvalidArgumentError("the SVG from cairo has no <svg> root");
  }
  // Elements created by the document are owned by it once inserted.
  tinyxml2::XMLElement* group = doc.NewElement("g");
  group->SetAttribute("id", "hover-areas");
  root->InsertEndChild(group);
  for (const HoverArea& area : areas) {
    tinyxml2::XMLElement* rect = doc.NewElement("rect");
    rect->SetAttribute("class", area.kind.c_str());
    rect->SetAttribute("x", Number(area.rect.x).c_str());
    rect->SetAttribute("y", Number(area.rect.y).c_str());
    rect->SetAttribute("width", Number(area.rect.width).c_str());
    rect->SetAttribute("height", Number(area.rect.height).c_str());
    // Transparent but painted, so that it receives the pointer.
    rect->SetAttribute("fill", "#000");
    rect->SetAttribute("fill-opacity", "0");
    rect->SetAttribute("pointer-events", "all");
    tinyxml2::XMLElement* title = doc.NewElement("title");
    title->SetText(area.text.c_str());
    rect->InsertEndChild(title);
    group->InsertEndChild(rect);
  }
  tinyxml2::XMLPrinter printer;
  doc.Print(&printer);
  return std::string(printer.CStr(), printer.CStrSize() - 1);  // without the NUL
}

}  // namespace caraudio::timeline
