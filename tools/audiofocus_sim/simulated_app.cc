#include "tools/audiofocus_sim/simulated_app.h"

#include <unistd.h>

#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "carservice/audio_context.h"
#include "carservice/audio_usage.h"
#include "pipewire-bridge/graph_snapshot.h"
#include "pipewire-bridge/stream_routing.h"
#include "tools/audioctl_render.h"
#include "tools/audiofocus_sim/rpc_status.h"

namespace caraudio::sim {

SimulatedApp::SimulatedApp(PrivateTag, int index, const v1::App& app, int32_t zone,
                           const CarAudioConfig& car, AppEnvironment& environment)
    : index_(index),
      config_(app),
      zone_(zone),
      car_(car),
      environment_(environment),
      behaviour_(app.behaviour(), app.package_name(), app.pause_when_ducked()) {}

PipeWireProperties SimulatedApp::StreamProperties(const v1::App& app, int32_t zone) {
  return {
      {kUsageProperty, UsageName(app.usage())}, {kZoneIdProperty, absl::StrCat(zone)},
      {kClientIdProperty, app.package_name()},  {kPackageProperty, app.package_name()},
      {kUidProperty, absl::StrCat(app.uid())},  {PW_KEY_APP_NAME, app.package_name()},
  };
}

absl::StatusOr<std::string> SimulatedApp::DeviceOf(const v1::App& app, int32_t zone,
                                                   const CarAudioConfig& car) {
  // The same routing the bridge applies to these properties.
  absl::StatusOr<std::optional<StreamRoute>> route = RouteStream(StreamProperties(app, zone), car);
  if (!route.ok()) return route.status();
  if (!route->has_value()) return absl::InvalidArgumentError("the stream has no usage");
  return (*route)->device_address;
}

absl::StatusOr<std::unique_ptr<SimulatedApp>> SimulatedApp::Create(
    int index, const v1::App& app, int32_t zone, const CarAudioConfig& car, PipeWireLoop& loop,
    AppEnvironment& environment, absl::Duration route_timeout) {
  auto simulated = std::make_unique<SimulatedApp>(PrivateTag{}, index, app, zone, car, environment);
  // Unique per process, so two simulators on one PipeWire never mix up.
  simulated->node_name_ = absl::StrCat("audiofocus-sim.", ::getpid(), ".", app.package_name());
  absl::StatusOr<std::string> device = DeviceOf(app, zone, car);
  if (!device.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        app.package_name(), ": its stream cannot be routed: ", device.status().message()));
  }
  simulated->device_address_ = *std::move(device);
  TonePlayer::Options tone;
  tone.node_name = simulated->node_name_;
  tone.node_properties = StreamProperties(app, zone);
  tone.frequency_hz = app.frequency_hz();
  tone.amplitude = kToneAmplitude;
  tone.gain = 0.0;  // silent until the app plays
  absl::StatusOr<std::unique_ptr<TonePlayer>> player = TonePlayer::Start(loop, std::move(tone));
  if (!player.ok()) {
    return absl::Status(player.status().code(),
                        absl::StrCat(app.package_name(), ": ", player.status().message()));
  }
  simulated->tone_ = *std::move(player);

  const std::string& node = simulated->node_name_;
  const std::string& address = simulated->device_address_;
  const bool linked = WaitFor(
      [&] {
        absl::StatusOr<GraphSnapshot> graph = GraphSnapshot::Take(loop);
        // Both channels (one link is a moment while ports appear).
        return graph.ok() && graph->LinksBetween(node, address) >= 2;
      },
      route_timeout, absl::Milliseconds(20));
  if (!linked) {
    return absl::UnavailableError(absl::StrCat(
        app.package_name(), ": the bridge did not link its stream to ", address, " within ",
        absl::FormatDuration(route_timeout),
        " (is audiocontrold running with --audio=pipewire on this PipeWire and this car config?)"));
  }
  return simulated;
}

SimulatedApp::~SimulatedApp() = default;

void SimulatedApp::Log(absl::string_view text) {
  environment_.log().Event(Clock::now(), package_name(), text);
}

