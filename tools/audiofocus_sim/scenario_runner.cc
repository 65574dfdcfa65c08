#include "tools/audiofocus_sim/scenario_runner.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "carservice/audio_context.h"
#include "carservice/audio_usage.h"
#include "tools/audioctl_render.h"
#include "tools/audiofocus_sim/device_levels.h"
#include "tools/audiofocus_sim/exit_codes.h"
#include "tools/audiofocus_sim/lifecycle_reports.h"
#include "tools/audiofocus_sim/rpc_status.h"
#include "tools/audiofocus_sim/service_events.h"
#include "tools/audiofocus_sim/tone_level.h"
#include "tools/audiofocus_sim/wav_file.h"

namespace caraudio::sim {
namespace {

using Clock = std::chrono::steady_clock;

// A remeasurement waits for the graph to play a whole new window, polling
// this often, for at most this long (then it measures what there is).
constexpr std::chrono::milliseconds kStalledGraphPoll(20);
constexpr std::chrono::seconds kStalledGraphPatience(1);
const int64_t kAudibleWindowFrames =
    absl::ToInt64Milliseconds(kAudibleWindow) * DeviceCapture::kSampleRate / 1000;

Clock::time_point StepTime(Clock::time_point start, const v1::Step& step) {
  return start + std::chrono::milliseconds(step.at_ms());
}

// How long the timeline lasts, for --record's capacity.
absl::Duration TimelineLength(const v1::Scenario& scenario) {
  if (scenario.timeline().empty()) return absl::ZeroDuration();
  return absl::Milliseconds(scenario.timeline(scenario.timeline_size() - 1).at_ms());
}

// "com.example.music" for steps about an app, "car" for the others.
std::string StepSubject(const v1::Step& step) {
  switch (step.action_case()) {
    case v1::Step::kAppPlay:
      return step.app_play().app();
    case v1::Step::kAppStop:
      return step.app_stop().app();
    case v1::Step::kLifecycle:
      return step.lifecycle().app();
    default:
      return "car";
  }
}

// Checks judged on recorded audio, which a glitch in the graph can upset.
bool IsAudioCheck(const v1::Step& step) {
  return step.has_expect_audible() || step.has_expect_device_audible();
}

// Checks that can come true a little later: audio, and what arrives over a
// stream (a result, a focus change, an audit finding). Not
// expect_no_findings: a finding never goes away.
bool IsRetried(const v1::Step& step) {
  return IsAudioCheck(step) || step.has_expect_result() || step.has_expect_focus_change() ||
         step.has_expect_finding();
}

bool IsCheck(const v1::Step& step) {
  switch (step.action_case()) {
    case v1::Step::kExpectResult:
    case v1::Step::kExpectFocusChange:
    case v1::Step::kExpectAudible:
    case v1::Step::kExpectFinding:
    case v1::Step::kExpectNoFindings:
    case v1::Step::kExpectDeviceAudible:
      return true;
    default:
      return false;
  }
}

}  // namespace

ScenarioRunner::ScenarioRunner(PrivateTag, const v1::Scenario& scenario, const CarAudioConfig& car,
                               Options options, TimelineLog& log)
    : scenario_(scenario),
      car_(car),
      options_(std::move(options)),
      log_(log),
      focus_(caraudio::v1::AudioFocus::NewStub(options_.channel)),
      admin_(caraudio::v1::CarAudioAdmin::NewStub(options_.channel)),
      hal_focus_(caraudio::v1::HalFocus::NewStub(options_.hal_channel ? options_.hal_channel
                                                                      : options_.channel)) {}

absl::StatusOr<std::unique_ptr<ScenarioRunner>> ScenarioRunner::Create(const v1::Scenario& scenario,
                                                                       const CarAudioConfig& car,
                                                                       Options options,
                                                                       TimelineLog& log) {
  auto runner =
      std::make_unique<ScenarioRunner>(PrivateTag{}, scenario, car, std::move(options), log);
  if (absl::Status status = runner->SetUp(); !status.ok()) return status;
  return runner;
}

ScenarioRunner::~ScenarioRunner() { TearDown(); }

std::unique_ptr<grpc::ClientContext> ScenarioRunner::UnaryContext() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + options_.rpc_timeout));
  return context;
}

