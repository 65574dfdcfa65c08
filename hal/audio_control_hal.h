// AudioControlHal: the HAL role of CarAudioControl. It serves
// caraudio.v1.AudioControl (IAudioControl + IFocusListener + the gain
// callback, audiocontrol-hal.md §2, §10.2-10.3) to the car service and
// caraudio.v1.HalFocus (focus for vehicle sound sources, §10.4), and drives
// an AudioBackend with the duck, mute, balance and fade it is told. The
// contract is the one of audio_control.proto and hal_focus.proto; in short:
//
//  - One focus listener (RegisterFocusListener stream). It gets `registered`
//    first, then a replay of every active vehicle focus request (pitfall 5).
//    A new registration ends the previous stream with ABORTED; a cancelled
//    stream is unregistered only if it is still the current one. Without a
//    listener, vehicle requests are kept and replayed to the next one, and
//    the answers of the gone listener are forgotten.
//  - HoldFocus streams hold focus for (usage, zone) while open, ref-counted
//    per pair (pitfall 7): the first hold sends request_audio_focus to the
//    listener, the last one to close sends abandon_audio_focus. Each hold
//    gets the pair's current status at once (NONE before any answer), then
//    every OnAudioFocusChange of its pair. A LOSS ends every hold of the
//    pair with OK and forgets the pair without an abandon (the car service
//    already dropped it). LOSS never silences anything: vehicle sources keep
//    playing safety sounds regardless; ending the stream only tells the
//    holder that it must hold again to be requested anew.
//  - ReleaseFocus ends every hold of a pair with ABORTED and sends one
//    abandon (audioctl hal-abandon).
//  - The unary AudioControl RPCs are "oneway": they validate
//    (INVALID_ARGUMENT, nothing applied), post the work and return OK at
//    once. Duck and mute sets are kept per zone and the backend is called
//    only for actual changes. Balance and fade are clamped into [-1, 1].
//  - One gain callback (RegisterGainCallback) with the same replace rules.
//    No gain events are produced yet: the PipeWire bridge will produce them.
//  - SetSilencedApps is oneway too: the HAL keeps the whole set (so it
//    survives anything below it) and hands it to the backend when it
//    changes; the backend silences the apps' streams now and later.
//  - WatchStreamLevels streams: any number, each with its own period. Each
//    watch keeps its previous cumulative reading of every stream and reports
//    LevelBetween(previous, now) (pipewire-bridge/stream_level.h) every
//    interval, timed by the HAL's DeadlineTimer from the call (no drift);
//    the timestamp is the HAL's CLOCK_MONOTONIC when the levels were read.
//    A watch ends on cancel and on Shutdown (UNAVAILABLE).
//  - GetInterfaceInfo reports silenced_apps and stream_levels true with any
//    backend: the in-memory one records the set and has no streams, so its
//    reports are empty (audio_control.proto, InterfaceInfo).
//
// Threading: every piece of HAL state lives on one SerialExecutor owned by
// this object; the gRPC handlers only validate, post and return. The public
// methods are thread-safe, but Shutdown() and snapshot() wait for the
// executor and so must not be called from a task running on it.
//
// Access: every RPC of both services is for the car service and vehicle
// sound sources only (CallerAccess, Permission::kHal, docs/security.md);
// anyone else gets PERMISSION_DENIED before anything is validated or queued.
//
// Lifetime: `backend` and `access` are not owned and must outlive this object. Register
// both services with one grpc::Server; call Shutdown() before shutting the
// server down (open streams would otherwise hold Server::Shutdown until its
// deadline), and destroy this object only after the server has stopped.

#ifndef CARAUDIO_HAL_AUDIO_CONTROL_HAL_H_
#define CARAUDIO_HAL_AUDIO_CONTROL_HAL_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "caraudio/v1/audio_control.pb.h"
#include "caraudio/v1/hal_focus.pb.h"
#include "carservice/caller_access.h"
#include "carservice/serial_executor.h"
#include "carservice/stream_writer.h"
#include "hal/audio_backend.h"
#include "carservice/deadline_timer.h"
#include "hal/current_registration.h"
#include "hal/vehicle_focus_requests.h"
#include "pipewire-bridge/app_identity.h"
#include "pipewire-bridge/stream_level.h"
#include "zones/car_audio_config.h"

