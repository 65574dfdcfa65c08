#include "pipewire-bridge/stream_level.h"

#include <algorithm>
#include <cmath>

namespace caraudio {

float LinearToDbfs(double linear) {
  if (!(linear > 0.0)) return kSilenceDbfs;
  return std::max(kSilenceDbfs, static_cast<float>(20.0 * std::log10(linear)));
}

PeriodLevel LevelBetween(const StreamMeterReading* previous, const StreamMeterReading& current) {
  const bool same_metering = previous != nullptr && previous->serial == current.serial &&
                             previous->frames <= current.frames;
  const uint64_t since_frame = same_metering ? previous->frames : 0;
  const double since_sum = same_metering ? previous->sum_squares : 0.0;
  PeriodLevel level;
  level.frames = current.frames - since_frame;
  if (level.frames == 0) return level;
  // Sums of squares are non-negative; rounding in the difference is not.
  const double sum = std::max(0.0, current.sum_squares - since_sum);
  level.rms_dbfs = LinearToDbfs(std::sqrt(sum / (2.0 * static_cast<double>(level.frames))));
  float peak = 0.0f;
  for (const CyclePeak& cycle : current.recent_peaks) {
    if (cycle.end_frame > since_frame) peak = std::max(peak, cycle.peak);
  }
  level.peak_dbfs = LinearToDbfs(peak);
  return level;
}

void AddCycle(StreamMeterReading& reading, uint64_t frames, double sum_squares, float peak) {
  reading.frames += frames;
  reading.sum_squares += sum_squares;
  reading.recent_peaks.push_back(CyclePeak{reading.frames, peak});
  const uint64_t oldest_kept =
      reading.frames > kPeakHistoryFrames ? reading.frames - kPeakHistoryFrames : 0;
  // A cycle is kept while any of its frames is within the history.
  std::erase_if(reading.recent_peaks,
                [oldest_kept](const CyclePeak& cycle) { return cycle.end_frame <= oldest_kept; });
}

}  // namespace caraudio
