// AudioUsage: android.media.AudioAttributes usages with Android's numeric
// values, and the static usage -> context table of AAOS CarAudioContext
// (focus-rules.md §2, the main / Android 14+ column).
//
// Usages travel as raw int32 through the API because Android accepts any
// value and maps unknown ones to INVALID; the enum names the known ones.
// Thread-compatible: pure functions over constants.

#ifndef CARAUDIO_CARSERVICE_AUDIO_USAGE_H_
#define CARAUDIO_CARSERVICE_AUDIO_USAGE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "carservice/audio_context.h"

namespace caraudio {

enum class AudioUsage : int32_t {
  kUnknown = 0,
  kMedia = 1,
  kVoiceCommunication = 2,
  kVoiceCommunicationSignalling = 3,
  kAlarm = 4,
  kNotification = 5,
  kNotificationRingtone = 6,
  kNotificationCommunicationRequest = 7,  // deprecated; framework rewrites to 5
  kNotificationCommunicationInstant = 8,  // deprecated; framework rewrites to 5
  kNotificationCommunicationDelayed = 9,  // deprecated; framework rewrites to 5
  kNotificationEvent = 10,
  kAssistanceAccessibility = 11,
  kAssistanceNavigationGuidance = 12,
  kAssistanceSonification = 13,
  kGame = 14,
  kVirtualSource = 15,
  kAssistant = 16,
  kCallAssistant = 17,  // system usage
  kEmergency = 1000,    // system usage
  kSafety = 1001,       // system usage
  kVehicleStatus = 1002,  // system usage
  kAnnouncement = 1003,   // system usage
};

// The legacy static usage -> context mapping. Unknown values give INVALID.
AudioContext ContextForUsage(int32_t usage);
inline AudioContext ContextForUsage(AudioUsage usage) {
  return ContextForUsage(static_cast<int32_t>(usage));
}

// True for the usages listed in the table above (0..17, 1000..1003).
bool IsKnownUsage(int32_t usage);

// EMERGENCY and SAFETY: the only usages allowed while focus is restricted.
bool IsCriticalUsage(int32_t usage);

// RINGTONE, VOICE_COMMUNICATION, VOICE_COMMUNICATION_SIGNALLING and
// CALL_ASSISTANT: the usages between which the telephony client may swap.
bool IsRingerOrCallUsage(int32_t usage);

// NOTIFICATION and NOTIFICATION_EVENT (and the deprecated 7/8/9, which the
// framework rewrites to NOTIFICATION): the usages that an exclusive
// (GAIN_TRANSIENT_EXCLUSIVE) entry blocks regardless of the matrix.
bool IsNotificationUsage(int32_t usage);

// "USAGE_MEDIA"; "USAGE_<n>" for unknown values.
std::string UsageName(int32_t usage);

// The car_audio_configuration XSD spelling used in DuckingInfo and by the
// HAL: "AUDIO_USAGE_MEDIA"; "AUDIO_USAGE_<n>" for unknown values.
std::string XsdUsageName(int32_t usage);

// Accepts "USAGE_MEDIA", "AUDIO_USAGE_MEDIA", "media", short forms ("nav",
// "voice-call", "ring", "safety", ...) case-insensitively with '-' or '_',
// and decimal numbers of known usages. nullopt when unknown.
std::optional<int32_t> ParseUsage(absl::string_view name);

// The client id Android's telephony stack uses for ring and call focus; the
// only client allowed to swap between ringer and call usages in place.
inline constexpr absl::string_view kTelephonyClientId = "AudioFocus_For_Phone_Ring_And_Calls";

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_AUDIO_USAGE_H_
