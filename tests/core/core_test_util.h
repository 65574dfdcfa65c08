// The CarAudioCore the core tests start from: the default car, nothing held.

#ifndef CARAUDIO_TESTS_CORE_CORE_TEST_UTIL_H_
#define CARAUDIO_TESTS_CORE_CORE_TEST_UTIL_H_

#include <memory>

#include "carservice/car_audio_core.h"
#include "gtest/gtest.h"
#include "zones/car_audio_config_parser.h"

namespace caraudio {

// A core over the embedded default car; nullptr (and a test failure) if it
// cannot be built.
inline std::unique_ptr<CarAudioCore> DefaultCarAudioCore() {
  absl::StatusOr<CarAudioConfig> config = LoadDefaultCarAudioConfig();
  EXPECT_TRUE(config.ok()) << config.status();
  if (!config.ok()) return nullptr;
  absl::StatusOr<std::unique_ptr<CarAudioCore>> core = CarAudioCore::Create(*config);
  EXPECT_TRUE(core.ok()) << core.status();
  return core.ok() ? *std::move(core) : nullptr;
}

}  // namespace caraudio

#endif  // CARAUDIO_TESTS_CORE_CORE_TEST_UTIL_H_
