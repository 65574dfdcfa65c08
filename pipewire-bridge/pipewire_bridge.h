// PipeWireBridge: makes focus decisions audible. For every zone × device
// address of the car config it owns a DeviceFilter node (named after the
// address) whose output feeds the device's real output — the sink named in
// the config, or else a bridge-owned null sink "<address>.out" — and it links
// every app stream to the device its zone routes the stream's usage to
// (stream_routing.h): the bridge is the linker for these streams, no session
// manager is involved.
//
// Gains are per device: volume (from the volume group's gain in millibel),
// duck and mute (each ramped in the filter; see device_filter.h). Mute has
// two independent sources — the car service's mute set and the HAL's own
// vehicle sounds — and the device is muted while either holds it.
//
// Per-app silencing (SetSilencedApps): a routed stream whose app
// (caraudio.package and caraudio.uid, stream_routing.h) is in the set is
// silenced at its own node: the bridge sets SPA_PARAM_Props {mute: true} on
// the stream's node (pw_node_set_param on the bound node proxy, the way
// pipewire-pulse mutes a sink-input) and {mute: false} when the app leaves
// the set. The stream stays linked and running and outputs zeros; the app
// sees no error. Measured on 0.3.65: the mute is exact digital silence. A
// new stream of a silenced app is linked only after its node reports (Props
// subscription) that the app's process applied the mute, so even an app
// too slow to handle the request at once is silent from its first buffer
// at the device. The set is the bridge's own, so it also covers streams that
// appear later and those re-created after a PipeWire restart. A stream is
// routed only once its bound node reported its full properties (the
// registry carries no caraudio.* keys), so its app is known before it is
// linked. Limits: the app itself (or another client) can set its Props
// again; un-silencing sets mute false whatever the app had set before.
//
// Levels (StreamLevels): every routed stream's output ports also feed a slot
// of a bridge-owned StreamMeter node (stream_meter.h): peak and RMS of what
// the stream plays, after silencing and before the device's gains. Readings
// are cumulative (stream_level.h), so any number of consumers with any
// periods each difference their own. Meter links are not device inputs: the
// link health check and RoutedStream::links ignore them.
//
// Robustness: if the daemon goes away the bridge tears its objects down,
// reconnects with backoff (BridgeOptions) and recreates nodes, links and the
// current gains (without a ramp) as soon as it is back. Setters work while
// disconnected; the state is applied on reconnect.
//
// Threading: every PipeWire call runs on the bridge's own thread loop; public
// methods are thread-safe and never wait for the daemon (they take the loop
// lock briefly), except Start() and WaitApplied().

#ifndef CARAUDIO_PIPEWIRE_BRIDGE_PIPEWIRE_BRIDGE_H_
#define CARAUDIO_PIPEWIRE_BRIDGE_PIPEWIRE_BRIDGE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pipewire-bridge/app_identity.h"
#include "pipewire-bridge/bridge_options.h"
#include "pipewire-bridge/device_filter.h"
#include "pipewire-bridge/pipewire_loop.h"
#include "pipewire-bridge/stream_level.h"
#include "pipewire-bridge/stream_meter.h"
#include "pipewire-bridge/stream_routing.h"
#include "pipewire-bridge/tone_player.h"
#include "zones/car_audio_config.h"

namespace caraudio {

enum class MuteSource { kCarService, kVehicleSound };

// One routed app stream, as the bridge sees it.
struct RoutedStream {
  uint32_t node_id = 0;
  std::string node_name;
  StreamRoute route;
  int links = 0;  // links the bridge holds from this stream to its device
  bool silenced = false;  // its app is in the SetSilencedApps set
};

struct DeviceStatus {
  int32_t zone_id = 0;
  std::string address;
  DeviceGainTargets targets;
  DeviceGainReport report;
  bool node_present = false;
  uint32_t node_id = 0;
};

class PipeWireBridge {
 public:
  // Starts the loop and connects; when no daemon answers it keeps retrying in
  // the background (Start still succeeds: the service must not depend on
  // audio being up). Errors only for a bad config or options.
  static absl::StatusOr<std::unique_ptr<PipeWireBridge>> Start(const CarAudioConfig& config,
                                                               BridgeOptions options);
  ~PipeWireBridge();
  PipeWireBridge(const PipeWireBridge&) = delete;
  PipeWireBridge& operator=(const PipeWireBridge&) = delete;