namespace caraudio {

class AudioControlHal {
 public:
  // A copy of the HAL state, for tests and dumps.
  struct Snapshot {
    // The current focus listener's registration id; 0 when none.
    uint64_t focus_listener_id = 0;
    // The name it registered with.
    std::string focus_listener_name;
    // The current gain callback's registration id; 0 when none.
    uint64_t gain_callback_id = 0;
    // One entry per (usage, zone) vehicle sources hold, ordered by zone, then usage.
    std::vector<VehicleFocusRequests::Active> vehicle_focus_requests;
    // One entry per open HoldFocus stream, in the order they opened.
    struct Hold {
      int32_t usage = 0;
      int32_t zone_id = 0;
      std::string source_name;
    };
    std::vector<Hold> holds;
    // Vehicle sounds playing (PlaySound), in start order.
    struct Sound {
      uint64_t sound_id = 0;
      int32_t usage = 0;
      int32_t zone_id = 0;
      std::string source_name;
      std::string device_address;
      std::vector<std::string> muted_addresses;
      bool holds_focus = false;
    };
    std::vector<Sound> sounds;
    // Addresses currently ducked / muted, per zone; zones with none are absent.
    std::map<int32_t, std::set<std::string>> ducked;
    std::map<int32_t, std::set<std::string>> muted;
    // Device gains in millibel, per zone and address, as last set.
    std::map<int32_t, std::map<std::string, int32_t>> gains_mb;
    // Last balance and fade, clamped.
    float balance = 0;
    float fade = 0;
    // The last SetSilencedApps set.
    std::set<AppIdentity> silenced_apps;
    // Open WatchStreamLevels streams.
    int stream_level_watches = 0;
  };

  // `zone_ids`: the zones of the car config; typed calls naming another zone
  // are INVALID_ARGUMENT. Device addresses are not checked.
  AudioControlHal(std::vector<int32_t> zone_ids, AudioBackend* backend,
                  const CallerAccess* access);
  // As above with the config's zones, and duck/mute addresses a zone does
  // not have are skipped (and logged) instead of reaching the backend.
  AudioControlHal(const CarAudioConfig& config, AudioBackend* backend,
                  const CallerAccess* access);
  ~AudioControlHal();  // Shutdown()

  AudioControlHal(const AudioControlHal&) = delete;
  AudioControlHal& operator=(const AudioControlHal&) = delete;

  // caraudio::v1::AudioControl::CallbackService.
  grpc::Service* audio_control_service();
  // caraudio::v1::HalFocus::CallbackService.
  grpc::Service* hal_focus_service();

  // Ends every open stream with UNAVAILABLE "shutting down"; later calls get
  // UNAVAILABLE. Idempotent.
  void Shutdown();

  // The state, copied on the executor after everything posted before.
  Snapshot snapshot();

  // Runs `then` on the executor after everything posted before; dropped
  // once shutting down. The daemon's watchdog probe: a stuck executor never
  // runs it.
  void Heartbeat(std::function<void()> then);

 private:
  class AudioControlHandlers;  // hal_grpc_handlers.h
  class HalFocusHandlers;      // hal_grpc_handlers.h

  // Posts to the executor until closed. Shared with stream cancel hooks,
  // which gRPC may run after the HAL is gone.
  class TaskGate {
   public:
    explicit TaskGate(SerialExecutor* executor) : executor_(executor) {}
    bool Post(std::function<void()> task) {
      std::lock_guard lock(mutex_);
      return executor_ != nullptr && executor_->Post(std::move(task));
    }
    void Close() {
      std::lock_guard lock(mutex_);
      executor_ = nullptr;
    }

   private:
    std::mutex mutex_;
    SerialExecutor* executor_ ABSL_GUARDED_BY(mutex_);
  };

