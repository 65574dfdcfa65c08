// StreamMeter: a bridge-owned PipeWire node that measures app streams. It is
// a pw_filter with kSlots stereo input slots, ports "slot<N>_FL" and
// "slot<N>_FR"; the bridge links a routed stream's output ports into one
// slot, next to the links into its device (an output port feeds any number
// of inputs), so the meter sees exactly what the stream outputs: after
// per-app silencing (the stream's own Props mute), before the device's gain.
// A meter has no outputs and is not a device: the link health check never
// looks at it.
//
// Its real-time callback takes every input buffer every cycle (a pw_filter
// input buffer left untaken is never recycled on 0.3.65) and adds the
// cycle's frames, sum of squares over both channels and peak to the slot's
// cumulative counters, with the cycle's peak in a ring of kPeakRing cycles
// (stream_level.h explains how consumers turn that into per-period levels).
// A slot whose two inputs got no buffer in a cycle counts nothing; one
// missing channel counts as zeros. No allocation and no lock in the
// callback: each slot's counters are atomics published with a sequence
// counter (a seqlock), which readers retry on.
//
// Ports are all created before the node connects and never removed:
// pw_filter walks its port list in the real-time thread without a lock
// (0.3.65 filter.c), so adding or removing ports while it runs would race.
// A slot is reused for the next stream instead; Claim() takes a baseline so
// readings start from zero. When every slot of every meter is in use the
// bridge creates another meter.
//
// Threading: Create(), Claim(), Release(), Read() and destruction on the
// loop thread or under the loop lock.

#ifndef CARAUDIO_PIPEWIRE_BRIDGE_STREAM_METER_H_
#define CARAUDIO_PIPEWIRE_BRIDGE_STREAM_METER_H_

#include <pipewire/filter.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "pipewire-bridge/pipewire_loop.h"
#include "pipewire-bridge/stream_level.h"

namespace caraudio {

class StreamMeter {
 public:
  static constexpr int kSlots = 16;
  static constexpr int kChannels = 2;  // FL, FR
  // Cycles whose peaks a slot keeps: 1.37 s at the 32-frame minimum quantum,
  // so a reading can always cover kPeakHistoryFrames.
  static constexpr int kPeakRing = 2048;

  // "slot<slot>_" : the prefix of a slot's two input port names.
  static std::string SlotPortPrefix(int slot);

  // Creates and connects the meter node `node_name` with node.latency
  // `node_latency` (so it never changes the graph's quantum).
  static absl::StatusOr<std::unique_ptr<StreamMeter>> Create(PipeWireLoop& loop,
                                                              const std::string& node_name,
                                                              const std::string& node_latency);
  ~StreamMeter();
  StreamMeter(const StreamMeter&) = delete;
  StreamMeter& operator=(const StreamMeter&) = delete;

  const std::string& node_name() const { return node_name_; }
  // A free slot, or -1 when all are claimed. Prefers the slot released
  // longest ago, so a stream's last in-flight cycle never lands in the next
  // stream's figures.
  int FreeSlot() const;
  // Starts metering a stream in `slot`: readings start at zero under `serial`.
  void Claim(int slot, uint64_t serial);
  void Release(int slot);
  // The slot's counters since Claim(), with the cycle peaks of the last
  // kPeakHistoryFrames.
  StreamMeterReading Read(int slot) const;

 private:
  // Lets Create() use std::make_unique with a constructor nobody else can call.
  struct PrivateTag {};

 public:
  StreamMeter(PrivateTag, PipeWireLoop& loop, std::string node_name);

 private:
  // What the callback publishes per slot (all atomics: written by the
  // real-time thread, read by the loop thread under `sequence`).
  struct SlotCounters {
    std::atomic<uint32_t> sequence{0};  // odd while the callback writes
    std::atomic<uint64_t> frames{0};
    std::atomic<double> sum_squares{0.0};
    std::atomic<uint64_t> cycles{0};
    std::array<std::atomic<uint64_t>, kPeakRing> peak_end_frame{};
    std::array<std::atomic<float>, kPeakRing> peak{};
  };
  // A consistent copy of the cumulative counters (not since Claim).
  struct RawReading {
    uint64_t frames = 0;
    double sum_squares = 0.0;
    std::vector<CyclePeak> recent_peaks;
  };
  // Loop-thread bookkeeping of a slot.
  struct SlotClaim {
    bool claimed = false;
    uint64_t serial = 0;
    uint64_t baseline_frames = 0;
    double baseline_sum_squares = 0.0;
    uint64_t released_at = 0;  // release_count_ when released
  };

  static void OnProcess(void* data, spa_io_position* position);
  void Process(uint32_t frames);
  RawReading ReadRaw(int slot) const;

  PipeWireLoop& loop_;
  const std::string node_name_;
  pw_filter* filter_ = nullptr;
  spa_hook listener_{};
  std::array<std::array<void*, kChannels>, kSlots> inputs_{};
  std::array<SlotCounters, kSlots> counters_;
  std::array<SlotClaim, kSlots> claims_{};
  uint64_t release_count_ = 0;
};

}  // namespace caraudio

#endif  // CARAUDIO_PIPEWIRE_BRIDGE_STREAM_METER_H_
