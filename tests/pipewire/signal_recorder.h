// SignalRecorder: records level statistics of what a node outputs, for tests
// that check audio in the signal (tone present, ducked by 10 dB, ramped over
// 100 ms, ...), with the analysis functions of signal_analysis.h.
//
// Start() creates a capture pw_stream (float32 stereo 48 kHz, DSP input ports
// input_FL/FR via adapter.auto-port-config, node.autoconnect=false,
// node.latency 128/48000 by default, RT_PROCESS) and links it itself: the
// source node's output ports whose port.name starts with `port_prefix`
// ("monitor_" for a sink's monitor, "output_" for a stream or filter) go FL
// to FL and FR to FR. It waits (bounded) for the ports and the links.
//
// Recording: the real-time process callback splits every buffer into blocks
// of kBlockFrames (32 frames = 0.67 ms; the last block of an odd-sized buffer
// is shorter) and appends one SignalBlock per block (callback time, per-block
// time, its place on the sample timeline, frames, RMS per channel, peak) to a
// log preallocated at Start():
// no allocation and no lock in the callback. Sub-buffer blocks keep 5 ms
// envelope windows accurate although a buffer lasts 2.7 ms at quantum 128.
// The log is append-only (single producer; readers see a published prefix),
// so Blocks() may be called at any time from any thread. When the log is
// full (`capacity`), later blocks are counted in dropped_blocks() and lost.
//
// The destructor removes the links and the stream under the loop lock; do
// not call Start() or the destructor on the loop thread. Destroy recorders
// before their PipeWireLoop.

#ifndef CARAUDIO_TESTS_PIPEWIRE_SIGNAL_RECORDER_H_
#define CARAUDIO_TESTS_PIPEWIRE_SIGNAL_RECORDER_H_

#include <pipewire/pipewire.h>

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pipewire-bridge/dsp_stream.h"
#include "pipewire-bridge/pipewire_loop.h"
#include "pipewire-bridge/pipewire_objects.h"
#include "tests/pipewire/signal_analysis.h"

namespace caraudio::testing {

class SignalRecorder {
 public:
  static constexpr uint32_t kSampleRate = DspStream::kSampleRate;
  static constexpr uint32_t kChannels = DspStream::kChannels;
  static constexpr uint32_t kBlockFrames = 32;

  struct Options {
    // node.name of the node to record, and the prefix of its output ports.
    std::string source_node_name;
    std::string port_prefix = "monitor_";
    // The recorder's own stream.
    std::string node_name = "caraudio-signal-recorder";
    std::string node_latency = "128/48000";
    // How much audio the preallocated log holds (about 32 bytes per block,
    // 1500 blocks per second: 60 s is 2.9 MB).
    absl::Duration capacity = absl::Seconds(60);
    // Bound on waiting for the stream, the source's ports and the links.
    absl::Duration setup_timeout = absl::Seconds(3);
  };

  static absl::StatusOr<std::unique_ptr<SignalRecorder>> Start(PipeWireLoop& loop,
                                                               const std::string& source_node_name,
                                                               const std::string& port_prefix);
  static absl::StatusOr<std::unique_ptr<SignalRecorder>> Start(PipeWireLoop& loop, Options options);

  ~SignalRecorder();
  SignalRecorder(const SignalRecorder&) = delete;
  SignalRecorder& operator=(const SignalRecorder&) = delete;

  // A copy of the blocks recorded so far, in recording order.
  std::vector<SignalBlock> Blocks() const;
  // Blocks lost because the log was full.
  int64_t dropped_blocks() const { return dropped_blocks_.load(std::memory_order_relaxed); }

  uint32_t node_id() const { return stream_->node_id(); }
  uint32_t source_node_id() const { return source_node_id_; }
  const Options& options() const { return options_; }

 private:
  // Lets Start() use std::make_unique with a constructor nobody else can call.
  struct PrivateTag {};

 public:
  SignalRecorder(PrivateTag, PipeWireLoop& loop, Options options);

 private:
  static void OnProcess(void* data, pw_stream* stream);
  // Real-time safe: writes into the preallocated log.
  void Append(const SignalBlock& block);

  PipeWireLoop& loop_;
  const Options options_;

  // Set by Start() before it returns, then read-only.
  uint32_t source_node_id_ = SPA_ID_INVALID;

  // Real-time thread only: frames recorded so far, for SignalBlock::
  // sample_time_ns.
  int64_t frames_recorded_ = 0;
  int64_t first_callback_ns_ = -1;

  // Append-only log: slots [0, published_blocks_) are written and immutable.
  std::vector<SignalBlock> log_;
  std::atomic<size_t> published_blocks_{0};
  std::atomic<int64_t> dropped_blocks_{0};

  // Last: destroyed first (links before the stream), so no real-time cycle
  // outlives the log.
  std::unique_ptr<DspStream> stream_;
  std::unique_ptr<ChannelLinks> links_;
};

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_PIPEWIRE_SIGNAL_RECORDER_H_
