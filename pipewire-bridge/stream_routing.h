// StreamRouting: which device an app stream plays into — AAOS dynamic
// routing, done by the bridge from the stream's PipeWire node properties.
//
// Properties an app stream sets (documented in README "Stream properties"):
//   caraudio.client-id  the focus client id (for logs and the admin view);
//   caraudio.usage      an Android usage in any form ParseUsage accepts
//                       ("USAGE_MEDIA", "media", "nav", "1", ...); else
//   media.role          PipeWire's role, mapped by kMediaRoleUsages below;
//   caraudio.zone-id    the audio zone (default: the primary zone);
//   caraudio.package    the Android package of the app that plays it;
//   caraudio.uid        the app's uid, a decimal integer 0..2147483647.
// Package and uid together name the app (AppIdentity) for per-app
// silencing; absent, they are "" and 0.
// A stream with neither usage nor role is not ours to route (nullopt). One
// with a bad value (unknown usage, zone, a zone without that context, or a
// uid that is not a decimal integer >= 0) is an error: the bridge leaves it
// unlinked and says why, once.
//
// Pure: no PipeWire calls, so it is tested cell by cell.

#ifndef CARAUDIO_PIPEWIRE_BRIDGE_STREAM_ROUTING_H_
#define CARAUDIO_PIPEWIRE_BRIDGE_STREAM_ROUTING_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "carservice/audio_usage.h"
#include "pipewire-bridge/app_identity.h"
#include "zones/car_audio_config.h"

namespace caraudio {

inline constexpr char kClientIdProperty[] = "caraudio.client-id";
inline constexpr char kUsageProperty[] = "caraudio.usage";
inline constexpr char kZoneIdProperty[] = "caraudio.zone-id";
inline constexpr char kDeviceAddressProperty[] = "caraudio.device-address";
inline constexpr char kMediaRoleProperty[] = "media.role";
inline constexpr char kPackageProperty[] = "caraudio.package";
inline constexpr char kUidProperty[] = "caraudio.uid";

struct StreamRoute {
  int32_t zone_id = 0;
  int32_t usage = 0;
  std::string device_address;
  std::string client_id;     // "" when the stream did not say
  std::string package_name;  // "" when the stream did not say
  int32_t uid = 0;           // 0 when the stream did not say
  AppIdentity app() const { return AppIdentity{package_name, uid}; }
  friend bool operator==(const StreamRoute&, const StreamRoute&) = default;
};

// PipeWire media.role → Android usage (case-insensitive match on the role).
// Roles follow PipeWire's/WirePlumber's vocabulary.
struct MediaRoleUsage {
  const char* role;
  AudioUsage usage;
};
extern const MediaRoleUsage kMediaRoleUsages[];
extern const size_t kMediaRoleUsageCount;

// nullopt: not a stream we route. Error: ours, but unroutable (message says why).
absl::StatusOr<std::optional<StreamRoute>> RouteStream(
    const std::map<std::string, std::string>& properties, const CarAudioConfig& config);

}  // namespace caraudio

#endif  // CARAUDIO_PIPEWIRE_BRIDGE_STREAM_ROUTING_H_
