#include "pipewire-bridge/tone_player.h"

#include <spa/param/audio/format-utils.h>
#include <spa/param/audio/raw.h>
#include <spa/utils/result.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace caraudio {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

// Named patterns, in frames at 48 kHz (see the header for the shapes).
constexpr int64_t kChimeToneFrames = TonePlayer::kSampleRate / 4;    // 250 ms
constexpr int64_t kChimeRampFrames = TonePlayer::kSampleRate / 100;  // 10 ms
constexpr double kChimeDingHz = 880.0;
constexpr double kChimeDongHz = 660.0;
constexpr int64_t kBeepOnFrames = TonePlayer::kSampleRate / 10;  // 100 ms
constexpr double kBeepHz = 1000.0;

// Watches the registry for the output ports of one node while Start() waits.
// Owns the registry proxy; forgets it if PipeWire destroys it first (the
// connection dropped), so the destructor never frees it twice. Lives on the
// loop lock.
class OutputPortWatch {
 public:
  explicit OutputPortWatch(pw_core* core) {
    registry_ = pw_core_get_registry(core, PW_VERSION_REGISTRY, 0);
    if (registry_ == nullptr) return;
    static const pw_registry_events kRegistryEvents = [] {
      pw_registry_events events{};
      events.version = PW_VERSION_REGISTRY_EVENTS;
      events.global = &OutputPortWatch::OnGlobal;
      return events;
    }();
    static const pw_proxy_events kProxyEvents = [] {
      pw_proxy_events events{};
      events.version = PW_VERSION_PROXY_EVENTS;
      events.destroy = &OutputPortWatch::OnProxyDestroy;
      return events;
    }();
    pw_registry_add_listener(registry_, &registry_listener_, &kRegistryEvents, this);
    pw_proxy_add_listener(reinterpret_cast<pw_proxy*>(registry_), &proxy_listener_,
                          &kProxyEvents, this);
  }
  ~OutputPortWatch() {
    if (registry_ != nullptr) pw_proxy_destroy(reinterpret_cast<pw_proxy*>(registry_));
  }
  OutputPortWatch(const OutputPortWatch&) = delete;
  OutputPortWatch& operator=(const OutputPortWatch&) = delete;

  bool ok() const { return registry_ != nullptr; }
  int OutputPortsOf(uint32_t node_id) const {
    return static_cast<int>(std::count(output_port_nodes_.begin(), output_port_nodes_.end(),
                                       node_id));
  }
  void set_thread_loop(pw_thread_loop* thread_loop) { thread_loop_ = thread_loop; }

 private:
  static void OnGlobal(void* data, uint32_t /*id*/, uint32_t /*permissions*/, const char* type,
                       uint32_t /*version*/, const spa_dict* props) {
    auto* self = static_cast<OutputPortWatch*>(data);
    if (props == nullptr || std::strcmp(type, PW_TYPE_INTERFACE_Port) != 0) return;
    const char* direction = spa_dict_lookup(props, PW_KEY_PORT_DIRECTION);
    const char* node = spa_dict_lookup(props, PW_KEY_NODE_ID);
    uint32_t node_id = 0;
    if (direction == nullptr || node == nullptr || std::strcmp(direction, "out") != 0 ||
        !absl::SimpleAtoi(node, &node_id)) {
      return;
    }
    self->output_port_nodes_.push_back(node_id);
    if (self->thread_loop_ != nullptr) pw_thread_loop_signal(self->thread_loop_, false);
  }
  static void OnProxyDestroy(void* data) {
    auto* self = static_cast<OutputPortWatch*>(data);
    // Hooks must leave the proxy's lists before it is freed; zeroed hooks
    // make any later spa_hook_remove a no-op.
    spa_hook_remove(&self->registry_listener_);
    spa_hook_remove(&self->proxy_listener_);
    spa_zero(self->registry_listener_);
    spa_zero(self->proxy_listener_);
    self->registry_ = nullptr;
  }

