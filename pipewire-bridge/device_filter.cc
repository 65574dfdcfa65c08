#include "pipewire-bridge/device_filter.h"

#include <time.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "pipewire-bridge/stream_routing.h"

namespace caraudio {
namespace {

constexpr uint32_t kMaxFrames = 8192;  // PipeWire's largest quantum
constexpr const char* kChannelNames[DeviceFilter::kChannels] = {"FL", "FR"};

int64_t MonotonicNanosNow() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
}

float Seconds(absl::Duration duration) { return static_cast<float>(absl::ToDoubleSeconds(duration)); }

}  // namespace

const char* DeviceFilter::ChannelName(int channel) { return kChannelNames[channel]; }

DeviceFilter::DeviceFilter(PipeWireLoop& loop, int32_t zone_id, std::string address,
                           const BridgeOptions& options)
    : loop_(loop),
      zone_id_(zone_id),
      address_(std::move(address)),
      duck_linear_(DecibelsToLinear(options.ramps.duck_level_db)),
      volume_(GainRamp::Shape::kDecibel, 1.0f, Seconds(options.ramps.volume_per_10db) / 10.0f,
              Seconds(options.ramps.volume_per_10db) / 10.0f,
              static_cast<float>(options.sample_rate)),
      duck_(GainRamp::Shape::kDecibel, 1.0f,
            Seconds(options.ramps.duck_attack) / std::max(1e-3f, -options.ramps.duck_level_db),
            Seconds(options.ramps.duck_release) / std::max(1e-3f, -options.ramps.duck_level_db),
            static_cast<float>(options.sample_rate)),
      mute_(GainRamp::Shape::kLinear, 1.0f, Seconds(options.ramps.mute),
            Seconds(options.ramps.mute), static_cast<float>(options.sample_rate)),
      gains_(kMaxFrames) {}

absl::StatusOr<std::unique_ptr<DeviceFilter>> DeviceFilter::Create(
    PipeWireLoop& loop, int32_t zone_id, const std::string& address, const BridgeOptions& options,
    const DeviceGainTargets& initial) {
  PipeWireLoop::Lock lock(loop);
  if (!loop.connected()) return absl::UnavailableError("not connected to PipeWire");
  std::unique_ptr<DeviceFilter> self(new DeviceFilter(loop, zone_id, address, options));
  self->volume_.Reset(initial.volume);
  self->duck_.Reset(initial.ducked ? self->duck_linear_ : 1.0f);
  self->mute_.Reset(initial.muted ? 0.0f : 1.0f);
  self->volume_target_ = initial.volume;
  self->ducked_target_ = initial.ducked;
  self->muted_target_ = initial.muted;
  self->current_gain_ = self->volume_.value() * self->duck_.value() * self->mute_.value();

  const std::string zone_text = absl::StrCat(zone_id);
  pw_properties* properties = MakePipeWireProperties({
      {PW_KEY_NODE_NAME, address},
      {PW_KEY_NODE_DESCRIPTION, absl::StrCat("Zone ", zone_id, " ", address)},
      {PW_KEY_MEDIA_TYPE, "Audio"},
      {PW_KEY_MEDIA_CATEGORY, "Filter"},
      {PW_KEY_MEDIA_CLASS, "Audio/Sink"},
      {PW_KEY_NODE_LATENCY, options.node_latency},
      {PW_KEY_NODE_AUTOCONNECT, "false"},
      {PW_KEY_NODE_ALWAYS_PROCESS, "true"},
      {kZoneIdProperty, zone_text},
      {kDeviceAddressProperty, address},
      {"caraudio.bridge", "device"},
  });
  self->filter_ = pw_filter_new(loop.core(), address.c_str(), properties);
  if (self->filter_ == nullptr) {
    return absl::InternalError(absl::StrCat("pw_filter_new(", address, "): ", std::strerror(errno)));
  }
  static const pw_filter_events kEvents = [] {
    pw_filter_events events{};
    events.version = PW_VERSION_FILTER_EVENTS;
    events.process = &DeviceFilter::OnProcess;
    return events;
  }();
  pw_filter_add_listener(self->filter_, &self->listener_, &kEvents, self.get());
  for (int channel = 0; channel < kChannels; ++channel) {
    for (pw_direction direction : {PW_DIRECTION_INPUT, PW_DIRECTION_OUTPUT}) {
      const std::string port_name =
          absl::StrCat(direction == PW_DIRECTION_INPUT ? "playback_" : "output_",
                       kChannelNames[channel]);
      void* port = pw_filter_add_port(
          self->filter_, direction, PW_FILTER_PORT_FLAG_MAP_BUFFERS, 0,
          MakePipeWireProperties({{PW_KEY_FORMAT_DSP, "32 bit float mono audio"},
                                  {PW_KEY_PORT_NAME, port_name},
                                  {PW_KEY_AUDIO_CHANNEL, kChannelNames[channel]}}),
          nullptr, 0);
      if (port == nullptr) {
        return absl::InternalError(absl::StrCat("pw_filter_add_port(", address, ":", port_name,
                                                "): ", std::strerror(errno)));
      }
      (direction == PW_DIRECTION_INPUT ? self->inputs_ : self->outputs_)[channel] = port;
    }
  }
  if (int res = pw_filter_connect(self->filter_, PW_FILTER_FLAG_RT_PROCESS, nullptr, 0); res < 0) {
    return absl::InternalError(
        absl::StrCat("pw_filter_connect(", address, "): ", std::strerror(-res)));
  }
  return self;
}