void ScenarioRunner::QueueFocusEvent(int app, uint64_t stream, caraudio::v1::FocusEvent event) {
  inbox_.Push(FocusEventArrived{app, stream, std::move(event)});
}

void ScenarioRunner::QueueStreamEnd(int app, uint64_t stream, grpc::Status status) {
  inbox_.Push(FocusStreamEnded{app, stream, std::move(status)});
}

void ScenarioRunner::ScheduleEnd(int app, absl::Duration after, uint64_t generation) {
  timers_.emplace(Clock::now() + absl::ToChronoNanoseconds(after), PlaybackTimer{app, generation});
  log_.Event(Clock::now(), apps_[app]->package_name(),
             absl::StrCat("will stop in ", absl::FormatDuration(after)));
}

double ScenarioRunner::SecondsSinceStart(Clock::time_point at) const {
  return std::chrono::duration<double>(at - start_).count();
}

SimulatedApp& ScenarioRunner::AppNamed(const std::string& package_name) const {
  for (const auto& app : apps_) {
    if (app->package_name() == package_name) return *app;
  }
  // Validation guarantees every step names a declared app.
  return *apps_.front();
}

// ---- Set-up and tear-down ---------------------------------------------------

absl::Status ScenarioRunner::SetUp() {
  absl::StatusOr<std::unique_ptr<PipeWireLoop>> loop = PipeWireLoop::Create("audiofocus-sim");
  if (!loop.ok()) return loop.status();
  pipewire_ = *std::move(loop);
  if (absl::Status connected = pipewire_->Connect([] {}); !connected.ok()) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect to PipeWire: ", connected.message()));
  }

  // Every device the scenario plays into or checks is recorded, from the
  // start.
  const absl::Duration capacity =
      options_.record_path ? std::min(TimelineLength(scenario_) + absl::Seconds(10), kMaxRecording)
                           : absl::Seconds(2);
  absl::StatusOr<std::vector<std::string>> devices = DevicesToRecord();
  if (!devices.ok()) return devices.status();
  for (const std::string& device : *devices) {
    if (absl::Status started = StartCapture(device, capacity); !started.ok()) return started;
  }
  for (int i = 0; i < scenario_.apps_size(); ++i) {
    const v1::App& config = scenario_.apps(i);
    absl::StatusOr<std::unique_ptr<SimulatedApp>> app =
        SimulatedApp::Create(i, config, ZoneOr(config.has_zone(), config.zone()), car_, *pipewire_,
                             *this, options_.setup_timeout);
    if (!app.ok()) return app.status();
    log_.Event(Clock::now(), config.package_name(),
               absl::StrFormat("plays %s (%g Hz) in zone %d into %s, %s", UsageName(config.usage()),
                               config.frequency_hz(), (*app)->zone(), (*app)->device_address(),
                               sim::v1::Behaviour_Name(config.behaviour())));
    apps_.push_back(*std::move(app));
  }
  // A warning, not an error: close tones on one device measure each other.
  for (size_t a = 0; a < apps_.size(); ++a) {
    for (size_t b = a + 1; b < apps_.size(); ++b) {
      if (apps_[a]->device_address() == apps_[b]->device_address() &&
          std::abs(apps_[a]->config().frequency_hz() - apps_[b]->config().frequency_hz()) <
              kMinSeparationHz) {
        log_.Plain(absl::StrFormat(
            "warning: %s and %s play into %s less than %g Hz apart; their levels mix",
            apps_[a]->package_name(), apps_[b]->package_name(), apps_[a]->device_address(),
            kMinSeparationHz));
      }
    }
  }
  for (const auto& app : apps_) {
    if (absl::Status status = ReportInitialLifecycle(*app); !status.ok()) {
      if (status.code() == absl::StatusCode::kUnavailable) return status;
      NoteError(app->package_name(), status);
    }
  }
  if (options_.show_events) WatchServiceEvents();
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ScenarioRunner::DevicesToRecord() const {
  std::set<std::string> wanted;
  for (const v1::App& config : scenario_.apps()) {
    absl::StatusOr<std::string> device =
        SimulatedApp::DeviceOf(config, ZoneOr(config.has_zone(), config.zone()), car_);
    if (!device.ok()) return device.status();
    wanted.insert(*device);
  }
  for (const v1::Step& step : scenario_.timeline()) {
    if (step.has_hal_chime()) {
      // Validation guarantees the zone exists and routes the usage.
      const v1::HalChime& chime = step.hal_chime();
      const ZoneConfig* zone = car_.FindZone(ZoneOr(chime.has_zone(), chime.zone()));
      if (zone != nullptr) wanted.insert(zone->DeviceForContext(ContextForUsage(chime.usage())));
    } else if (step.has_expect_device_audible()) {
      wanted.insert(step.expect_device_audible().device());
    }
  }
  std::vector<std::string> ordered;
  for (const ZoneConfig& zone : car_.zones) {
    for (const VolumeGroupConfig& group : zone.volume_groups) {
      for (const DeviceConfig& device : group.devices) {
        if (wanted.contains(device.address)) ordered.push_back(device.address);
      }
    }
  }
  return ordered;
}