void SimulatedApp::LogFrom(const std::string& client_id, Clock::time_point at,
                           absl::string_view text) {
  // Name the client only when it is not the app's usual one.
  const std::string suffix = client_id == package_name() ? "" : absl::StrCat("  [", client_id, "]");
  environment_.log().Event(at, package_name(), absl::StrCat(text, suffix));
}

absl::Status SimulatedApp::Handle(const AppInput& input) {
  absl::Status first_error;
  for (const AppAction& action : behaviour_.Handle(input)) {
    absl::Status status = Perform(action);
    if (first_error.ok()) first_error = std::move(status);
  }
  return first_error;
}

absl::Status SimulatedApp::Perform(const AppAction& action) {
  if (const auto* request = std::get_if<RequestFocusAction>(&action)) {
    RequestFocus(request->client_id);
  } else if (const auto* abandon = std::get_if<AbandonFocusAction>(&action)) {
    return AbandonFocus(abandon->client_id);
  } else if (std::holds_alternative<StartToneAction>(action)) {
    SetTone(1.0, absl::StrFormat("plays its tone (%g Hz)", config_.frequency_hz()));
  } else if (std::holds_alternative<PauseToneAction>(action)) {
    SetTone(0.0, "pauses");
  } else if (std::holds_alternative<DuckToneAction>(action)) {
    SetTone(kDuckGain, absl::StrFormat("lowers itself to %.0f %%", kDuckGain * 100));
  } else if (std::holds_alternative<RestoreToneAction>(action)) {
    SetTone(1.0, "restores full volume");
  } else if (std::holds_alternative<StopToneAction>(action)) {
    SetTone(0.0, "stops its tone");
  } else if (const auto* end = std::get_if<ScheduleEndAction>(&action)) {
    environment_.ScheduleEnd(index_, absl::Milliseconds(end->duration_ms), end->generation);
  } else if (std::holds_alternative<ChangeOwnVolumeAction>(action)) {
    return ChangeOwnVolume();
  }
  return absl::OkStatus();
}

void SimulatedApp::SetTone(double gain, absl::string_view what) {
  tone_->set_gain(gain);
  Log(what);
}

void SimulatedApp::RequestFocus(const std::string& client_id) {
  caraudio::v1::FocusRequest request;
  request.set_client_id(client_id);
  request.set_package_name(config_.package_name());
  request.set_uid(config_.uid());
  request.set_usage(config_.usage());
  request.set_gain(config_.gain());
  request.set_delay_ok(config_.delay_ok());
  request.set_pause_when_ducked(config_.pause_when_ducked());
  request.set_receive_ducking_events(config_.receive_ducking_events());
  request.set_zone_id(zone_);
  Log(absl::StrCat("requests focus: ", audioctl::RenderRequest(request)));

  const uint64_t stream = next_stream_++;
  latest_request_client_ = client_id;
  latest_request_stream_ = stream;
  last_result_.reset();
  AppEnvironment& environment = environment_;
  const int app = index_;
  caraudio::v1::AudioFocus::Stub& stub = environment_.focus();
  streams_[stream] =
      Stream{client_id, std::make_unique<StreamCall<caraudio::v1::FocusEvent>>(
                            [&stub, request](grpc::ClientContext* context) {
                              return stub.RequestFocus(context, request);
                            },
                            [&environment, app, stream](const caraudio::v1::FocusEvent& event) {
                              environment.QueueFocusEvent(app, stream, event);
                            },
                            [&environment, app, stream](const grpc::Status& status) {
                              environment.QueueStreamEnd(app, stream, status);
                            })};
}

absl::Status SimulatedApp::AbandonFocus(const std::string& client_id) {
  caraudio::v1::AbandonFocusRequest request;
  request.set_client_id(client_id);
  request.set_zone_id(zone_);
  caraudio::v1::AbandonFocusResponse response;
  const grpc::Status status =
      environment_.focus().AbandonFocus(environment_.UnaryContext().get(), request, &response);
  if (!status.ok()) return RpcStatus(status, "AudioFocus.AbandonFocus");
  LogFrom(client_id, Clock::now(), "abandons focus");
  return absl::OkStatus();
}

