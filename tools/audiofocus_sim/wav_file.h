// WriteWavFile: a RIFF/WAVE file of 16-bit PCM, one channel per input
// vector, for audiofocus-sim --record. Samples are floats in [-1, 1]
// (clamped), rounded to the nearest 16-bit value. Channels of different
// lengths are aligned at their ends (the recordings all stop together) and
// cut to the shortest.
//
// Pure apart from writing the file; thread-safe.

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_WAV_FILE_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_WAV_FILE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace caraudio::sim {

// The file's bytes: a 44-byte header and the interleaved samples.
std::string EncodeWav(const std::vector<std::vector<float>>& channels, uint32_t sample_rate);

// Writes EncodeWav to `path` (replacing it). InvalidArgument without
// channels; the errno text when the file cannot be written.
absl::Status WriteWavFile(const std::string& path, const std::vector<std::vector<float>>& channels,
                          uint32_t sample_rate);

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_WAV_FILE_H_
