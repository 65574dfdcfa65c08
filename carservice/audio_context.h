// AudioContext: the 13 car audio contexts of AAOS CarAudioContext, with
// Android's numeric ids (0 = INVALID, 1..8 = audiocontrol HAL V1.0
// ContextNumber, 9..12 = the car system contexts).
//
// Contexts are what the focus matrix, the duck table and the zone routing are
// keyed on. Names come in three spellings that all parse: the AAOS constant
// ("CALL_RING"), the car_audio_configuration.xml name ("call_ring") and a
// short CLI form ("ring"). Thread-compatible: pure functions over constants.

#ifndef CARAUDIO_CARSERVICE_AUDIO_CONTEXT_H_
#define CARAUDIO_CARSERVICE_AUDIO_CONTEXT_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace caraudio {

enum class AudioContext : int32_t {
  kInvalid = 0,
  kMusic = 1,
  kNavigation = 2,
  kVoiceCommand = 3,
  kCallRing = 4,
  kCall = 5,
  kAlarm = 6,
  kNotification = 7,
  kSystemSound = 8,
  kEmergency = 9,
  kSafety = 10,
  kVehicleStatus = 11,
  kAnnouncement = 12,
};

inline constexpr int kAudioContextCount = 13;

// All contexts in id order, INVALID first.
inline constexpr std::array<AudioContext, kAudioContextCount> kAllAudioContexts = {
    AudioContext::kInvalid,      AudioContext::kMusic,        AudioContext::kNavigation,
    AudioContext::kVoiceCommand, AudioContext::kCallRing,     AudioContext::kCall,
    AudioContext::kAlarm,        AudioContext::kNotification, AudioContext::kSystemSound,
    AudioContext::kEmergency,    AudioContext::kSafety,       AudioContext::kVehicleStatus,
    AudioContext::kAnnouncement,
};

constexpr int ContextIndex(AudioContext context) { return static_cast<int>(context); }

// "MUSIC", "CALL_RING", ... (the AAOS constant name).
const char* ContextName(AudioContext context);

// "music", "call_ring", ... (the car_audio_configuration.xml spelling).
const char* ContextConfigName(AudioContext context);

// Accepts the AAOS name, the XML name and the short forms ("media", "nav",
// "voice", "ring", "alarm", "notification", "system", "emergency", "safety",
// "vehicle", "announcement"), case-insensitively. nullopt when unknown.
std::optional<AudioContext> ParseAudioContext(absl::string_view name);

// Context for a raw id; nullopt when outside 0..12.
std::optional<AudioContext> AudioContextFromId(int32_t id);

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_AUDIO_CONTEXT_H_
