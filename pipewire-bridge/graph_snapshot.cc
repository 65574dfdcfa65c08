#include "pipewire-bridge/graph_snapshot.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <thread>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "pipewire-bridge/pipewire_objects.h"

namespace caraudio {
namespace {

std::map<std::string, std::string> ToMap(const spa_dict* dict) {
  std::map<std::string, std::string> result;
  if (dict == nullptr) return result;
  const spa_dict_item* item;
  spa_dict_for_each(item, dict) {
    if (item->key != nullptr) result[item->key] = item->value != nullptr ? item->value : "";
  }
  return result;
}

uint32_t IdProperty(const spa_dict* dict, const char* key) {
  const char* text = dict != nullptr ? spa_dict_lookup(dict, key) : nullptr;
  uint32_t value = SPA_ID_INVALID;
  if (text == nullptr || !absl::SimpleAtoi(text, &value)) return SPA_ID_INVALID;
  return value;
}

std::string StringProperty(const spa_dict* dict, const char* key) {
  const char* text = dict != nullptr ? spa_dict_lookup(dict, key) : nullptr;
  return text != nullptr ? text : "";
}

// What the registry and node listeners collect; lives on the heap so the
// callbacks' data pointer stays valid. Written on the loop thread, read by
// Take() after a round trip, both under the loop lock.
struct Collector {
  std::vector<GraphNode> nodes;
  std::vector<GraphPort> ports;
  std::vector<GraphLink> links;
};

// A bound node whose `info` event fills in its full properties.
struct BoundNode {
  GraphNode* node = nullptr;  // points into Collector::nodes (not resized any more)
  std::unique_ptr<OwnedProxy> proxy;
};

void OnRegistryGlobal(void* data, uint32_t id, uint32_t /*permissions*/, const char* type,
                      uint32_t /*version*/, const spa_dict* props) {
  auto* collector = static_cast<Collector*>(data);
  if (std::strcmp(type, PW_TYPE_INTERFACE_Node) == 0) {
    GraphNode node;
    node.id = id;
    node.properties = ToMap(props);
    collector->nodes.push_back(std::move(node));
  } else if (std::strcmp(type, PW_TYPE_INTERFACE_Port) == 0) {
    GraphPort port;
    port.id = id;
    port.node_id = IdProperty(props, PW_KEY_NODE_ID);
    port.direction = StringProperty(props, PW_KEY_PORT_DIRECTION) == "out" ? PortDirection::kOutput
                                                                            : PortDirection::kInput;
    port.name = StringProperty(props, PW_KEY_PORT_NAME);
    port.channel = StringProperty(props, PW_KEY_AUDIO_CHANNEL);
    collector->ports.push_back(std::move(port));
  } else if (std::strcmp(type, PW_TYPE_INTERFACE_Link) == 0) {
    GraphLink link;
    link.id = id;
    link.output_node_id = IdProperty(props, PW_KEY_LINK_OUTPUT_NODE);
    link.output_port_id = IdProperty(props, PW_KEY_LINK_OUTPUT_PORT);
    link.input_node_id = IdProperty(props, PW_KEY_LINK_INPUT_NODE);
    link.input_port_id = IdProperty(props, PW_KEY_LINK_INPUT_PORT);
    collector->links.push_back(link);
  }
}

void OnNodeInfo(void* data, const pw_node_info* info) {
  auto* node = static_cast<GraphNode*>(data);
  if (info->props != nullptr) {
    for (auto& [key, value] : ToMap(info->props)) node->properties[key] = std::move(value);
  }
}

}  // namespace

std::string GraphNode::name() const { return Property(PW_KEY_NODE_NAME); }

std::string GraphNode::Property(const std::string& key, const std::string& fallback) const {
  auto it = properties.find(key);
  return it != properties.end() ? it->second : fallback;
}

absl::StatusOr<GraphSnapshot> GraphSnapshot::Take(PipeWireLoop& loop, absl::Duration timeout) {
  if (loop.InLoopThread()) {
    return absl::FailedPreconditionError("GraphSnapshot::Take on the PipeWire loop thread");
  }
  auto collector = std::make_unique<Collector>();
  std::unique_ptr<OwnedProxy> registry;
  {
    PipeWireLoop::Lock lock(loop);
    if (loop.core() == nullptr) return absl::UnavailableError("not connected to PipeWire");
    auto* proxy = reinterpret_cast<pw_proxy*>(pw_core_get_registry(loop.core(), PW_VERSION_REGISTRY, 0));
    if (proxy == nullptr) {
      return absl::InternalError(absl::StrCat("pw_core_get_registry: ", std::strerror(errno)));
    }
    registry = std::make_unique<OwnedProxy>(loop, proxy);
    static const pw_registry_events kRegistryEvents = [] {
      pw_registry_events events{};
      events.version = PW_VERSION_REGISTRY_EVENTS;
      events.global = &OnRegistryGlobal;
      return events;
    }();
    pw_registry_add_listener(reinterpret_cast<pw_registry*>(proxy), registry->object_listener(),
                             &kRegistryEvents, collector.get());
  }
  // After the round trip every global that existed has been announced.
  if (absl::Status synced = loop.Sync(timeout); !synced.ok()) return synced;

  std::vector<BoundNode> bound_nodes;
  {
    PipeWireLoop::Lock lock(loop);
    // Stop collecting: the vectors must not grow while nodes point into them.
    spa_hook_remove(registry->object_listener());
    spa_zero(*registry->object_listener());
    if (registry->get() == nullptr) return absl::UnavailableError("PipeWire connection lost");
    static const pw_node_events kNodeEvents = [] {
      pw_node_events events{};
      events.version = PW_VERSION_NODE_EVENTS;
      events.info = &OnNodeInfo;
      return events;
    }();
    for (GraphNode& node : collector->nodes) {
      auto* proxy = static_cast<pw_proxy*>(pw_registry_bind(
          reinterpret_cast<pw_registry*>(registry->get()), node.id, PW_TYPE_INTERFACE_Node,
          PW_VERSION_NODE, 0));
      if (proxy == nullptr) continue;  // keep the registry's subset of properties
      BoundNode bound;
      bound.node = &node;
      bound.proxy = std::make_unique<OwnedProxy>(loop, proxy);
      pw_node_add_listener(reinterpret_cast<pw_node*>(proxy), bound.proxy->object_listener(),
                           &kNodeEvents, &node);
      bound_nodes.push_back(std::move(bound));
    }
  }
  // The daemon sends each bound node's info right after the bind. A node
  // removed in between just keeps its registry properties.
  if (absl::Status synced = loop.Sync(timeout); !synced.ok()) return synced;
  {
    PipeWireLoop::Lock lock(loop);
    bound_nodes.clear();
    registry.reset();
  }

  GraphSnapshot snapshot;
  snapshot.nodes_ = std::move(collector->nodes);
  snapshot.ports_ = std::move(collector->ports);
  snapshot.links_ = std::move(collector->links);
  return snapshot;
}

const GraphNode* GraphSnapshot::FindNode(const std::string& name) const {
  const GraphNode* found = nullptr;
  for (const GraphNode& node : nodes_) {
    if (node.name() == name && (found == nullptr || node.id < found->id)) found = &node;
  }
  return found;
}

const GraphNode* GraphSnapshot::FindNodeById(uint32_t id) const {
  for (const GraphNode& node : nodes_) {
    if (node.id == id) return &node;
  }
  return nullptr;
}

std::vector<GraphPort> GraphSnapshot::PortsOf(uint32_t node_id, PortDirection direction) const {
  std::vector<GraphPort> result;
  for (const GraphPort& port : ports_) {
    if (port.node_id == node_id && port.direction == direction) result.push_back(port);
  }
  std::sort(result.begin(), result.end(),
            [](const GraphPort& a, const GraphPort& b) { return a.id < b.id; });
  return result;
}

std::set<std::string> GraphSnapshot::LinkedInputNodes(uint32_t output_node_id) const {
  std::set<std::string> result;
  for (const GraphLink& link : links_) {
    if (link.output_node_id != output_node_id) continue;
    const GraphNode* input = FindNodeById(link.input_node_id);
    result.insert(input != nullptr ? input->name() : absl::StrCat("#", link.input_node_id));
  }
  return result;
}

bool GraphSnapshot::IsLinked(const std::string& output_node_name,
                             const std::string& input_node_name) const {
  for (const GraphNode& node : nodes_) {
    if (node.name() == output_node_name && LinkedInputNodes(node.id).count(input_node_name) > 0) {
      return true;
    }
  }
  return false;
}

int GraphSnapshot::LinksBetween(const std::string& output_node_name,
                                const std::string& input_node_name) const {
  const GraphNode* output = FindNode(output_node_name);
  const GraphNode* input = FindNode(input_node_name);
  if (output == nullptr || input == nullptr) return 0;
  int links = 0;
  for (const GraphLink& link : links_) {
    if (link.output_node_id == output->id && link.input_node_id == input->id) ++links;
  }
  return links;
}

std::string GraphSnapshot::DebugString() const {
  std::string result;
  for (const GraphNode& node : nodes_) {
    absl::StrAppend(&result, "node ", node.id, " \"", node.name(), "\" (",
                    node.Property(PW_KEY_MEDIA_CLASS, "-"), ")");
    for (PortDirection direction : {PortDirection::kInput, PortDirection::kOutput}) {
      for (const GraphPort& port : PortsOf(node.id, direction)) {
        absl::StrAppend(&result, " ", port.name, "#", port.id);
      }
    }
    const std::set<std::string> targets = LinkedInputNodes(node.id);
    if (!targets.empty()) absl::StrAppend(&result, " -> ", absl::StrJoin(targets, ", "));
    absl::StrAppend(&result, "\n");
  }
  return result;
}

bool WaitFor(const std::function<bool()>& condition, absl::Duration timeout, absl::Duration poll) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (condition()) return true;
    if (absl::Now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::nanoseconds(absl::ToInt64Nanoseconds(poll)));
  }
}

}  // namespace caraudio
