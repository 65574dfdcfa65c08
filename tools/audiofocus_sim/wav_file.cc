#include "tools/audiofocus_sim/wav_file.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include "absl/strings/str_cat.h"

namespace caraudio::sim {
namespace {

void PutLittleEndian(std::string& out, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

int16_t ToPcm16(float sample) {
  const double clamped = std::clamp(static_cast<double>(sample), -1.0, 1.0);
  return static_cast<int16_t>(std::lround(clamped * std::numeric_limits<int16_t>::max()));
}

}  // namespace

std::string EncodeWav(const std::vector<std::vector<float>>& channels, uint32_t sample_rate) {
  size_t frames = channels.empty() ? 0 : channels.front().size();
  for (const std::vector<float>& channel : channels) frames = std::min(frames, channel.size());
  const uint32_t channel_count = static_cast<uint32_t>(channels.size());
  const uint32_t block_align = channel_count * 2;
  const uint32_t data_bytes = static_cast<uint32_t>(frames * block_align);

  std::string out;
  out.reserve(44 + data_bytes);
  out += "RIFF";
  PutLittleEndian(out, 36 + data_bytes, 4);
  out += "WAVEfmt ";
  PutLittleEndian(out, 16, 4);  // fmt chunk size
  PutLittleEndian(out, 1, 2);   // PCM
  PutLittleEndian(out, channel_count, 2);
  PutLittleEndian(out, sample_rate, 4);
  PutLittleEndian(out, sample_rate * block_align, 4);  // bytes per second
  PutLittleEndian(out, block_align, 2);
  PutLittleEndian(out, 16, 2);  // bits per sample
  out += "data";
  PutLittleEndian(out, data_bytes, 4);
  for (size_t frame = 0; frame < frames; ++frame) {
    for (const std::vector<float>& channel : channels) {
      // Aligned at the end: skip the surplus at the start of longer channels.
      const float sample = channel[channel.size() - frames + frame];
      PutLittleEndian(out, static_cast<uint16_t>(ToPcm16(sample)), 2);
    }
  }
  return out;
}

absl::Status WriteWavFile(const std::string& path, const std::vector<std::vector<float>>& channels,
                          uint32_t sample_rate) {
  if (channels.empty()) return absl::InvalidArgumentError("no channels to write");
  const std::string bytes = EncodeWav(channels, sample_rate);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (file) file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (file) file.close();
  if (!file) {
    return absl::UnavailableError(absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace caraudio::sim
