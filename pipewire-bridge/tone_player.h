// TonePlayer: a PipeWire playback stream (pw_stream, float32 interleaved
// stereo, 48 kHz) that plays a generated test signal. It stands in for an
// application or a HAL sound source in tests, benchmarks and tools.
//
// Contract:
//  * The stream owns DSP output ports "output_FL" and "output_FR" as soon as
//    Start() returns (adapter.auto-port-config), so no session manager is
//    needed. It is created with node.autoconnect=false: nobody links it
//    unless the caller (or the bridge's router) does.
//  * It produces audio from its first graph cycle, linked or not:
//    node.always-process=true puts an unlinked stream on the fallback driver
//    (without it, PipeWire 0.3.65 never runs an unlinked stream). `duration`
//    is counted in produced frames from that moment; afterwards the stream
//    stays connected and outputs silence.
//  * The real-time process callback neither allocates nor locks; the
//    accessors below and set_gain() are lock-free and callable from any
//    thread.
//  * Gain: the signal is multiplied by a gain in [0, 1] (options.gain at the
//    start) that set_gain() changes at any time, as an app turns its own
//    player down, pauses it (0) or resumes it. The next graph cycle ramps
//    linearly to the new gain over its buffer (one quantum, 2.7 ms at
//    128/48000), so a change never clicks; `duration` counts on meanwhile.
//  * Start() and the destructor take the loop lock; do not call them on the
//    loop thread. Destroy every TonePlayer before its PipeWireLoop. If the
//    loop loses its connection, PipeWire frees the stream; the TonePlayer
//    notices, stops counting and is still safe to destroy.
//
// Waveforms (all scaled by `amplitude`, identical on both channels):
//  * kSine:  a continuous sine at `frequency_hz`.
//  * kChime: "ding-dong": 880 Hz for 250 ms, then 660 Hz for 250 ms,
//            repeating (period 500 ms). Each tone starts at phase 0 and has a
//            10 ms linear attack and a 10 ms linear decay, so it never
//            clicks. Its long-term RMS is 0.973 x that of a sine (-0.24 dB).
//  * kBeep:  1 kHz for 100 ms, then 100 ms of silence, repeating (period
//            200 ms). Each burst is exactly 100 cycles starting at phase 0,
//            so it starts and ends at a zero crossing without an envelope.
//            Its long-term RMS is half the power of a sine (-3.01 dB).

#ifndef CARAUDIO_PIPEWIRE_BRIDGE_TONE_PLAYER_H_
#define CARAUDIO_PIPEWIRE_BRIDGE_TONE_PLAYER_H_

#include <pipewire/pipewire.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "pipewire-bridge/dsp_stream.h"
#include "pipewire-bridge/pipewire_loop.h"

namespace caraudio {

class TonePlayer {
 public:
  static constexpr uint32_t kSampleRate = DspStream::kSampleRate;
  static constexpr uint32_t kChannels = DspStream::kChannels;

  enum class Waveform { kSine, kChime, kBeep };

  struct Options {
    // node.name of the stream; also its media.name.
    std::string node_name = "caraudio-tone";
    // Added to (and overriding) the stream's own properties, e.g.
    // caraudio.client-id, caraudio.usage, caraudio.zone-id, media.role.
    PipeWireProperties node_properties;
    Waveform waveform = Waveform::kSine;
    // Used by kSine only; must be in (0, kSampleRate / 2).
    double frequency_hz = 440.0;
    // Linear peak amplitude in [0, 1] (0.5 is -6.02 dBFS peak, and for a
    // sine -9.03 dBFS RMS).
    double amplitude = 0.5;
    // The initial gain (see set_gain), in [0, 1].
    double gain = 1.0;
    // How long the signal lasts; silence afterwards (see finished()).
    absl::Duration duration = absl::InfiniteDuration();
    // node.latency; the graph's quantum follows the smallest one linked.
    std::string node_latency = "128/48000";
    // Bound on Start()'s wait for the node id and the output ports.
    absl::Duration start_timeout = absl::Seconds(3);
  };

  // Creates and connects the stream on `loop`, which must be connected, and
  // waits (at most options.start_timeout) until the stream has a node id and
  // both output ports are registered in the daemon. Errors:
  // InvalidArgument for bad options, Unavailable when the loop is not
  // connected, DeadlineExceeded when the stream or its ports do not appear.
  static absl::StatusOr<std::unique_ptr<TonePlayer>> Start(PipeWireLoop& loop, Options options);

  // Disconnects and destroys the stream under the loop lock.
  ~TonePlayer();
  TonePlayer(const TonePlayer&) = delete;
  TonePlayer& operator=(const TonePlayer&) = delete;

  // The stream's node id in the daemon's registry (valid once Start()
  // returned).
  uint32_t node_id() const { return stream_->node_id(); }
  // True once `duration` worth of frames was produced; never for an
  // infinite duration.
  bool finished() const { return finished_.load(std::memory_order_acquire); }
  // Frames of signal produced so far (excluding the silence after
  // `duration`).
  int64_t frames_played() const { return frames_played_.load(std::memory_order_acquire); }
  const Options& options() const { return options_; }
  // The gain the signal is played at from the next cycle on; clamped to
  // [0, 1] (NaN counts as 0).
  void set_gain(double gain);
  double gain() const { return target_gain_.load(std::memory_order_acquire); }

 private:
  // Lets Start() use std::make_unique with a constructor nobody else can call.
  struct PrivateTag {};

 public:
  TonePlayer(PrivateTag, Options options);

 private:
  static void OnProcess(void* data, pw_stream* stream);

  // Fills `frames` interleaved stereo frames; real-time safe.
  void Generate(float* interleaved, uint32_t frames);
  float NextSample();

  const Options options_;
  // Frames of signal to produce; INT64_MAX for an infinite duration.
  const int64_t total_frames_;

  // Real-time thread state (only OnProcess touches it).
  int64_t position_ = 0;      // frame index within the signal
  double sine_phase_ = 0.0;   // kSine, in cycles [0, 1)
  double applied_gain_;       // the gain at the end of the last buffer

  std::atomic<int64_t> frames_played_{0};
  std::atomic<bool> finished_{false};
  std::atomic<double> target_gain_;
  // Last: destroyed first, so no real-time cycle outlives the state above.
  std::unique_ptr<DspStream> stream_;
};

// "sine", "chime" or "beep" (as used in configs and tool flags).
absl::StatusOr<TonePlayer::Waveform> ParseToneWaveform(absl::string_view name);
absl::string_view ToneWaveformName(TonePlayer::Waveform waveform);

}  // namespace caraudio

#endif  // CARAUDIO_PIPEWIRE_BRIDGE_TONE_PLAYER_H_
