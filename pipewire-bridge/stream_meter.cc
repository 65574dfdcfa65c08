#include "pipewire-bridge/stream_meter.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <thread>

#include "absl/strings/str_cat.h"

namespace caraudio {
namespace {

constexpr uint32_t kMaxFrames = 8192;  // PipeWire's largest quantum
constexpr const char* kChannelNames[StreamMeter::kChannels] = {"FL", "FR"};

}  // namespace

std::string StreamMeter::SlotPortPrefix(int slot) { return absl::StrCat("slot", slot, "_"); }

StreamMeter::StreamMeter(PrivateTag, PipeWireLoop& loop, std::string node_name)
    : loop_(loop), node_name_(std::move(node_name)) {}

absl::StatusOr<std::unique_ptr<StreamMeter>> StreamMeter::Create(PipeWireLoop& loop,
                                                                 const std::string& node_name,
                                                                 const std::string& node_latency) {
  PipeWireLoop::Lock lock(loop);
  if (!loop.connected()) return absl::UnavailableError("not connected to PipeWire");
  auto self = std::make_unique<StreamMeter>(PrivateTag{}, loop, node_name);
  // No media.class: the meter is neither a sink nor a stream, so nobody
  // (a session manager, or the bridge's own router) takes it for one.
  pw_properties* properties = MakePipeWireProperties({
      {PW_KEY_NODE_NAME, node_name},
      {PW_KEY_NODE_DESCRIPTION, "CarAudioControl stream level meter"},
      {PW_KEY_MEDIA_TYPE, "Audio"},
      {PW_KEY_MEDIA_CATEGORY, "Monitor"},
      {PW_KEY_NODE_LATENCY, node_latency},
      {PW_KEY_NODE_AUTOCONNECT, "false"},
      {PW_KEY_NODE_ALWAYS_PROCESS, "true"},
      {"caraudio.bridge", "stream-meter"},
  });
  self->filter_ = pw_filter_new(loop.core(), node_name.c_str(), properties);
  if (self->filter_ == nullptr) {
    return absl::InternalError(
        absl::StrCat("pw_filter_new(", node_name, "): ", std::strerror(errno)));
  }
  static const pw_filter_events kEvents = [] {
    pw_filter_events events{};
    events.version = PW_VERSION_FILTER_EVENTS;
    events.process = &StreamMeter::OnProcess;
    return events;
  }();
  pw_filter_add_listener(self->filter_, &self->listener_, &kEvents, self.get());
  for (int slot = 0; slot < kSlots; ++slot) {
    for (int channel = 0; channel < kChannels; ++channel) {
      const std::string port_name = SlotPortPrefix(slot) + kChannelNames[channel];
      void* port = pw_filter_add_port(
          self->filter_, PW_DIRECTION_INPUT, PW_FILTER_PORT_FLAG_MAP_BUFFERS, 0,
          MakePipeWireProperties({{PW_KEY_FORMAT_DSP, "32 bit float mono audio"},
                                  {PW_KEY_PORT_NAME, port_name},
                                  {PW_KEY_AUDIO_CHANNEL, kChannelNames[channel]}}),
          nullptr, 0);
      if (port == nullptr) {
        return absl::InternalError(absl::StrCat("pw_filter_add_port(", node_name, ":", port_name,
                                                "): ", std::strerror(errno)));
      }
      self->inputs_[slot][channel] = port;
    }
  }
  if (int res = pw_filter_connect(self->filter_, PW_FILTER_FLAG_RT_PROCESS, nullptr, 0); res < 0) {
    return absl::InternalError(
        absl::StrCat("pw_filter_connect(", node_name, "): ", std::strerror(-res)));
  }
  return self;
}

StreamMeter::~StreamMeter() {
  if (filter_ == nullptr) return;
  PipeWireLoop::Lock lock(loop_);
  spa_hook_remove(&listener_);
  pw_filter_destroy(filter_);
}

int StreamMeter::FreeSlot() const {
  int best = -1;
  for (int slot = 0; slot < kSlots; ++slot) {
    if (claims_[slot].claimed) continue;
    if (best < 0 || claims_[slot].released_at < claims_[best].released_at) best = slot;
  }
  return best;
}

void StreamMeter::Claim(int slot, uint64_t serial) {
  const RawReading raw = ReadRaw(slot);
  SlotClaim& claim = claims_[slot];
  claim.claimed = true;
  claim.serial = serial;
  claim.baseline_frames = raw.frames;
  claim.baseline_sum_squares = raw.sum_squares;
}

void StreamMeter::Release(int slot) {
  claims_[slot].claimed = false;
  claims_[slot].released_at = ++release_count_;
}

StreamMeterReading StreamMeter::Read(int slot) const {
  const SlotClaim& claim = claims_[slot];
  const RawReading raw = ReadRaw(slot);
  StreamMeterReading reading;
  reading.serial = claim.serial;
  reading.frames = raw.frames - claim.baseline_frames;
  reading.sum_squares = std::max(0.0, raw.sum_squares - claim.baseline_sum_squares);
  for (const CyclePeak& cycle : raw.recent_peaks) {
    if (cycle.end_frame <= claim.baseline_frames) continue;
    reading.recent_peaks.push_back(
        CyclePeak{cycle.end_frame - claim.baseline_frames, cycle.peak});
  }
  return reading;
}

StreamMeter::RawReading StreamMeter::ReadRaw(int slot) const {
  const SlotCounters& counters = counters_[slot];
  RawReading raw;
  for (int attempt = 0;; ++attempt) {
    // The writer holds the sequence odd for a few microseconds per cycle.
    if (attempt > 0) std::this_thread::yield();
    const uint32_t before = counters.sequence.load(std::memory_order_acquire);
    if ((before & 1) != 0) continue;
    raw.frames = counters.frames.load(std::memory_order_acquire);
    raw.sum_squares = counters.sum_squares.load(std::memory_order_acquire);
    const uint64_t cycles = counters.cycles.load(std::memory_order_acquire);
    const uint64_t oldest_kept =
        raw.frames > kPeakHistoryFrames ? raw.frames - kPeakHistoryFrames : 0;
    raw.recent_peaks.clear();
    // Newest first, back to the history's start or the ring's end.
    for (uint64_t cycle = cycles; cycle > 0 && cycles - cycle < kPeakRing; --cycle) {
      const size_t index = (cycle - 1) % kPeakRing;
      const uint64_t end_frame = counters.peak_end_frame[index].load(std::memory_order_acquire);
      if (end_frame <= oldest_kept) break;
      raw.recent_peaks.push_back(
          CyclePeak{end_frame, counters.peak[index].load(std::memory_order_acquire)});
    }
    // The acquire loads above keep this load after them (no fence: ThreadSanitizer
    // does not model fences).
    if (counters.sequence.load(std::memory_order_relaxed) == before) break;
  }
  std::reverse(raw.recent_peaks.begin(), raw.recent_peaks.end());
  return raw;
}

void StreamMeter::OnProcess(void* data, spa_io_position* position) {
  static_cast<StreamMeter*>(data)->Process(position->clock.duration);
}

void StreamMeter::Process(uint32_t frames) {
  // Real-time thread: no locks, no allocation, no syscalls.
  frames = std::min(frames, kMaxFrames);
  for (int slot = 0; slot < kSlots; ++slot) {
    std::array<const float*, kChannels> in{};
    bool any = false;
    for (int channel = 0; channel < kChannels; ++channel) {
      in[channel] =
          static_cast<const float*>(pw_filter_get_dsp_buffer(inputs_[slot][channel], frames));
      any = any || in[channel] != nullptr;
    }
    if (!any) continue;
    double sum_squares = 0.0;
    float peak = 0.0f;
    for (const float* samples : in) {
      if (samples == nullptr) continue;
      for (uint32_t i = 0; i < frames; ++i) {
        sum_squares += static_cast<double>(samples[i]) * samples[i];
        peak = std::max(peak, std::fabs(samples[i]));
      }
    }
    SlotCounters& counters = counters_[slot];
    const uint32_t sequence = counters.sequence.load(std::memory_order_relaxed);
    counters.sequence.store(sequence + 1, std::memory_order_relaxed);
    // Release stores keep the odd sequence above before every data store
    // (Boehm's fence-free seqlock; plain moves on x86).
    const uint64_t total = counters.frames.load(std::memory_order_relaxed) + frames;
    const uint64_t cycle = counters.cycles.load(std::memory_order_relaxed);
    counters.frames.store(total, std::memory_order_release);
    counters.sum_squares.store(counters.sum_squares.load(std::memory_order_relaxed) + sum_squares,
                               std::memory_order_release);
    counters.peak_end_frame[cycle % kPeakRing].store(total, std::memory_order_release);
    counters.peak[cycle % kPeakRing].store(peak, std::memory_order_release);
    counters.cycles.store(cycle + 1, std::memory_order_release);
    counters.sequence.store(sequence + 2, std::memory_order_release);
  }
}

}  // namespace caraudio
