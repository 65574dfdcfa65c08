#include "zones/car_audio_config_parser.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tinyxml2.h"
#include "zones/text_file.h"

namespace caraudio {
namespace {

using tinyxml2::XMLAttribute;
using tinyxml2::XMLDocument;
using tinyxml2::XMLElement;

bool IsNamed(const XMLElement& element, const char* name) { return std::strcmp(element.Name(), name) == 0; }

std::string Quoted(absl::string_view text) { return absl::StrCat("\"", text, "\""); }

// The 12 contexts every zone must route: MUSIC..ANNOUNCEMENT.
std::vector<AudioContext> RoutableContexts() {
  std::vector<AudioContext> contexts;
  for (AudioContext context : kAllAudioContexts) {
    if (context != AudioContext::kInvalid) contexts.push_back(context);
  }
  return contexts;
}

// Only the exact car_audio_configuration.xml spelling is accepted here, not
// the short or upper-case forms ParseAudioContext also knows.
std::optional<AudioContext> ContextFromConfigName(absl::string_view name) {
  for (AudioContext context : RoutableContexts()) {
    if (name == ContextConfigName(context)) return context;
  }
  return std::nullopt;
}

std::string KnownContextNames() {
  std::vector<std::string> names;
  for (AudioContext context : RoutableContexts()) names.push_back(ContextConfigName(context));
  return absl::StrJoin(names, ", ");
}

// Where each context of one zone is routed, while the zone is parsed.
struct ZoneRouting {
  std::array<int, kAudioContextCount> line{};  // 0 = not routed yet
  std::array<std::string, kAudioContextCount> device;
};

// Parses one document into a local CarAudioConfig, which is returned only if
// every check passed; each check reports the line of the element (or
// attribute) at fault. One Parser per document.
class Parser {
 public:
  explicit Parser(absl::string_view source_name) : source_name_(source_name) {}

  absl::StatusOr<CarAudioConfig> Parse(absl::string_view xml);

 private:
  absl::Status Error(int line, absl::string_view problem) const {
    return absl::InvalidArgumentError(absl::StrCat(source_name_, ":", std::max(line, 1), ": ", problem));
  }
  absl::Status Error(const XMLElement& element, absl::string_view problem) const {
    return Error(element.GetLineNum(), problem);
  }

  absl::Status XmlError(const XMLDocument& doc) const;
  absl::Status ParseZones(const XMLElement& zones_element, CarAudioConfig& config);
  absl::Status ParseZone(const XMLElement& element, ZoneConfig& zone);
  absl::Status FindVolumeGroups(const XMLElement& zone_element, const ZoneConfig& zone,
                                const XMLElement*& groups, std::string& config_name) const;
  absl::Status ParseGroup(const XMLElement& element, int index, ZoneRouting& routing,
                          VolumeGroupConfig& group);
  absl::Status CheckGains(const XMLElement& element, const VolumeGroupConfig& group) const;
  absl::Status ParseDevice(const XMLElement& element, ZoneRouting& routing, DeviceConfig& device);
  absl::Status CheckAllContextsRouted(const XMLElement& element, const ZoneConfig& zone,
                                      const ZoneRouting& routing) const;

  // Optional int32 attribute, at least `min`; `value` untouched when absent.
  absl::Status IntAttribute(const XMLElement& element, const char* name, int32_t min, int32_t& value) const;
  absl::Status OptionalIntAttribute(const XMLElement& element, const char* name, int32_t min,
                                    std::optional<int32_t>& value) const;
  // Optional "true" / "false" attribute (any case); `value` untouched when absent.
  absl::Status BoolAttribute(const XMLElement& element, const char* name, bool& value) const;

  const std::string source_name_;
  int32_t version_ = 0;
  std::map<std::string, int> device_lines_;  // address -> line, whole file
};

absl::StatusOr<CarAudioConfig> Parser::Parse(absl::string_view xml) {
  XMLDocument doc;
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS) return XmlError(doc);

