#include "pipewire-bridge/pipewire_bridge.h"

#include <pipewire/extensions/metadata.h>
#include <spa/param/props.h>
#include <spa/pod/builder.h>
#include <spa/pod/iter.h>
#include <spa/utils/result.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "carservice/audio_usage.h"
#include "common/log.h"

namespace caraudio {
namespace {

struct ProxyDeleter {
  void operator()(pw_proxy* proxy) const {
    if (proxy != nullptr) pw_proxy_destroy(proxy);
  }
};
using ProxyPtr = std::unique_ptr<pw_proxy, ProxyDeleter>;

std::map<std::string, std::string> ToMap(const spa_dict* dict) {
  std::map<std::string, std::string> result;
  if (dict == nullptr) return result;
  const spa_dict_item* item;
  spa_dict_for_each(item, dict) {
    if (item->key != nullptr && item->value != nullptr) result[item->key] = item->value;
  }
  return result;
}

std::string Get(const std::map<std::string, std::string>& map, const char* key) {
  auto it = map.find(key);
  return it == map.end() ? std::string() : it->second;
}

int64_t SteadyNanosNow() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

uint32_t GetId(const std::map<std::string, std::string>& map, const char* key) {
  uint32_t id = SPA_ID_INVALID;
  if (!absl::SimpleAtoi(Get(map, key), &id)) return SPA_ID_INVALID;
  return id;
}

bool IsAppStream(const std::map<std::string, std::string>& properties) {
  return Get(properties, PW_KEY_MEDIA_CLASS) == "Stream/Output/Audio";
}

// SPA_PARAM_Props {mute} on a node: for an app stream's node the daemon
// forwards it to the app's process, whose stream adapter (audioconvert)
// applies it to everything the stream outputs.
void SetNodeMute(pw_proxy* node, bool mute) {
  uint8_t buffer[128];
  spa_pod_builder builder = SPA_POD_BUILDER_INIT(buffer, sizeof(buffer));
  spa_pod_frame frame;
  spa_pod_builder_push_object(&builder, &frame, SPA_TYPE_OBJECT_Props, SPA_PARAM_Props);
  spa_pod_builder_prop(&builder, SPA_PROP_mute, 0);
  spa_pod_builder_bool(&builder, mute);
  const auto* props = static_cast<const spa_pod*>(spa_pod_builder_pop(&builder, &frame));
  pw_node_set_param(reinterpret_cast<pw_node*>(node), SPA_PARAM_Props, 0, props);
}

}  // namespace

// One configured device: its wanted state, its filter node and its output.
struct PipeWireBridge::ManagedDevice {
  int32_t zone_id = 0;
  std::string address;
  std::string output;  // configured sink name; "" = our null sink
  float volume = 1.0f;
  bool ducked = false;
  bool muted_by_car_service = false;
  int vehicle_sound_mutes = 0;
  uint64_t generation = 0;  // of the last SetTargets on the current filter
  std::unique_ptr<DeviceFilter> filter;
  // Link health of each filter input (see BridgeOptions::link_check_interval).
  struct InputWatch {
    uint64_t cycles = 0;        // filter cycles at the last check
    uint64_t input_cycles = 0;  // cycles this input was fed, at the last check
    int64_t starved_since_ns = 0;  // 0: fed, or nothing live links into it
    int repairs_unfed = 0;         // repairs since it was last fed (backoff)
  };
  std::array<InputWatch, DeviceFilter::kChannels> inputs;
  ProxyPtr null_sink;

  DeviceGainTargets targets() const {
    return DeviceGainTargets{volume, ducked, muted_by_car_service || vehicle_sound_mutes > 0};
  }
  std::string output_node_name() const { return output.empty() ? address + ".out" : output; }
};

// What the registry tells us, and the links we made.
struct PipeWireBridge::Graph {
  struct Port {
    uint32_t node_id = SPA_ID_INVALID;
    bool output = false;
    bool monitor = false;
    std::string name;
    std::string channel;
  };
  // An app stream node bound to read its full properties: the registry only
  // carries a subset (no caraudio.* keys).
  struct BoundNode {
    PipeWireBridge* bridge = nullptr;
    uint32_t id = 0;
    ProxyPtr proxy;
    spa_hook listener{};
    bool has_full_properties = false;  // its info event replaced the registry's subset
    bool muted_by_bridge = false;      // the last Props mute the bridge sent
    // The mute of the Props the node last reported (subscribed): the app's
    // process has applied it. Unknown until the first report.
    std::optional<bool> reported_mute;

