#include "carservice/audio_context.h"

#include "absl/strings/ascii.h"

namespace caraudio {
namespace {

struct ContextNames {
  AudioContext context;
  const char* aaos_name;
  const char* config_name;
  const char* short_name;
};

// One row per context, in id order; the single place names are defined.
constexpr std::array<ContextNames, kAudioContextCount> kContextNames = {{
    {AudioContext::kInvalid, "INVALID", "invalid", "invalid"},
    {AudioContext::kMusic, "MUSIC", "music", "media"},
    {AudioContext::kNavigation, "NAVIGATION", "navigation", "nav"},
    {AudioContext::kVoiceCommand, "VOICE_COMMAND", "voice_command", "voice"},
    {AudioContext::kCallRing, "CALL_RING", "call_ring", "ring"},
    {AudioContext::kCall, "CALL", "call", "call"},
    {AudioContext::kAlarm, "ALARM", "alarm", "alarm"},
    {AudioContext::kNotification, "NOTIFICATION", "notification", "notification"},
    {AudioContext::kSystemSound, "SYSTEM_SOUND", "system_sound", "system"},
    {AudioContext::kEmergency, "EMERGENCY", "emergency", "emergency"},
    {AudioContext::kSafety, "SAFETY", "safety", "safety"},
    {AudioContext::kVehicleStatus, "VEHICLE_STATUS", "vehicle_status", "vehicle"},
    {AudioContext::kAnnouncement, "ANNOUNCEMENT", "announcement", "announcement"},
}};

}  // namespace

const char* ContextName(AudioContext context) {
  return kContextNames[ContextIndex(context)].aaos_name;
}

const char* ContextConfigName(AudioContext context) {
  return kContextNames[ContextIndex(context)].config_name;
}

std::optional<AudioContext> ParseAudioContext(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  for (const ContextNames& row : kContextNames) {
    if (lower == row.config_name || lower == row.short_name) return row.context;
  }
  return std::nullopt;
}

std::optional<AudioContext> AudioContextFromId(int32_t id) {
  if (id < 0 || id >= kAudioContextCount) return std::nullopt;
  return static_cast<AudioContext>(id);
}

}  // namespace caraudio
