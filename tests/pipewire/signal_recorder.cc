#include "tests/pipewire/signal_recorder.h"

#include <spa/utils/result.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "pipewire-bridge/graph_snapshot.h"

namespace caraudio::testing {
namespace {

int64_t SteadyNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

size_t LogCapacity(absl::Duration capacity) {
  // Whole blocks per second, plus a quarter for the short blocks at the end
  // of buffers whose size is not a multiple of kBlockFrames.
  const double blocks_per_second =
      1.25 * SignalRecorder::kSampleRate / SignalRecorder::kBlockFrames;
  return static_cast<size_t>(std::ceil(absl::ToDoubleSeconds(capacity) * blocks_per_second)) + 64;
}

}  // namespace

SignalRecorder::SignalRecorder(PrivateTag, PipeWireLoop& loop, Options options)
    : loop_(loop), options_(std::move(options)), log_(LogCapacity(options_.capacity)) {}

absl::StatusOr<std::unique_ptr<SignalRecorder>> SignalRecorder::Start(
    PipeWireLoop& loop, const std::string& source_node_name, const std::string& port_prefix) {
  Options options;
  options.source_node_name = source_node_name;
  options.port_prefix = port_prefix;
  return Start(loop, std::move(options));
}

absl::StatusOr<std::unique_ptr<SignalRecorder>> SignalRecorder::Start(PipeWireLoop& loop,
                                                                      Options options) {
  if (options.source_node_name.empty()) {
    return absl::InvalidArgumentError("SignalRecorder: empty source_node_name");
  }
  if (options.capacity <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("SignalRecorder: capacity must be positive");
  }
  if (loop.InLoopThread()) {
    return absl::FailedPreconditionError("SignalRecorder::Start on the PipeWire loop thread");
  }
  const absl::Time deadline = absl::Now() + options.setup_timeout;
  auto recorder = std::make_unique<SignalRecorder>(PrivateTag{}, loop, std::move(options));
  DspStream::Options stream;
  stream.node_name = recorder->options_.node_name;
  stream.direction = PW_DIRECTION_INPUT;
  stream.node_latency = recorder->options_.node_latency;
  stream.start_timeout = recorder->options_.setup_timeout;
  absl::StatusOr<std::unique_ptr<DspStream>> started = DspStream::Start(
      loop, std::move(stream), "SignalRecorder", &SignalRecorder::OnProcess, recorder.get());
  if (!started.ok()) return started.status();
  recorder->stream_ = *std::move(started);

  const std::string& source_name = recorder->options_.source_node_name;
  const bool found = WaitFor(
      [&] {
        absl::StatusOr<GraphSnapshot> graph = GraphSnapshot::Take(loop);
        if (!graph.ok()) return false;
        const GraphNode* source = graph->FindNode(source_name);
        if (source != nullptr) recorder->source_node_id_ = source->id;
        return source != nullptr;
      },
      std::max(deadline - absl::Now(), absl::ZeroDuration()));
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("SignalRecorder: no node named \"", source_name, "\" to record"));
  }

  absl::StatusOr<std::unique_ptr<ChannelLinks>> links =
      LinkChannels(loop, recorder->source_node_id_, recorder->options_.port_prefix,
                   recorder->stream_->node_id(), "input_", {"FL", "FR"},
                   std::max(deadline - absl::Now(), absl::Milliseconds(100)));
  if (!links.ok()) {
    return absl::Status(links.status().code(),
                        absl::StrCat("SignalRecorder linking \"", source_name, "\": ",
                                     links.status().message()));
  }
  recorder->links_ = *std::move(links);
  return recorder;
}

SignalRecorder::~SignalRecorder() {
  links_.reset();  // unlink first, so the source never feeds a dying stream
  stream_.reset();
}

std::vector<SignalBlock> SignalRecorder::Blocks() const {
  const size_t published = published_blocks_.load(std::memory_order_acquire);
  return std::vector<SignalBlock>(log_.begin(), log_.begin() + static_cast<ptrdiff_t>(published));
}

void SignalRecorder::OnProcess(void* data, pw_stream* stream) {
  auto* self = static_cast<SignalRecorder*>(data);
  const int64_t now_ns = SteadyNowNs();
  pw_buffer* buffer = pw_stream_dequeue_buffer(stream);
  if (buffer == nullptr) return;
  const spa_data& in = buffer->buffer->datas[0];
  if (in.data != nullptr && in.chunk != nullptr) {
    constexpr uint32_t kStride = sizeof(float) * kChannels;
    const uint32_t offset = std::min(in.chunk->offset, in.maxsize);
    const uint32_t size = std::min(in.chunk->size, in.maxsize - offset);
    const uint32_t frames = size / kStride;
    const float* samples =
        reinterpret_cast<const float*>(static_cast<const uint8_t*>(in.data) + offset);
    if (self->first_callback_ns_ < 0) self->first_callback_ns_ = now_ns;
    for (uint32_t start = 0; start < frames; start += kBlockFrames) {
      const uint32_t count = std::min(kBlockFrames, frames - start);
      double sum_left = 0.0;
      double sum_right = 0.0;
      float peak = 0.0f;
      for (uint32_t i = start; i < start + count; ++i) {
        const float left = samples[2 * i];
        const float right = samples[2 * i + 1];
        sum_left += static_cast<double>(left) * left;
        sum_right += static_cast<double>(right) * right;
        peak = std::max({peak, std::fabs(left), std::fabs(right)});
      }
      SignalBlock block;
      block.callback_time_ns = now_ns;
      block.time_ns = now_ns + static_cast<int64_t>(start) * 1'000'000'000 / kSampleRate;
      block.sample_time_ns = self->first_callback_ns_ +
                             (self->frames_recorded_ + start) * 1'000'000'000 / kSampleRate;
      block.frames = static_cast<int32_t>(count);
      block.rms_left = static_cast<float>(std::sqrt(sum_left / count));
      block.rms_right = static_cast<float>(std::sqrt(sum_right / count));
      block.peak = peak;
      self->Append(block);
    }
    self->frames_recorded_ += frames;
  }
  pw_stream_queue_buffer(stream, buffer);
}

void SignalRecorder::Append(const SignalBlock& block) {
  // Single producer: only this thread writes, so a relaxed read of our own
  // counter is exact; the release store publishes the slot to readers.
  const size_t index = published_blocks_.load(std::memory_order_relaxed);
  if (index >= log_.size()) {
    dropped_blocks_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  log_[index] = block;
  published_blocks_.store(index + 1, std::memory_order_release);
}

}  // namespace caraudio::testing
