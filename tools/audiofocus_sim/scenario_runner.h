// ScenarioRunner: runs one validated scenario against a live audiocontrold
// and the PipeWire daemon it plays on, in real time, and judges its expect
// steps (expectation_check.h).
//
// Set-up (Create), before the timeline's clock starts:
//   1. connects a PipeWireLoop to the PipeWire of $PIPEWIRE_RUNTIME_DIR /
//      $XDG_RUNTIME_DIR (the daemon's, so run both in one environment);
//   2. starts a DeviceCapture on every device an app plays into, a hal_chime
//      sounds on or an expect_device_audible names (the bridge's device node
//      named after the address), in the car's order of devices;
//   3. creates every SimulatedApp: its silent stream, linked by the bridge;
//   4. reports every app's initial lifecycle (lifecycle_reports.h). A
//      foreground service the service says already runs (a previous run's)
//      is stopped and started again;
//   5. with `show_events`, subscribes to CarAudioAdmin.WatchEvents.
// Errors there mean the environment is not usable (exit code 3).
//
// The timeline (Run) is executed on the calling thread, an event loop: each
// step runs at its at_ms after the start (steps with the same at_ms in file
// order, late when the loop is late — the printed time is the real one); the
// apps' focus events are queued by their streams' threads with their arrival
// time, and every event that arrived at or before a step's time is handled
// before the step; playback durations end on timers (a timer due with a
// step goes first). The run ends after the last step: timers still pending
// are dropped, every app's streams are cancelled (which abandons their
// requests), its tone silenced and its final lifecycle reported.
//
// Steps: app_play / app_stop feed the app; lifecycle calls
// CarAudioAdmin.ReportAppState; hal_chime holds a HalFocus.PlaySound stream
// (tone "chime") on the HAL's channel while it sounds; set_hardening calls
// SetHardeningMode; set_group_volume calls AudioFocus.SetGroupVolume as the
// user (no package); set_nav_during_call calls
// SetNavigationRejectedDuringCall; stop_car_service / continue_car_service
// send SIGSTOP / SIGCONT to `carservice_pid` (the run sends SIGCONT itself
// if it ends with the car service stopped). A failed call is printed as
// ERROR and counted; UNAVAILABLE from any call or stream means the daemon
// went away and ends the run.
//
// Output besides the steps and the apps' lines: with `print_levels`, one
// line per step time, before its steps, with every recorded device's level
// (device_levels.h); with `show_events`, the service's events that
// service_events.h selects, printed when they arrive.
//
// Repeated checks: a check that does not hold is checked again,
// kCheckRetryInterval later, up to kCheckAttempts attempts in all, and
// fails only if none holds — except expect_no_findings (a finding never goes
// away). On a loaded machine the graph drops cycles and stalls: a gap in a
// tone lowers its level and spreads energy next to it, which one 100 ms
// window cannot tell from a real change, and a focus event or audit finding
// can arrive a few hundred ms late. An audio check's repeat also waits (at
// most 1 s) until the graph has played a whole new window since the last
// measurement, so a stalled graph is not judged twice on the same audio.
// The repeats are printed ("not yet"), and a verdict after a repeat names
// its attempt. The price: a glitch can also make one repeat of a check that
// should fail pass ("silent" for a playing app whose tone dropped out for a
// window); a real fault shows in every window no glitch upsets, so three
// attempts in a row rarely all miss it. Other steps are not held up: the repeats are timers of the
// loop, and a run's last step waits for them.
//
// --record: with `record_path` the captures keep the whole run (at most
// kMaxRecording) and the run ends by writing them to a WAV file, one channel
// per device in the order printed at set-up.
//
// Not thread-safe: one thread creates, runs and destroys the runner.

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SCENARIO_RUNNER_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SCENARIO_RUNNER_H_

#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caraudio/sim/v1/scenario.pb.h"
#include "caraudio/v1/admin.grpc.pb.h"
#include "caraudio/v1/audio_focus.grpc.pb.h"
#include "caraudio/v1/hal_focus.grpc.pb.h"
#include "pipewire-bridge/pipewire_loop.h"
#include "tools/audiofocus_sim/device_capture.h"
#include "tools/audiofocus_sim/expectation_check.h"
#include "tools/audiofocus_sim/run_inbox.h"
#include "tools/audiofocus_sim/simulated_app.h"
#include "tools/audiofocus_sim/stream_call.h"
#include "tools/audiofocus_sim/timeline_log.h"
#include "zones/car_audio_config.h"

