// Fuzzes ParseCarAudioConfig: any bytes give a config or an error, never a
// crash, a sanitizer report or a hang; a config it accepts is consistent
// (a primary zone, every zone findable by its id) and parsing is
// deterministic.

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "zones/car_audio_config_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view xml(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<caraudio::CarAudioConfig> config = caraudio::ParseCarAudioConfig(xml);
  const absl::StatusOr<caraudio::CarAudioConfig> again = caraudio::ParseCarAudioConfig(xml);
  if (config.ok() != again.ok()) std::abort();
  if (!config.ok()) {
    if (config.status().message() != again.status().message()) std::abort();
    return 0;
  }
  if (config->PrimaryZone() == nullptr) std::abort();
  for (const caraudio::ZoneConfig& zone : config->zones) {
    if (config->FindZone(zone.id) != &zone) std::abort();
  }
  return 0;
}
