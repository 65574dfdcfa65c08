#include "carservice/audio_usage.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace caraudio {
namespace {

struct UsageRow {
  int32_t usage;
  const char* name;        // without the "USAGE_" prefix
  const char* short_name;  // CLI form
  AudioContext context;
};

// focus-rules.md §2, main/14+ column. The single definition of the mapping.
constexpr std::array<UsageRow, 22> kUsageTable = {{
    {0, "UNKNOWN", "unknown", AudioContext::kMusic},
    {1, "MEDIA", "media", AudioContext::kMusic},
    {2, "VOICE_COMMUNICATION", "voice-call", AudioContext::kCall},
    {3, "VOICE_COMMUNICATION_SIGNALLING", "call-signalling", AudioContext::kCall},
    {4, "ALARM", "alarm", AudioContext::kAlarm},
    {5, "NOTIFICATION", "notification", AudioContext::kNotification},
    {6, "NOTIFICATION_RINGTONE", "ring", AudioContext::kCallRing},
    {7, "NOTIFICATION_COMMUNICATION_REQUEST", "comm-request", AudioContext::kNotification},
    {8, "NOTIFICATION_COMMUNICATION_INSTANT", "comm-instant", AudioContext::kNotification},
    {9, "NOTIFICATION_COMMUNICATION_DELAYED", "comm-delayed", AudioContext::kNotification},
    {10, "NOTIFICATION_EVENT", "notification-event", AudioContext::kNotification},
    {11, "ASSISTANCE_ACCESSIBILITY", "accessibility", AudioContext::kVoiceCommand},
    {12, "ASSISTANCE_NAVIGATION_GUIDANCE", "nav", AudioContext::kNavigation},
    {13, "ASSISTANCE_SONIFICATION", "sonification", AudioContext::kSystemSound},
    {14, "GAME", "game", AudioContext::kMusic},
    {15, "VIRTUAL_SOURCE", "virtual-source", AudioContext::kInvalid},
    {16, "ASSISTANT", "assistant", AudioContext::kVoiceCommand},
    {17, "CALL_ASSISTANT", "call-assistant", AudioContext::kCall},
    {1000, "EMERGENCY", "emergency", AudioContext::kEmergency},
    {1001, "SAFETY", "safety", AudioContext::kSafety},
    {1002, "VEHICLE_STATUS", "vehicle-status", AudioContext::kVehicleStatus},
    {1003, "ANNOUNCEMENT", "announcement", AudioContext::kAnnouncement},
}};

// Extra CLI spellings people type; each maps to one usage.
struct Alias {
  const char* alias;
  int32_t usage;
};
constexpr std::array<Alias, 9> kAliases = {{
    {"music", 1},
    {"navigation", 12},
    {"call", 2},
    {"voice-communication", 2},
    {"ringtone", 6},
    {"system", 13},
    {"system-sound", 13},
    {"vehicle", 1002},
    {"voice", 16},
}};

const UsageRow* FindUsage(int32_t usage) {
  for (const UsageRow& row : kUsageTable) {
    if (row.usage == usage) return &row;
  }
  return nullptr;
}

// Lower case, '_' -> '-', so "VOICE_COMMUNICATION" and "voice-communication"
// compare equal.
std::string Normalize(absl::string_view text) {
  return absl::StrReplaceAll(absl::AsciiStrToLower(text), {{"_", "-"}});
}

}  // namespace

AudioContext ContextForUsage(int32_t usage) {
  const UsageRow* row = FindUsage(usage);
  return row == nullptr ? AudioContext::kInvalid : row->context;
}

bool IsKnownUsage(int32_t usage) { return FindUsage(usage) != nullptr; }

bool IsCriticalUsage(int32_t usage) {
  return usage == static_cast<int32_t>(AudioUsage::kEmergency) ||
         usage == static_cast<int32_t>(AudioUsage::kSafety);
}

bool IsRingerOrCallUsage(int32_t usage) {
  switch (static_cast<AudioUsage>(usage)) {
    case AudioUsage::kNotificationRingtone:
    case AudioUsage::kVoiceCommunication:
    case AudioUsage::kVoiceCommunicationSignalling:
    case AudioUsage::kCallAssistant:
      return true;
    default:
      return false;
  }
}

bool IsNotificationUsage(int32_t usage) {
  switch (static_cast<AudioUsage>(usage)) {
    case AudioUsage::kNotification:
    case AudioUsage::kNotificationEvent:
    // The framework rewrites the deprecated 7/8/9 to NOTIFICATION when the
    // attributes are built, so on main AAOS they arrive as 5.
    case AudioUsage::kNotificationCommunicationRequest:
    case AudioUsage::kNotificationCommunicationInstant:
    case AudioUsage::kNotificationCommunicationDelayed:
      return true;
    default:
      return false;
  }
}

std::string UsageName(int32_t usage) {
  const UsageRow* row = FindUsage(usage);
  return row == nullptr ? absl::StrCat("USAGE_", usage) : absl::StrCat("USAGE_", row->name);
}

std::string XsdUsageName(int32_t usage) { return absl::StrCat("AUDIO_", UsageName(usage)); }

std::optional<int32_t> ParseUsage(absl::string_view name) {
  int32_t number = 0;
  if (absl::SimpleAtoi(name, &number)) {
    if (IsKnownUsage(number)) return number;
    return std::nullopt;
  }
  std::string normalized = Normalize(name);
  if (absl::StartsWith(normalized, "audio-")) normalized.erase(0, 6);
  if (absl::StartsWith(normalized, "usage-")) normalized.erase(0, 6);
  for (const UsageRow& row : kUsageTable) {
    if (normalized == Normalize(row.name) || normalized == row.short_name) return row.usage;
  }
  for (const Alias& alias : kAliases) {
    if (normalized == alias.alias) return alias.usage;
  }
  return std::nullopt;
}

}  // namespace caraudio
