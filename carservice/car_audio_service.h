// CarAudioService: the car audio service's gRPC face — the AudioFocus service
// apps and the RSE controller use, the CarAudioAdmin service, and the
// IFocusListener side of the AudioControl HAL (through a HalLink).
//
// Handlers are thin: they validate and translate at the edge, then post to
// one SerialExecutor where the CarAudioCore lives; every effect the core
// reports is dispatched from there, in order, to app streams, to the HAL and
// to event watchers. So the policy never sees a lock and the event log is a
// faithful, replayable sequence.
//
// Who may call what is decided at the edge too, from the caller's
// connection (CallerAccess, docs/security.md): an app is confined to its own
// uid and zone, CarAudioAdmin's writes need the admin permission; failures
// are PERMISSION_DENIED and change nothing.
//
// Focus lives as long as its RequestFocus stream: when the client cancels or
// its process dies, the entry is abandoned as soon as gRPC notices.
//
// Admission control: a RequestFocus arriving while `max_queued_operations`
// operations already wait on the executor is refused at once with
// RESOURCE_EXHAUSTED (nothing changes; the client may retry). Requests are
// what clients can add without bound (each may close at once and ask
// again); everything else queued is bounded by the streams admitted, and
// abandons, stream closes and HAL calls are never refused, so admitted
// state can always be cleaned up.
//
// Thread-safe. Shutdown() (or destruction) ends every stream.

#ifndef CARAUDIO_CARSERVICE_CAR_AUDIO_SERVICE_H_
#define CARAUDIO_CARSERVICE_CAR_AUDIO_SERVICE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "caraudio/v1/admin.grpc.pb.h"
#include "caraudio/v1/audio_focus.grpc.pb.h"
#include "carservice/caller_access.h"
#include "carservice/car_audio_core.h"
#include "carservice/compliance_audit.h"
#include "carservice/deadline_timer.h"
#include "carservice/grpc_status.h"
#include "carservice/hal_link.h"
#include "carservice/serial_executor.h"
#include "carservice/stream_writer.h"

namespace caraudio {

class CarAudioService {
 public:
  // `access` must outlive this object.
  static constexpr size_t kDefaultMaxQueuedOperations = 1024;

  CarAudioService(std::unique_ptr<CarAudioCore> core, const CallerAccess* access,
                  AuditSettings audit = {},
                  size_t max_queued_operations = kDefaultMaxQueuedOperations);
  ~CarAudioService();

  CarAudioService(const CarAudioService&) = delete;
  CarAudioService& operator=(const CarAudioService&) = delete;

  grpc::Service* audio_focus_service();
  grpc::Service* admin_service();

  // Registers the focus listener with the HAL behind `channel` and keeps it
  // registered. Call at most once, after the server is serving.
  void ConnectHal(std::shared_ptr<grpc::Channel> channel);

  // Stops the HAL link and ends every stream with UNAVAILABLE.
  void Shutdown();

  // For the daemon's supervision (car_audio_service_supervision.cc).
  struct Health {
    int zones = 0;
    int focus_clients = 0;   // open RequestFocus streams
    int event_watchers = 0;  // open WatchEvents streams
    bool hal_registered = false;  // the focus listener is registered with the HAL
  };
  // Runs `report` on the executor, after every task queued before it: a
  // stuck executor never reports (the watchdog relies on that). Dropped
  // once shutdown has begun.
  void CheckHealth(std::function<void(const Health&)> report);

  struct ReloadResult {
    std::vector<int32_t> zone_ids;  // after the reload, in file order
    std::vector<int32_t> removed_zone_ids;
    std::vector<int32_t> added_zone_ids;
    int clients_lost = 0;  // app focus entries of removed zones, told LOSS
  };
  // Applies a reloaded config (CarAudioCore::Reload) on the executor,
  // publishes a config_reloaded event carrying `path` and the file's text
  // `xml`, dispatches the effects (clients of removed zones get LOSS and
  // their streams end; ducking and muting go to the HAL) and resends every
  // device gain. Then calls `done`, on the executor, with the outcome; an
  // error means nothing changed.
  void ReloadConfig(CarAudioConfig config, std::string path, std::string xml,
                    std::function<void(absl::StatusOr<ReloadResult>)> done);

 private:
  class AudioFocusHandlers;
  class AdminHandlers;
  using FocusStream = StreamWriter<v1::FocusEvent>;
  using EventStream = StreamWriter<v1::Event>;
  using StreamKey = std::pair<int32_t, std::string>;  // (zone, client id)

