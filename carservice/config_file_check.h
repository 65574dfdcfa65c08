// What audiocontrold does with a car_audio_configuration.xml before it runs
// on it — for `audiocontrold --check-config FILE` and for a SIGHUP reload —
// with exactly the parser and checks the daemon uses at startup.
//
// Pure functions apart from reading the file; thread-safe.

#ifndef CARAUDIO_CARSERVICE_CONFIG_FILE_CHECK_H_
#define CARAUDIO_CARSERVICE_CONFIG_FILE_CHECK_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "zones/car_audio_config.h"

namespace caraudio {

// A config file as read and accepted.
struct LoadedConfigFile {
  std::string path;
  std::string xml;  // the text that was parsed
  CarAudioConfig config;
};

// Reads and parses `path` and checks that the car service can run on it.
// Errors are one line: the parser's "PATH:LINE: problem", or "PATH: cannot
// open ..." (NotFound, PermissionDenied, ...).
absl::StatusOr<LoadedConfigFile> LoadConfigFile(const std::string& path);

// "3 zones, 11 volume groups, 11 devices: zone 0 "driver/front" (primary,
// 5 groups), zone 1 "rear left" (3 groups), ..."
std::string ConfigSummary(const CarAudioConfig& config);

// A car service that shares its process with the HAL reloads only what the
// HAL (and its PipeWire bridge, which created a node per device at startup)
// can follow: `car` may drop zones of `hal`, and change volume groups,
// names and gain ranges, but every zone it keeps must route each context
// to the same device with the same output. FailedPrecondition naming the
// first difference otherwise.
absl::Status CheckHalCanServe(const CarAudioConfig& hal, const CarAudioConfig& car);

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_CONFIG_FILE_CHECK_H_