absl::Status SimulatedApp::ChangeOwnVolume() {
  const ZoneConfig* zone = car_.FindZone(zone_);
  const VolumeGroupConfig* group =
      zone == nullptr ? nullptr : zone->VolumeGroupForContext(ContextForUsage(config_.usage()));
  if (group == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("no volume group plays ", UsageName(config_.usage()), " in zone ", zone_));
  }
  caraudio::v1::GetGroupVolumeRequest get;
  get.set_zone_id(zone_);
  get.set_group(group->name);
  caraudio::v1::GroupVolume before;
  grpc::Status status =
      environment_.focus().GetGroupVolume(environment_.UnaryContext().get(), get, &before);
  if (!status.ok()) return RpcStatus(status, "AudioFocus.GetGroupVolume");
  // All the way up, as apps that "fix" a quiet stream do; one step down
  // when it is at the top already, so it is always a change.
  const int32_t index = before.gain_index() < before.max_index()
                            ? before.max_index()
                            : std::max(before.min_index(), before.max_index() - 1);
  caraudio::v1::SetGroupVolumeRequest set;
  set.set_zone_id(zone_);
  set.set_group(group->name);
  set.set_gain_index(index);
  set.set_package_name(config_.package_name());
  set.set_uid(config_.uid());
  caraudio::v1::GroupVolume after;
  status = environment_.focus().SetGroupVolume(environment_.UnaryContext().get(), set, &after);
  if (!status.ok()) return RpcStatus(status, "AudioFocus.SetGroupVolume");
  Log(absl::StrCat("sets its own volume group \"", group->name, "\" from index ",
                   before.gain_index(), " to ", index, ": now ", audioctl::RenderGroupVolume(after),
                   after.gain_index() == before.gain_index() ? " (ignored)" : ""));
  return absl::OkStatus();
}

absl::Status SimulatedApp::OnFocusEvent(uint64_t stream, const caraudio::v1::FocusEvent& event,
                                        Clock::time_point at) {
  auto found = streams_.find(stream);
  if (found == streams_.end()) return absl::OkStatus();
  const std::string client_id = found->second.client_id;
  switch (event.event_case()) {
    case caraudio::v1::FocusEvent::kResult: {
      LogFrom(client_id, at, absl::StrCat("<- ", audioctl::RenderFocusResult(event.result())));
      if (stream == latest_request_stream_) {
        last_result_ =
            Received<caraudio::v1::RequestResult>{event.result().result(), client_id, at};
      }
      return Handle(FocusResultInput{client_id, event.result().result()});
    }
    case caraudio::v1::FocusEvent::kFocusChange: {
      const caraudio::v1::FocusChange change = event.focus_change().change();
      LogFrom(client_id, at, absl::StrCat("<- ", audioctl::ChangeLabel(change)));
      last_change_ = Received<caraudio::v1::FocusChange>{change, client_id, at};
      return Handle(FocusChangeInput{client_id, change});
    }
    case caraudio::v1::FocusEvent::kReplaced:
      LogFrom(client_id, at, "<- replaced (by its own newer request)");
      return absl::OkStatus();
    case caraudio::v1::FocusEvent::kAbandoned:
      LogFrom(client_id, at, "<- abandoned");
      return absl::OkStatus();
    case caraudio::v1::FocusEvent::EVENT_NOT_SET:
      break;
  }
  return absl::OkStatus();
}

absl::Status SimulatedApp::OnStreamEnd(uint64_t stream, const grpc::Status& status) {
  auto found = streams_.find(stream);
  if (found == streams_.end()) return absl::OkStatus();
  absl::Status error;
  if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
    error = RpcStatus(status, absl::StrCat("RequestFocus stream of ", found->second.client_id));
  }
  streams_.erase(found);  // joins the finished reader thread
  return error;
}

void SimulatedApp::Shutdown() {
  streams_.clear();
  if (tone_ != nullptr) tone_->set_gain(0.0);
}

}  // namespace caraudio::sim
