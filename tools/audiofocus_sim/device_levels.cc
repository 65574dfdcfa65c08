#include "tools/audiofocus_sim/device_levels.h"

#include <cmath>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "pipewire-bridge/stream_level.h"

namespace caraudio::sim {

double RmsDbfs(std::span<const float> samples) {
  if (samples.empty()) return kSilenceDbfs;
  double sum_squares = 0.0;
  for (const float sample : samples) sum_squares += static_cast<double>(sample) * sample;
  return LinearToDbfs(std::sqrt(sum_squares / static_cast<double>(samples.size())));
}

std::string RenderDeviceLevels(const std::vector<DeviceLevel>& levels) {
  return absl::StrJoin(levels, " | ", [](std::string* out, const DeviceLevel& level) {
    if (level.rms_dbfs <= kSilentBelowDbfs) {
      absl::StrAppend(out, level.device_address, " silent");
    } else {
      absl::StrAppendFormat(out, "%s %.1f", level.device_address, level.rms_dbfs);
    }
  });
}

}  // namespace caraudio::sim
