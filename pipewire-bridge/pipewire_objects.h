// RAII handles for PipeWire objects that tests and tools (audiofocus-sim)
// create in the daemon: any proxy (OwnedProxy), null sinks
// (CreateNullAudioSink) and channel-by-channel links (LinkChannels).
//
// Every handle destroys its object under the loop lock, so it can be dropped
// from any thread but the loop's. If the loop's connection drops first,
// PipeWire destroys the proxies itself; the handles notice (proxy `destroy`
// event) and then do nothing. Destroy handles before their PipeWireLoop.

#ifndef CARAUDIO_PIPEWIRE_BRIDGE_PIPEWIRE_OBJECTS_H_
#define CARAUDIO_PIPEWIRE_BRIDGE_PIPEWIRE_OBJECTS_H_

#include <pipewire/pipewire.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pipewire-bridge/pipewire_loop.h"

namespace caraudio {

// Owns one pw_proxy (a bound global, a registry, or an object created with
// pw_core_create_object) and tracks its `bound`, `error` and `destroy`
// events. Accessors other than Wait*() need the loop lock.
class OwnedProxy {
 public:
  // Takes ownership of `proxy` (not null). Call with the loop lock held.
  OwnedProxy(PipeWireLoop& loop, pw_proxy* proxy);
  // Destroys the proxy under the loop lock unless PipeWire already did.
  ~OwnedProxy();
  OwnedProxy(const OwnedProxy&) = delete;
  OwnedProxy& operator=(const OwnedProxy&) = delete;

  // Null once the proxy is gone.
  pw_proxy* get() const { return proxy_; }
  // The global id from the `bound` event; SPA_ID_INVALID before.
  uint32_t bound_id() const { return bound_id_; }
  // The daemon's error for this object (e.g. a failed create_object); empty
  // if none.
  const std::string& error() const { return error_; }
  // The slot for the one interface listener (pw_registry_add_listener,
  // pw_node_add_listener, ...). It is removed together with the proxy.
  spa_hook* object_listener() { return &object_listener_; }

  // Waits (not on the loop thread) until the object is bound, failed or
  // gone, at most `timeout`. OK only when bound.
  absl::Status WaitBound(absl::Duration timeout);

 private:
  static void OnBound(void* data, uint32_t global_id);
  static void OnError(void* data, int seq, int res, const char* message);
  static void OnDestroy(void* data);

  PipeWireLoop& loop_;
  pw_proxy* proxy_;
  spa_hook proxy_listener_{};
  spa_hook object_listener_{};
  uint32_t bound_id_ = SPA_ID_INVALID;
  std::string error_;
};

// pw_core_create_object(factory) with `properties`, waiting until the new
// global is bound. `type`/`version`: e.g. PW_TYPE_INTERFACE_Node,
// PW_VERSION_NODE.
absl::StatusOr<std::unique_ptr<OwnedProxy>> CreateRemoteObject(
    PipeWireLoop& loop, const std::string& factory, const char* type, uint32_t version,
    const PipeWireProperties& properties, absl::Duration timeout = absl::Seconds(3));

// A null sink like the zone sinks: support.null-audio-sink through the
// adapter factory, Audio/Sink, [ FL FR ], DSP ports playback_FL/FR (input)
// and monitor_FL/FR (output), monitor.channel-volumes=true (the monitor taps
// the signal after the volume stage, so ducking shows in recordings) and
// object.linger=false (it dies with the handle or the connection).
// `extra_properties` are added last and override. The sink drives its own
// graph in real time (node.driver=true).
absl::StatusOr<std::unique_ptr<OwnedProxy>> CreateNullAudioSink(
    PipeWireLoop& loop, const std::string& node_name,
    const PipeWireProperties& extra_properties = {}, absl::Duration timeout = absl::Seconds(3));

// A set of links made with link-factory (object.linger=false); destroying it
// removes the links.
class ChannelLinks {
 public:
  explicit ChannelLinks(std::vector<std::unique_ptr<OwnedProxy>> links);
  // Global ids of the links, in channel order.
  const std::vector<uint32_t>& link_ids() const { return link_ids_; }

 private:
  std::vector<std::unique_ptr<OwnedProxy>> links_;
  std::vector<uint32_t> link_ids_;
};

// Links, for each of `channels` (audio.channel, e.g. FL then FR), the output
// port of node `output_node_id` whose port.name starts with
// `output_port_prefix` to the matching input port of node `input_node_id`
// whose name starts with `input_port_prefix`. Waits (polling GraphSnapshot,
// at most `timeout`) until all those ports exist, then until every link is
// bound. Prefixes: "output_" (streams, filters), "monitor_" (a sink's
// monitor), "playback_" (a sink's input), "input_" (capture streams). Ports
// without audio.channel match on the name's suffix after the prefix.
absl::StatusOr<std::unique_ptr<ChannelLinks>> LinkChannels(
    PipeWireLoop& loop, uint32_t output_node_id, const std::string& output_port_prefix,
    uint32_t input_node_id, const std::string& input_port_prefix,
    const std::vector<std::string>& channels = {"FL", "FR"},
    absl::Duration timeout = absl::Seconds(3));

// The same, naming the nodes by node.name (waits for them to appear too).
absl::StatusOr<std::unique_ptr<ChannelLinks>> LinkChannelsByName(
    PipeWireLoop& loop, const std::string& output_node_name, const std::string& output_port_prefix,
    const std::string& input_node_name, const std::string& input_port_prefix,
    const std::vector<std::string>& channels = {"FL", "FR"},
    absl::Duration timeout = absl::Seconds(3));

}  // namespace caraudio

#endif  // CARAUDIO_PIPEWIRE_BRIDGE_PIPEWIRE_OBJECTS_H_
