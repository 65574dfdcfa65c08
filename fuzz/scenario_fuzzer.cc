// Fuzzes the audiofocus-sim scenario loader: the first byte picks the format
// (even: protobuf text format, odd: JSON), the rest is the file. Any input
// gives a scenario or an InvalidArgument error, never a crash; a scenario it
// accepts validates again, and survives a text-format round trip unchanged.

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"
#include "tools/audiofocus_sim/scenario_loader.h"
#include "zones/car_audio_config_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const caraudio::CarAudioConfig* const car = [] {
    absl::StatusOr<caraudio::CarAudioConfig> config = caraudio::LoadDefaultCarAudioConfig();
    if (!config.ok()) std::abort();
    return new caraudio::CarAudioConfig(*std::move(config));  // lives for the process
  }();
  const caraudio::sim::ScenarioFormat format = data[0] % 2 == 0
                                                   ? caraudio::sim::ScenarioFormat::kTextFormat
                                                   : caraudio::sim::ScenarioFormat::kJson;
  const absl::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  absl::StatusOr<caraudio::sim::v1::Scenario> scenario =
      caraudio::sim::ParseScenario(text, format, *car);
  if (!scenario.ok()) {
    if (!absl::IsInvalidArgument(scenario.status())) std::abort();
    return 0;
  }
  if (!caraudio::sim::ValidateScenario(*scenario, *car).ok()) std::abort();
  std::string printed;
  if (!google::protobuf::TextFormat::PrintToString(*scenario, &printed)) std::abort();
  absl::StatusOr<caraudio::sim::v1::Scenario> reparsed =
      caraudio::sim::ParseScenario(printed, caraudio::sim::ScenarioFormat::kTextFormat, *car);
  if (!reparsed.ok() ||
      !google::protobuf::util::MessageDifferencer::Equals(*scenario, *reparsed)) {
    std::abort();
  }
  return 0;
}