  // OK, or RESOURCE_EXHAUSTED when max_queued_operations_ wait on the
  // executor (any thread).
  absl::Status AdmitRequest() const;

  // Everything below runs on executor_.
  void HandleRequest(const FocusRequest& request, const std::shared_ptr<FocusStream>& stream);
  void HandleStreamClosed(const std::string& client_id, const FocusStream* stream);
  void HandleAbandon(const std::string& client_id, std::optional<int32_t> zone_id,
                     v1::AbandonReason reason);
  void HandleHalRequest(const v1::RequestAudioFocusCall& call);
  void HandleHalAbandon(const v1::AbandonAudioFocusCall& call);
  void HandleHalRegistered(uint64_t registration_id);
  void HandleHalLost();
  absl::StatusOr<ReloadResult> HandleReload(CarAudioConfig config, const std::string& path,
                                            const std::string& xml);
  // Delivers a core output: app callbacks (and stream moves), then the HAL's
  // focus reports, ducking and muting. Dispatch() does both halves;
  // HandleRequest splits them so the requester's result goes out before the
  // HAL calls, which only the vehicle side waits for.
  void Dispatch(CoreOutput output);
  void DispatchAppCallbacks(CoreOutput& output);
  void DispatchToHal(const CoreOutput& output);
  // Tells the HAL the gain of every device of `groups`.
  void SendDeviceGains(const std::vector<VolumeGroupState>& groups);
  void Publish(v1::Event event);
  // Logs and publishes the hardening decisions in `output`.
  void PublishHardening(const CoreOutput& output);
  void PublishAbandon(const std::string& client_id, std::optional<int32_t> zone_id,
                      v1::AbandonReason reason);
  v1::FocusEvent NewFocusEvent() const;
  // App lifecycle time: publishes transitions, and keeps one timer armed at
  // the lifecycle model's next deadline so they fire without a report.
  void PublishTransitions(const std::vector<LifecycleTransition>& transitions);
  void ScheduleLifecycleTimer();
  void HandleLifecycleDeadline();

  // The compliance audit sees every focus operation: the stacks after it
  // and the callbacks it dispatched; new findings are logged and published.
  void ObserveFocus();
  void PublishFindings();
  // GetState's answer: the core's state, the event sequence it includes and
  // the silenced apps.
  v1::CarAudioState StateSnapshot() const;
  // A level report from the HAL: the audit judges it, and apps with new
  // streams get their hardening decision.
  void HandleStreamLevels(const v1::StreamLevelsReport& report);
  void HandleLevelsLost();
  // Recomputes which apps hardening silences; tells the HAL when the set
  // changed (or always, with `resend`).
  void UpdateSilencing(bool resend = false);

  std::unique_ptr<CarAudioCore> core_;
  const CallerAccess* const access_;
  const size_t max_queued_operations_;
  std::unique_ptr<AudioFocusHandlers> audio_focus_handlers_;
  std::unique_ptr<AdminHandlers> admin_handlers_;

  // Owned by the executor's thread.
  std::map<StreamKey, std::shared_ptr<FocusStream>> focus_streams_;
  std::vector<std::shared_ptr<EventStream>> event_streams_;
  uint64_t event_sequence_ = 0;
  ComplianceAudit audit_;
  v1::StreamLevelsReport last_levels_;
  // The zones each app's streams play in, from the last level report.
  std::map<AppKey, std::set<int32_t>> stream_zones_;
  std::set<AppKey> silenced_apps_;
  bool shut_down_ = false;
  bool hal_registered_ = false;
  std::optional<absl::Time> lifecycle_timer_at_;
  uint64_t lifecycle_timer_id_ = 0;

  std::unique_ptr<HalLink> hal_link_;
  SerialExecutor executor_;  // joined before the state it touches goes
  // After the executor: destroyed (its thread joined) first. Executor tasks
  // stop arming it once shut_down_ is set.
  DeadlineTimer lifecycle_timer_;
};

// Monotonic nanoseconds for event timestamps.
int64_t MonotonicNanos();
// The monotonic time of `wall_time` (an absl::Now() reading of the past or
// the future), for the policy's wall-clock times in events.
int64_t MonotonicNanosAt(absl::Time wall_time);

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_CAR_AUDIO_SERVICE_H_