  using FocusListenerStream = StreamWriter<v1::FocusListenerCall>;
  using GainCallbackStream = StreamWriter<v1::GainCallbackEvent>;
  using HoldStream = StreamWriter<v1::HalFocusStatus>;
  using LevelStream = StreamWriter<v1::StreamLevelsReport>;

  // An open HoldFocus stream, or the focus hold of a playing sound.
  struct Hold {
    int32_t usage = 0;
    int32_t zone_id = 0;
    std::string source_name;
    std::shared_ptr<HoldStream> stream;
    uint64_t sound_id = 0;  // a PlaySound's hold: a LOSS ends the hold, not the stream
  };

  // An open WatchStreamLevels stream.
  struct LevelWatch {
    std::shared_ptr<LevelStream> stream;
    absl::Duration interval;
    absl::Time next_report;
    uint64_t timer_id = 0;
    // Each stream's reading at the previous report (cycle peaks dropped:
    // LevelBetween needs only the counters), by node id.
    std::map<uint32_t, StreamMeterReading> previous;
  };

  // A vehicle sound started by PlaySound.
  struct PlayingSound {
    Snapshot::Sound info;
    uint64_t backend_id = 0;
    uint64_t hold_id = 0;  // 0 once the focus hold ended (LOSS, ReleaseFocus)
    uint64_t timer_id = 0;
    std::shared_ptr<HoldStream> stream;
  };

  AudioControlHal(std::set<int32_t> zone_ids,
                  std::optional<std::map<int32_t, std::set<std::string>>> zone_addresses,
                  std::optional<CarAudioConfig> config, AudioBackend* backend,
                  const CallerAccess* access);

  // For the handlers: queues `task` on the executor unless shutting down.
  // False when it was not queued (the call should end UNAVAILABLE).
  bool Post(std::function<void()> task);
  bool shutting_down() const { return shutting_down_.load(); }
  // OK when the caller of `context` may call `rpc` ("AudioControl.X").
  absl::Status CheckCaller(const grpc::ServerContextBase& context, absl::string_view rpc) const;
  const std::set<int32_t>& zone_ids() const { return zone_ids_; }
  // When `stream` is cancelled, runs `on_executor(stream)` on the executor,
  // if this HAL still exists then. Call before the stream goes to gRPC.
  template <typename Message, typename Handler>
  void OnStreamCancelled(const std::shared_ptr<StreamWriter<Message>>& stream,
                         Handler on_executor) {
    stream->set_on_cancel([gate = task_gate_, weak = std::weak_ptr(stream), on_executor] {
      gate->Post([weak, on_executor] { on_executor(weak); });
    });
  }

  // ---- On the executor only. ----
  void RegisterFocusListener(std::shared_ptr<FocusListenerStream> stream, std::string name);
  void UnregisterFocusListener(const std::weak_ptr<FocusListenerStream>& stream);
  // Sends to the current listener; a listener that no longer takes messages
  // is dropped.
  void SendToFocusListener(v1::FocusListenerCall call);
  // The listener is gone: forget it and the answers it gave.
  void DropFocusListener();

  void RegisterGainCallback(std::shared_ptr<GainCallbackStream> stream, std::string name);
  void UnregisterGainCallback(const std::weak_ptr<GainCallbackStream>& stream);

  void ApplyFocusChange(int32_t usage, int32_t zone_id, int32_t focus_change);
  void ApplyDucking(const v1::OnDevicesToDuckChangeRequest& request);
  void ApplyMuting(const v1::OnDevicesToMuteChangeRequest& request);
  void ApplyDeviceGains(const v1::SetAudioDeviceGainsRequest& request);
  void ApplySilencedApps(std::set<AppIdentity> apps);
  void ApplyBalance(float balance);
  void ApplyFade(float fade);
  // Adds or removes `address` in `zone_id`'s set of `sets`; true when that
  // changed something (so the backend must be told; the change is logged as
  // `what` zone N "address"). Unknown addresses are skipped.
  bool UpdateAddressSet(std::map<int32_t, std::set<std::string>>& sets, int32_t zone_id,
                        const std::string& address, bool member, const char* what);

