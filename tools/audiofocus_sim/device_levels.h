// DeviceLevels: how loud each recorded device is, for the level line
// audiofocus-sim --levels prints at every step time, so a run's log shows
// ducking, muting and chimes as numbers over time:
//
//      2.300  levels   bus0_media_out -25.1 | bus1_navigation_out -12.0 | bus4_safety_out silent
//
// The level is the RMS of everything the device played over the last
// kAudibleWindow (expectation_check.h), in dBFS; at or below
// kSilentBelowDbfs it is printed as "silent". expect_device_audible judges
// the same figure.
//
// Pure functions; thread-safe.

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_DEVICE_LEVELS_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_DEVICE_LEVELS_H_

#include <span>
#include <string>
#include <vector>

namespace caraudio::sim {

// Levels at or below this are printed as "silent" (the bridge meters'
// silence floor, kSilenceDbfs, and a muted device's ramp tail).
inline constexpr double kSilentBelowDbfs = -100.0;

// One device's level at one time.
struct DeviceLevel {
  std::string device_address;
  double rms_dbfs = 0.0;
};

// The RMS of `samples` in dBFS (a sine of amplitude 0.5 reads -9.03);
// -120 for silence and for an empty block.
double RmsDbfs(std::span<const float> samples);

// "bus0_media_out -25.1 | bus4_safety_out silent", in the given order.
std::string RenderDeviceLevels(const std::vector<DeviceLevel>& levels);

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_DEVICE_LEVELS_H_
