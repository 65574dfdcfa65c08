#include "tools/audiofocus_sim/device_capture.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace caraudio::sim {

DeviceCapture::DeviceCapture(PrivateTag, Options options)
    : options_(std::move(options)),
      capacity_frames_(std::max<int64_t>(1, absl::ToInt64Seconds(options_.capacity * kSampleRate))),
      ring_(std::make_unique<std::atomic<float>[]>(static_cast<size_t>(capacity_frames_))) {}

absl::StatusOr<std::unique_ptr<DeviceCapture>> DeviceCapture::Start(PipeWireLoop& loop,
                                                                    Options options) {
  if (options.device_node_name.empty() || options.node_name.empty()) {
    return absl::InvalidArgumentError("DeviceCapture: empty node name");
  }
  if (options.capacity <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("DeviceCapture: capacity must be positive");
  }
  const absl::Time deadline = absl::Now() + options.setup_timeout;
  auto capture = std::make_unique<DeviceCapture>(PrivateTag{}, std::move(options));
  DspStream::Options stream;
  stream.node_name = capture->options_.node_name;
  stream.direction = PW_DIRECTION_INPUT;
  stream.start_timeout = capture->options_.setup_timeout;
  absl::StatusOr<std::unique_ptr<DspStream>> started = DspStream::Start(
      loop, std::move(stream), "DeviceCapture", &DeviceCapture::OnProcess, capture.get());
  if (!started.ok()) return started.status();
  capture->stream_ = *std::move(started);

  const std::string& device = capture->options_.device_node_name;
  absl::StatusOr<std::unique_ptr<ChannelLinks>> links = LinkChannelsByName(
      loop, device, capture->options_.port_prefix, capture->options_.node_name, "input_",
      {"FL", "FR"}, std::max(deadline - absl::Now(), absl::Milliseconds(100)));
  if (!links.ok()) {
    return absl::Status(links.status().code(), absl::StrCat("recording device \"", device,
                                                            "\": ", links.status().message()));
  }
  capture->links_ = *std::move(links);
  return capture;
}

DeviceCapture::~DeviceCapture() {
  links_.reset();  // unlink first, so the device never feeds a dying stream
  stream_.reset();
}

void DeviceCapture::OnProcess(void* data, pw_stream* stream) {
  auto* self = static_cast<DeviceCapture*>(data);
  pw_buffer* buffer = pw_stream_dequeue_buffer(stream);
  if (buffer == nullptr) return;
  const spa_data& in = buffer->buffer->datas[0];
  if (in.data != nullptr && in.chunk != nullptr) {
    constexpr uint32_t kStride = sizeof(float) * DspStream::kChannels;
    const uint32_t offset = std::min(in.chunk->offset, in.maxsize);
    const uint32_t size = std::min(in.chunk->size, in.maxsize - offset);
    const uint32_t frames = size / kStride;
    const float* samples =
        reinterpret_cast<const float*>(static_cast<const uint8_t*>(in.data) + offset);
    // Single producer: our own counter read relaxed is exact.
    const int64_t written = self->written_.load(std::memory_order_relaxed);
    for (uint32_t i = 0; i < frames; ++i) {
      const float mono = 0.5f * (samples[2 * i] + samples[2 * i + 1]);
      self->ring_[static_cast<size_t>((written + i) % self->capacity_frames_)].store(
          mono, std::memory_order_relaxed);
    }
    self->written_.store(written + frames, std::memory_order_release);
  }
  pw_stream_queue_buffer(stream, buffer);
}

std::vector<float> DeviceCapture::Copy(int64_t frames) const {
  std::vector<float> samples;
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int64_t end = written_.load(std::memory_order_acquire);
    const int64_t count = std::min({frames, end, capacity_frames_});
    const int64_t begin = end - count;
    samples.resize(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
      samples[static_cast<size_t>(i)] =
          ring_[static_cast<size_t>((begin + i) % capacity_frames_)].load(
              std::memory_order_relaxed);
    }
    // The copy is good unless the writer wrapped around onto `begin` meanwhile.
    if (written_.load(std::memory_order_acquire) - begin <= capacity_frames_) return samples;
  }
  return samples;
}

std::vector<float> DeviceCapture::Last(absl::Duration length) const {
  // length x rate, read in seconds, is the number of frames.
  return Copy(std::max<int64_t>(0, absl::ToInt64Seconds(length * kSampleRate)));
}

std::vector<float> DeviceCapture::All() const { return Copy(capacity_frames_); }

}  // namespace caraudio::sim
