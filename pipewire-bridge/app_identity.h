// AppIdentity: an Android app as its playback streams name it, by the node
// properties caraudio.package and caraudio.uid (stream_routing.h). Two
// streams belong to the same app when both the package and the uid are
// equal. The HAL's SetSilencedApps carries a set of these down to the
// PipeWire bridge, which silences the matching streams.
//
// A plain value type; ordered so it can key a std::set. kMaxPackageNameLength
// bounds package names wherever a caller names an app (Android's own limit is
// lower), so no request can make the service store or echo megabytes.

#ifndef CARAUDIO_PIPEWIRE_BRIDGE_APP_IDENTITY_H_
#define CARAUDIO_PIPEWIRE_BRIDGE_APP_IDENTITY_H_

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>

namespace caraudio {

inline constexpr size_t kMaxPackageNameLength = 256;

struct AppIdentity {
  std::string package_name;  // e.g. "com.example.radio"
  int32_t uid = 0;           // >= 0
  friend auto operator<=>(const AppIdentity&, const AppIdentity&) = default;
};

}  // namespace caraudio

#endif  // CARAUDIO_PIPEWIRE_BRIDGE_APP_IDENTITY_H_
