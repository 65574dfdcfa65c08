#include "pipewire-bridge/stream_routing.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "carservice/audio_usage.h"

namespace caraudio {

const MediaRoleUsage kMediaRoleUsages[] = {
    {"Music", AudioUsage::kMedia},
    {"Movie", AudioUsage::kMedia},
    {"Game", AudioUsage::kGame},
    {"Multimedia", AudioUsage::kMedia},
    {"Navigation", AudioUsage::kAssistanceNavigationGuidance},
    {"Communication", AudioUsage::kVoiceCommunication},
    {"Phone", AudioUsage::kVoiceCommunication},
    {"Ringtone", AudioUsage::kNotificationRingtone},
    {"Notification", AudioUsage::kNotification},
    {"Alarm", AudioUsage::kAlarm},
    {"Assistant", AudioUsage::kAssistant},
    {"Speech", AudioUsage::kAssistant},
    {"Accessibility", AudioUsage::kAssistanceAccessibility},
    {"Emergency", AudioUsage::kEmergency},
    {"Alert", AudioUsage::kSafety},
    {"Safety", AudioUsage::kSafety},
    {"Announcement", AudioUsage::kAnnouncement},
};
const size_t kMediaRoleUsageCount = sizeof(kMediaRoleUsages) / sizeof(kMediaRoleUsages[0]);

namespace {

const std::string* Find(const std::map<std::string, std::string>& properties, const char* key) {
  auto it = properties.find(key);
  return it == properties.end() ? nullptr : &it->second;
}

// A uid as Android writes it: plain decimal digits (no sign, no spaces), at
// most INT32_MAX, the range of AppIdentity.uid and of the proto field.
absl::StatusOr<int32_t> ParseUid(const std::string& text) {
  const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
  int32_t uid = 0;
  if (!digits || !absl::SimpleAtoi(text, &uid)) {
    return absl::InvalidArgumentError(absl::StrCat(
        kUidProperty, " \"", text, "\" is not a decimal integer in 0..2147483647"));
  }
  return uid;
}

}  // namespace

absl::StatusOr<std::optional<StreamRoute>> RouteStream(
    const std::map<std::string, std::string>& properties, const CarAudioConfig& config) {
  StreamRoute route;
  if (const std::string* usage = Find(properties, kUsageProperty)) {
    std::optional<int32_t> parsed = ParseUsage(*usage);
    if (!parsed) {
      return absl::InvalidArgumentError(absl::StrCat(kUsageProperty, " \"", *usage,
                                                     "\" is not an Android usage"));
    }
    route.usage = *parsed;
  } else if (const std::string* role = Find(properties, kMediaRoleProperty)) {
    bool found = false;
    for (size_t i = 0; i < kMediaRoleUsageCount && !found; ++i) {
      if (absl::EqualsIgnoreCase(*role, kMediaRoleUsages[i].role)) {
        route.usage = static_cast<int32_t>(kMediaRoleUsages[i].usage);
        found = true;
      }
    }
    if (!found) {
      return absl::InvalidArgumentError(
          absl::StrCat(kMediaRoleProperty, " \"", *role, "\" has no Android usage"));
    }
  } else {
    return std::optional<StreamRoute>();
  }

  const ZoneConfig* zone = config.PrimaryZone();
  if (const std::string* zone_text = Find(properties, kZoneIdProperty)) {
    int32_t zone_id = 0;
    if (!absl::SimpleAtoi(*zone_text, &zone_id)) {
      return absl::InvalidArgumentError(
          absl::StrCat(kZoneIdProperty, " \"", *zone_text, "\" is not a number"));
    }
    zone = config.FindZone(zone_id);
    if (zone == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown audio zone ", zone_id));
    }
  }
  if (zone == nullptr) return absl::FailedPreconditionError("the car has no primary zone");
  route.zone_id = zone->id;
  route.device_address = zone->DeviceForContext(ContextForUsage(route.usage));
  if (route.device_address.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("zone ", zone->id, " routes no device for ",
                                                      UsageName(route.usage)));
  }
  if (const std::string* client = Find(properties, kClientIdProperty)) route.client_id = *client;
  if (const std::string* package = Find(properties, kPackageProperty)) route.package_name = *package;
  if (const std::string* uid_text = Find(properties, kUidProperty)) {
    absl::StatusOr<int32_t> uid = ParseUid(*uid_text);
    if (!uid.ok()) return uid.status();
    route.uid = *uid;
  }
  return std::optional<StreamRoute>(std::move(route));
}

}  // namespace caraudio