namespace caraudio::sim {

// The longest recording --record keeps (per device: 11 MB per minute).
inline constexpr absl::Duration kMaxRecording = absl::Minutes(10);

// How a run went.
struct RunSummary {
  int expectations = 0;
  int passed = 0;
  // Failed expectations that could not be observed (a subset of the failed).
  int unchecked = 0;
  // Steps whose call the daemon refused, and other errors during the run.
  int errors = 0;
  // The daemon stopped answering (UNAVAILABLE) and the run was cut short.
  bool daemon_lost = false;
  // "timeline[12] at 2300 ms: expect_audible ...", one per failure.
  std::vector<std::string> failures;

  int failed() const { return expectations - passed; }
};

class ScenarioRunner final : public AppEnvironment {
 public:
  struct Options {
    // A READY channel to audiocontrold (tools/daemon_connection.h).
    std::shared_ptr<grpc::Channel> channel;
    // Deadline of every unary call.
    absl::Duration rpc_timeout = absl::Seconds(3);
    // How long an app's stream may take to be linked, a device node to be
    // found.
    absl::Duration setup_timeout = absl::Seconds(5);
    // Write the recorded devices to this WAV file at the end.
    std::optional<std::string> record_path;
    // A READY channel to the HAL for HalFocus (hal_chime), when the daemon
    // runs split; `channel` when null.
    std::shared_ptr<grpc::Channel> hal_channel;
    // The car service process stop_car_service / continue_car_service
    // signal; required when the scenario has those steps.
    std::optional<pid_t> carservice_pid;
    // See "Output" above.
    bool print_levels = false;
    bool show_events = false;
  };

  // Sets up as described above. `scenario` and `car` must outlive the
  // runner; the scenario must be valid for the car (scenario_loader.h).
  static absl::StatusOr<std::unique_ptr<ScenarioRunner>> Create(const v1::Scenario& scenario,
                                                                const CarAudioConfig& car,
                                                                Options options, TimelineLog& log);
  ~ScenarioRunner() override;
  ScenarioRunner(const ScenarioRunner&) = delete;
  ScenarioRunner& operator=(const ScenarioRunner&) = delete;

  // Runs the timeline once, then tears the apps down. Call once.
  RunSummary Run();

  // AppEnvironment.
  caraudio::v1::AudioFocus::Stub& focus() override { return *focus_; }
  std::unique_ptr<grpc::ClientContext> UnaryContext() override;
  void QueueFocusEvent(int app, uint64_t stream, caraudio::v1::FocusEvent event) override;
  void QueueStreamEnd(int app, uint64_t stream, grpc::Status status) override;
  void ScheduleEnd(int app, absl::Duration after, uint64_t generation) override;
  TimelineLog& log() override { return log_; }

 private:
  // What the stream threads queue for the runner's thread.
  struct FocusEventArrived {
    int app;
    uint64_t stream;
    caraudio::v1::FocusEvent event;
  };
  struct FocusStreamEnded {
    int app;
    uint64_t stream;
    grpc::Status status;
  };
  struct ChimeStatusArrived {
    uint64_t chime;
    caraudio::v1::HalFocusStatus status;
  };
  struct ChimeEnded {
    uint64_t chime;
    grpc::Status status;
  };
  struct ServiceEventArrived {
    caraudio::v1::Event event;
  };
  struct ServiceEventsEnded {
    grpc::Status status;
  };
  using Arrival = std::variant<FocusEventArrived, FocusStreamEnded, ChimeStatusArrived, ChimeEnded,
                               ServiceEventArrived, ServiceEventsEnded>;

  struct PlaybackTimer {
    int app;
    uint64_t generation;
  };
  // An audio check to measure (again): timeline[step], its attempt-th time;
  // `frames` its device had recorded at the previous measurement, and when
  // to stop waiting for a stalled graph.
  struct Remeasure {
    int step;
    int attempt;
    int64_t frames;
    Clock::time_point give_up;
  };

  // Lets Create() use std::make_unique with a constructor nobody else can call.
  struct PrivateTag {};

