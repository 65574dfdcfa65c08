// NormalizedName: the comparison key the lifecycle and hardening parsers use,
// so "mediaPlayback", "media-playback" and "MEDIA_PLAYBACK" all read alike:
// ASCII lower case with '-', '_' and ' ' removed. Pure.

#ifndef CARAUDIO_CARSERVICE_NAME_MATCHING_H_
#define CARAUDIO_CARSERVICE_NAME_MATCHING_H_

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"

namespace caraudio {

inline std::string NormalizedName(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '-' || c == '_' || c == ' ') continue;
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_NAME_MATCHING_H_