absl::Status ScenarioRunner::StartCapture(const std::string& device, absl::Duration capacity) {
  DeviceCapture::Options capture;
  capture.device_node_name = device;
  capture.node_name = absl::StrCat("audiofocus-sim.", ::getpid(), ".capture.", device);
  capture.capacity = capacity;
  capture.setup_timeout = options_.setup_timeout;
  absl::StatusOr<std::unique_ptr<DeviceCapture>> started =
      DeviceCapture::Start(*pipewire_, std::move(capture));
  if (!started.ok()) {
    return absl::Status(started.status().code(),
                        absl::StrCat(started.status().message(),
                                     " (is audiocontrold running with --audio=pipewire on this "
                                     "PipeWire and this car config?)"));
  }
  captures_[device] = *std::move(started);
  recorded_devices_.push_back(device);
  log_.Event(Clock::now(), "car", absl::StrCat("records ", device));
  return absl::OkStatus();
}

void ScenarioRunner::WatchServiceEvents() {
  caraudio::v1::CarAudioAdmin::Stub& stub = *admin_;
  RunInbox<Arrival>& inbox = inbox_;
  service_events_ = std::make_unique<StreamCall<caraudio::v1::Event>>(
      [&stub](grpc::ClientContext* context) {
        return stub.WatchEvents(context, caraudio::v1::WatchEventsRequest());
      },
      [&inbox](const caraudio::v1::Event& event) { inbox.Push(ServiceEventArrived{event}); },
      [&inbox](const grpc::Status& status) { inbox.Push(ServiceEventsEnded{status}); });
}