    ~BoundNode() {
      if (proxy) spa_hook_remove(&listener);
    }
  };
  ProxyPtr registry;
  spa_hook registry_listener{};
  // Registry properties, replaced by the full ones for bound stream nodes.
  std::map<uint32_t, std::map<std::string, std::string>> nodes;
  std::map<uint32_t, std::unique_ptr<BoundNode>> bound;
  std::map<uint32_t, Port> ports;
  struct Link {
    ProxyPtr proxy;
    int64_t made_at_ns = 0;
    bool to_meter = false;  // into a StreamMeter slot, not a device input
  };
  // A routed stream's place in a StreamMeter (owned by the bridge).
  struct MeterSlot {
    StreamMeter* meter = nullptr;
    int slot = 0;
  };
  std::map<std::pair<uint32_t, uint32_t>, Link> links;  // (output port, input port)
  std::set<uint32_t> running;  // bound stream nodes PipeWire reports running
  std::set<uint32_t> reported_unroutable;
  // The app streams the last Reconcile routed, by node id.
  std::map<uint32_t, StreamRoute> routed;
  std::map<uint32_t, MeterSlot> meter_slots;  // by node id

  ~Graph() {
    links.clear();
    bound.clear();
    if (registry) spa_hook_remove(&registry_listener);
  }

