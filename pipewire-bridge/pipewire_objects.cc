#include "pipewire-bridge/pipewire_objects.h"

#include <spa/utils/result.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "pipewire-bridge/graph_snapshot.h"

namespace caraudio {
namespace {

// The audio channel a port carries: audio.channel, else the name after the
// prefix ("monitor_FL" -> "FL").
std::string ChannelOf(const GraphPort& port, const std::string& prefix) {
  if (!port.channel.empty()) return port.channel;
  return port.name.substr(prefix.size());
}

const GraphPort* FindChannelPort(const std::vector<GraphPort>& ports, const std::string& prefix,
                                 const std::string& channel) {
  for (const GraphPort& port : ports) {
    if (absl::StartsWith(port.name, prefix) && ChannelOf(port, prefix) == channel) return &port;
  }
  return nullptr;
}

}  // namespace

// ---------------------------------------------------------------------------
// OwnedProxy

OwnedProxy::OwnedProxy(PipeWireLoop& loop, pw_proxy* proxy) : loop_(loop), proxy_(proxy) {
  static const pw_proxy_events kProxyEvents = [] {
    pw_proxy_events events{};
    events.version = PW_VERSION_PROXY_EVENTS;
    events.destroy = &OwnedProxy::OnDestroy;
    events.bound = &OwnedProxy::OnBound;
    events.error = &OwnedProxy::OnError;
    return events;
  }();
  pw_proxy_add_listener(proxy_, &proxy_listener_, &kProxyEvents, this);
}

OwnedProxy::~OwnedProxy() {
  PipeWireLoop::Lock lock(loop_);
  // OnDestroy (run inside pw_proxy_destroy) unhooks us and clears proxy_.
  if (proxy_ != nullptr) pw_proxy_destroy(proxy_);
}

absl::Status OwnedProxy::WaitBound(absl::Duration timeout) {
  if (loop_.InLoopThread()) {
    return absl::FailedPreconditionError("OwnedProxy::WaitBound on the PipeWire loop thread");
  }
  PipeWireLoop::Lock lock(loop_);
  timespec deadline{};
  pw_thread_loop_get_time(loop_.thread_loop(), &deadline, absl::ToInt64Nanoseconds(timeout));
  while (proxy_ != nullptr && bound_id_ == SPA_ID_INVALID && error_.empty()) {
    if (pw_thread_loop_timed_wait_full(loop_.thread_loop(), &deadline) == -ETIMEDOUT) {
      return absl::DeadlineExceededError(
          absl::StrCat("object not bound within ", absl::FormatDuration(timeout)));
    }
  }
  if (!error_.empty()) return absl::InternalError(absl::StrCat("PipeWire error: ", error_));
  if (proxy_ == nullptr) return absl::UnavailableError("proxy destroyed (connection lost?)");
  return absl::OkStatus();
}

void OwnedProxy::OnBound(void* data, uint32_t global_id) {
  auto* self = static_cast<OwnedProxy*>(data);
  self->bound_id_ = global_id;
  pw_thread_loop_signal(self->loop_.thread_loop(), false);
}

void OwnedProxy::OnError(void* data, int /*seq*/, int res, const char* message) {
  auto* self = static_cast<OwnedProxy*>(data);
  self->error_ = absl::StrCat(message != nullptr ? message : "unknown", " (", spa_strerror(res), ")");
  pw_thread_loop_signal(self->loop_.thread_loop(), false);
}

void OwnedProxy::OnDestroy(void* data) {
  auto* self = static_cast<OwnedProxy*>(data);
  // The proxy's memory goes away after this event; our hooks must leave its
  // lists now. Zeroed hooks make any later spa_hook_remove a no-op.
  spa_hook_remove(&self->object_listener_);
  spa_hook_remove(&self->proxy_listener_);
  spa_zero(self->object_listener_);
  spa_zero(self->proxy_listener_);
  self->proxy_ = nullptr;
  pw_thread_loop_signal(self->loop_.thread_loop(), false);
}

// ---------------------------------------------------------------------------
// Objects

absl::StatusOr<std::unique_ptr<OwnedProxy>> CreateRemoteObject(
    PipeWireLoop& loop, const std::string& factory, const char* type, uint32_t version,
    const PipeWireProperties& properties, absl::Duration timeout) {
  std::unique_ptr<OwnedProxy> object;
  {
    PipeWireLoop::Lock lock(loop);
    if (loop.core() == nullptr) return absl::UnavailableError("not connected to PipeWire");
    pw_properties* props = MakePipeWireProperties(properties);
    auto* proxy = static_cast<pw_proxy*>(
        pw_core_create_object(loop.core(), factory.c_str(), type, version, &props->dict, 0));
    pw_properties_free(props);  // create_object copies the dict
    if (proxy == nullptr) {
      return absl::InternalError(
          absl::StrCat("pw_core_create_object(", factory, "): ", std::strerror(errno)));
    }
    object = std::make_unique<OwnedProxy>(loop, proxy);
  }
  if (absl::Status bound = object->WaitBound(timeout); !bound.ok()) {
    return absl::Status(bound.code(), absl::StrCat("creating ", factory, " object: ",
                                                   bound.message()));
  }
  return object;
}

absl::StatusOr<std::unique_ptr<OwnedProxy>> CreateNullAudioSink(
    PipeWireLoop& loop, const std::string& node_name, const PipeWireProperties& extra_properties,
    absl::Duration timeout) {
  PipeWireProperties properties = {
      {"factory.name", "support.null-audio-sink"},
      {PW_KEY_NODE_NAME, node_name},
      {PW_KEY_NODE_DESCRIPTION, node_name},
      {PW_KEY_MEDIA_CLASS, "Audio/Sink"},
      {"audio.position", "[ FL FR ]"},
      {"monitor.channel-volumes", "true"},
      {"adapter.auto-port-config", "{ mode = dsp monitor = true position = preserve }"},
      {PW_KEY_OBJECT_LINGER, "false"},
  };
  for (const auto& [key, value] : extra_properties) properties[key] = value;
  return CreateRemoteObject(loop, "adapter", PW_TYPE_INTERFACE_Node, PW_VERSION_NODE, properties,
                            timeout);
}

// ---------------------------------------------------------------------------
// Links

ChannelLinks::ChannelLinks(std::vector<std::unique_ptr<OwnedProxy>> links)
    : links_(std::move(links)) {
  for (const auto& link : links_) link_ids_.push_back(link->bound_id());
}

absl::StatusOr<std::unique_ptr<ChannelLinks>> LinkChannels(
    PipeWireLoop& loop, uint32_t output_node_id, const std::string& output_port_prefix,
    uint32_t input_node_id, const std::string& input_port_prefix,
    const std::vector<std::string>& channels, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  // (output port id, input port id) per channel, once all exist.
  std::vector<std::pair<uint32_t, uint32_t>> port_pairs;
  std::string missing;
  const bool found = WaitFor(
      [&] {
        absl::StatusOr<GraphSnapshot> graph = GraphSnapshot::Take(loop);
        if (!graph.ok()) {
          missing = std::string(graph.status().message());
          return false;
        }
        const std::vector<GraphPort> outputs = graph->PortsOf(output_node_id, PortDirection::kOutput);
        const std::vector<GraphPort> inputs = graph->PortsOf(input_node_id, PortDirection::kInput);
        port_pairs.clear();
        std::vector<std::string> absent;
        for (const std::string& channel : channels) {
          const GraphPort* out = FindChannelPort(outputs, output_port_prefix, channel);
          const GraphPort* in = FindChannelPort(inputs, input_port_prefix, channel);
          if (out == nullptr) absent.push_back(absl::StrCat(output_port_prefix, channel, " of node ", output_node_id));
          if (in == nullptr) absent.push_back(absl::StrCat(input_port_prefix, channel, " of node ", input_node_id));
          if (out != nullptr && in != nullptr) port_pairs.emplace_back(out->id, in->id);
        }
        missing = absl::StrJoin(absent, ", ");
        return absent.empty();
      },
      timeout);
  if (!found) {
    return absl::DeadlineExceededError(absl::StrCat(
        "ports to link did not appear within ", absl::FormatDuration(timeout), ": ", missing));
  }

  std::vector<std::unique_ptr<OwnedProxy>> links;
  for (const auto& [output_port, input_port] : port_pairs) {
    absl::StatusOr<std::unique_ptr<OwnedProxy>> link = CreateRemoteObject(
        loop, "link-factory", PW_TYPE_INTERFACE_Link, PW_VERSION_LINK,
        {
            {PW_KEY_LINK_OUTPUT_NODE, absl::StrCat(output_node_id)},
            {PW_KEY_LINK_OUTPUT_PORT, absl::StrCat(output_port)},
            {PW_KEY_LINK_INPUT_NODE, absl::StrCat(input_node_id)},
            {PW_KEY_LINK_INPUT_PORT, absl::StrCat(input_port)},
            {PW_KEY_OBJECT_LINGER, "false"},
        },
        std::max(deadline - absl::Now(), absl::Milliseconds(100)));
    if (!link.ok()) {
      return absl::Status(link.status().code(),
                          absl::StrCat("linking port ", output_port, " -> ", input_port, ": ",
                                       link.status().message()));
    }
    links.push_back(*std::move(link));
  }
  return std::make_unique<ChannelLinks>(std::move(links));
}

absl::StatusOr<std::unique_ptr<ChannelLinks>> LinkChannelsByName(
    PipeWireLoop& loop, const std::string& output_node_name, const std::string& output_port_prefix,
    const std::string& input_node_name, const std::string& input_port_prefix,
    const std::vector<std::string>& channels, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  uint32_t output_node_id = SPA_ID_INVALID;
  uint32_t input_node_id = SPA_ID_INVALID;
  const bool found = WaitFor(
      [&] {
        absl::StatusOr<GraphSnapshot> graph = GraphSnapshot::Take(loop);
        if (!graph.ok()) return false;
        const GraphNode* output = graph->FindNode(output_node_name);
        const GraphNode* input = graph->FindNode(input_node_name);
        if (output != nullptr) output_node_id = output->id;
        if (input != nullptr) input_node_id = input->id;
        return output != nullptr && input != nullptr;
      },
      timeout);
  if (!found) {
    return absl::NotFoundError(absl::StrCat(
        "nodes to link not found within ", absl::FormatDuration(timeout), ": \"",
        output_node_name, "\"", output_node_id == SPA_ID_INVALID ? " (missing)" : "", " -> \"",
        input_node_name, "\"", input_node_id == SPA_ID_INVALID ? " (missing)" : ""));
  }
  return LinkChannels(loop, output_node_id, output_port_prefix, input_node_id, input_port_prefix,
                      channels, std::max(deadline - absl::Now(), absl::Milliseconds(100)));
}

}  // namespace caraudio