  pw_registry* registry_ = nullptr;
  spa_hook registry_listener_{};
  spa_hook proxy_listener_{};
  pw_thread_loop* thread_loop_ = nullptr;
  std::vector<uint32_t> output_port_nodes_;  // node id of every output port seen
};

absl::Status ValidateOptions(const TonePlayer::Options& options) {
  if (options.node_name.empty()) return absl::InvalidArgumentError("TonePlayer: empty node_name");
  if (!(options.amplitude >= 0.0 && options.amplitude <= 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("TonePlayer: amplitude ", options.amplitude, " outside [0, 1]"));
  }
  if (options.waveform == TonePlayer::Waveform::kSine &&
      !(options.frequency_hz > 0.0 && options.frequency_hz < TonePlayer::kSampleRate / 2.0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "TonePlayer: frequency ", options.frequency_hz, " Hz outside (0, 24000)"));
  }
  if (options.duration < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("TonePlayer: negative duration");
  }
  return absl::OkStatus();
}

int64_t DurationToFrames(absl::Duration duration) {
  if (duration == absl::InfiniteDuration()) return std::numeric_limits<int64_t>::max();
  return static_cast<int64_t>(
      std::llround(absl::ToDoubleSeconds(duration) * TonePlayer::kSampleRate));
}

}  // namespace

absl::StatusOr<TonePlayer::Waveform> ParseToneWaveform(absl::string_view name) {
  if (name == "sine") return TonePlayer::Waveform::kSine;
  if (name == "chime") return TonePlayer::Waveform::kChime;
  if (name == "beep") return TonePlayer::Waveform::kBeep;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown tone waveform \"", name, "\" (expected sine, chime or beep)"));
}

absl::string_view ToneWaveformName(TonePlayer::Waveform waveform) {
  switch (waveform) {
    case TonePlayer::Waveform::kSine:
      return "sine";
    case TonePlayer::Waveform::kChime:
      return "chime";
    case TonePlayer::Waveform::kBeep:
      return "beep";
  }
  return "unknown";
}

TonePlayer::TonePlayer(PrivateTag, PipeWireLoop& loop, Options options)
    : loop_(loop), options_(std::move(options)), total_frames_(DurationToFrames(options_.duration)) {
  if (total_frames_ == 0) finished_.store(true, std::memory_order_release);
}