  std::string NodeName(uint32_t node_id) const {
    auto it = nodes.find(node_id);
    return it == nodes.end() ? std::string() : Get(it->second, PW_KEY_NODE_NAME);
  }
  uint32_t NodeByName(const std::string& name) const {
    for (const auto& [id, properties] : nodes) {
      if (Get(properties, PW_KEY_NODE_NAME) == name) return id;
    }
    return SPA_ID_INVALID;
  }
  // The node's ports of one direction (no monitor ports), optionally only
  // those whose port.name starts with `name_prefix`.
  std::vector<std::pair<uint32_t, const Port*>> PortsOf(uint32_t node_id, bool output,
                                                        const std::string& name_prefix = "") const {
    std::vector<std::pair<uint32_t, const Port*>> result;
    for (const auto& [id, port] : ports) {
      if (port.node_id == node_id && port.output == output && !port.monitor &&
          absl::StartsWith(port.name, name_prefix)) {
        result.emplace_back(id, &port);
      }
    }
    return result;
  }
};

struct PipeWireBridge::Sound {
  std::unique_ptr<TonePlayer> player;
};

PipeWireBridge::PipeWireBridge(BridgeOptions options)
    : options_(std::move(options)), backoff_(options_.reconnect_initial) {}

absl::StatusOr<std::unique_ptr<PipeWireBridge>> PipeWireBridge::Start(const CarAudioConfig& config,
                                                                      BridgeOptions options) {
  if (options.ramps.duck_level_db > 0 || options.ramps.duck_level_db < kDecibelFloor) {
    return absl::InvalidArgumentError(absl::StrCat("duck level ", options.ramps.duck_level_db,
                                                   " dB is outside [", kDecibelFloor, ", 0]"));
  }
  if (options.sample_rate <= 0) return absl::InvalidArgumentError("sample rate must be positive");
  std::unique_ptr<PipeWireBridge> bridge(new PipeWireBridge(std::move(options)));
  bridge->config_ = config;
  for (const ZoneConfig& zone : config.zones) {
    for (const VolumeGroupConfig& group : zone.volume_groups) {
      for (const DeviceConfig& device_config : group.devices) {
        auto device = std::make_unique<ManagedDevice>();
        device->zone_id = zone.id;
        device->address = device_config.address;
        device->output = device_config.output;
        device->volume = DecibelsToLinear(group.default_gain_mb / 100.0f);
        bridge->devices_.push_back(std::move(device));
      }
    }
  }
  absl::StatusOr<std::unique_ptr<PipeWireLoop>> loop = PipeWireLoop::Create("caraudio-bridge");
  if (!loop.ok()) return loop.status();
  bridge->loop_ = std::move(*loop);
  PipeWireBridge* self = bridge.get();
  PipeWireLoop::Lock lock(*self->loop_);
  self->reconnect_timer_ =
      pw_loop_add_timer(self->loop_->loop(), &PipeWireBridge::OnReconnectTimer, self);
  self->reconcile_event_ =
      pw_loop_add_event(self->loop_->loop(), &PipeWireBridge::OnReconcileEvent, self);
  self->link_check_timer_ =
      pw_loop_add_timer(self->loop_->loop(), &PipeWireBridge::OnLinkCheckTimer, self);
  self->TryConnect();
  return bridge;
}

PipeWireBridge::~PipeWireBridge() {
  {
    PipeWireLoop::Lock lock(*loop_);
    stopping_ = true;
    sounds_.clear();
    OnDisconnected();
    loop_->Disconnect();
    pw_loop_destroy_source(loop_->loop(), reconnect_timer_);
    pw_loop_destroy_source(loop_->loop(), reconcile_event_);
    pw_loop_destroy_source(loop_->loop(), link_check_timer_);
  }
  loop_.reset();
}

// ---------------------------------------------------------------------------
// Connection lifecycle (loop thread).

void PipeWireBridge::TryConnect() {
  if (stopping_) return;
  absl::Status status = loop_->Connect([this] {
    OnDisconnected();
    ScheduleReconnect();
  });
  if (!status.ok()) {
    ScheduleReconnect();
    return;
  }
  backoff_ = options_.reconnect_initial;
  ++connections_;
  OnConnected();
}

void PipeWireBridge::ScheduleReconnect() {
  if (stopping_) return;
  timespec value = absl::ToTimespec(backoff_);
  pw_loop_update_timer(loop_->loop(), reconnect_timer_, &value, nullptr, false);
  backoff_ = std::min(backoff_ * 2, options_.reconnect_max);
}

void PipeWireBridge::OnReconnectTimer(void* data, uint64_t /*expirations*/) {
  static_cast<PipeWireBridge*>(data)->TryConnect();
}

void PipeWireBridge::OnConnected() {
  graph_ = std::make_unique<Graph>();
  timespec interval = absl::ToTimespec(options_.link_check_interval);
  pw_loop_update_timer(loop_->loop(), link_check_timer_, &interval, &interval, false);
  graph_->registry.reset(reinterpret_cast<pw_proxy*>(
      pw_core_get_registry(loop_->core(), PW_VERSION_REGISTRY, 0)));
  static const pw_registry_events kRegistryEvents = [] {
    pw_registry_events events{};
    events.version = PW_VERSION_REGISTRY_EVENTS;
    events.global = [](void* data, uint32_t id, uint32_t /*permissions*/, const char* type,
                       uint32_t /*version*/, const spa_dict* props) {
      auto* self = static_cast<PipeWireBridge*>(data);
      Graph& graph = *self->graph_;
      if (std::string_view(type) == PW_TYPE_INTERFACE_Node) {
        graph.nodes[id] = ToMap(props);
        if (IsAppStream(graph.nodes[id])) self->BindNode(id);
      } else if (std::string_view(type) == PW_TYPE_INTERFACE_Port) {
        const auto map = ToMap(props);
        Graph::Port port;
        port.node_id = GetId(map, PW_KEY_NODE_ID);
        port.output = Get(map, PW_KEY_PORT_DIRECTION) == "out";
        port.monitor = Get(map, PW_KEY_PORT_MONITOR) == "true";
        port.name = Get(map, PW_KEY_PORT_NAME);
        port.channel = Get(map, PW_KEY_AUDIO_CHANNEL);
        graph.ports[id] = std::move(port);
      } else {
        return;
      }
      pw_loop_signal_event(self->loop_->loop(), self->reconcile_event_);
    };
    events.global_remove = [](void* data, uint32_t id) {
      auto* self = static_cast<PipeWireBridge*>(data);
      Graph& graph = *self->graph_;
      graph.nodes.erase(id);
      graph.routed.erase(id);
      graph.bound.erase(id);
      graph.running.erase(id);
      graph.reported_unroutable.erase(id);
      if (graph.ports.erase(id) > 0) {
        std::erase_if(graph.links, [id](const auto& link) {
          return link.first.first == id || link.first.second == id;
        });
      }
      pw_loop_signal_event(self->loop_->loop(), self->reconcile_event_);
    };
    return events;
  }();
  pw_registry_add_listener(reinterpret_cast<pw_registry*>(graph_->registry.get()),
                           &graph_->registry_listener, &kRegistryEvents, this);

  for (const std::unique_ptr<ManagedDevice>& device : devices_) {
    absl::StatusOr<std::unique_ptr<DeviceFilter>> filter =
        DeviceFilter::Create(*loop_, device->zone_id, device->address, options_, device->targets());
    if (!filter.ok()) {
      LogError("bridge", filter.status().ToString());
      continue;
    }
    device->filter = std::move(*filter);
    device->generation = 0;
    if (device->output.empty()) {
      pw_properties* properties = MakePipeWireProperties({
          {"factory.name", "support.null-audio-sink"},
          {PW_KEY_NODE_NAME, device->output_node_name()},
          {PW_KEY_NODE_DESCRIPTION, absl::StrCat("Null output of ", device->address)},
          {PW_KEY_MEDIA_CLASS, "Audio/Sink"},
          {"audio.position", "[ FL FR ]"},
          {"monitor.channel-volumes", "true"},
          {"adapter.auto-port-config", "{ mode = dsp monitor = true position = preserve }"},
          {PW_KEY_OBJECT_LINGER, "false"},
          {PW_KEY_NODE_LATENCY, options_.node_latency},
          {"caraudio.bridge", "null-output"},
      });
      device->null_sink.reset(static_cast<pw_proxy*>(
          pw_core_create_object(loop_->core(), "adapter", PW_TYPE_INTERFACE_Node, PW_VERSION_NODE,
                                &properties->dict, 0)));
      pw_properties_free(properties);
    }
  }
}

void PipeWireBridge::BindNode(uint32_t id) {
  auto bound = std::make_unique<Graph::BoundNode>();
  bound->bridge = this;
  bound->id = id;
  bound->proxy.reset(static_cast<pw_proxy*>(
      pw_registry_bind(reinterpret_cast<pw_registry*>(graph_->registry.get()), id,
                       PW_TYPE_INTERFACE_Node, PW_VERSION_NODE, 0)));
  if (!bound->proxy) return;
  static const pw_node_events kNodeEvents = [] {
    pw_node_events events{};
    events.version = PW_VERSION_NODE_EVENTS;
    events.info = [](void* data, const pw_node_info* info) {
      auto* node = static_cast<Graph::BoundNode*>(data);
      PipeWireBridge* self = node->bridge;
      if (!self->graph_) return;
      if ((info->change_mask & PW_NODE_CHANGE_MASK_STATE) != 0) {
        if (info->state == PW_NODE_STATE_RUNNING) {
          self->graph_->running.insert(node->id);
        } else {
          self->graph_->running.erase(node->id);
        }
      }
      if ((info->change_mask & PW_NODE_CHANGE_MASK_PROPS) == 0 || info->props == nullptr) return;
      self->graph_->nodes[node->id] = ToMap(info->props);
      node->has_full_properties = true;
      self->graph_->reported_unroutable.erase(node->id);
      pw_loop_signal_event(self->loop_->loop(), self->reconcile_event_);
    };
    events.param = [](void* data, int /*seq*/, uint32_t id, uint32_t /*index*/,
                      uint32_t /*next*/, const spa_pod* param) {
      auto* node = static_cast<Graph::BoundNode*>(data);
      PipeWireBridge* self = node->bridge;
      if (!self->graph_ || id != SPA_PARAM_Props || param == nullptr) return;
      // A node may report several Props objects; only one carries the mute.
      const spa_pod_prop* prop = spa_pod_find_prop(param, nullptr, SPA_PROP_mute);
      bool mute = false;
      if (prop == nullptr || spa_pod_get_bool(&prop->value, &mute) < 0) return;
      const bool newly_muted = mute && node->reported_mute != true;
      node->reported_mute = mute;
      if (newly_muted) pw_loop_signal_event(self->loop_->loop(), self->reconcile_event_);
    };
    return events;
  }();
  pw_proxy_add_object_listener(bound->proxy.get(), &bound->listener, &kNodeEvents, bound.get());
  // Props reports tell when a silenced app's process has applied the mute.
  uint32_t subscribed[] = {SPA_PARAM_Props};
  pw_node_subscribe_params(reinterpret_cast<pw_node*>(bound->proxy.get()), subscribed,
                           SPA_N_ELEMENTS(subscribed));
  graph_->bound[id] = std::move(bound);
}

void PipeWireBridge::OnDisconnected() {
  // Everything below lives on the dying connection; drop it before the core.
  graph_.reset();
  meters_.clear();
  timespec off{};
  pw_loop_update_timer(loop_->loop(), link_check_timer_, &off, nullptr, false);
  for (const std::unique_ptr<ManagedDevice>& device : devices_) {
    device->filter.reset();
    device->null_sink.reset();
    device->inputs = {};
  }
}

// ---------------------------------------------------------------------------
// Linking (loop thread): compute the links we want, make the missing ones.

void PipeWireBridge::OnReconcileEvent(void* data, uint64_t /*count*/) {
  static_cast<PipeWireBridge*>(data)->Reconcile();
}

void PipeWireBridge::Reconcile() {
  if (!graph_ || !loop_->connected()) return;
  Graph& graph = *graph_;
  // (output port, input port) -> into a meter
  std::map<std::pair<uint32_t, uint32_t>, bool> wanted;
  auto connect = [&](uint32_t from_node, uint32_t to_node, const std::string& input_prefix,
                     bool to_meter) {
    const auto inputs = graph.PortsOf(to_node, /*output=*/false, input_prefix);
    for (const auto& [out_id, out_port] : graph.PortsOf(from_node, /*output=*/true)) {
      for (const auto& [in_id, in_port] : inputs) {
        if (out_port->channel == in_port->channel || out_port->channel == "MONO") {
          wanted.emplace(std::make_pair(out_id, in_id), to_meter);
        }
      }
    }
  };
  // Device filters feed their outputs.
  for (const std::unique_ptr<ManagedDevice>& device : devices_) {
    if (!device->filter) continue;
    const uint32_t filter_node = graph.NodeByName(device->address);
    const uint32_t output_node = graph.NodeByName(device->output_node_name());
    if (filter_node != SPA_ID_INVALID && output_node != SPA_ID_INVALID) {
      connect(filter_node, output_node, "", /*to_meter=*/false);
    }
  }
  // App streams feed their devices and a meter slot, once their full
  // properties are known (so their app is known before any link exists).
  std::map<uint32_t, StreamRoute> routed;
  for (const auto& [node_id, properties] : graph.nodes) {
    if (!IsAppStream(properties)) continue;
    const auto bound = graph.bound.find(node_id);
    if (bound == graph.bound.end() || !bound->second->has_full_properties) continue;
    absl::StatusOr<std::optional<StreamRoute>> route = RouteStream(properties, config_);
    if (!route.ok()) {
      if (graph.reported_unroutable.insert(node_id).second) {
        LogWarning("bridge", absl::StrCat("not routing stream ", node_id, " (",
                                          Get(properties, PW_KEY_NODE_NAME),
                                          "): ", route.status().message()));
      }
    }
    if (!route.ok() || !route->has_value()) {
      SetStreamSilenced(node_id, false);
      continue;
    }
    const bool silenced = silenced_apps_.contains((*route)->app());
    SetStreamSilenced(node_id, silenced);
    // A new stream of a silenced app is linked only once its node reports
    // the mute applied: the request travels to the app's process, and an app
    // slow to handle it would otherwise play its first buffers into the
    // device. A stream already linked keeps its links while the mute lands.
    if (silenced && !graph.routed.contains(node_id) && bound->second->reported_mute != true) {
      continue;
    }
    const uint32_t device_node = graph.NodeByName((*route)->device_address);
    if (device_node != SPA_ID_INVALID) connect(node_id, device_node, "", /*to_meter=*/false);
    if (EnsureMeterSlot(node_id)) {
      const Graph::MeterSlot& meter_slot = graph.meter_slots.at(node_id);
      const uint32_t meter_node = graph.NodeByName(meter_slot.meter->node_name());
      if (meter_node != SPA_ID_INVALID) {
        connect(node_id, meter_node, StreamMeter::SlotPortPrefix(meter_slot.slot),
                /*to_meter=*/true);
      }
    }
    routed.emplace(node_id, **std::move(route));
  }
  // Streams no longer routed give their meter slot back.
  for (auto it = graph.meter_slots.begin(); it != graph.meter_slots.end();) {
    if (routed.contains(it->first)) {
      ++it;
      continue;
    }
    it->second.meter->Release(it->second.slot);
    it = graph.meter_slots.erase(it);
  }
  graph.routed = std::move(routed);
  // Drop links that are no longer wanted (a stream re-routed), make new ones.
  std::erase_if(graph.links, [&wanted](const auto& link) { return !wanted.contains(link.first); });
  for (const auto& [ports, to_meter] : wanted) {
    const auto& [out_port, in_port] = ports;
    if (graph.links.contains(ports)) continue;
    const Graph::Port& out = graph.ports.at(out_port);
    const Graph::Port& in = graph.ports.at(in_port);
    pw_properties* properties = MakePipeWireProperties({
        {PW_KEY_LINK_OUTPUT_NODE, absl::StrCat(out.node_id)},
        {PW_KEY_LINK_OUTPUT_PORT, absl::StrCat(out_port)},
        {PW_KEY_LINK_INPUT_NODE, absl::StrCat(in.node_id)},
        {PW_KEY_LINK_INPUT_PORT, absl::StrCat(in_port)},
        {PW_KEY_OBJECT_LINGER, "false"},
    });
    Graph::Link& link = graph.links[ports];
    link.proxy.reset(static_cast<pw_proxy*>(
        pw_core_create_object(loop_->core(), "link-factory", PW_TYPE_INTERFACE_Link,
                              PW_VERSION_LINK, &properties->dict, 0)));
    link.made_at_ns = SteadyNanosNow();
    link.to_meter = to_meter;
    pw_properties_free(properties);
  }
}

void PipeWireBridge::SetStreamSilenced(uint32_t node_id, bool silenced) {
  const auto bound = graph_->bound.find(node_id);
  if (bound == graph_->bound.end() || bound->second->muted_by_bridge == silenced) return;
  SetNodeMute(bound->second->proxy.get(), silenced);
  bound->second->muted_by_bridge = silenced;
  LogInfo("bridge", absl::StrCat(silenced ? "silenced" : "un-silenced", " stream ", node_id, " (",
                                 graph_->NodeName(node_id), ")"));
}

bool PipeWireBridge::EnsureMeterSlot(uint32_t node_id) {
  if (graph_->meter_slots.contains(node_id)) return true;
  for (const std::unique_ptr<StreamMeter>& meter : meters_) {
    if (const int slot = meter->FreeSlot(); slot >= 0) {
      meter->Claim(slot, ++last_meter_serial_);
      graph_->meter_slots[node_id] = Graph::MeterSlot{meter.get(), slot};
      return true;
    }
  }
  absl::StatusOr<std::unique_ptr<StreamMeter>> meter = StreamMeter::Create(
      *loop_, absl::StrCat("caraudio.stream-meter.", meters_.size()), options_.node_latency);
  if (!meter.ok()) {
    LogError("bridge", absl::StrCat("no stream meter: ", meter.status().ToString()));
    return false;
  }
  meters_.push_back(std::move(*meter));
  return EnsureMeterSlot(node_id);
}

// ---------------------------------------------------------------------------
// Link health (loop thread): re-make links into a device input that a running
// stream feeds but that receives nothing.

void PipeWireBridge::OnLinkCheckTimer(void* data, uint64_t /*expirations*/) {
  static_cast<PipeWireBridge*>(data)->CheckLinks();
}

void PipeWireBridge::CheckLinks() {
  if (!graph_) return;
  Graph& graph = *graph_;
  const int64_t now = SteadyNanosNow();
  const int64_t repair_after = absl::ToInt64Nanoseconds(options_.link_repair_after);
  bool repaired = false;
  for (const std::unique_ptr<ManagedDevice>& device : devices_) {
    if (!device->filter) continue;
    const DeviceGainReport report = device->filter->report();
    const uint32_t filter_node = graph.NodeByName(device->address);
    const auto inputs = graph.PortsOf(filter_node, /*output=*/false);
    for (int channel = 0; channel < DeviceFilter::kChannels; ++channel) {
      ManagedDevice::InputWatch& watch = device->inputs[channel];
      const bool ran = report.cycles != watch.cycles;
      const bool fed = report.input_cycles[channel] != watch.input_cycles;
      watch.cycles = report.cycles;
      watch.input_cycles = report.input_cycles[channel];
      if (fed) watch.repairs_unfed = 0;
      // The live links into this input: made by us, from a running stream.
      std::vector<std::pair<uint32_t, uint32_t>> live;
      int64_t newest_ns = 0;
      for (const auto& [in_id, in_port] : inputs) {
        if (in_port->channel != DeviceFilter::ChannelName(channel)) continue;
        for (const auto& [ports, link] : graph.links) {
          if (ports.second != in_id) continue;
          const auto out = graph.ports.find(ports.first);
          if (out == graph.ports.end() || !graph.running.contains(out->second.node_id)) continue;
          live.push_back(ports);
          newest_ns = std::max(newest_ns, link.made_at_ns);
        }
      }
      if (fed || !ran || live.empty()) {
        watch.starved_since_ns = 0;
        continue;
      }
      if (watch.starved_since_ns == 0) watch.starved_since_ns = now;
      // Back off for a stream that runs but really sends nothing.
      const int64_t wait = repair_after << std::min(watch.repairs_unfed, 7);
      const int64_t starved_ns = now - std::max(watch.starved_since_ns, newest_ns);
      if (starved_ns < wait) continue;
      for (const auto& ports : live) graph.links.erase(ports);
      ++watch.repairs_unfed;
      watch.starved_since_ns = 0;
      repaired = true;
      LogWarning("bridge", absl::StrFormat("%s playback_%s received nothing for %.0f ms from a "
                                           "running stream; re-making %zu link(s) (repair %d)",
                                           device->address, DeviceFilter::ChannelName(channel),
                                           starved_ns / 1e6, live.size(), watch.repairs_unfed));
    }
  }
  if (repaired) Reconcile();
}

// ---------------------------------------------------------------------------
// Public API.

PipeWireBridge::ManagedDevice* PipeWireBridge::FindDevice(int32_t zone_id,
                                                   const std::string& address) const {
  for (const std::unique_ptr<ManagedDevice>& device : devices_) {
    if (device->zone_id == zone_id && device->address == address) return device.get();
  }
  return nullptr;
}

uint64_t PipeWireBridge::Apply(ManagedDevice& device) {
  if (device.filter) device.generation = device.filter->SetTargets(device.targets());
  return device.generation;
}

namespace {
absl::Status UnknownDevice(int32_t zone_id, const std::string& address) {
  return absl::NotFoundError(absl::StrCat("zone ", zone_id, " has no device \"", address, "\""));
}
}  // namespace

absl::Status PipeWireBridge::SetDucked(int32_t zone_id, const std::string& address, bool ducked) {
  PipeWireLoop::Lock lock(*loop_);
  ManagedDevice* device = FindDevice(zone_id, address);
  if (device == nullptr) return UnknownDevice(zone_id, address);
  device->ducked = ducked;
  Apply(*device);
  return absl::OkStatus();
}

absl::Status PipeWireBridge::SetMuted(int32_t zone_id, const std::string& address,
                                      MuteSource source, bool muted) {
  PipeWireLoop::Lock lock(*loop_);
  ManagedDevice* device = FindDevice(zone_id, address);
  if (device == nullptr) return UnknownDevice(zone_id, address);
  if (source == MuteSource::kCarService) {
    device->muted_by_car_service = muted;
  } else {
    device->vehicle_sound_mutes = std::max(0, device->vehicle_sound_mutes + (muted ? 1 : -1));
  }
  Apply(*device);
  return absl::OkStatus();
}

absl::Status PipeWireBridge::SetVolumeMillibel(int32_t zone_id, const std::string& address,
                                               int32_t gain_mb) {
  PipeWireLoop::Lock lock(*loop_);
  ManagedDevice* device = FindDevice(zone_id, address);
  if (device == nullptr) return UnknownDevice(zone_id, address);
  device->volume = DecibelsToLinear(gain_mb / 100.0f);
  Apply(*device);
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> PipeWireBridge::PlaySound(int32_t zone_id, int32_t usage,
                                                   TonePlayer::Waveform waveform,
                                                   absl::Duration duration, double amplitude) {
  if (config_.FindZone(zone_id) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("unknown audio zone ", zone_id));
  }
  uint64_t id;
  {
    PipeWireLoop::Lock lock(*loop_);
    id = next_sound_id_++;
  }
  TonePlayer::Options options;
  options.node_name = absl::StrCat("vehicle-sound-", id);
  options.node_properties = {{kUsageProperty, UsageName(usage)},
                             {kZoneIdProperty, absl::StrCat(zone_id)},
                             {kClientIdProperty, options.node_name}};
  options.waveform = waveform;
  options.duration = duration;
  options.amplitude = amplitude;
  options.node_latency = options_.node_latency;
  // Start waits for the daemon; it must run off the loop thread, unlocked.
  absl::StatusOr<std::unique_ptr<TonePlayer>> player = TonePlayer::Start(*loop_, options);
  if (!player.ok()) return player.status();
  PipeWireLoop::Lock lock(*loop_);
  auto sound = std::make_unique<Sound>();
  sound->player = std::move(*player);
  sounds_[id] = std::move(sound);
  return id;
}

void PipeWireBridge::StopSound(uint64_t id) {
  std::unique_ptr<Sound> sound;
  {
    PipeWireLoop::Lock lock(*loop_);
    auto it = sounds_.find(id);
    if (it == sounds_.end()) return;
    sound = std::move(it->second);
    sounds_.erase(it);
  }
  sound.reset();  // TonePlayer's destructor takes the lock itself
}

bool PipeWireBridge::SoundFinished(uint64_t id) const {
  PipeWireLoop::Lock lock(*loop_);
  auto it = sounds_.find(id);
  return it == sounds_.end() || it->second->player->finished();
}

std::optional<DeviceStatus> PipeWireBridge::Device(int32_t zone_id,
                                                   const std::string& address) const {
  PipeWireLoop::Lock lock(*loop_);
  const ManagedDevice* device = FindDevice(zone_id, address);
  if (device == nullptr) return std::nullopt;
  DeviceStatus status;
  status.zone_id = device->zone_id;
  status.address = device->address;
  status.targets = device->targets();
  if (device->filter) {
    status.report = device->filter->report();
    status.node_id = device->filter->node_id();
    status.node_present = status.node_id != SPA_ID_INVALID;
  }
  return status;
}

std::vector<DeviceStatus> PipeWireBridge::Devices() const {
  std::vector<std::pair<int32_t, std::string>> keys;
  {
    PipeWireLoop::Lock lock(*loop_);
    for (const auto& device : devices_) keys.emplace_back(device->zone_id, device->address);
  }
  std::vector<DeviceStatus> result;
  for (const auto& [zone, address] : keys) {
    if (std::optional<DeviceStatus> status = Device(zone, address)) result.push_back(*status);
  }
  return result;
}

std::vector<RoutedStream> PipeWireBridge::Streams() const {
  PipeWireLoop::Lock lock(*loop_);
  std::vector<RoutedStream> result;
  if (!graph_) return result;
  for (const auto& [node_id, route] : graph_->routed) {
    RoutedStream stream;
    stream.node_id = node_id;
    stream.node_name = graph_->NodeName(node_id);
    stream.route = route;
    stream.silenced = silenced_apps_.contains(route.app());
    for (const auto& [ports, link] : graph_->links) {
      auto port = graph_->ports.find(ports.first);
      if (!link.to_meter && port != graph_->ports.end() && port->second.node_id == node_id) {
        ++stream.links;
      }
    }
    result.push_back(std::move(stream));
  }
  return result;
}

absl::Status PipeWireBridge::SetSilencedApps(std::set<AppIdentity> apps) {
  for (const AppIdentity& app : apps) {
    if (app.package_name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("silenced app with uid ", app.uid, " has an empty package name"));
    }
    if (app.uid < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("silenced app \"", app.package_name, "\" has a negative uid ", app.uid));
    }
  }
  PipeWireLoop::Lock lock(*loop_);
  silenced_apps_ = std::move(apps);
  pw_loop_signal_event(loop_->loop(), reconcile_event_);
  return absl::OkStatus();
}

