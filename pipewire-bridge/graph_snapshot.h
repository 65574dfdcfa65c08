// GraphSnapshot: a consistent copy of the daemon's nodes, ports and links,
// for assertions in tests and for tools that wait for the graph ("is the
// tone linked to the zone sink?").
//
// Take() binds a registry, round-trips until every existing global was
// delivered, binds each node once to read its full properties (the registry
// only carries a subset, e.g. no caraudio.* keys), round-trips again, and
// releases everything before it returns. The snapshot is plain data: it does
// not follow later changes; take another one (WaitFor below polls).
//
// Take() locks the loop and waits for round trips: never call it on the loop
// thread.

#ifndef CARAUDIO_PIPEWIRE_BRIDGE_GRAPH_SNAPSHOT_H_
#define CARAUDIO_PIPEWIRE_BRIDGE_GRAPH_SNAPSHOT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pipewire-bridge/pipewire_loop.h"

namespace caraudio {

enum class PortDirection { kInput, kOutput };

struct GraphNode {
  uint32_t id = 0;
  // Full node properties (node.name, media.class, node.latency, caraudio.*).
  std::map<std::string, std::string> properties;

  // node.name, empty if missing.
  std::string name() const;
  // The property `key`, or `fallback` when missing.
  std::string Property(const std::string& key, const std::string& fallback = "") const;
};

struct GraphPort {
  uint32_t id = 0;
  uint32_t node_id = 0;
  PortDirection direction = PortDirection::kInput;
  std::string name;     // port.name, e.g. "playback_FL", "monitor_FL", "output_FR"
  std::string channel;  // audio.channel, e.g. "FL"; empty for non-audio ports
};

struct GraphLink {
  uint32_t id = 0;
  uint32_t output_node_id = 0;
  uint32_t output_port_id = 0;
  uint32_t input_node_id = 0;
  uint32_t input_port_id = 0;
};

class GraphSnapshot {
 public:
  // Requires a connected loop. Each round trip is bounded by `timeout`.
  static absl::StatusOr<GraphSnapshot> Take(PipeWireLoop& loop,
                                            absl::Duration timeout = absl::Seconds(2));

  const std::vector<GraphNode>& nodes() const { return nodes_; }
  const std::vector<GraphPort>& ports() const { return ports_; }
  const std::vector<GraphLink>& links() const { return links_; }

  // The node named `name` (lowest id if several), or nullptr.
  const GraphNode* FindNode(const std::string& name) const;
  const GraphNode* FindNodeById(uint32_t id) const;
  // The node's ports in that direction, by ascending port id.
  std::vector<GraphPort> PortsOf(uint32_t node_id, PortDirection direction) const;
  // Names of the nodes that the output ports of `output_node_id` link to.
  std::set<std::string> LinkedInputNodes(uint32_t output_node_id) const;
  // Whether some node named `output_node_name` has a link into some node
  // named `input_node_name`.
  bool IsLinked(const std::string& output_node_name, const std::string& input_node_name) const;
  // How many links go from the node named `output_node_name` into the node
  // named `input_node_name` (the lowest ids of those names, as FindNode): 2
  // when both channels of a stereo pair are linked.
  int LinksBetween(const std::string& output_node_name, const std::string& input_node_name) const;

  // One line per node with its ports and links (for failure messages).
  std::string DebugString() const;

 private:
  std::vector<GraphNode> nodes_;
  std::vector<GraphPort> ports_;
  std::vector<GraphLink> links_;
};

// Polls `condition` every `poll` until it returns true (then returns true)
// or `timeout` passes (then returns false). `condition` runs on the calling
// thread, which must not be the loop thread if it takes snapshots.
bool WaitFor(const std::function<bool()>& condition, absl::Duration timeout,
             absl::Duration poll = absl::Milliseconds(10));

}  // namespace caraudio

#endif  // CARAUDIO_PIPEWIRE_BRIDGE_GRAPH_SNAPSHOT_H_
