// The level line of audiofocus-sim --levels (tools/audiofocus_sim/device_levels.h):
// RMS of a block in dBFS and how a line of devices reads.

#include "tools/audiofocus_sim/device_levels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace caraudio::sim {
namespace {

std::vector<float> Sine(double amplitude, int frames) {
  std::vector<float> samples(frames);
  for (int i = 0; i < frames; ++i) {
    samples[i] = static_cast<float>(amplitude * std::sin(2 * std::numbers::pi * 500.0 * i / 48000));
  }
  return samples;
}

TEST(DeviceLevelsTest, RmsOfASineAndOfSilence) {
  // 0.5 / sqrt(2) = 0.3536: -9.03 dBFS, as the bridge's meters read it.
  EXPECT_NEAR(RmsDbfs(Sine(0.5, 4800)), -9.03, 0.01);
  // Ducked by 10 dB.
  EXPECT_NEAR(RmsDbfs(Sine(0.5 * std::pow(10.0, -0.5), 4800)), -19.03, 0.01);
  EXPECT_EQ(RmsDbfs(std::vector<float>(4800, 0.0f)), -120.0);
  EXPECT_EQ(RmsDbfs({}), -120.0);
}

TEST(DeviceLevelsTest, OneLineInTheGivenOrderWithSilenceSpelledOut) {
  EXPECT_EQ(RenderDeviceLevels({{"bus0_media_out", -25.14},
                                {"bus1_navigation_out", -12.0},
                                {"bus4_safety_out", -120.0},
                                {"bus100_media_out", kSilentBelowDbfs + 0.05}}),
            "bus0_media_out -25.1 | bus1_navigation_out -12.0 | bus4_safety_out silent | "
            "bus100_media_out -100.0");
  EXPECT_EQ(RenderDeviceLevels({{"bus0_media_out", kSilentBelowDbfs}}), "bus0_media_out silent");
  EXPECT_EQ(RenderDeviceLevels({}), "");
}

}  // namespace
}  // namespace caraudio::sim