  void StartHold(std::shared_ptr<HoldStream> stream, const v1::HoldFocusRequest& request);
  void EndHold(const std::weak_ptr<HoldStream>& stream);
  // Removes the hold; the pair's last hold sends the abandon.
  void ReleaseHold(uint64_t hold_id);
  // Ends every hold of the pair with `status` and forgets the pair. Returns
  // how many holds there were.
  int EndHoldsOfPair(int32_t usage, int32_t zone_id, const grpc::Status& status);
  std::vector<uint64_t> HoldIdsOfPair(int32_t usage, int32_t zone_id) const;
  int ReleasePair(int32_t usage, int32_t zone_id);

  void StartSound(std::shared_ptr<HoldStream> stream, const v1::PlaySoundRequest& request);
  // Ends the sound: stops it, releases its mutes and its hold; `finished`
  // (its time is up) also sends the last status and ends the stream OK.
  void EndSound(uint64_t sound_id, bool finished);
  void EndSoundOfStream(const std::weak_ptr<HoldStream>& stream);
  // Stops the sound's timer and audio and releases its mutes; the hold and
  // the stream are the caller's.
  void StopPlayingSound(const PlayingSound& sound);
  void ReleaseSoundMutes(const Snapshot::Sound& sound);
  v1::HalFocusStatus SoundStatus(const PlayingSound& sound, int32_t focus_change,
                                 bool playing) const;

  void StartLevelWatch(std::shared_ptr<LevelStream> stream, absl::Duration interval);
  void EndLevelWatch(const std::weak_ptr<LevelStream>& stream);
  // Sends the watch's report for the period that just ended and schedules
  // the next one; a stream that takes no more messages ends the watch.
  void ReportLevels(uint64_t watch_id);
  void ScheduleLevelReport(uint64_t watch_id, LevelWatch& watch);
  // Every stream's reading now, with counters only, by node id.
  std::map<uint32_t, StreamMeterReading> LevelBaseline();

  void StopOnExecutor();
  Snapshot SnapshotOnExecutor() const;

  // Immutable after construction.
  const std::set<int32_t> zone_ids_;
  // Device addresses per zone; nullopt when addresses are not checked.
  const std::optional<std::map<int32_t, std::set<std::string>>> zone_addresses_;
  // The car config (routing of sounds); nullopt for the zone-ids constructor.
  const std::optional<CarAudioConfig> config_;
  AudioBackend* const backend_;
  const CallerAccess* const access_;

  std::atomic<bool> shutting_down_{false};

  // State owned by the executor.
  bool stopped_ = false;
  CurrentRegistration<v1::FocusListenerCall> focus_listener_;
  CurrentRegistration<v1::GainCallbackEvent> gain_callback_;
  VehicleFocusRequests vehicle_focus_requests_;
  std::map<uint64_t, Hold> holds_;  // by hold id, increasing from 1
  uint64_t last_hold_id_ = 0;
  std::map<uint64_t, PlayingSound> sounds_;  // by the HAL's sound id
  uint64_t last_sound_id_ = 0;
  std::map<int32_t, std::set<std::string>> ducked_;
  std::map<int32_t, std::set<std::string>> muted_;
  std::map<int32_t, std::map<std::string, int32_t>> gains_mb_;
  float balance_ = 0;
  float fade_ = 0;
  std::set<AppIdentity> silenced_apps_;
  std::map<uint64_t, LevelWatch> level_watches_;  // by watch id, increasing from 1
  uint64_t last_level_watch_id_ = 0;

  std::unique_ptr<AudioControlHandlers> audio_control_handlers_;
  std::unique_ptr<HalFocusHandlers> hal_focus_handlers_;
  // Closed by the destructor.
  std::shared_ptr<TaskGate> task_gate_;
  // Ends sounds on time by posting through task_gate_.
  DeadlineTimer timer_;
  // Declared last: destroyed first, running every queued task while the
  // state above still exists.
  SerialExecutor executor_;
};

}  // namespace caraudio

#endif  // CARAUDIO_HAL_AUDIO_CONTROL_HAL_H_
