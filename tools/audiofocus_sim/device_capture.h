// DeviceCapture: records what one of the bridge's device nodes outputs — the
// mix of the apps routed to that device after its volume, duck and mute, and
// after the hardening silencing of app streams — so audiofocus-sim can tell
// from real audio which app is audible.
//
// Start() opens a capture stream (DspStream, input ports input_FL/FR) and
// links the output ports of the node named `device_node_name` (the bridge
// names each device filter after its address, e.g. "bus0_media_out"; its
// ports are output_FL/FR) to it channel by channel, waiting (bounded) for
// the node, the ports and the links. The device keeps feeding its own sink;
// the capture is one more reader.
//
// Recording: the real-time callback writes the mean of both channels (the
// apps' tones are identical on both) into a ring of `capacity`; no
// allocation, no lock. Last() and All() copy out of it from any thread.
//
// Not copyable. Start() and the destructor take the loop lock: never call
// them on the loop thread; destroy captures before their PipeWireLoop.

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_DEVICE_CAPTURE_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_DEVICE_CAPTURE_H_

#include <pipewire/pipewire.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pipewire-bridge/dsp_stream.h"
#include "pipewire-bridge/pipewire_loop.h"
#include "pipewire-bridge/pipewire_objects.h"

namespace caraudio::sim {

class DeviceCapture {
 public:
  static constexpr uint32_t kSampleRate = DspStream::kSampleRate;

  struct Options {
    // The node to record and the prefix of its output ports.
    std::string device_node_name;
    std::string port_prefix = "output_";
    // The capture stream's own node.name (unique, so nothing else links it).
    std::string node_name;
    // How much audio the ring keeps.
    absl::Duration capacity = absl::Seconds(2);
    // Bound on waiting for the node, its ports and the links.
    absl::Duration setup_timeout = absl::Seconds(3);
  };

  // NotFound when no node of that name appears in time (the daemon does not
  // run the PipeWire bridge on this PipeWire, or the car has no such
  // device); other errors as DspStream and LinkChannels report them.
  static absl::StatusOr<std::unique_ptr<DeviceCapture>> Start(PipeWireLoop& loop, Options options);

  ~DeviceCapture();
  DeviceCapture(const DeviceCapture&) = delete;
  DeviceCapture& operator=(const DeviceCapture&) = delete;

  // The last `length` of mono audio, oldest sample first; shorter when less
  // has been recorded.
  std::vector<float> Last(absl::Duration length) const;
  // Everything the ring still holds (at most `capacity`), oldest first.
  std::vector<float> All() const;
  // Frames recorded since Start().
  int64_t frames_recorded() const { return written_.load(std::memory_order_acquire); }
  const Options& options() const { return options_; }

 private:
  // Lets Start() use std::make_unique with a constructor nobody else can call.
  struct PrivateTag {};

 public:
  DeviceCapture(PrivateTag, Options options);

 private:
  static void OnProcess(void* data, pw_stream* stream);
  // The last `frames` frames, retried if the writer overtook the copy.
  std::vector<float> Copy(int64_t frames) const;

  const Options options_;
  const int64_t capacity_frames_;
  // The ring: frame i lives at ring_[i % capacity_frames_]. Atomic floats
  // (relaxed) so a reader racing the writer reads stale, never torn, values;
  // written_ (release) publishes whole buffers.
  std::unique_ptr<std::atomic<float>[]> ring_;
  std::atomic<int64_t> written_{0};

  // Last: destroyed first (links before the stream), so no real-time cycle
  // outlives the ring.
  std::unique_ptr<DspStream> stream_;
  std::unique_ptr<ChannelLinks> links_;
};

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_DEVICE_CAPTURE_H_