  // Device setters. NotFound for an address the zone does not have.
  absl::Status SetDucked(int32_t zone_id, const std::string& address, bool ducked);
  absl::Status SetMuted(int32_t zone_id, const std::string& address, MuteSource source,
                        bool muted);
  absl::Status SetVolumeMillibel(int32_t zone_id, const std::string& address, int32_t gain_mb);

  // Plays a generated vehicle sound as a stream routed like an app stream of
  // `usage` in `zone_id` (so into the zone's device for that usage). Returns
  // its id for StopSound; it stops by itself after `duration`.
  absl::StatusOr<uint64_t> PlaySound(int32_t zone_id, int32_t usage, TonePlayer::Waveform waveform,
                                     absl::Duration duration, double amplitude = 0.5);
  void StopSound(uint64_t id);
  bool SoundFinished(uint64_t id) const;

  // The generation of `address`'s last target change and when the filter
  // applied it; WaitApplied blocks until generation `at_least` is applied.
  std::optional<DeviceStatus> Device(int32_t zone_id, const std::string& address) const;
  std::vector<DeviceStatus> Devices() const;
  // Routed app streams, by node id.
  std::vector<RoutedStream> Streams() const;

  // The apps whose streams are kept silent: the whole set, replacing the
  // previous one. InvalidArgument, with nothing changed, for an empty
  // package name or a negative uid.
  absl::Status SetSilencedApps(std::set<AppIdentity> apps);
  std::set<AppIdentity> silenced_apps() const;
  // Every routed app stream with its cumulative meter reading, by node id.
  // A stream whose meter links are not made yet reads 0 frames.
  std::vector<MeteredStream> StreamLevels() const;
  absl::Status WaitApplied(int32_t zone_id, const std::string& address, uint64_t generation,
                           absl::Duration timeout) const;
  bool connected() const;
  // Number of successful (re)connections; 1 after the first.
  uint64_t connections() const;

 private:
  struct ManagedDevice;
  struct Graph;
  struct Sound;

  explicit PipeWireBridge(BridgeOptions options);
  ManagedDevice* FindDevice(int32_t zone_id, const std::string& address) const;
  uint64_t Apply(ManagedDevice& device);

  // Loop thread only.
  void TryConnect();
  void OnConnected();
  void OnDisconnected();
  void ScheduleReconnect();
  void Reconcile();
  void BindNode(uint32_t id);
  // Sends Props mute to a routed stream's node when it differs from what
  // the bridge last sent it.
  void SetStreamSilenced(uint32_t node_id, bool silenced);
  // The meter slot of a routed stream, claiming one (and creating a meter
  // when all are taken) the first time; false when none can be had.
  bool EnsureMeterSlot(uint32_t node_id);
  static void OnReconnectTimer(void* data, uint64_t expirations);
  static void OnReconcileEvent(void* data, uint64_t count);
  void CheckLinks();
  static void OnLinkCheckTimer(void* data, uint64_t expirations);

  CarAudioConfig config_;
  const BridgeOptions options_;
  std::unique_ptr<PipeWireLoop> loop_;
  // Guarded by the loop lock.
  std::vector<std::unique_ptr<ManagedDevice>> devices_;
  std::unique_ptr<Graph> graph_;
  std::map<uint64_t, std::unique_ptr<Sound>> sounds_;
  std::set<AppIdentity> silenced_apps_;
  // Stream meters of the current connection (slots assigned in graph_).
  std::vector<std::unique_ptr<StreamMeter>> meters_;
  uint64_t last_meter_serial_ = 0;
  uint64_t next_sound_id_ = 1;
  uint64_t connections_ = 0;
  absl::Duration backoff_;
  spa_source* reconnect_timer_ = nullptr;
  spa_source* reconcile_event_ = nullptr;
  spa_source* link_check_timer_ = nullptr;
  bool stopping_ = false;
};

}  // namespace caraudio

#endif  // CARAUDIO_PIPEWIRE_BRIDGE_PIPEWIRE_BRIDGE_H_
