// The CarAudioCore the core tests start from: the default car, nothing held;
// a fixture holding one, and an app request builder.

#ifndef CARAUDIO_TESTS_CORE_CORE_TEST_UTIL_H_
#define CARAUDIO_TESTS_CORE_CORE_TEST_UTIL_H_

#include <memory>
#include <string>
#include <utility>

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

// An app focus request (package "test", uid 10000) for `zone`.
inline FocusRequest App(std::string client, AudioUsage usage, FocusGain gain, int32_t zone = 0) {
  FocusRequest request;
  request.client_id = std::move(client);
  request.package_name = "test";
  request.uid = 10000;
  request.usage = static_cast<int32_t>(usage);
  request.gain = gain;
  request.requested_zone_id = zone;
  return request;
}

// A fresh DefaultCarAudioCore() per test.
class CarAudioCoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core_ = DefaultCarAudioCore();
    ASSERT_NE(core_, nullptr);
  }
  std::unique_ptr<CarAudioCore> core_;
};

}  // namespace caraudio

#endif  // CARAUDIO_TESTS_CORE_CORE_TEST_UTIL_H_
