// Loading a CarAudioConfig from an AOSP car_audio_configuration.xml: from a
// string, from a file, or from the default car embedded at build time
// (config/car_audio_configuration.xml).
//
// Accepted layouts (AOSP versions 2 and 3):
//
//   <carAudioConfiguration version="2">
//     <zones>
//       <zone name="front" isPrimary="true" audioZoneId="0" occupantZoneId="0">
//         <volumeGroups>
//           <group name="media">
//             <device address="bus0_media_out">
//               <context context="music"/>
//             </device>
//           </group>
//         </volumeGroups>
//       </zone>
//     </zones>
//   </carAudioConfiguration>
//
//   Version 3 may instead wrap the volume groups of a zone in
//     <zoneConfigs><zoneConfig name="..." isDefault="true"><volumeGroups>...
//   The zoneConfig marked isDefault="true" is used (the first one when none
//   is marked); the others are not read. <zoneConfigs> needs version 3.
//
// Attributes:
//   <zone>    name (default "zone N"), isPrimary (true|false, default false),
//             audioZoneId (int >= 0; optional for the primary zone, which then
//             gets 0), occupantZoneId (int >= 0, optional, unique).
//   <group>   name (default "groupN", N = index in the zone).
//   <device>  address (required, non-empty, unique across the file).
//   <context> context: an AOSP context name, "music" .. "announcement".
//
// CarAudioControl extensions (optional, not in AOSP):
//   <group>   minGainMb, maxGainMb, defaultGainMb, stepMb: the group's gain
//             range in millibel (AOSP minGain / maxGain / stepValue);
//             defaults -3200, 600, 0, 100. Need min <= default <= max,
//             step > 0 and (max - min) a multiple of step.
//   <device>  output: the real output sink the device is connected to later
//             (e.g. an ALSA sink name); empty or absent = a null sink.
//
// Unknown elements (<oemContexts>, <deviceConfigurations>, <inputDevices>,
// <mirroringDevices>, ...) and unknown attributes are ignored. Unknown context
// names are errors.
//
// Validation: exactly one primary zone, with id 0; unique zone ids; in every
// zone each of the 12 contexts MUSIC..ANNOUNCEMENT routed to exactly one
// device; numeric and boolean attributes well formed.
//
// Errors are InvalidArgument with the text "SOURCE:LINE: problem", where
// SOURCE is the caller's source name. Nothing is half-loaded: either the
// whole config is returned or an error. All functions are thread-safe.

#ifndef CARAUDIO_ZONES_CAR_AUDIO_CONFIG_PARSER_H_
#define CARAUDIO_ZONES_CAR_AUDIO_CONFIG_PARSER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "zones/car_audio_config.h"

namespace caraudio {

// Source name to pass for XML that did not come from a file.
inline constexpr absl::string_view kStringSourceName = "<string>";

// Source name in errors from LoadDefaultCarAudioConfig.
inline constexpr absl::string_view kDefaultConfigSourceName = "<embedded car_audio_configuration.xml>";

// Parses and validates XML text. `source_name` prefixes error messages.
absl::StatusOr<CarAudioConfig> ParseCarAudioConfig(absl::string_view xml,
                                                   absl::string_view source_name = kStringSourceName);

// Reads and parses a file; errors name `path`. A missing file is NotFound,
// an unreadable one PermissionDenied, a directory InvalidArgument, other I/O
// errors Unavailable.
absl::StatusOr<CarAudioConfig> LoadCarAudioConfigFile(const std::string& path);

// The text of config/car_audio_configuration.xml, embedded at build time.
absl::string_view DefaultCarAudioConfigXml();

// Parses DefaultCarAudioConfigXml().
absl::StatusOr<CarAudioConfig> LoadDefaultCarAudioConfig();

}  // namespace caraudio

#endif  // CARAUDIO_ZONES_CAR_AUDIO_CONFIG_PARSER_H_