  const XMLElement* root = doc.RootElement();
  if (root == nullptr) return Error(1, "no root element; expected <carAudioConfiguration>");
  if (!IsNamed(*root, "carAudioConfiguration")) {
    return Error(*root,
                 absl::StrCat("root element is <", root->Name(), ">; expected <carAudioConfiguration>"));
  }

  CarAudioConfig config;
  if (root->Attribute("version") == nullptr) {
    return Error(*root, "<carAudioConfiguration> has no version attribute (supported: 2, 3)");
  }
  int32_t version = 0;
  if (absl::Status status = IntAttribute(*root, "version", 0, version); !status.ok()) return status;
  if (version != 2 && version != 3) {
    return Error(*root, absl::StrCat("unsupported version ", version, " (supported: 2, 3)"));
  }
  config.version = version_ = version;

  // Only <zones> is read; <oemContexts>, <deviceConfigurations>,
  // <mirroringDevices> and anything else are skipped.
  const XMLElement* zones = nullptr;
  for (const XMLElement* child = root->FirstChildElement(); child != nullptr;
       child = child->NextSiblingElement()) {
    if (!IsNamed(*child, "zones")) continue;
    if (zones != nullptr) {
      return Error(*child,
                   absl::StrCat("second <zones> element (the first is at line ", zones->GetLineNum(), ")"));
    }
    zones = child;
  }
  if (zones == nullptr) return Error(*root, "<carAudioConfiguration> has no <zones>");
  if (absl::Status status = ParseZones(*zones, config); !status.ok()) return status;
  return config;
}

absl::Status Parser::XmlError(const XMLDocument& doc) const {
  // ErrorStr() reads "Error=NAME ErrorID=N (0xN) Line number=L[: detail]".
  std::string problem = absl::StrCat("malformed XML: ", doc.ErrorName());
  const char* text = doc.ErrorStr();
  if (const char* line_tag = std::strstr(text, "Line number="); line_tag != nullptr) {
    if (const char* detail = std::strstr(line_tag, ": "); detail != nullptr) {
      absl::StrAppend(&problem, " (", detail + 2, ")");
    }
  }
  return Error(doc.ErrorLineNum(), problem);
}

absl::Status Parser::ParseZones(const XMLElement& zones_element, CarAudioConfig& config) {
  std::map<int32_t, int> zone_lines;      // audioZoneId -> line
  std::map<int32_t, int> occupant_lines;  // occupantZoneId -> line
  const XMLElement* primary = nullptr;
  for (const XMLElement* element = zones_element.FirstChildElement("zone"); element != nullptr;
       element = element->NextSiblingElement("zone")) {
    ZoneConfig zone;
    if (absl::Status status = ParseZone(*element, zone); !status.ok()) return status;

    if (zone.is_primary) {
      if (primary != nullptr) {
        return Error(
            *element,
            absl::StrCat("zone ", Quoted(zone.name), " is a second primary zone (the first is at line ",
                         primary->GetLineNum(), "); exactly one zone has isPrimary=\"true\""));
      }
      if (zone.id != 0) {
        return Error(*element, absl::StrCat("primary zone ", Quoted(zone.name), " has audioZoneId ", zone.id,
                                            "; the primary zone must be 0"));
      }
      primary = element;
    }
    if (auto [it, inserted] = zone_lines.emplace(zone.id, element->GetLineNum()); !inserted) {
      return Error(*element, absl::StrCat("zone ", Quoted(zone.name), ": audioZoneId ", zone.id,
                                          " is already used by the zone at line ", it->second));
    }
    if (zone.occupant_zone_id != kNoOccupantZone) {
      if (auto [it, inserted] = occupant_lines.emplace(zone.occupant_zone_id, element->GetLineNum());
          !inserted) {
        return Error(*element,
                     absl::StrCat("zone ", Quoted(zone.name), ": occupantZoneId ", zone.occupant_zone_id,
                                  " is already used by the zone at line ", it->second));
      }
    }
    config.zones.push_back(std::move(zone));
  }
  if (config.zones.empty()) return Error(zones_element, "<zones> has no <zone>");
  if (primary == nullptr) {
    return Error(zones_element, "no primary zone; exactly one zone needs isPrimary=\"true\" (audioZoneId 0)");
  }
  return absl::OkStatus();
}

absl::Status Parser::ParseZone(const XMLElement& element, ZoneConfig& zone) {
  if (absl::Status status = BoolAttribute(element, "isPrimary", zone.is_primary); !status.ok()) return status;
  std::optional<int32_t> id;
  if (absl::Status status = OptionalIntAttribute(element, "audioZoneId", 0, id); !status.ok()) return status;
  if (const char* name = element.Attribute("name"); name != nullptr) zone.name = name;
  if (!id.has_value()) {
    if (!zone.is_primary) {
      return Error(element, absl::StrCat("zone ", Quoted(zone.name),
                                         " has no audioZoneId (only the primary zone may omit it)"));
    }
    id = 0;
  }
  zone.id = *id;
  if (zone.name.empty()) zone.name = absl::StrCat("zone ", zone.id);
  if (absl::Status status = IntAttribute(element, "occupantZoneId", 0, zone.occupant_zone_id); !status.ok()) {
    return status;
  }

  const XMLElement* groups = nullptr;
  if (absl::Status status = FindVolumeGroups(element, zone, groups, zone.config_name); !status.ok()) {
    return status;
  }

  ZoneRouting routing;
  int index = 0;
  for (const XMLElement* child = groups->FirstChildElement("group"); child != nullptr;
       child = child->NextSiblingElement("group"), ++index) {
    VolumeGroupConfig group;
    if (absl::Status status = ParseGroup(*child, index, routing, group); !status.ok()) return status;
    zone.volume_groups.push_back(std::move(group));
  }
  return CheckAllContextsRouted(element, zone, routing);
}

absl::Status Parser::FindVolumeGroups(const XMLElement& zone_element, const ZoneConfig& zone,
                                      const XMLElement*& groups, std::string& config_name) const {
  const XMLElement* configs = nullptr;
  for (const XMLElement* child = zone_element.FirstChildElement(); child != nullptr;
       child = child->NextSiblingElement()) {
    const XMLElement** slot = nullptr;
    if (IsNamed(*child, "volumeGroups")) slot = &groups;
    if (IsNamed(*child, "zoneConfigs")) slot = &configs;
    if (slot == nullptr) continue;  // <inputDevices> and the like are ignored
    if (*slot != nullptr) {
      return Error(*child, absl::StrCat("zone ", Quoted(zone.name), " has a second <", child->Name(),
                                        "> (the first is at line ", (*slot)->GetLineNum(), ")"));
    }
    *slot = child;
  }
  if (configs == nullptr) {
    if (groups == nullptr) {
      return Error(zone_element, absl::StrCat("zone ", Quoted(zone.name), " has no <volumeGroups>"));
    }
    return absl::OkStatus();
  }
  if (groups != nullptr) {
    return Error(
        *groups,
        absl::StrCat("zone ", Quoted(zone.name),
                     " has both <zoneConfigs> and <volumeGroups>; put the groups in a <zoneConfig>"));
  }
  if (version_ < 3) {
    return Error(*configs, absl::StrCat("zone ", Quoted(zone.name), ": <zoneConfigs> needs version 3"));
  }

  // The zoneConfig marked isDefault="true", else the first.
  const XMLElement* chosen = nullptr;
  const XMLElement* marked_default = nullptr;
  for (const XMLElement* config = configs->FirstChildElement("zoneConfig"); config != nullptr;
       config = config->NextSiblingElement("zoneConfig")) {
    bool is_default = false;
    if (absl::Status status = BoolAttribute(*config, "isDefault", is_default); !status.ok()) return status;
    if (chosen == nullptr) chosen = config;
    if (!is_default) continue;
    if (marked_default != nullptr) {
      return Error(*config, absl::StrCat("zone ", Quoted(zone.name),
                                         " has a second default <zoneConfig> (the first is at line ",
                                         marked_default->GetLineNum(), ")"));
    }
    marked_default = chosen = config;
  }
  if (chosen == nullptr) {
    return Error(*configs, absl::StrCat("zone ", Quoted(zone.name), ": <zoneConfigs> has no <zoneConfig>"));
  }
  if (const char* name = chosen->Attribute("name"); name != nullptr) config_name = name;

  for (const XMLElement* child = chosen->FirstChildElement("volumeGroups"); child != nullptr;
       child = child->NextSiblingElement("volumeGroups")) {
    if (groups != nullptr) {
      return Error(*child, absl::StrCat("zone ", Quoted(zone.name),
                                        " has a second <volumeGroups> in <zoneConfig> (the first is at line ",
                                        groups->GetLineNum(), ")"));
    }
    groups = child;
  }
  if (groups == nullptr) {
    return Error(*chosen, absl::StrCat("zone ", Quoted(zone.name), ": <zoneConfig> has no <volumeGroups>"));
  }
  return absl::OkStatus();
}

absl::Status Parser::ParseGroup(const XMLElement& element, int index, ZoneRouting& routing,
                                VolumeGroupConfig& group) {
  if (const char* name = element.Attribute("name"); name != nullptr) group.name = name;
  if (group.name.empty()) group.name = absl::StrCat("group", index);
  constexpr int32_t kAnyInt = std::numeric_limits<int32_t>::min();
  if (absl::Status status = IntAttribute(element, "minGainMb", kAnyInt, group.min_gain_mb); !status.ok()) {
    return status;
  }
  if (absl::Status status = IntAttribute(element, "maxGainMb", kAnyInt, group.max_gain_mb); !status.ok()) {
    return status;
  }
  if (absl::Status status = IntAttribute(element, "defaultGainMb", kAnyInt, group.default_gain_mb);
      !status.ok()) {
    return status;
  }
  if (absl::Status status = IntAttribute(element, "stepMb", 1, group.step_mb); !status.ok()) return status;
  if (absl::Status status = CheckGains(element, group); !status.ok()) return status;

  for (const XMLElement* child = element.FirstChildElement("device"); child != nullptr;
       child = child->NextSiblingElement("device")) {
    DeviceConfig device;
    if (absl::Status status = ParseDevice(*child, routing, device); !status.ok()) return status;
    group.devices.push_back(std::move(device));
  }
  if (group.devices.empty()) {
    return Error(element, absl::StrCat("group ", Quoted(group.name), " has no <device>"));
  }
  return absl::OkStatus();
}

absl::Status Parser::CheckGains(const XMLElement& element, const VolumeGroupConfig& group) const {
  const std::string where = absl::StrCat("group ", Quoted(group.name), ": ");
  if (group.min_gain_mb > group.max_gain_mb) {
    return Error(element, absl::StrCat(where, "minGainMb ", group.min_gain_mb, " is above maxGainMb ",
                                       group.max_gain_mb));
  }
  if (group.default_gain_mb < group.min_gain_mb || group.default_gain_mb > group.max_gain_mb) {
    return Error(element, absl::StrCat(where, "defaultGainMb ", group.default_gain_mb, " is outside [",
                                       group.min_gain_mb, ", ", group.max_gain_mb, "]"));
  }
  const int64_t range = int64_t{group.max_gain_mb} - group.min_gain_mb;
  if (range % group.step_mb != 0) {
    return Error(element, absl::StrCat(where, "the gain range ", range,
                                       " mB is not a whole number of stepMb ", group.step_mb));
  }
  return absl::OkStatus();
}

absl::Status Parser::ParseDevice(const XMLElement& element, ZoneRouting& routing, DeviceConfig& device) {
  const char* address = element.Attribute("address");
  if (address == nullptr) return Error(element, "<device> has no address attribute");
  device.address = address;
  if (absl::StripAsciiWhitespace(device.address).empty()) {
    return Error(element, "<device> has an empty address");
  }
  if (auto [it, inserted] = device_lines_.emplace(device.address, element.GetLineNum()); !inserted) {
    return Error(element, absl::StrCat("device address ", Quoted(device.address), " is already used at line ",
                                       it->second, "; addresses must be unique across all zones"));
  }
  if (const char* output = element.Attribute("output"); output != nullptr) device.output = output;

  for (const XMLElement* child = element.FirstChildElement("context"); child != nullptr;
       child = child->NextSiblingElement("context")) {
    const char* name = child->Attribute("context");
    if (name == nullptr) return Error(*child, "<context> has no context attribute");
    std::optional<AudioContext> context = ContextFromConfigName(name);
    if (!context.has_value()) {
      return Error(*child,
                   absl::StrCat("unknown context ", Quoted(name), " (known: ", KnownContextNames(), ")"));
    }
    const int index = ContextIndex(*context);
    if (routing.line[index] != 0) {
      return Error(*child,
                   absl::StrCat("context ", Quoted(name), " is routed twice in the zone: already to device ",
                                Quoted(routing.device[index]), " at line ", routing.line[index]));
    }
    routing.line[index] = child->GetLineNum();
    routing.device[index] = device.address;
    device.contexts.push_back(*context);
  }
  if (device.contexts.empty()) {
    return Error(element, absl::StrCat("device ", Quoted(device.address), " has no <context>"));
  }
  return absl::OkStatus();
}

absl::Status Parser::CheckAllContextsRouted(const XMLElement& element, const ZoneConfig& zone,
                                            const ZoneRouting& routing) const {
  std::vector<std::string> missing;
  for (AudioContext context : RoutableContexts()) {
    if (routing.line[ContextIndex(context)] == 0) missing.push_back(ContextConfigName(context));
  }
  if (missing.empty()) return absl::OkStatus();
  return Error(element, absl::StrCat("zone ", Quoted(zone.name), " (audioZoneId ", zone.id,
                                     ") does not route contexts: ", absl::StrJoin(missing, ", "),
                                     "; every zone must route all 12 contexts"));
}

absl::Status Parser::IntAttribute(const XMLElement& element, const char* name, int32_t min,
                                  int32_t& value) const {
  std::optional<int32_t> parsed;
  if (absl::Status status = OptionalIntAttribute(element, name, min, parsed); !status.ok()) return status;
  if (parsed.has_value()) value = *parsed;
  return absl::OkStatus();
}

absl::Status Parser::OptionalIntAttribute(const XMLElement& element, const char* name, int32_t min,
                                          std::optional<int32_t>& value) const {
  const XMLAttribute* attribute = element.FindAttribute(name);
  if (attribute == nullptr) return absl::OkStatus();
  int32_t parsed = 0;
  if (!absl::SimpleAtoi(attribute->Value(), &parsed)) {
    return Error(attribute->GetLineNum(),
                 absl::StrCat("<", element.Name(), "> attribute ", name, "=", Quoted(attribute->Value()),
                              " is not a 32-bit integer"));
  }
  if (parsed < min) {
    return Error(attribute->GetLineNum(), absl::StrCat("<", element.Name(), "> attribute ", name, "=",
                                                       Quoted(attribute->Value()), " is below ", min));
  }
  value = parsed;
  return absl::OkStatus();
}

absl::Status Parser::BoolAttribute(const XMLElement& element, const char* name, bool& value) const {
  const XMLAttribute* attribute = element.FindAttribute(name);
  if (attribute == nullptr) return absl::OkStatus();
  if (absl::EqualsIgnoreCase(attribute->Value(), "true")) {
    value = true;
  } else if (absl::EqualsIgnoreCase(attribute->Value(), "false")) {
    value = false;
  } else {
    return Error(attribute->GetLineNum(), absl::StrCat("<", element.Name(), "> attribute ", name, "=",
                                                       Quoted(attribute->Value()), " is not true or false"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CarAudioConfig> ParseCarAudioConfig(absl::string_view xml, absl::string_view source_name) {
  return Parser(source_name).Parse(xml);
}

absl::StatusOr<CarAudioConfig> LoadCarAudioConfigFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadTextFile(path, "car audio configuration");
  if (!text.ok()) return text.status();
  return ParseCarAudioConfig(*text, path);
}

absl::StatusOr<CarAudioConfig> LoadDefaultCarAudioConfig() {
  return ParseCarAudioConfig(DefaultCarAudioConfigXml(), kDefaultConfigSourceName);
}

}  // namespace caraudio
