// Shared by the tests of tools/audiofocus_sim: the default car, and parsing a
// scenario text to the one string a test compares.

#ifndef CARAUDIO_TESTS_SIM_SCENARIO_TEST_UTIL_H_
#define CARAUDIO_TESTS_SIM_SCENARIO_TEST_UTIL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "caraudio/sim/v1/scenario.pb.h"
#include "tools/audiofocus_sim/scenario_loader.h"
#include "zones/car_audio_config.h"
#include "zones/car_audio_config_parser.h"

namespace caraudio::sim::testing {

// The default car (config/car_audio_configuration.xml): zones 0 "driver/front",
// 1 "rear left", 2 "rear right".
inline const CarAudioConfig& DefaultCar() {
  static const CarAudioConfig* const car = new CarAudioConfig(*LoadDefaultCarAudioConfig());
  return *car;
}

// "OK" when `text` parses and validates in the default car; otherwise the
// error message, or a note when the error is not InvalidArgument.
inline std::string Check(absl::string_view text,
                         ScenarioFormat format = ScenarioFormat::kTextFormat,
                         absl::string_view source = "scenario.textproto") {
  absl::StatusOr<v1::Scenario> scenario = ParseScenario(text, format, DefaultCar(), source);
  if (scenario.ok()) return "OK";
  if (scenario.status().code() != absl::StatusCode::kInvalidArgument) {
    return "unexpected status: " + scenario.status().ToString();
  }
  return std::string(scenario.status().message());
}

}  // namespace caraudio::sim::testing

#endif  // CARAUDIO_TESTS_SIM_SCENARIO_TEST_UTIL_H_
