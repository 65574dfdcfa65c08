#include "pipewire-bridge/tone_player.h"

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

absl::Status ValidateAmplitude(double amplitude) {
  if (amplitude >= 0.0 && amplitude <= 1.0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("TonePlayer: amplitude ", amplitude, " outside [0, 1]"));
}

absl::Status ValidateOptions(const TonePlayer::Options& options) {
  if (options.node_name.empty()) return absl::InvalidArgumentError("TonePlayer: empty node_name");
  if (absl::Status valid = ValidateAmplitude(options.amplitude); !valid.ok()) return valid;
  if (options.waveform == TonePlayer::Waveform::kSine &&
      !(options.frequency_hz > 0.0 && options.frequency_hz < TonePlayer::kSampleRate / 2.0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "TonePlayer: frequency ", options.frequency_hz, " Hz outside (0, 24000)"));
  }
  if (!(options.gain >= 0.0 && options.gain <= 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("TonePlayer: gain ", options.gain, " outside [0, 1]"));
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

TonePlayer::TonePlayer(PrivateTag, Options options)
    : options_(std::move(options)),
      total_frames_(DurationToFrames(options_.duration)),
      applied_gain_(options_.gain),
      target_gain_(options_.gain) {
  if (total_frames_ == 0) finished_.store(true, std::memory_order_release);
}

absl::StatusOr<std::unique_ptr<TonePlayer>> TonePlayer::Start(PipeWireLoop& loop,
                                                              Options options) {
  if (absl::Status valid = ValidateOptions(options); !valid.ok()) return valid;
  auto player = std::make_unique<TonePlayer>(PrivateTag{}, std::move(options));
  DspStream::Options stream;
  stream.node_name = player->options_.node_name;
  stream.direction = PW_DIRECTION_OUTPUT;
  stream.node_latency = player->options_.node_latency;
  stream.start_timeout = player->options_.start_timeout;
  // Keep producing while unlinked, so the signal follows graph time
  // (0.3.65 does not schedule an unlinked stream otherwise).
  stream.properties = {{PW_KEY_NODE_ALWAYS_PROCESS, "true"}};
  for (const auto& [key, value] : player->options_.node_properties) stream.properties[key] = value;
  absl::StatusOr<std::unique_ptr<DspStream>> started =
      DspStream::Start(loop, std::move(stream), "TonePlayer", &TonePlayer::OnProcess, player.get());
  if (!started.ok()) return started.status();
  player->stream_ = *std::move(started);
  return player;
}

TonePlayer::~TonePlayer() = default;

void TonePlayer::set_gain(double gain) {
  target_gain_.store(gain > 0.0 ? std::min(gain, 1.0) : 0.0, std::memory_order_release);
}

void TonePlayer::OnProcess(void* data, pw_stream* stream) {
  auto* self = static_cast<TonePlayer*>(data);
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
  // Ramp from the last buffer's gain to the target across this buffer.
  const double start_gain = applied_gain_;
  const double end_gain = target_gain_.load(std::memory_order_acquire);
  const double gain_step = frames > 0 ? (end_gain - start_gain) / frames : 0.0;
  applied_gain_ = end_gain;
  for (int64_t i = 0; i < signal_frames; ++i) {
    const float sample =
        static_cast<float>((start_gain + gain_step * static_cast<double>(i + 1)) * NextSample());
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
