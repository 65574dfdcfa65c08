// Per-period levels from cumulative meter readings (stream_level.h), with
// readings built cycle by cycle as the meter builds them.

#include "pipewire-bridge/stream_level.h"

#include <cmath>

#include <gtest/gtest.h>

namespace caraudio {
namespace {

constexpr uint64_t kQuantum = 128;

// One cycle of a stereo sine of `amplitude` (both channels): each channel's
// mean square is amplitude^2 / 2.
void AddSineCycle(StreamMeterReading& reading, double amplitude) {
  AddCycle(reading, kQuantum, 2.0 * kQuantum * amplitude * amplitude / 2.0,
           static_cast<float>(amplitude));
}

TEST(StreamLevelTest, SineOfAmplitudeHalfIsMinus9Point03DbfsRmsAndMinus6Point02Peak) {
  StreamMeterReading reading;
  reading.serial = 1;
  for (int i = 0; i < 20; ++i) AddSineCycle(reading, 0.5);
  const PeriodLevel level = LevelBetween(nullptr, reading);
  EXPECT_EQ(level.frames, 20 * kQuantum);
  EXPECT_NEAR(level.rms_dbfs, -9.03, 0.01);
  EXPECT_NEAR(level.peak_dbfs, -6.02, 0.01);
}

TEST(StreamLevelTest, SilenceAndNoBuffersAreMinus120) {
  StreamMeterReading reading;
  reading.serial = 1;
  PeriodLevel level = LevelBetween(nullptr, reading);
  EXPECT_EQ(level.frames, 0u);
  EXPECT_EQ(level.rms_dbfs, kSilenceDbfs);
  EXPECT_EQ(level.peak_dbfs, kSilenceDbfs);

  AddCycle(reading, kQuantum, 0.0, 0.0f);
  level = LevelBetween(nullptr, reading);
  EXPECT_EQ(level.frames, kQuantum);
  EXPECT_EQ(level.rms_dbfs, kSilenceDbfs);
  EXPECT_EQ(level.peak_dbfs, kSilenceDbfs);
  // Far below -120 dBFS is still -120.
  EXPECT_EQ(LinearToDbfs(1e-9), kSilenceDbfs);
  EXPECT_EQ(LinearToDbfs(0.0), kSilenceDbfs);
  EXPECT_NEAR(LinearToDbfs(1.0), 0.0, 1e-6);
}

// Two consumers read the same meter at their own moments; each period's
// figures cover exactly the cycles after that consumer's previous reading.
TEST(StreamLevelTest, ConsumersWithDifferentPeriodsEachGetTheirOwnPeriod) {
  StreamMeterReading meter;
  meter.serial = 3;
  StreamMeterReading fast_previous = meter;  // reads every 2 cycles
  StreamMeterReading slow_previous = meter;  // reads every 6 cycles
  // Cycles 0-5: amplitude 0.5; cycles 6-11: amplitude 0.05 (-20 dB).
  for (int cycle = 0; cycle < 12; ++cycle) {
    AddSineCycle(meter, cycle < 6 ? 0.5 : 0.05);
    if (cycle % 2 == 1) {
      const PeriodLevel fast = LevelBetween(&fast_previous, meter);
      SCOPED_TRACE(::testing::Message() << "fast period ending at cycle " << cycle);
      EXPECT_EQ(fast.frames, 2 * kQuantum);
      EXPECT_NEAR(fast.rms_dbfs, cycle < 6 ? -9.03 : -29.03, 0.01);
      EXPECT_NEAR(fast.peak_dbfs, cycle < 6 ? -6.02 : -26.02, 0.01);
      fast_previous = meter;
    }
    if (cycle % 6 == 5) {
      const PeriodLevel slow = LevelBetween(&slow_previous, meter);
      SCOPED_TRACE(::testing::Message() << "slow period ending at cycle " << cycle);
      EXPECT_EQ(slow.frames, 6 * kQuantum);
      EXPECT_NEAR(slow.rms_dbfs, cycle < 6 ? -9.03 : -29.03, 0.01);
      // The loud cycles 0-5 are not in the second slow period's peak.
      EXPECT_NEAR(slow.peak_dbfs, cycle < 6 ? -6.02 : -26.02, 0.01);
      slow_previous = meter;
    }
  }
}

TEST(StreamLevelTest, APeriodSpanningALevelChangeAveragesPowerAndKeepsTheLouderPeak) {
  StreamMeterReading meter;
  meter.serial = 1;
  const StreamMeterReading previous = meter;
  AddSineCycle(meter, 0.5);
  AddSineCycle(meter, 0.0);
  const PeriodLevel level = LevelBetween(&previous, meter);
  // Half the power of the sine: 3.01 dB lower.
  EXPECT_NEAR(level.rms_dbfs, -9.03 - 3.01, 0.01);
  EXPECT_NEAR(level.peak_dbfs, -6.02, 0.01);
}

TEST(StreamLevelTest, ANewMeteringStartsFromItsOwnBeginning) {
  StreamMeterReading old_stream;
  old_stream.serial = 1;
  for (int i = 0; i < 100; ++i) AddSineCycle(old_stream, 0.5);
  // Same node id after a restart: a new serial and a fresh count.
  StreamMeterReading new_stream;
  new_stream.serial = 2;
  for (int i = 0; i < 4; ++i) AddSineCycle(new_stream, 0.05);
  const PeriodLevel level = LevelBetween(&old_stream, new_stream);
  EXPECT_EQ(level.frames, 4 * kQuantum);
  EXPECT_NEAR(level.rms_dbfs, -29.03, 0.01);
  EXPECT_NEAR(level.peak_dbfs, -26.02, 0.01);
}

TEST(StreamLevelTest, PeakHistoryReachesBackAboutOnePointTwoFiveSeconds) {
  StreamMeterReading meter;
  meter.serial = 1;
  const StreamMeterReading start = meter;
  AddSineCycle(meter, 0.9);
  // 2 s of quieter signal afterwards.
  for (uint64_t frames = 0; frames < 96'000; frames += kQuantum) AddSineCycle(meter, 0.1);
  ASSERT_FALSE(meter.recent_peaks.empty());
  EXPECT_GT(meter.recent_peaks.front().end_frame, meter.frames - kPeakHistoryFrames);
  EXPECT_LE(meter.recent_peaks.front().end_frame, meter.frames - kPeakHistoryFrames + kQuantum);
  // The loud first cycle has left the history; the RMS still counts it.
  const PeriodLevel level = LevelBetween(&start, meter);
  EXPECT_NEAR(level.peak_dbfs, -20.0, 0.01);
  EXPECT_GT(level.rms_dbfs, -23.02);
}

}  // namespace
}  // namespace caraudio
