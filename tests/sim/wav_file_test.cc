// WAV encoding for audiofocus-sim --record (tools/audiofocus_sim/wav_file.h).

#include "tools/audiofocus_sim/wav_file.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/testing/temp_dir.h"

namespace caraudio::sim {
namespace {

uint32_t Le(const std::string& bytes, size_t at, int size) {
  uint32_t value = 0;
  for (int i = size - 1; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(bytes[at + i]);
  return value;
}

TEST(WavFileTest, HeaderAndInterleavedSamplesAlignedAtTheEnd) {
  // The longer channel's first sample is dropped: both end together.
  const std::string wav = EncodeWav({{0.0f, 1.0f, -1.0f}, {0.5f, 2.0f}}, 48000);
  ASSERT_EQ(wav.size(), 44u + 2 * 2 * 2);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  EXPECT_EQ(Le(wav, 4, 4), 36u + 8);
  EXPECT_EQ(wav.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(Le(wav, 20, 2), 1u);       // PCM
  EXPECT_EQ(Le(wav, 22, 2), 2u);       // channels
  EXPECT_EQ(Le(wav, 24, 4), 48000u);   // rate
  EXPECT_EQ(Le(wav, 28, 4), 192000u);  // bytes per second
  EXPECT_EQ(Le(wav, 32, 2), 4u);       // block align
  EXPECT_EQ(Le(wav, 34, 2), 16u);      // bits
  EXPECT_EQ(wav.substr(36, 4), "data");
  EXPECT_EQ(Le(wav, 40, 4), 8u);
  EXPECT_EQ(static_cast<int16_t>(Le(wav, 44, 2)), 32767);   // ch0: 1.0
  EXPECT_EQ(static_cast<int16_t>(Le(wav, 46, 2)), 16384);   // ch1: 0.5
  EXPECT_EQ(static_cast<int16_t>(Le(wav, 48, 2)), -32767);  // ch0: -1.0
  EXPECT_EQ(static_cast<int16_t>(Le(wav, 50, 2)), 32767);   // ch1: 2.0 clamped
}

TEST(WavFileTest, WritesTheFileOrSaysWhyNot) {
  absl::StatusOr<testing::TempDir> dir = testing::TempDir::Create("wav-test");
  ASSERT_TRUE(dir.ok());
  const std::string path = dir->File("out.wav");
  ASSERT_TRUE(WriteWavFile(path, {{0.25f}}, 8000).ok());
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  EXPECT_EQ(content.str(), EncodeWav({{0.25f}}, 8000));

  EXPECT_EQ(WriteWavFile(dir->File("missing/out.wav"), {{0.0f}}, 8000).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(WriteWavFile(path, {}, 8000).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caraudio::sim
