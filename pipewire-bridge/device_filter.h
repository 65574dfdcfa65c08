// DeviceFilter: the bridge-owned PipeWire node for one zone device (an AAOS
// bus address such as "bus0_media_out"). App streams link into its
// playback_FL/FR input ports; its output_FL/FR ports feed the real output.
// Its real-time process callback applies
//
//     gain = volume × duck × mute
//
// with each factor ramped sample by sample (GainRamp): so a volume change
// during a duck is kept, an unduck restores the user's level, and no change
// ever steps. The control side only stores targets in atomics
// (DeviceGainTargets); the callback picks them up at its next cycle, so
// setters are wait-free and callable from any thread.
//
// Create() and destruction need the PipeWireLoop lock (or its thread).
//
// report().input_cycles tells, per input, in how many cycles it received a
// buffer: the bridge's link health check compares it with cycles.

#ifndef CARAUDIO_PIPEWIRE_BRIDGE_DEVICE_FILTER_H_
#define CARAUDIO_PIPEWIRE_BRIDGE_DEVICE_FILTER_H_

#include <pipewire/filter.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "pipewire-bridge/bridge_options.h"
#include "pipewire-bridge/gain_ramp.h"
#include "pipewire-bridge/pipewire_loop.h"

namespace caraudio {

// What the device should sound like. Plain value, owned by the bridge.
struct DeviceGainTargets {
  float volume = 1.0f;  // linear, from the volume group's gain
  bool ducked = false;
  bool muted = false;
  friend bool operator==(const DeviceGainTargets&, const DeviceGainTargets&) = default;
};

// What the process callback last did, for GetState, tests and benchmarks.
struct DeviceGainReport {
  uint64_t applied_generation = 0;  // last SetTargets() the callback has seen
  int64_t applied_at_ns = 0;        // CLOCK_MONOTONIC of that cycle
  float current_gain = 1.0f;        // volume × duck × mute at the end of the last cycle
  uint64_t cycles = 0;
  // Cycles in which each input port (playback_FL, playback_FR) received a
  // buffer: one that stops advancing while `cycles` does is not being fed.
  std::array<uint64_t, 2> input_cycles{};
};

class DeviceFilter {
 public:
  static constexpr int kChannels = 2;  // FL, FR
  // "FL" / "FR": the audio.channel of input `channel` (playback_FL/FR).
  static const char* ChannelName(int channel);

  // Creates and connects the filter node `address` on `loop` (connected),
  // starting at `initial` with no ramp.
  static absl::StatusOr<std::unique_ptr<DeviceFilter>> Create(PipeWireLoop& loop, int32_t zone_id,
                                                               const std::string& address,
                                                               const BridgeOptions& options,
                                                               const DeviceGainTargets& initial);
  ~DeviceFilter();
  DeviceFilter(const DeviceFilter&) = delete;
  DeviceFilter& operator=(const DeviceFilter&) = delete;

  // Wait-free; returns the generation the callback will report once applied.
  uint64_t SetTargets(const DeviceGainTargets& targets);
  DeviceGainReport report() const;

  const std::string& address() const { return address_; }
  int32_t zone_id() const { return zone_id_; }
  // PipeWire's node id, or SPA_ID_INVALID until the daemon assigned it.
  uint32_t node_id() const;

 private:
  DeviceFilter(PipeWireLoop& loop, int32_t zone_id, std::string address,
               const BridgeOptions& options);
  static void OnProcess(void* data, spa_io_position* position);
  void Process(uint32_t frames);

  PipeWireLoop& loop_;
  const int32_t zone_id_;
  const std::string address_;
  const float duck_linear_;
  pw_filter* filter_ = nullptr;
  spa_hook listener_{};
  std::array<void*, kChannels> inputs_{};
  std::array<void*, kChannels> outputs_{};

  // Control → callback. `generation_` is released after the three targets.
  std::atomic<float> volume_target_{1.0f};
  std::atomic<bool> ducked_target_{false};
  std::atomic<bool> muted_target_{false};
  std::atomic<uint64_t> generation_{0};

  // Callback only.
  uint64_t seen_generation_ = 0;
  GainRamp volume_;
  GainRamp duck_;
  GainRamp mute_;
  std::vector<float> gains_;  // per-sample gain of one cycle, preallocated

  // Callback → readers.
  std::atomic<uint64_t> applied_generation_{0};
  std::atomic<int64_t> applied_at_ns_{0};
  std::atomic<float> current_gain_{1.0f};
  std::atomic<uint64_t> cycles_{0};
  std::array<std::atomic<uint64_t>, kChannels> input_cycles_{};
};

}  // namespace caraudio

#endif  // CARAUDIO_PIPEWIRE_BRIDGE_DEVICE_FILTER_H_