 public:
  ScenarioRunner(PrivateTag, const v1::Scenario& scenario, const CarAudioConfig& car,
                 Options options, TimelineLog& log);

 private:
  absl::Status SetUp();
  absl::Status ReportInitialLifecycle(SimulatedApp& app);
  // Sends one ReportAppState and prints it; keeps `running_services_` up to date.
  absl::Status Report(SimulatedApp& app, const caraudio::v1::ReportAppStateRequest& report);
  void TearDown();

  void HandleArrival(const RunInbox<Arrival>::Stamped& arrival);
  void FireTimer(const PlaybackTimer& timer);
  void RunStep(int index);
  // Checks the step now; one that fails may be checked again (see
  // "Repeated checks" above) before it counts.
  void Judge(const Remeasure& check);
  // Frames recorded so far from the device an audio check measures.
  int64_t RecordedFrames(const v1::Step& step) const;
  absl::Status RunAction(const v1::Step& step);
  CheckOutcome RunCheck(const v1::Step& step);
  // The last kAudibleWindow recorded from the device; Unavailable when less
  // was recorded.
  absl::StatusOr<std::vector<float>> RecentAudio(const std::string& address) const;
  absl::StatusOr<ToneMeasurement> MeasureTone(const SimulatedApp& app) const;
  absl::StatusOr<DeviceMeasurement> MeasureDevice(const std::string& address) const;
  // The recorded devices, in the car's order, that the scenario needs.
  absl::StatusOr<std::vector<std::string>> DevicesToRecord() const;
  absl::Status StartCapture(const std::string& device, absl::Duration capacity);
  void PrintLevels();
  void WatchServiceEvents();
  // SIGSTOP / SIGCONT to the car service.
  absl::Status SignalCarService(bool stop);
  absl::StatusOr<caraudio::v1::AuditReport> Audit(const std::string& package_name);
  absl::Status PlayChime(const v1::HalChime& chime);
  absl::Status WriteRecording() const;

  // Prints and counts an error of `who` (nothing for OK); UNAVAILABLE ends
  // the run.
  void NoteError(absl::string_view who, const absl::Status& status);
  SimulatedApp& AppNamed(const std::string& package_name) const;
  int32_t ZoneOr(bool has_zone, int32_t zone) const { return has_zone ? zone : scenario_.zone(); }
  double SecondsSinceStart(Clock::time_point at) const;

  const v1::Scenario& scenario_;
  const CarAudioConfig& car_;
  const Options options_;
  TimelineLog& log_;
  std::unique_ptr<caraudio::v1::AudioFocus::Stub> focus_;
  std::unique_ptr<caraudio::v1::CarAudioAdmin::Stub> admin_;
  std::unique_ptr<caraudio::v1::HalFocus::Stub> hal_focus_;

  RunInbox<Arrival> inbox_;
  std::multimap<Clock::time_point, PlaybackTimer> timers_;
  std::multimap<Clock::time_point, Remeasure> remeasures_;
  Clock::time_point start_;
  RunSummary summary_;
  // Foreground services each app runs, as reported (for the final reports).
  std::map<std::string, std::set<caraudio::v1::ForegroundServiceType>> running_services_;

  // PipeWire objects: the loop is declared first so it is destroyed last.
  std::unique_ptr<PipeWireLoop> pipewire_;
  // By device address; `recorded_devices_` lists them in the car's order.
  std::map<std::string, std::unique_ptr<DeviceCapture>> captures_;
  std::vector<std::string> recorded_devices_;
  std::vector<std::unique_ptr<SimulatedApp>> apps_;
  std::map<uint64_t, std::unique_ptr<StreamCall<caraudio::v1::HalFocusStatus>>> chimes_;
  uint64_t next_chime_ = 1;
  std::unique_ptr<StreamCall<caraudio::v1::Event>> service_events_;
  bool car_service_stopped_ = false;
};

// The process exit code for a finished run: 0 every expectation held and
// nothing failed, 3 the daemon went away, 1 otherwise.
int ExitCodeFor(const RunSummary& summary);

// The summary lines printed at the end of a run.
std::string RenderSummary(const v1::Scenario& scenario, const RunSummary& summary);

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SCENARIO_RUNNER_H_
