#include "pipewire-bridge/dsp_stream.h"

#include <spa/param/audio/format-utils.h>
#include <spa/param/audio/raw.h>
#include <spa/utils/result.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace caraudio {
namespace {

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

}  // namespace

absl::StatusOr<std::unique_ptr<DspStream>> DspStream::Start(PipeWireLoop& loop, Options options,
                                                            const std::string& what,
                                                            ProcessCallback process, void* data) {
  if (loop.InLoopThread()) {
    return absl::FailedPreconditionError(what + ": started on the PipeWire loop thread");
  }
  auto self = std::make_unique<DspStream>(PrivateTag{}, loop, process, data);
  PipeWireLoop::Lock lock(loop);
  if (loop.core() == nullptr) return absl::UnavailableError(what + ": not connected to PipeWire");

  // Watch ports before the stream exists so no port global can be missed.
  OutputPortWatch port_watch(loop.core());
  if (!port_watch.ok()) {
    return absl::InternalError(absl::StrCat("pw_core_get_registry: ", std::strerror(errno)));
  }
  port_watch.set_thread_loop(loop.thread_loop());

  const bool playback = options.direction == PW_DIRECTION_OUTPUT;
  PipeWireProperties properties = {
      {PW_KEY_NODE_NAME, options.node_name},
      {PW_KEY_MEDIA_NAME, options.node_name},
      {PW_KEY_MEDIA_TYPE, "Audio"},
      {PW_KEY_MEDIA_CATEGORY, playback ? "Playback" : "Capture"},
      {PW_KEY_NODE_LATENCY, options.node_latency},
      // No session manager links us; the caller does.
      {PW_KEY_NODE_AUTOCONNECT, "false"},
      {"audio.position", "[ FL FR ]"},
      {"audio.channels", "2"},
      {"audio.rate", absl::StrCat(kSampleRate)},
      // Without a session manager nobody configures the adapter's ports:
      // this gives the stream DSP ports at creation.
      {"adapter.auto-port-config", "{ mode = dsp monitor = false position = preserve }"},
  };
  for (const auto& [key, value] : options.properties) properties[key] = value;

  // pw_stream_new takes ownership of the properties, also on failure.
  pw_stream* stream = pw_stream_new(loop.core(), options.node_name.c_str(),
                                    MakePipeWireProperties(properties));
  if (stream == nullptr) {
    return absl::InternalError(absl::StrCat("pw_stream_new: ", std::strerror(errno)));
  }
  self->stream_ = stream;
  self->process_stream_ = stream;
  static const pw_stream_events kStreamEvents = [] {
    pw_stream_events events{};
    events.version = PW_VERSION_STREAM_EVENTS;
    events.destroy = &DspStream::OnStreamDestroy;
    events.state_changed = &DspStream::OnStateChanged;
    events.process = &DspStream::OnProcess;
    return events;
  }();
  pw_stream_add_listener(stream, &self->listener_, &kStreamEvents, self.get());

  uint8_t pod_buffer[1024];
  spa_pod_builder builder = SPA_POD_BUILDER_INIT(pod_buffer, sizeof(pod_buffer));
  spa_audio_info_raw format{};
  format.format = SPA_AUDIO_FORMAT_F32;
  format.rate = kSampleRate;
  format.channels = kChannels;
  format.position[0] = SPA_AUDIO_CHANNEL_FL;
  format.position[1] = SPA_AUDIO_CHANNEL_FR;
  const spa_pod* params[1] = {spa_format_audio_raw_build(&builder, SPA_PARAM_EnumFormat, &format)};
  const auto flags =
      static_cast<pw_stream_flags>(PW_STREAM_FLAG_MAP_BUFFERS | PW_STREAM_FLAG_RT_PROCESS);
  if (int res = pw_stream_connect(stream, options.direction, PW_ID_ANY, flags, params, 1);
      res < 0) {
    return absl::InternalError(absl::StrCat("pw_stream_connect: ", spa_strerror(res)));
  }

  // The node id arrives with the PAUSED state (proxy bound); the ports are
  // separate registry globals and may come before or after it. Playback
  // streams are linked from their output ports by the caller at once, so
  // those are waited for too.
  const int ports_needed = playback ? int{kChannels} : 0;
  timespec deadline{};
  pw_thread_loop_get_time(loop.thread_loop(), &deadline,
                          absl::ToInt64Nanoseconds(options.start_timeout));
  while (true) {
    if (self->stream_ == nullptr || loop.core() == nullptr) {
      return absl::UnavailableError(what + ": PipeWire connection lost during start");
    }
    if (self->state_ == PW_STREAM_STATE_ERROR) {
      return absl::InternalError(
          absl::StrCat(what, " stream \"", options.node_name, "\" failed: ", self->error_));
    }
    const uint32_t node_id = pw_stream_get_node_id(self->stream_);
    if (node_id != SPA_ID_INVALID && port_watch.OutputPortsOf(node_id) >= ports_needed) {
      self->node_id_ = node_id;
      return self;
    }
    if (pw_thread_loop_timed_wait_full(loop.thread_loop(), &deadline) == -ETIMEDOUT) {
      return absl::DeadlineExceededError(absl::StrCat(
          what, " stream \"", options.node_name, "\": state ",
          pw_stream_state_as_string(self->state_), ", node id ",
          node_id == SPA_ID_INVALID ? std::string("unknown") : absl::StrCat(node_id), ", ",
          node_id == SPA_ID_INVALID ? 0 : port_watch.OutputPortsOf(node_id),
          " output ports after ", absl::FormatDuration(options.start_timeout)));
    }
  }
}

DspStream::~DspStream() {
  PipeWireLoop::Lock lock(loop_);
  // OnStreamDestroy (run inside pw_stream_destroy) unhooks us and clears
  // stream_; it already ran if the connection dropped earlier. Disconnect
  // first: pw_stream_destroy emits `destroy` before it disconnects, while
  // the data thread may still be calling OnProcess, and disconnecting takes
  // the node off the data thread and waits for it.
  if (stream_ != nullptr) {
    pw_stream_disconnect(stream_);
    if (stream_ != nullptr) pw_stream_destroy(stream_);
  }
}

void DspStream::OnProcess(void* data) {
  auto* self = static_cast<DspStream*>(data);
  self->process_(self->data_, self->process_stream_);
}

void DspStream::OnStreamDestroy(void* data) {
  auto* self = static_cast<DspStream*>(data);
  // Unhooked but not zeroed: when PipeWire destroys the stream itself (the
  // connection dropped) the data thread can be inside the process event
  // right now, and must still read this hook's `data` as `self`, not null.
  spa_hook_remove(&self->listener_);
  self->stream_ = nullptr;
  pw_thread_loop_signal(self->loop_.thread_loop(), false);
}

void DspStream::OnStateChanged(void* data, pw_stream_state /*old_state*/, pw_stream_state state,
                               const char* error) {
  auto* self = static_cast<DspStream*>(data);
  self->state_ = state;
  if (state == PW_STREAM_STATE_ERROR) self->error_ = error != nullptr ? error : "unknown";
  pw_thread_loop_signal(self->loop_.thread_loop(), false);
}

}  // namespace caraudio