absl::StatusOr<std::unique_ptr<TonePlayer>> TonePlayer::Start(PipeWireLoop& loop,
                                                              Options options) {
  if (absl::Status valid = ValidateOptions(options); !valid.ok()) return valid;
  if (loop.InLoopThread()) {
    return absl::FailedPreconditionError("TonePlayer::Start on the PipeWire loop thread");
  }
  auto player = std::make_unique<TonePlayer>(PrivateTag{}, loop, std::move(options));
  const Options& opts = player->options_;

  PipeWireLoop::Lock lock(loop);
  if (loop.core() == nullptr) return absl::UnavailableError("TonePlayer: not connected to PipeWire");

  // Watch ports before the stream exists so no port global can be missed.
  OutputPortWatch port_watch(loop.core());
  if (!port_watch.ok()) {
    return absl::InternalError(absl::StrCat("pw_core_get_registry: ", std::strerror(errno)));
  }
  port_watch.set_thread_loop(loop.thread_loop());

  PipeWireProperties properties = {
      {PW_KEY_NODE_NAME, opts.node_name},
      {PW_KEY_MEDIA_NAME, opts.node_name},
      {PW_KEY_MEDIA_TYPE, "Audio"},
      {PW_KEY_MEDIA_CATEGORY, "Playback"},
      {PW_KEY_NODE_LATENCY, opts.node_latency},
      // No session manager links us; the caller does.
      {PW_KEY_NODE_AUTOCONNECT, "false"},
      // Keep producing while unlinked, so the signal follows graph time
      // (0.3.65 does not schedule an unlinked stream otherwise).
      {PW_KEY_NODE_ALWAYS_PROCESS, "true"},
      {"audio.position", "[ FL FR ]"},
      {"audio.channels", "2"},
      {"audio.rate", absl::StrCat(kSampleRate)},
      // Without a session manager nobody configures the adapter's ports:
      // this gives the stream DSP ports output_FL/FR at creation.
      {"adapter.auto-port-config", "{ mode = dsp monitor = false position = preserve }"},
  };
  for (const auto& [key, value] : opts.node_properties) properties[key] = value;

  // pw_stream_new takes ownership of the properties, also on failure.
  pw_stream* stream =
      pw_stream_new(loop.core(), opts.node_name.c_str(), MakePipeWireProperties(properties));
  if (stream == nullptr) {
    return absl::InternalError(absl::StrCat("pw_stream_new: ", std::strerror(errno)));
  }
  player->stream_ = stream;
  player->process_stream_ = stream;
  static const pw_stream_events kStreamEvents = [] {
    pw_stream_events events{};
    events.version = PW_VERSION_STREAM_EVENTS;
    events.destroy = &TonePlayer::OnStreamDestroy;
    events.state_changed = &TonePlayer::OnStateChanged;
    events.process = &TonePlayer::OnProcess;
    return events;
  }();
  pw_stream_add_listener(stream, &player->stream_listener_, &kStreamEvents, player.get());

  uint8_t pod_buffer[1024];
  spa_pod_builder builder = SPA_POD_BUILDER_INIT(pod_buffer, sizeof(pod_buffer));
  spa_audio_info_raw format{};
  format.format = SPA_AUDIO_FORMAT_F32;
  format.rate = kSampleRate;
  format.channels = kChannels;
  format.position[0] = SPA_AUDIO_CHANNEL_FL;
  format.position[1] = SPA_AUDIO_CHANNEL_FR;
  const spa_pod* params[1] = {spa_format_audio_raw_build(&builder, SPA_PARAM_EnumFormat, &format)};

  const auto flags = static_cast<pw_stream_flags>(PW_STREAM_FLAG_MAP_BUFFERS |
                                                  PW_STREAM_FLAG_RT_PROCESS);
  if (int res = pw_stream_connect(stream, PW_DIRECTION_OUTPUT, PW_ID_ANY, flags, params, 1);
      res < 0) {
    return absl::InternalError(absl::StrCat("pw_stream_connect: ", spa_strerror(res)));
  }

  // The node id arrives with the PAUSED state (proxy bound); the ports are
  // separate registry globals and may come before or after it.
  timespec deadline{};
  pw_thread_loop_get_time(loop.thread_loop(), &deadline,
                          absl::ToInt64Nanoseconds(opts.start_timeout));
  while (true) {
    if (player->stream_ == nullptr || loop.core() == nullptr) {
      return absl::UnavailableError("TonePlayer: PipeWire connection lost during Start");
    }
    if (player->state_ == PW_STREAM_STATE_ERROR) {
      return absl::InternalError(
          absl::StrCat("TonePlayer stream \"", opts.node_name, "\" failed: ", player->stream_error_));
    }
    const uint32_t node_id = pw_stream_get_node_id(player->stream_);
    if (node_id != SPA_ID_INVALID && port_watch.OutputPortsOf(node_id) >= int{kChannels}) {
      player->node_id_ = node_id;
      break;
    }
    if (pw_thread_loop_timed_wait_full(loop.thread_loop(), &deadline) == -ETIMEDOUT) {
      return absl::DeadlineExceededError(absl::StrCat(
          "TonePlayer stream \"", opts.node_name, "\": state ",
          pw_stream_state_as_string(player->state_), ", node id ",
          node_id == SPA_ID_INVALID ? std::string("unknown") : absl::StrCat(node_id), ", ",
          node_id == SPA_ID_INVALID ? 0 : port_watch.OutputPortsOf(node_id),
          " output ports after ", absl::FormatDuration(opts.start_timeout)));
    }
  }
  return player;
}

TonePlayer::~TonePlayer() {
  PipeWireLoop::Lock lock(loop_);
  // OnStreamDestroy (run inside pw_stream_destroy) unhooks us and clears
  // stream_; it already ran if the connection dropped earlier.
  if (stream_ != nullptr) pw_stream_destroy(stream_);
}

