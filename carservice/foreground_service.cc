#include "carservice/foreground_service.h"

#include <cstddef>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "carservice/name_matching.h"

namespace caraudio {
namespace {

// The per-type table. Read it against seeds.md: only shortService fails to
// count (§1), only mediaPlayback idles out (§2), only dataSync and
// mediaProcessing are budgeted (§5).
//
//  type                         name               counts idles  budget
constexpr FgsTypePolicy kTypeTable[] = {
    {FgsType::kOther,           "other",           true,  false, false},
    {FgsType::kDataSync,        "dataSync",        true,  false, true},
    {FgsType::kMediaPlayback,   "mediaPlayback",   true,  true,  false},
    {FgsType::kPhoneCall,       "phoneCall",       true,  false, false},
    {FgsType::kLocation,        "location",        true,  false, false},
    {FgsType::kConnectedDevice, "connectedDevice", true,  false, false},
    {FgsType::kCamera,          "camera",          true,  false, false},
    {FgsType::kMicrophone,      "microphone",      true,  false, false},
    {FgsType::kShortService,    "shortService",    false, false, false},
    {FgsType::kMediaProcessing, "mediaProcessing", true,  false, true},
    {FgsType::kSpecialUse,      "specialUse",      true,  false, false},
};

// seeds.md §1: WIU comes from a start while visible, a MediaSession event, an
// explicit user interaction or a system delegation; a start from the
// background (BOOT_COMPLETED included) has none.
//
//  origin                              name                   phrase                                        WIU
constexpr FgsStartOriginPolicy kOriginTable[] = {
    {FgsStartOrigin::kWhileVisible,      "while-visible",       "started while visible",                      true},
    {FgsStartOrigin::kMediaSessionEvent, "media-session-event", "started from a MediaSession event",          true},
    {FgsStartOrigin::kUserInteraction,   "user-interaction",    "started from a notification, widget or media key", true},
    {FgsStartOrigin::kSystemDelegation,  "system-delegation",   "started by system delegation",               true},
    {FgsStartOrigin::kBootCompleted,     "boot-completed",      "started from BOOT_COMPLETED",                false},
    {FgsStartOrigin::kBackground,        "background",          "started from the background",                false},
};

// Extra spellings accepted by ParseFgsStartOrigin, already normalized.
struct OriginAlias {
  const char* alias;
  FgsStartOrigin origin;
};
constexpr OriginAlias kOriginAliases[] = {
    {"visible", FgsStartOrigin::kWhileVisible},
    {"mediasession", FgsStartOrigin::kMediaSessionEvent},
    {"notification", FgsStartOrigin::kUserInteraction},
    {"widget", FgsStartOrigin::kUserInteraction},
    {"mediakey", FgsStartOrigin::kUserInteraction},
    {"mediabutton", FgsStartOrigin::kUserInteraction},
    {"system", FgsStartOrigin::kSystemDelegation},
    {"telecom", FgsStartOrigin::kSystemDelegation},
    {"boot", FgsStartOrigin::kBootCompleted},
    {"bootcomplete", FgsStartOrigin::kBootCompleted},
};

constexpr absl::string_view kTypeConstantPrefix = "foregroundservicetype";

}  // namespace

absl::Span<const FgsTypePolicy> AllFgsTypePolicies() { return kTypeTable; }

absl::Span<const FgsStartOriginPolicy> AllFgsStartOriginPolicies() { return kOriginTable; }

const FgsTypePolicy& PolicyFor(FgsType type) {
  for (const FgsTypePolicy& row : kTypeTable) {
    if (row.type == type) return row;
  }
  return kTypeTable[0];  // kOther: counts, but neither idles out nor is budgeted
}

const FgsStartOriginPolicy& PolicyFor(FgsStartOrigin origin) {
  for (const FgsStartOriginPolicy& row : kOriginTable) {
    if (row.origin == origin) return row;
  }
  // Out-of-range values must never grant WIU: answer as a background start.
  return kOriginTable[static_cast<size_t>(FgsStartOrigin::kBackground)];
}

const char* FgsTypeName(FgsType type) { return PolicyFor(type).name; }

const char* FgsStartOriginName(FgsStartOrigin origin) { return PolicyFor(origin).name; }

std::optional<FgsType> ParseFgsType(absl::string_view text) {
  int64_t number = 0;
  if (absl::SimpleAtoi(text, &number)) {
    for (const FgsTypePolicy& row : kTypeTable) {
      if (static_cast<int64_t>(row.type) == number) return row.type;
    }
    return std::nullopt;
  }
  std::string key = NormalizedName(text);
  if (absl::StartsWith(key, kTypeConstantPrefix)) key.erase(0, kTypeConstantPrefix.size());
  if (key == "none") return FgsType::kOther;
  for (const FgsTypePolicy& row : kTypeTable) {
    if (key == NormalizedName(row.name)) return row.type;
  }
  return std::nullopt;
}

std::optional<FgsStartOrigin> ParseFgsStartOrigin(absl::string_view text) {
  const std::string key = NormalizedName(text);
  if (key.empty()) return std::nullopt;
  for (const FgsStartOriginPolicy& row : kOriginTable) {
    if (key == NormalizedName(row.name)) return row.origin;
  }
  for (const OriginAlias& alias : kOriginAliases) {
    if (key == alias.alias) return alias.origin;
  }
  return std::nullopt;
}

}  // namespace caraudio
