// Audio focus codes with android.media.AudioManager's numeric values:
// the gain a client asks for, the focus changes dispatched to it, and the
// synchronous result of a request (focus-rules.md §0).
//
// Notation used in comments and explanations: G = GAIN, T = GAIN_TRANSIENT,
// D = GAIN_TRANSIENT_MAY_DUCK, X = GAIN_TRANSIENT_EXCLUSIVE.

#ifndef CARAUDIO_CARSERVICE_FOCUS_CODES_H_
#define CARAUDIO_CARSERVICE_FOCUS_CODES_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"

namespace caraudio {

// What a request asks for (AUDIOFOCUS_GAIN*).
enum class FocusGain : int32_t {
  kGain = 1,                        // G: permanent
  kGainTransient = 2,               // T
  kGainTransientMayDuck = 3,        // D
  kGainTransientExclusive = 4,      // X: like T, and notifications fail
};

// What a client is told later (AUDIOFOCUS_GAIN / AUDIOFOCUS_LOSS*).
enum class FocusChange : int32_t {
  kGain = 1,
  kLoss = -1,
  kLossTransient = -2,
  kLossTransientCanDuck = -3,
};

// The synchronous answer to a request (AUDIOFOCUS_REQUEST_*).
enum class RequestResult : int32_t {
  kFailed = 0,
  kGranted = 1,
  kDelayed = 2,
};

// AUDIOFOCUS_FLAG_* bit values, for the wire and the logs.
inline constexpr int32_t kFlagDelayOk = 1;
inline constexpr int32_t kFlagPausesOnDuckableLoss = 2;
inline constexpr int32_t kFlagLock = 4;

// "GAIN", "GAIN_TRANSIENT", ...
const char* FocusGainName(FocusGain gain);
// "GAIN", "LOSS", "LOSS_TRANSIENT", "LOSS_TRANSIENT_CAN_DUCK".
const char* FocusChangeName(FocusChange change);
// "FAILED", "GRANTED", "DELAYED".
const char* RequestResultName(RequestResult result);

// 1..4 -> gain; nullopt otherwise.
std::optional<FocusGain> FocusGainFromInt(int32_t value);

// Accepts "gain", "transient", "transient-may-duck", "transient-exclusive",
// the AUDIOFOCUS_* constant names, "G"/"T"/"D"/"X" and 1..4.
std::optional<FocusGain> ParseFocusGain(absl::string_view text);

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_FOCUS_CODES_H_
