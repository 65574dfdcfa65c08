// DspStream: the one way this project opens a pw_stream — float32 stereo at
// 48 kHz with DSP ports (FL, FR) configured at creation, so no session
// manager is needed, and node.autoconnect=false, so nobody links it unless
// the caller (or the bridge's router) does. TonePlayer plays through one,
// the tests' SignalRecorder captures through one.
//
// Contract:
//  * Start() creates and connects the stream and waits (bounded) until it
//    has a node id and, for a playback stream, both output ports are in the
//    registry (ports are separate globals and may lag the node).
//  * `process` runs on the real-time thread (PW_STREAM_FLAG_RT_PROCESS) with
//    the stream to dequeue from; it must not allocate or lock.
//  * If the loop loses its connection PipeWire frees the stream; DspStream
//    notices (stream() becomes null) and is still safe to destroy.
//  * Start() and the destructor take the loop lock: never call them on the
//    loop thread. Destroy every DspStream before its PipeWireLoop.

#ifndef CARAUDIO_PIPEWIRE_BRIDGE_DSP_STREAM_H_
#define CARAUDIO_PIPEWIRE_BRIDGE_DSP_STREAM_H_

#include <pipewire/pipewire.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pipewire-bridge/pipewire_loop.h"

namespace caraudio {

class DspStream {
 public:
  static constexpr uint32_t kSampleRate = 48000;
  static constexpr uint32_t kChannels = 2;

  using ProcessCallback = void (*)(void* data, pw_stream* stream);

  struct Options {
    std::string node_name;
    // PW_DIRECTION_OUTPUT: playback (ports output_FL/FR);
    // PW_DIRECTION_INPUT: capture (ports input_FL/FR).
    pw_direction direction = PW_DIRECTION_OUTPUT;
    // node.latency; the graph's quantum follows the smallest one linked.
    std::string node_latency = "128/48000";
    // Added to (and overriding) the stream's own properties.
    PipeWireProperties properties;
    absl::Duration start_timeout = absl::Seconds(3);
  };

  // `what` names the owner in error messages ("TonePlayer").
  static absl::StatusOr<std::unique_ptr<DspStream>> Start(PipeWireLoop& loop, Options options,
                                                          const std::string& what,
                                                          ProcessCallback process, void* data);
  ~DspStream();
  DspStream(const DspStream&) = delete;
  DspStream& operator=(const DspStream&) = delete;

  uint32_t node_id() const { return node_id_; }

 private:
  struct PrivateTag {};

 public:
  DspStream(PrivateTag, PipeWireLoop& loop, ProcessCallback process, void* data)
      : loop_(loop), process_(process), data_(data) {}

 private:
  static void OnProcess(void* data);
  static void OnStateChanged(void* data, pw_stream_state old_state, pw_stream_state state,
                             const char* error);
  static void OnStreamDestroy(void* data);

  PipeWireLoop& loop_;
  const ProcessCallback process_;
  void* const data_;
  // Loop-thread state (guarded by the loop lock).
  pw_stream* stream_ = nullptr;
  spa_hook listener_{};
  pw_stream_state state_ = PW_STREAM_STATE_UNCONNECTED;
  std::string error_;
  // The real-time callback's handle: set before the stream connects and never
  // changed (stream_ is cleared on the loop thread while a last cycle may run).
  pw_stream* process_stream_ = nullptr;
  // Set by Start() before it returns, then read-only.
  uint32_t node_id_ = SPA_ID_INVALID;
};

}  // namespace caraudio

#endif  // CARAUDIO_PIPEWIRE_BRIDGE_DSP_STREAM_H_
