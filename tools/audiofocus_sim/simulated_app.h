// SimulatedApp: one app of a scenario, for real. It is a gRPC client of
// AudioFocus (each focus request is a RequestFocus stream of its own) and
// plays a sine at its own frequency on a PipeWire stream that carries the
// properties the bridge routes on:
//
//   caraudio.usage      the app's usage ("USAGE_MEDIA")
//   caraudio.zone-id    the app's zone
//   caraudio.client-id  its (first) focus client id, the package name
//   caraudio.package    its package name
//   caraudio.uid        its uid
//
// The stream exists for the whole run, silent until the app plays: its
// player's start, pause, 35 % duck, restore and stop are gain changes of
// that one stream (TonePlayer::set_gain), so routing is settled before the
// timeline starts and never delays a step.
//
// What the app does is decided by its AppBehaviour (app_behaviour.h); this
// class performs the actions, prints them (TimelineLog) and remembers what the
// app received, for the expectations:
//   last_result()  the answer to the app's latest request, once it came (a
//                  newer request forgets the older answer);
//   last_change()  the latest focus_change of any of its requests.
//
// Threading: every method runs on the runner's thread. Stream events arrive
// on the streams' own threads and are handed to the AppEnvironment, which
// queues them and calls OnFocusEvent / OnStreamEnd back on the runner's
// thread.

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SIMULATED_APP_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SIMULATED_APP_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caraudio/sim/v1/scenario.pb.h"
#include "caraudio/v1/audio_focus.grpc.pb.h"
#include "pipewire-bridge/pipewire_loop.h"
#include "pipewire-bridge/stream_routing.h"
#include "pipewire-bridge/tone_player.h"
#include "tools/audiofocus_sim/app_behaviour.h"
#include "tools/audiofocus_sim/stream_call.h"
#include "tools/audiofocus_sim/timeline_log.h"
#include "zones/car_audio_config.h"

namespace caraudio::sim {

// The amplitude of every app's sine at full volume: -9.03 dBFS RMS, so two
// apps on one device still sum below full scale.
inline constexpr double kToneAmplitude = 0.5;

// What a SimulatedApp needs from the run around it (the ScenarioRunner).
class AppEnvironment {
 public:
  using Clock = std::chrono::steady_clock;

  virtual ~AppEnvironment() = default;
  virtual caraudio::v1::AudioFocus::Stub& focus() = 0;
  // A context for one unary call, with the run's deadline.
  virtual std::unique_ptr<grpc::ClientContext> UnaryContext() = 0;
  // Called on a stream's reader thread: queue only. The runner calls
  // SimulatedApp::OnFocusEvent / OnStreamEnd with these later.
  virtual void QueueFocusEvent(int app, uint64_t stream, caraudio::v1::FocusEvent event) = 0;
  virtual void QueueStreamEnd(int app, uint64_t stream, grpc::Status status) = 0;
  // Feed PlaybackFinishedInput{generation} to app `app` after `after`.
  virtual void ScheduleEnd(int app, absl::Duration after, uint64_t generation) = 0;
  virtual TimelineLog& log() = 0;
};

class SimulatedApp {
 public:
  using Clock = std::chrono::steady_clock;

  // A value the app received and when.
  template <typename T>
  struct Received {
    T value;
    std::string client_id;
    Clock::time_point at;
  };

  // The properties of the app's stream (above) when it plays in `zone`.
  static PipeWireProperties StreamProperties(const v1::App& app, int32_t zone);
  // The device the bridge routes that stream to, e.g. "bus0_media_out".
  static absl::StatusOr<std::string> DeviceOf(const v1::App& app, int32_t zone,
                                              const CarAudioConfig& car);

  // Starts the app's silent stream on `loop` and waits (at most
  // `route_timeout`) until the bridge has linked it to its device.
  // Unavailable when it is not linked in time (no bridge on this PipeWire,
  // or another car config).
  static absl::StatusOr<std::unique_ptr<SimulatedApp>> Create(
      int index, const v1::App& app, int32_t zone, const CarAudioConfig& car, PipeWireLoop& loop,
      AppEnvironment& environment, absl::Duration route_timeout);
  ~SimulatedApp();
  SimulatedApp(const SimulatedApp&) = delete;
  SimulatedApp& operator=(const SimulatedApp&) = delete;

  // Feeds `input` to the behaviour and performs the resulting actions. The
  // first failed RPC's status (the other actions still run); OK otherwise.
  // Errors are returned, not printed.
  absl::Status Handle(const AppInput& input);
  // An event of the app's stream `stream`, received at `at`.
  absl::Status OnFocusEvent(uint64_t stream, const caraudio::v1::FocusEvent& event,
                            Clock::time_point at);
  // Stream `stream` ended; its status when that is an error (not OK, not
  // CANCELLED), which is also printed.
  absl::Status OnStreamEnd(uint64_t stream, const grpc::Status& status);
  // The run is over: cancel every stream (which abandons its request) and
  // silence the tone.
  void Shutdown();

  const std::optional<Received<caraudio::v1::RequestResult>>& last_result() const {
    return last_result_;
  }
  const std::optional<Received<caraudio::v1::FocusChange>>& last_change() const {
    return last_change_;
  }

  const v1::App& config() const { return config_; }
  const std::string& package_name() const { return config_.package_name(); }
  int32_t zone() const { return zone_; }
  // The device the bridge routes the app's stream to, e.g. "bus0_media_out".
  const std::string& device_address() const { return device_address_; }
  const std::string& stream_node_name() const { return node_name_; }

 private:
  struct Stream {
    std::string client_id;
    std::unique_ptr<StreamCall<caraudio::v1::FocusEvent>> call;
  };

  // Lets Create() use std::make_unique with a constructor nobody else can call.
  struct PrivateTag {};

 public:
  SimulatedApp(PrivateTag, int index, const v1::App& app, int32_t zone, const CarAudioConfig& car,
               AppEnvironment& environment);

 private:
  absl::Status Perform(const AppAction& action);
  void RequestFocus(const std::string& client_id);
  absl::Status AbandonFocus(const std::string& client_id);
  absl::Status ChangeOwnVolume();
  void SetTone(double gain, absl::string_view what);
  void Log(absl::string_view text);
  void LogFrom(const std::string& client_id, Clock::time_point at, absl::string_view text);

  const int index_;
  const v1::App config_;
  const int32_t zone_;
  const CarAudioConfig& car_;
  AppEnvironment& environment_;
  std::string node_name_;
  std::string device_address_;

  AppBehaviour behaviour_;
  // Open RequestFocus streams by the run's stream number. A stream stays
  // until the service ends it (abandoned, replaced, LOSS, FAILED), so a
  // re-request never cancels the stream it replaces.
  std::map<uint64_t, Stream> streams_;
  uint64_t next_stream_ = 1;
  // The client id of the latest request, and whether its answer came.
  std::string latest_request_client_;
  uint64_t latest_request_stream_ = 0;
  std::optional<Received<caraudio::v1::RequestResult>> last_result_;
  std::optional<Received<caraudio::v1::FocusChange>> last_change_;

  // Last, so destroyed first: the app's sound stops before its focus
  // streams are cancelled.
  std::unique_ptr<TonePlayer> tone_;
};

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SIMULATED_APP_H_