void TonePlayer::OnStreamDestroy(void* data) {
  auto* self = static_cast<TonePlayer*>(data);
  spa_hook_remove(&self->stream_listener_);
  spa_zero(self->stream_listener_);
  self->stream_ = nullptr;
  pw_thread_loop_signal(self->loop_.thread_loop(), false);
}

void TonePlayer::OnStateChanged(void* data, pw_stream_state /*old_state*/, pw_stream_state state,
                                const char* error) {
  auto* self = static_cast<TonePlayer*>(data);
  self->state_ = state;
  if (state == PW_STREAM_STATE_ERROR) self->stream_error_ = error != nullptr ? error : "unknown";
  pw_thread_loop_signal(self->loop_.thread_loop(), false);
}

void TonePlayer::OnProcess(void* data) {
  auto* self = static_cast<TonePlayer*>(data);
  pw_stream* stream = self->process_stream_;
  pw_buffer* buffer = pw_stream_dequeue_buffer(stream);
  if (buffer == nullptr) return;  // the graph ran ahead of us: skip a cycle
  spa_data& out = buffer->buffer->datas[0];
  if (out.data == nullptr) {
    pw_stream_queue_buffer(stream, buffer);
    return;
  }
  constexpr uint32_t kStride = sizeof(float) * kChannels;
  uint32_t frames = out.maxsize / kStride;
  // `requested` is the graph's cycle size; filling more only adds latency.
  if (buffer->requested > 0) frames = static_cast<uint32_t>(std::min<uint64_t>(frames, buffer->requested));
  self->Generate(static_cast<float*>(out.data), frames);
  out.chunk->offset = 0;
  out.chunk->stride = kStride;
  out.chunk->size = frames * kStride;
  pw_stream_queue_buffer(stream, buffer);
}

void TonePlayer::Generate(float* interleaved, uint32_t frames) {
  const int64_t signal_frames = std::min<int64_t>(frames, total_frames_ - position_);
  for (int64_t i = 0; i < signal_frames; ++i) {
    const float sample = NextSample();
    interleaved[2 * i] = sample;
    interleaved[2 * i + 1] = sample;
    ++position_;
  }
  std::fill(interleaved + 2 * std::max<int64_t>(signal_frames, 0), interleaved + 2 * frames, 0.0f);
  frames_played_.store(position_, std::memory_order_release);
  if (position_ >= total_frames_) finished_.store(true, std::memory_order_release);
}

float TonePlayer::NextSample() {
  const double amplitude = options_.amplitude;
  switch (options_.waveform) {
    case Waveform::kSine: {
      const double sample = amplitude * std::sin(kTwoPi * sine_phase_);
      sine_phase_ += options_.frequency_hz / kSampleRate;
      if (sine_phase_ >= 1.0) sine_phase_ -= 1.0;
      return static_cast<float>(sample);
    }
    case Waveform::kChime: {
      const int64_t in_period = position_ % (2 * kChimeToneFrames);
      const bool ding = in_period < kChimeToneFrames;
      const int64_t k = ding ? in_period : in_period - kChimeToneFrames;  // frame in this tone
      double envelope = 1.0;
      if (k < kChimeRampFrames) {
        envelope = static_cast<double>(k) / kChimeRampFrames;
      } else if (k >= kChimeToneFrames - kChimeRampFrames) {
        envelope = static_cast<double>(kChimeToneFrames - k) / kChimeRampFrames;
      }
      const double hz = ding ? kChimeDingHz : kChimeDongHz;
      return static_cast<float>(amplitude * envelope *
                                std::sin(kTwoPi * hz * static_cast<double>(k) / kSampleRate));
    }
    case Waveform::kBeep: {
      const int64_t in_period = position_ % (2 * kBeepOnFrames);
      if (in_period >= kBeepOnFrames) return 0.0f;
      return static_cast<float>(
          amplitude * std::sin(kTwoPi * kBeepHz * static_cast<double>(in_period) / kSampleRate));
    }
  }
  return 0.0f;
}

}  // namespace caraudio