std::set<AppIdentity> PipeWireBridge::silenced_apps() const {
  PipeWireLoop::Lock lock(*loop_);
  return silenced_apps_;
}

std::vector<MeteredStream> PipeWireBridge::StreamLevels() const {
  PipeWireLoop::Lock lock(*loop_);
  std::vector<MeteredStream> result;
  if (!graph_) return result;
  for (const auto& [node_id, route] : graph_->routed) {
    MeteredStream stream;
    stream.node_id = node_id;
    stream.node_name = graph_->NodeName(node_id);
    stream.route = route;
    stream.silenced = silenced_apps_.contains(route.app());
    if (auto slot = graph_->meter_slots.find(node_id); slot != graph_->meter_slots.end()) {
      stream.meter = slot->second.meter->Read(slot->second.slot);
    }
    result.push_back(std::move(stream));
  }
  return result;
}

absl::Status PipeWireBridge::WaitApplied(int32_t zone_id, const std::string& address,
                                         uint64_t generation, absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    std::optional<DeviceStatus> status = Device(zone_id, address);
    if (!status) return UnknownDevice(zone_id, address);
    if (status->report.applied_generation >= generation) return absl::OkStatus();
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat(address, ": gain change ", generation, " not applied in time"));
    }
    absl::SleepFor(absl::Microseconds(200));
  }
}

bool PipeWireBridge::connected() const {
  PipeWireLoop::Lock lock(*loop_);
  return loop_->connected();
}

uint64_t PipeWireBridge::connections() const {
  PipeWireLoop::Lock lock(*loop_);
  return connections_;
}

}  // namespace caraudio