absl::Status ScenarioRunner::ReportInitialLifecycle(SimulatedApp& app) {
  for (const caraudio::v1::ReportAppStateRequest& report : InitialReports(app.config())) {
    absl::Status status = Report(app, report);
    if (status.code() == absl::StatusCode::kFailedPrecondition &&
        report.has_start_foreground_service()) {
      // Left running by an earlier run against this daemon: restart it, so
      // it is started the way this scenario says.
      log_.Event(Clock::now(), app.package_name(), "its service still runs: restarting it");
      if (absl::Status stopped = Report(app, StopReportFor(report)); stopped.ok()) {
        status = Report(app, report);
      }
    }
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status ScenarioRunner::Report(SimulatedApp& app,
                                    const caraudio::v1::ReportAppStateRequest& report) {
  caraudio::v1::AppLifecycleState state;
  const grpc::Status status = admin_->ReportAppState(UnaryContext().get(), report, &state);
  if (!status.ok()) {
    return RpcStatus(status, absl::StrCat("CarAudioAdmin.ReportAppState (", DescribeReport(report),
                                          ") for ", app.package_name()));
  }
  std::set<caraudio::v1::ForegroundServiceType>& running = running_services_[app.package_name()];
  if (report.has_start_foreground_service())
    running.insert(report.start_foreground_service().type());
  if (report.has_stop_foreground_service()) running.erase(report.stop_foreground_service());
  log_.Event(Clock::now(), app.package_name(),
             absl::StrCat("lifecycle: ", DescribeReport(report), " -> ",
                          state.valid() ? "valid" : "not valid", " (", state.reason(), ")"));
  return absl::OkStatus();
}

void ScenarioRunner::TearDown() {
  service_events_.reset();
  if (car_service_stopped_) {
    // Never leave it stopped: the final reports below need it, and so does
    // whoever runs it.
    NoteError("car", SignalCarService(/*stop=*/false));
  }
  chimes_.clear();
  for (const auto& app : apps_) app->Shutdown();
  if (!summary_.daemon_lost) {
    for (const auto& app : apps_) {
      for (const caraudio::v1::ReportAppStateRequest& report :
           FinalReports(app->config(), running_services_[app->package_name()])) {
        // Best effort: the run's result is already decided.
        caraudio::v1::AppLifecycleState state;
        admin_->ReportAppState(UnaryContext().get(), report, &state);
      }
    }
  }
  apps_.clear();
  captures_.clear();
}

// ---- The timeline -------------------------------------------------------------

RunSummary ScenarioRunner::Run() {
  start_ = Clock::now();
  log_.StartTimeline(start_);
  const int steps = scenario_.timeline_size();
  int next = 0;
  std::optional<int64_t> levels_printed_for_ms;
  // After the last step, only the measurements still to be repeated remain.
  while ((next < steps || !remeasures_.empty()) && !summary_.daemon_lost) {
    const Clock::time_point step_due =
        next < steps ? StepTime(start_, scenario_.timeline(next)) : Clock::time_point::max();
    const Clock::time_point timer_due =
        timers_.empty() ? Clock::time_point::max() : timers_.begin()->first;
    const Clock::time_point remeasure_due =
        remeasures_.empty() ? Clock::time_point::max() : remeasures_.begin()->first;
    const Clock::time_point due = std::min({step_due, timer_due, remeasure_due});
    inbox_.WaitUntil(due);
    // Everything that arrived before the next step or timer comes first.
    while (auto arrival = inbox_.PopUntil(std::min(Clock::now(), due))) HandleArrival(*arrival);
    if (Clock::now() < due) continue;
    if (timer_due <= std::min(step_due, remeasure_due)) {
      const PlaybackTimer timer = timers_.begin()->second;
      timers_.erase(timers_.begin());
      FireTimer(timer);
    } else if (remeasure_due <= step_due) {
      const Remeasure again = remeasures_.begin()->second;
      remeasures_.erase(remeasures_.begin());
      Judge(again);
    } else {
      const int64_t at_ms = scenario_.timeline(next).at_ms();
      if (options_.print_levels && levels_printed_for_ms != at_ms) {
        PrintLevels();
        levels_printed_for_ms = at_ms;
      }
      RunStep(next++);
    }
  }
  NoteError("car", WriteRecording());
  TearDown();
  return summary_;
}

void ScenarioRunner::HandleArrival(const RunInbox<Arrival>::Stamped& arrival) {
  if (const auto* event = std::get_if<FocusEventArrived>(&arrival.item)) {
    SimulatedApp& app = *apps_[event->app];
    NoteError(app.package_name(), app.OnFocusEvent(event->stream, event->event, arrival.at));
  } else if (const auto* ended = std::get_if<FocusStreamEnded>(&arrival.item)) {
    SimulatedApp& app = *apps_[ended->app];
    NoteError(app.package_name(), app.OnStreamEnd(ended->stream, ended->status));
  } else if (const auto* chime = std::get_if<ChimeStatusArrived>(&arrival.item)) {
    if (chime->status.has_sound()) {
      const caraudio::v1::VehicleSoundStatus& sound = chime->status.sound();
      log_.Event(arrival.at, "car",
                 sound.playing()
                     ? absl::StrCat("chime plays into ", sound.device_address(), ", muting [",
                                    absl::StrJoin(sound.muted_addresses(), ", "), "]")
                     : std::string("chime ended"));
    }
  } else if (const auto* chime_end = std::get_if<ChimeEnded>(&arrival.item)) {
    if (!chime_end->status.ok() && chime_end->status.error_code() != grpc::StatusCode::CANCELLED) {
      NoteError("car", RpcStatus(chime_end->status, "HalFocus.PlaySound"));
    }
    chimes_.erase(chime_end->chime);
  } else if (const auto* service = std::get_if<ServiceEventArrived>(&arrival.item)) {
    if (std::optional<std::string> line = ServiceEventLine(service->event)) {
      log_.Event(arrival.at, "service", *line);
    }
  } else if (const auto* ended = std::get_if<ServiceEventsEnded>(&arrival.item)) {
    if (!ended->status.ok() && ended->status.error_code() != grpc::StatusCode::CANCELLED) {
      NoteError("service", RpcStatus(ended->status, "CarAudioAdmin.WatchEvents"));
    }
  }
}

void ScenarioRunner::FireTimer(const PlaybackTimer& timer) {
  SimulatedApp& app = *apps_[timer.app];
  NoteError(app.package_name(), app.Handle(PlaybackFinishedInput{timer.generation}));
}

void ScenarioRunner::NoteError(absl::string_view who, const absl::Status& status) {
  if (status.ok()) return;
  const Clock::time_point now = Clock::now();
  log_.Error(now, who, status.message());
  ++summary_.errors;
  summary_.failures.push_back(absl::StrCat("at ",
                                           absl::StripLeadingAsciiWhitespace(log_.TimeColumn(now)),
                                           ": ", who, ": ", status.message()));
  if (status.code() == absl::StatusCode::kUnavailable) summary_.daemon_lost = true;
}

void ScenarioRunner::RunStep(int index) {
  const v1::Step& step = scenario_.timeline(index);
  const std::string where = absl::StrCat("timeline[", index, "] at ", step.at_ms(), " ms");
  if (!IsCheck(step)) {
    absl::Status status = RunAction(step);
    if (!status.ok()) {
      NoteError(StepSubject(step),
                absl::Status(status.code(), absl::StrCat(where, ": ", status.message())));
    }
    return;
  }
  Judge(Remeasure{index, 1, 0, Clock::time_point()});
}

void ScenarioRunner::Judge(const Remeasure& check) {
  const v1::Step& step = scenario_.timeline(check.step);
  const Clock::time_point now = Clock::now();
  if (check.attempt > 1 && IsAudioCheck(step) && now < check.give_up &&
      RecordedFrames(step) - check.frames < kAudibleWindowFrames) {
    // The graph has not played a whole window since the last measurement
    // (it is stalled): measuring now would judge the same audio again.
    remeasures_.emplace(now + kStalledGraphPoll, check);
    return;
  }
  const CheckOutcome outcome = RunCheck(step);
  if (!outcome.passed && !outcome.unchecked && IsRetried(step) &&
      check.attempt < kCheckAttempts) {
    // Possibly a glitch or a late message: look once more before judging.
    log_.Event(now, "check",
               absl::StrCat("not yet (checking again in ",
                            absl::FormatDuration(kCheckRetryInterval), "): ", outcome.text));
    const Clock::time_point again = now + absl::ToChronoNanoseconds(kCheckRetryInterval);
    remeasures_.emplace(again, Remeasure{check.step, check.attempt + 1,
                                         IsAudioCheck(step) ? RecordedFrames(step) : 0,
                                         again + kStalledGraphPatience});
    return;
  }
  ++summary_.expectations;
  if (outcome.passed) {
    ++summary_.passed;
  } else {
    if (outcome.unchecked) ++summary_.unchecked;
    summary_.failures.push_back(
        absl::StrCat("timeline[", check.step, "] at ", step.at_ms(), " ms: ", outcome.text));
  }
  log_.Check(Clock::now(), outcome.passed,
             check.attempt == 1 ? outcome.text
                                : absl::StrCat(outcome.text, " (attempt ", check.attempt, " of ",
                                               kCheckAttempts, ")"));
}

int64_t ScenarioRunner::RecordedFrames(const v1::Step& step) const {
  const std::string& device = step.has_expect_device_audible()
                                  ? step.expect_device_audible().device()
                                  : AppNamed(step.expect_audible().app()).device_address();
  return captures_.at(device)->frames_recorded();
}

absl::Status ScenarioRunner::RunAction(const v1::Step& step) {
  switch (step.action_case()) {
    case v1::Step::kAppPlay: {
      SimulatedApp& app = AppNamed(step.app_play().app());
      std::optional<int32_t> duration;
      if (step.app_play().has_duration_ms()) duration = step.app_play().duration_ms();
      log_.Event(Clock::now(), app.package_name(),
                 duration ? absl::StrCat("wants to play for ", *duration, " ms")
                          : std::string("wants to play"));
      return app.Handle(PlayInput{duration});
    }
    case v1::Step::kAppStop: {
      SimulatedApp& app = AppNamed(step.app_stop().app());
      log_.Event(Clock::now(), app.package_name(), "playback ends");
      return app.Handle(StopInput{});
    }
    case v1::Step::kLifecycle: {
      SimulatedApp& app = AppNamed(step.lifecycle().app());
      return Report(app, StepReport(app.config(), step.lifecycle()));
    }
    case v1::Step::kHalChime:
      return PlayChime(step.hal_chime());
    case v1::Step::kSetHardening: {
      caraudio::v1::SetHardeningModeRequest request;
      request.set_zone_id(ZoneOr(step.set_hardening().has_zone(), step.set_hardening().zone()));
      request.set_mode(step.set_hardening().mode());
      caraudio::v1::SetHardeningModeResponse response;
      const grpc::Status status =
          admin_->SetHardeningMode(UnaryContext().get(), request, &response);
      if (!status.ok()) return RpcStatus(status, "CarAudioAdmin.SetHardeningMode");
      log_.Event(Clock::now(), "car",
                 absl::StrCat("hardening in zone ", request.zone_id(), ": ",
                              caraudio::v1::HardeningMode_Name(request.mode())));
      return absl::OkStatus();
    }
    case v1::Step::kSetGroupVolume: {
      caraudio::v1::SetGroupVolumeRequest request;
      request.set_zone_id(
          ZoneOr(step.set_group_volume().has_zone(), step.set_group_volume().zone()));
      request.set_group(step.set_group_volume().group());
      request.set_gain_index(step.set_group_volume().index());
      caraudio::v1::GroupVolume group;
      const grpc::Status status = focus_->SetGroupVolume(UnaryContext().get(), request, &group);
      if (!status.ok()) return RpcStatus(status, "AudioFocus.SetGroupVolume");
      log_.Event(Clock::now(), "car",
                 absl::StrCat("user sets volume: ", audioctl::RenderGroupVolume(group)));
      return absl::OkStatus();
    }
    case v1::Step::kSetNavDuringCall: {
      caraudio::v1::SetNavigationRejectedDuringCallRequest request;
      request.set_zone_id(
          ZoneOr(step.set_nav_during_call().has_zone(), step.set_nav_during_call().zone()));
      request.set_rejected(step.set_nav_during_call().rejected());
      caraudio::v1::SetNavigationRejectedDuringCallResponse response;
      const grpc::Status status =
          admin_->SetNavigationRejectedDuringCall(UnaryContext().get(), request, &response);
      if (!status.ok()) return RpcStatus(status, "CarAudioAdmin.SetNavigationRejectedDuringCall");
      log_.Event(Clock::now(), "car",
                 absl::StrCat("user setting: navigation prompts during a call in zone ",
                              request.zone_id(), " are ",
                              request.rejected() ? "rejected" : "allowed"));
      return absl::OkStatus();
    }
    case v1::Step::kStopCarService:
      return SignalCarService(/*stop=*/true);
    case v1::Step::kContinueCarService:
      return SignalCarService(/*stop=*/false);
    default:
      return absl::InternalError("not an action");
  }
}

absl::Status ScenarioRunner::SignalCarService(bool stop) {
  if (!options_.carservice_pid) {
    return absl::FailedPreconditionError(
        "stop_car_service / continue_car_service need --carservice-pid (the --role=carservice "
        "process)");
  }
  const pid_t pid = *options_.carservice_pid;
  if (::kill(pid, stop ? SIGSTOP : SIGCONT) != 0) {
    const int error = errno;
    // Gone: the car service is unreachable for the rest of the run.
    return absl::UnavailableError(absl::StrCat("cannot ", stop ? "stop" : "continue",
                                               " the car service (pid ", pid,
                                               "): ", std::strerror(error)));
  }
  car_service_stopped_ = stop;
  log_.Event(Clock::now(), "car",
             stop ? absl::StrCat("car service (pid ", pid,
                                 ") stopped with SIGSTOP: it answers nothing, the HAL acts alone")
                  : absl::StrCat("car service (pid ", pid,
                                 ") continues (SIGCONT) and catches up with what the HAL sent"));
  return absl::OkStatus();
}

absl::Status ScenarioRunner::PlayChime(const v1::HalChime& chime) {
  caraudio::v1::PlaySoundRequest request;
  request.set_zone_id(ZoneOr(chime.has_zone(), chime.zone()));
  request.set_usage(chime.usage());
  request.set_tone("chime");
  request.set_duration_ms(chime.has_duration_ms() ? chime.duration_ms() : 2000);
  request.set_source_name(absl::StrCat("audiofocus-sim-", ::getpid()));
  log_.Event(Clock::now(), "car",
             absl::StrCat("HAL chime: ", UsageName(request.usage()), " in zone ", request.zone_id(),
                          " for ", request.duration_ms(), " ms"));
  const uint64_t id = next_chime_++;
  caraudio::v1::HalFocus::Stub& stub = *hal_focus_;
  RunInbox<Arrival>& inbox = inbox_;
  chimes_[id] = std::make_unique<StreamCall<caraudio::v1::HalFocusStatus>>(
      [&stub, request](grpc::ClientContext* context) { return stub.PlaySound(context, request); },
      [&inbox, id](const caraudio::v1::HalFocusStatus& status) {
        inbox.Push(ChimeStatusArrived{id, status});
      },
      [&inbox, id](const grpc::Status& status) {
        inbox.Push(ChimeEnded{id, status});
      });
  return absl::OkStatus();
}

CheckOutcome ScenarioRunner::RunCheck(const v1::Step& step) {
  switch (step.action_case()) {
    case v1::Step::kExpectResult: {
      const SimulatedApp& app = AppNamed(step.expect_result().app());
      std::optional<ObservedResult> observed;
      if (const auto& result = app.last_result()) {
        observed = ObservedResult{result->value, SecondsSinceStart(result->at)};
      }
      return CheckResult(step.expect_result(), observed);
    }
    case v1::Step::kExpectFocusChange: {
      const SimulatedApp& app = AppNamed(step.expect_focus_change().app());
      std::optional<ObservedChange> observed;
      if (const auto& change = app.last_change()) {
        observed = ObservedChange{change->value, SecondsSinceStart(change->at)};
      }
      return CheckFocusChange(step.expect_focus_change(), observed);
    }
    case v1::Step::kExpectAudible:
      return CheckAudible(step.expect_audible(),
                          MeasureTone(AppNamed(step.expect_audible().app())));
    case v1::Step::kExpectFinding:
      return CheckFinding(step.expect_finding(), Audit(step.expect_finding().app()));
    case v1::Step::kExpectNoFindings:
      return CheckNoFindings(step.expect_no_findings(), Audit(step.expect_no_findings().app()));
    case v1::Step::kExpectDeviceAudible:
      return CheckDeviceAudible(step.expect_device_audible(),
                                MeasureDevice(step.expect_device_audible().device()));
    default:
      return {false, true, "not an expectation"};
  }
}

absl::StatusOr<std::vector<float>> ScenarioRunner::RecentAudio(const std::string& address) const {
  std::vector<float> samples = captures_.at(address)->Last(kAudibleWindow);
  if (samples.size() <
      static_cast<size_t>(absl::ToInt64Seconds(kAudibleWindow * DeviceCapture::kSampleRate))) {
    return absl::UnavailableError(absl::StrCat("only ", samples.size(), " samples recorded from ",
                                               address, " (is its graph running?)"));
  }
  return samples;
}

absl::StatusOr<ToneMeasurement> ScenarioRunner::MeasureTone(const SimulatedApp& app) const {
  absl::StatusOr<std::vector<float>> samples = RecentAudio(app.device_address());
  if (!samples.ok()) return samples.status();
  ToneMeasurement measured;
  measured.frequency_hz = app.config().frequency_hz();
  measured.device_address = app.device_address();
  measured.level_dbfs =
      ToneLevelAboveFloorDbfs(*samples, DeviceCapture::kSampleRate, app.config().frequency_hz());
  return measured;
}

absl::StatusOr<DeviceMeasurement> ScenarioRunner::MeasureDevice(const std::string& address) const {
  absl::StatusOr<std::vector<float>> samples = RecentAudio(address);
  if (!samples.ok()) return samples.status();
  return DeviceMeasurement{address, RmsDbfs(*samples)};
}

void ScenarioRunner::PrintLevels() {
  std::vector<DeviceLevel> levels;
  for (const std::string& device : recorded_devices_) {
    levels.push_back({device, RmsDbfs(captures_.at(device)->Last(kAudibleWindow))});
  }
  log_.Event(Clock::now(), "levels", RenderDeviceLevels(levels));
}

absl::StatusOr<caraudio::v1::AuditReport> ScenarioRunner::Audit(const std::string& package_name) {
  caraudio::v1::GetAuditRequest request;
  request.set_package_name(package_name);
  caraudio::v1::AuditReport report;
  const grpc::Status status = admin_->GetAudit(UnaryContext().get(), request, &report);
  if (!status.ok()) {
    // The check prints the failure; only a daemon gone ends the run.
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE) summary_.daemon_lost = true;
    return RpcStatus(status, "CarAudioAdmin.GetAudit");
  }
  return report;
}

absl::Status ScenarioRunner::WriteRecording() const {
  if (!options_.record_path) return absl::OkStatus();
  std::vector<std::vector<float>> channels;
  std::vector<std::string> names;
  for (const std::string& device : recorded_devices_) {
    channels.push_back(captures_.at(device)->All());
    names.push_back(device);
  }
  if (absl::Status written =
          WriteWavFile(*options_.record_path, channels, DeviceCapture::kSampleRate);
      !written.ok()) {
    return written;
  }
  log_.Plain(absl::StrCat("recording: ", *options_.record_path,
                          " (channels: ", absl::StrJoin(names, ", "), ")"));
  return absl::OkStatus();
}

// ---- Results --------------------------------------------------------------------

int ExitCodeFor(const RunSummary& summary) {
  if (summary.daemon_lost) return kExitUnreachable;
  if (summary.failed() > 0 || summary.errors > 0) return kExitFailed;
  return kExitPassed;
}

std::string RenderSummary(const v1::Scenario& scenario, const RunSummary& summary) {
  std::string text =
      absl::StrCat("scenario ", scenario.name(), ": ", summary.expectations, " expectations, ",
                   summary.passed, " passed, ", summary.failed(), " failed");
  if (summary.unchecked > 0) {
    absl::StrAppend(&text, " (", summary.unchecked, " of them could not be checked)");
  }
  if (summary.errors > 0) absl::StrAppend(&text, "; ", summary.errors, " errors");
  if (summary.daemon_lost) absl::StrAppend(&text, "; audiocontrold went away, run cut short");
  for (const std::string& failure : summary.failures) absl::StrAppend(&text, "\n  ", failure);
  absl::StrAppend(&text, "\nresult: ", ExitCodeFor(summary) == kExitPassed ? "PASS" : "FAIL");
  return text;
}

}  // namespace caraudio::sim
