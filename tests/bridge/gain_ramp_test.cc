#include "pipewire-bridge/gain_ramp.h"

#include <cmath>

#include <gtest/gtest.h>

namespace caraudio {
namespace {

constexpr float kRate = 48000.0f;

// Samples until the ramp settles.
int RunToTarget(GainRamp& ramp, int limit = 1'000'000) {
  int samples = 0;
  while (!ramp.settled() && samples < limit) {
    ramp.Next();
    ++samples;
  }
  return samples;
}

TEST(GainRampTest, DecibelDuckTakesTheAttackTimeAndIsLinearInDecibels) {
  // 100 ms for 10 dB down, 1000 ms back up.
  GainRamp duck(GainRamp::Shape::kDecibel, 1.0f, 0.010f, 0.100f, kRate);
  duck.SetTarget(DecibelsToLinear(-10.0f));
  float previous_db = 0.0f;
  int samples = 0;
  while (!duck.settled()) {
    const float db = LinearToDecibels(duck.Next());
    ++samples;
    if (samples % 480 == 0) {  // every 10 ms: 1 dB
      EXPECT_NEAR(previous_db - db, 1.0f, 0.02f) << "at " << samples;
      previous_db = db;
    }
  }
  EXPECT_NEAR(samples, 4800, 10);
  EXPECT_FLOAT_EQ(duck.value(), DecibelsToLinear(-10.0f));
  duck.SetTarget(1.0f);
  EXPECT_NEAR(RunToTarget(duck), 48000, 100);
  EXPECT_FLOAT_EQ(duck.value(), 1.0f);
}

TEST(GainRampTest, ReversedMidWayStartsFromTheCurrentValue) {
  GainRamp duck(GainRamp::Shape::kDecibel, 1.0f, 0.010f, 0.100f, kRate);
  duck.SetTarget(DecibelsToLinear(-10.0f));
  for (int i = 0; i < 2400; ++i) duck.Next();  // half way: -5 dB
  EXPECT_NEAR(LinearToDecibels(duck.value()), -5.0f, 0.05f);
  duck.SetTarget(1.0f);
  const float first = duck.Next();
  EXPECT_NEAR(LinearToDecibels(first), -5.0f, 0.01f);  // no jump
  // 5 dB back at 100 ms/dB.
  EXPECT_NEAR(RunToTarget(duck), 24000, 60);
}

TEST(GainRampTest, MuteIsALinearAmplitudeRampToSilence) {
  GainRamp mute(GainRamp::Shape::kLinear, 1.0f, 0.020f, 0.020f, kRate);
  mute.SetTarget(0.0f);
  EXPECT_NEAR(mute.Next(), 1.0f - 1.0f / 960.0f, 1e-5);
  EXPECT_NEAR(RunToTarget(mute) + 1, 960, 2);
  EXPECT_EQ(mute.value(), 0.0f);
  mute.SetTarget(1.0f);
  EXPECT_NEAR(RunToTarget(mute), 960, 2);
}

TEST(GainRampTest, ZeroTimeJumpsAndResetSkipsTheRamp) {
  GainRamp jump(GainRamp::Shape::kDecibel, 1.0f, 0.0f, 0.0f, kRate);
  jump.SetTarget(0.5f);
  EXPECT_FLOAT_EQ(jump.Next(), 0.5f);
  GainRamp duck(GainRamp::Shape::kDecibel, 1.0f, 0.010f, 0.100f, kRate);
  duck.Reset(0.25f);
  EXPECT_TRUE(duck.settled());
  EXPECT_FLOAT_EQ(duck.Next(), 0.25f);
}

TEST(GainRampTest, DecibelRampFromSilenceStartsAtTheFloor) {
  GainRamp volume(GainRamp::Shape::kDecibel, 0.0f, 0.001f, 0.001f, kRate);
  volume.SetTarget(1.0f);
  const float first = volume.Next();
  EXPECT_GT(first, 0.0f);
  EXPECT_LT(LinearToDecibels(first), kDecibelFloor + 1.0f);
  EXPECT_NEAR(RunToTarget(volume), 96 * 48, 10);
}

}  // namespace
}  // namespace caraudio
