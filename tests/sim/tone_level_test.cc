// ToneLevelDbfs and ToneLevelAboveFloorDbfs on synthetic signals: the level
// of a sine at its own frequency, independence from a loud tone nearby and
// from another tone's glitch, silence, noise.

#include "tools/audiofocus_sim/tone_level.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

namespace caraudio::sim {
namespace {

constexpr double kRate = 48000.0;
constexpr size_t kHundredMs = 4800;

// `frames` of the sum of sines (frequency, amplitude), with a phase.
std::vector<float> Sines(const std::vector<std::pair<double, double>>& tones, size_t frames,
                         double phase = 0.3) {
  std::vector<float> samples(frames);
  for (size_t i = 0; i < frames; ++i) {
    double value = 0.0;
    for (const auto& [hz, amplitude] : tones) {
      value += amplitude * std::sin(2.0 * std::numbers::pi * hz * i / kRate + phase);
    }
    samples[i] = static_cast<float>(value);
  }
  return samples;
}

double Db(double amplitude) { return 20.0 * std::log10(amplitude / std::numbers::sqrt2); }

TEST(ToneLevelTest, SineReadsItsRmsLevel) {
  for (double hz : {120.0, 500.0, 1234.5, 1500.0, 9000.0}) {
    EXPECT_NEAR(ToneLevelDbfs(Sines({{hz, 0.5}}, kHundredMs), kRate, hz), Db(0.5), 0.05) << hz;
  }
  EXPECT_NEAR(ToneLevelDbfs(Sines({{500, 1.0}}, kHundredMs), kRate, 500), -3.01, 0.05);
}

TEST(ToneLevelTest, PhaseDoesNotMatter) {
  for (double phase : {0.0, 1.0, 2.0, 3.0}) {
    EXPECT_NEAR(ToneLevelDbfs(Sines({{440, 0.25}}, kHundredMs, phase), kRate, 440), Db(0.25), 0.05);
  }
}

TEST(ToneLevelTest, DuckedToneIsNineDecibelsLower) {
  const double full = ToneLevelDbfs(Sines({{500, 0.5}}, kHundredMs), kRate, 500);
  const double ducked = ToneLevelDbfs(Sines({{500, 0.5 * 0.35}}, kHundredMs), kRate, 500);
  EXPECT_NEAR(ducked - full, -9.12, 0.05);
}

TEST(ToneLevelTest, OtherTonesDoNotLeakAboveTheAudibleThreshold) {
  // A loud tone kMinSeparationHz away, or the chime's 660/880 Hz next to a
  // 600 Hz app, reads far below -50 dBFS at the app's frequency.
  const std::vector<float> neighbour = Sines({{500 + kMinSeparationHz, 1.0}}, kHundredMs);
  EXPECT_LT(ToneLevelDbfs(neighbour, kRate, 500), -60.0);
  const std::vector<float> chime = Sines({{660, 0.5}, {880, 0.5}}, kHundredMs);
  EXPECT_LT(ToneLevelDbfs(chime, kRate, 600), -60.0);
  // ... and the app's own tone still reads right in the mix.
  const std::vector<float> mix = Sines({{600, 0.1}, {660, 0.5}, {880, 0.5}}, kHundredMs);
  EXPECT_NEAR(ToneLevelDbfs(mix, kRate, 600), Db(0.1), 0.3);
}

// A cycle the graph dropped: the other app's 900 Hz tone jumps 128 frames
// ahead mid-window.
std::vector<float> JumpingTone() {
  std::vector<float> samples(kHundredMs);
  for (size_t i = 0; i < kHundredMs; ++i) {
    const size_t position = i < kHundredMs / 2 ? i : i + 128;
    samples[i] =
        static_cast<float>(0.5 * std::sin(2.0 * std::numbers::pi * 900 * position / kRate));
  }
  return samples;
}

TEST(ToneLevelTest, AGlitchInAnotherToneSplattersAboveTheThresholdWithoutTheFloor) {
  EXPECT_GT(ToneLevelDbfs(JumpingTone(), kRate, 600), -50.0);
  EXPECT_EQ(ToneLevelAboveFloorDbfs(JumpingTone(), kRate, 600), kToneSilenceDbfs);
  // The glitching tone itself reads lower (its two halves partly cancel:
  // -21.8 dBFS instead of -9.0) but far above silence.
  EXPECT_GT(ToneLevelAboveFloorDbfs(JumpingTone(), kRate, 900), -25.0);
}

TEST(ToneLevelTest, AboveTheFloorAToneReadsItsLevel) {
  for (double hz : {120.0, 500.0, 1500.0}) {
    EXPECT_NEAR(ToneLevelAboveFloorDbfs(Sines({{hz, 0.5}}, kHundredMs), kRate, hz), Db(0.5), 0.05);
  }
  // A much louder tone kMinSeparationHz away does not raise the floor.
  const std::vector<float> quiet_next_to_loud =
      Sines({{500, 0.01}, {500 + kMinSeparationHz, 1.0}}, kHundredMs);
  EXPECT_NEAR(ToneLevelAboveFloorDbfs(quiet_next_to_loud, kRate, 500), Db(0.01), 0.1);
}

TEST(ToneLevelTest, SilenceAndShortBlocks) {
  EXPECT_EQ(ToneLevelDbfs(std::vector<float>(kHundredMs, 0.0f), kRate, 500), kToneSilenceDbfs);
  EXPECT_EQ(ToneLevelDbfs({}, kRate, 500), kToneSilenceDbfs);
  EXPECT_EQ(ToneLevelAboveFloorDbfs(std::vector<float>(kHundredMs, 0.0f), kRate, 500),
            kToneSilenceDbfs);
}

TEST(ToneLevelTest, WhiteNoiseAtMinus30DbfsStaysBelowMinus50AtOneFrequency) {
  std::mt19937 random(7);
  std::normal_distribution<float> noise(0.0f, 0.0316f);  // -30 dBFS RMS
  std::vector<float> samples(kHundredMs);
  for (float& sample : samples) sample = noise(random);
  EXPECT_LT(ToneLevelDbfs(samples, kRate, 500), -50.0);
}

}  // namespace
}  // namespace caraudio::sim