DeviceFilter::~DeviceFilter() {
  if (filter_ == nullptr) return;
  PipeWireLoop::Lock lock(loop_);
  spa_hook_remove(&listener_);
  pw_filter_destroy(filter_);
}

uint32_t DeviceFilter::node_id() const {
  PipeWireLoop::Lock lock(loop_);
  return pw_filter_get_node_id(filter_);
}

uint64_t DeviceFilter::SetTargets(const DeviceGainTargets& targets) {
  volume_target_.store(targets.volume, std::memory_order_relaxed);
  ducked_target_.store(targets.ducked, std::memory_order_relaxed);
  muted_target_.store(targets.muted, std::memory_order_relaxed);
  return generation_.fetch_add(1, std::memory_order_release) + 1;
}

DeviceGainReport DeviceFilter::report() const {
  DeviceGainReport report;
  report.applied_generation = applied_generation_.load(std::memory_order_acquire);
  report.applied_at_ns = applied_at_ns_.load(std::memory_order_relaxed);
  report.current_gain = current_gain_.load(std::memory_order_relaxed);
  report.cycles = cycles_.load(std::memory_order_relaxed);
  for (int channel = 0; channel < kChannels; ++channel) {
    report.input_cycles[channel] = input_cycles_[channel].load(std::memory_order_relaxed);
  }
  return report;
}

void DeviceFilter::OnProcess(void* data, spa_io_position* position) {
  auto* self = static_cast<DeviceFilter*>(data);
  self->Process(position->clock.duration);
}

void DeviceFilter::Process(uint32_t frames) {
  // Real-time thread: no locks, no allocation, no syscalls but the vDSO clock.
  const uint64_t generation = generation_.load(std::memory_order_acquire);
  if (generation != seen_generation_) {
    seen_generation_ = generation;
    volume_.SetTarget(volume_target_.load(std::memory_order_relaxed));
    duck_.SetTarget(ducked_target_.load(std::memory_order_relaxed) ? duck_linear_ : 1.0f);
    mute_.SetTarget(muted_target_.load(std::memory_order_relaxed) ? 0.0f : 1.0f);
    applied_at_ns_.store(MonotonicNanosNow(), std::memory_order_relaxed);
    applied_generation_.store(generation, std::memory_order_release);
  }
  // Take every input's buffer every cycle, even while an output has none
  // (its link is still being made): on 0.3.65 a pw_filter input buffer
  // that is not taken is never recycled, and that link stays silent for good.
  std::array<float*, kChannels> out{};
  std::array<const float*, kChannels> in{};
  for (int channel = 0; channel < kChannels; ++channel) {
    out[channel] = static_cast<float*>(pw_filter_get_dsp_buffer(outputs_[channel], frames));
    in[channel] = static_cast<const float*>(pw_filter_get_dsp_buffer(inputs_[channel], frames));
    if (in[channel] != nullptr) input_cycles_[channel].fetch_add(1, std::memory_order_relaxed);
  }
  for (uint32_t done = 0; done < frames;) {
    const uint32_t chunk = std::min(frames - done, kMaxFrames);
    for (uint32_t i = 0; i < chunk; ++i) gains_[i] = volume_.Next() * duck_.Next() * mute_.Next();
    for (int channel = 0; channel < kChannels; ++channel) {
      if (out[channel] == nullptr) continue;
      if (in[channel] == nullptr) {
        std::memset(out[channel] + done, 0, chunk * sizeof(float));
        continue;
      }
      for (uint32_t i = 0; i < chunk; ++i) out[channel][done + i] = in[channel][done + i] * gains_[i];
    }
    done += chunk;
  }
  current_gain_.store(volume_.value() * duck_.value() * mute_.value(), std::memory_order_relaxed);
  cycles_.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace caraudio
