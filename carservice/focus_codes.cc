#include "carservice/focus_codes.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_replace.h"

namespace caraudio {

const char* FocusGainName(FocusGain gain) {
  switch (gain) {
    case FocusGain::kGain:
      return "GAIN";
    case FocusGain::kGainTransient:
      return "GAIN_TRANSIENT";
    case FocusGain::kGainTransientMayDuck:
      return "GAIN_TRANSIENT_MAY_DUCK";
    case FocusGain::kGainTransientExclusive:
      return "GAIN_TRANSIENT_EXCLUSIVE";
  }
  return "GAIN_?";
}

const char* FocusChangeName(FocusChange change) {
  switch (change) {
    case FocusChange::kGain:
      return "GAIN";
    case FocusChange::kLoss:
      return "LOSS";
    case FocusChange::kLossTransient:
      return "LOSS_TRANSIENT";
    case FocusChange::kLossTransientCanDuck:
      return "LOSS_TRANSIENT_CAN_DUCK";
  }
  return "CHANGE_?";
}

const char* RequestResultName(RequestResult result) {
  switch (result) {
    case RequestResult::kFailed:
      return "FAILED";
    case RequestResult::kGranted:
      return "GRANTED";
    case RequestResult::kDelayed:
      return "DELAYED";
  }
  return "RESULT_?";
}

std::optional<FocusGain> FocusGainFromInt(int32_t value) {
  if (value < 1 || value > 4) return std::nullopt;
  return static_cast<FocusGain>(value);
}

std::optional<FocusGain> ParseFocusGain(absl::string_view text) {
  int32_t number = 0;
  if (absl::SimpleAtoi(text, &number)) return FocusGainFromInt(number);
  std::string t = absl::StrReplaceAll(absl::AsciiStrToLower(text), {{"_", "-"}});
  if (t.rfind("audiofocus-", 0) == 0) t.erase(0, 11);
  if (t == "g" || t == "gain") return FocusGain::kGain;
  if (t == "t" || t == "transient" || t == "gain-transient") return FocusGain::kGainTransient;
  if (t == "d" || t == "transient-may-duck" || t == "gain-transient-may-duck" || t == "may-duck")
    return FocusGain::kGainTransientMayDuck;
  if (t == "x" || t == "transient-exclusive" || t == "gain-transient-exclusive" || t == "exclusive")
    return FocusGain::kGainTransientExclusive;
  return std::nullopt;
}

}  // namespace caraudio
