#include "tools/event_replay.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "carservice/car_audio_core.h"
#include "carservice/proto_convert.h"
#include "tools/audioctl_render.h"
#include "zones/car_audio_config_parser.h"

namespace caraudio {
namespace {

using google::protobuf::Message;
using google::protobuf::util::MessageDifferencer;

// The outputs of one input, as event messages in dispatch order.
struct Outputs {
  std::vector<v1::FocusCallbackEvent> callbacks;
  std::vector<v1::OnAudioFocusChangeRequest> hal_reports;
  std::vector<v1::DuckingInfo> ducking;
  std::vector<v1::MutingInfo> muting;
  int count() const {
    return static_cast<int>(callbacks.size() + hal_reports.size() + ducking.size() +
                            muting.size());
  }
};

void Append(const CoreOutput& output, Outputs& out) {
  for (const FocusCallback& callback : output.app_callbacks) {
    out.callbacks.push_back(FocusCallbackToProto(callback));
  }
  for (const HalFocusChange& report : output.hal_reports) {
    out.hal_reports.push_back(HalFocusChangeToProto(report));
  }
  for (const DuckingInfo& info : output.ducking) out.ducking.push_back(DuckingInfoToProto(info));
  for (const MutingInfo& info : output.muting) out.muting.push_back(MutingInfoToProto(info));
}

// Records an output event; false when it is not an output that is compared.
bool AppendRecorded(const v1::Event& event, Outputs& out) {
  switch (event.kind_case()) {
    case v1::Event::kFocusCallback:
      out.callbacks.push_back(event.focus_callback());
      return true;
    case v1::Event::kHalFocusChange:
      out.hal_reports.push_back(event.hal_focus_change());
      return true;
    case v1::Event::kDuckingChange:
      out.ducking.push_back(event.ducking_change());
      return true;
    case v1::Event::kMutingChange:
      out.muting.push_back(event.muting_change());
      return true;
    default:
      return false;
  }
}

template <typename T>
void CompareLists(const char* what, const std::vector<T>& recorded, const std::vector<T>& replayed,
                  std::vector<std::string>& differences) {
  const size_t common = std::min(recorded.size(), replayed.size());
  for (size_t i = 0; i < common; ++i) {
    if (!MessageDifferencer::Equals(recorded[i], replayed[i])) {
      differences.push_back(absl::StrCat(what, " #", i + 1, ": recorded {",
                                         recorded[i].ShortDebugString(), "}, replayed {",
                                         replayed[i].ShortDebugString(), "}"));
      return;
    }
  }
  if (recorded.size() != replayed.size()) {
    const std::vector<T>& longer = recorded.size() > replayed.size() ? recorded : replayed;
    differences.push_back(absl::StrCat(what, ": recorded ", recorded.size(), ", replayed ",
                                       replayed.size(), "; first extra {",
                                       longer[common].ShortDebugString(), "}"));
  }
}

class Replayer {
 public:
  explicit Replayer(std::unique_ptr<CarAudioCore> core) : core_(std::move(core)) {}

  // Applies one input event; its outputs go to `out`, a decision to
  // `decision`. InvalidArgument for an input the service never logs.
  absl::Status Apply(const v1::Event& event, Outputs& out,
                     std::optional<v1::FocusResult>& decision) {
    const absl::Time now = absl::FromUnixNanos(event.timestamp_ns());
    switch (event.kind_case()) {
      case v1::Event::kFocusRequest: {
        absl::StatusOr<FocusRequest> request =
            FocusRequestFromProto(event.focus_request().request());
        if (!request.ok()) return request.status();
        CoreOutput output = core_->RequestFocus(*request, now);
        decision = FocusResultToProto(*output.decision);
        Append(output, out);
        return absl::OkStatus();
      }
      case v1::Event::kFocusAbandon: {
        const v1::AbandonFocusRequest& abandon = event.focus_abandon().request();
        std::optional<int32_t> zone;
        if (abandon.has_zone_id()) zone = abandon.zone_id();
        Append(core_->AbandonFocus(abandon.client_id(), zone), out);
        return absl::OkStatus();
      }
      case v1::Event::kGroupVolume: {
        const v1::GroupVolume& group = event.group_volume();
        absl::StatusOr<VolumeGroupState> current =
            core_->volume_groups().Get(group.zone_id(), group.group());
        if (!current.ok()) return current.status();
        if (current->gain_index != group.gain_index()) {
          absl::StatusOr<CoreOutput> output =
              core_->SetGroupVolume(group.zone_id(), group.group(), group.gain_index());
          if (!output.ok()) return output.status();
          Append(*output, out);
        }
        if (current->muted != group.muted()) {
          absl::StatusOr<CoreOutput> output =
              core_->SetGroupMute(group.zone_id(), group.group(), group.muted());
          if (!output.ok()) return output.status();
          Append(*output, out);
        }
        return absl::OkStatus();
      }
      case v1::Event::kHalRequestFocus: {
        HalRequestOutcome outcome = ApplyHalRequest(*core_, event.hal_request_focus().call());
        decision = std::move(outcome.result);
        Append(outcome.output, out);
        return absl::OkStatus();
      }
      case v1::Event::kHalAbandonFocus: {
        const v1::AbandonAudioFocusCall& call = event.hal_abandon_focus();
        absl::StatusOr<CoreOutput> output = core_->HalAbandonAudioFocus(call.usage(),
                                                                        call.zone_id());
        if (output.ok()) Append(*output, out);  // the service logs and ignores a bad one
        return absl::OkStatus();
      }
      case v1::Event::kHalListener:
        if (!event.hal_listener().registered()) Append(core_->HalReset(), out);
        return absl::OkStatus();
      case v1::Event::kRestrictFocus:
        Append(core_->SetRestrictFocus(event.restrict_focus().restricted()), out);
        return absl::OkStatus();
      case v1::Event::kNavigationRejectedDuringCall:
        return core_->SetNavigationRejectedDuringCall(
            event.navigation_rejected_during_call().zone_id(),
            event.navigation_rejected_during_call().rejected());
      case v1::Event::kZoneForUid: {
        absl::StatusOr<CoreOutput> output =
            core_->SetZoneForUid(event.zone_for_uid().uid(), event.zone_for_uid().zone_id());
        if (!output.ok()) return output.status();
        Append(*output, out);
        return absl::OkStatus();
      }
      case v1::Event::kZoneForUidCleared:
        Append(core_->ClearZoneForUid(event.zone_for_uid_cleared().uid()), out);
        return absl::OkStatus();
      case v1::Event::kConfigReloaded: {
        const v1::ConfigReloadEvent& reload = event.config_reloaded();
        absl::StatusOr<CarAudioConfig> config =
            ParseCarAudioConfig(reload.config_xml(), reload.path());
        if (!config.ok()) return config.status();
        absl::StatusOr<CoreOutput> output = core_->Reload(*std::move(config));
        if (!output.ok()) return output.status();
        Append(*output, out);
        return absl::OkStatus();
      }
      case v1::Event::kAppState:
        return ApplyAppStateReport(event.app_state(), std::max(now, core_->lifecycle().now()),
                                   core_->lifecycle())
            .status();
      case v1::Event::kHardeningMode: {
        const v1::SetHardeningModeRequest& request = event.hardening_mode();
        absl::StatusOr<HardeningMode> mode = HardeningModeFromProto(request.mode());
        if (!mode.ok()) return mode.status();
        return request.has_zone_id() ? core_->hardening().SetMode(request.zone_id(), *mode)
                                     : core_->hardening().SetDefaultMode(*mode);
      }
      default:
        return absl::OkStatus();
    }
  }

  // Starts from the state a recording began with: its settings are
  // restored; focus held, a HAL request, a muted device or a reported app
  // cannot be, so they make it FailedPrecondition.
  absl::Status Restore(const v1::CarAudioState& state) {
    auto refuse = [](absl::string_view what) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the recording starts with ", what,
          ", which replay cannot rebuild: record before the first request"));
    };
    if (!state.apps().empty()) return refuse("reported app lifecycles");
    for (const v1::ZoneState& zone : state.zones()) {
      if (!zone.holders().empty() || !zone.losers().empty() || zone.has_delayed()) {
        return refuse(absl::StrCat("focus entries in zone ", zone.zone_id()));
      }
      if (!zone.hal_requests().empty()) return refuse("HAL focus requests");
      if (!zone.muted_device_addresses().empty()) return refuse("muted devices");
    }
    core_->SetRestrictFocus(state.restricted());
    absl::StatusOr<HardeningMode> default_mode =
        HardeningModeFromProto(state.default_hardening_mode());
    if (!default_mode.ok()) return default_mode.status();
    if (absl::Status status = core_->hardening().SetDefaultMode(*default_mode); !status.ok()) {
      return status;
    }
    for (const v1::ZoneState& zone : state.zones()) {
      if (absl::Status status = core_->SetNavigationRejectedDuringCall(
              zone.zone_id(), zone.navigation_rejected_during_call());
          !status.ok()) {
        return status;
      }
      absl::StatusOr<HardeningMode> mode = HardeningModeFromProto(zone.hardening_mode());
      if (!mode.ok()) return mode.status();
      if (*mode != *default_mode) {
        if (absl::Status status = core_->hardening().SetMode(zone.zone_id(), *mode); !status.ok()) {
          return status;
        }
      }
    }
    for (const v1::UidZone& entry : state.uid_zones()) {
      if (absl::StatusOr<CoreOutput> moved = core_->SetZoneForUid(entry.uid(), entry.zone_id());
          !moved.ok()) {
        return moved.status();
      }
    }
    return absl::OkStatus();
  }

  // Time passed in the recording (a lifecycle timer fired).
  void AdvanceTo(absl::Time now) {
    AppLifecycle& lifecycle = core_->lifecycle();
    lifecycle.AdvanceTo(std::max(now, lifecycle.now()));
  }

 private:
  std::unique_ptr<CarAudioCore> core_;
};

}  // namespace

bool IsInputEvent(const v1::Event& event) {
  switch (event.kind_case()) {
    case v1::Event::kFocusRequest:
    case v1::Event::kFocusAbandon:
    case v1::Event::kGroupVolume:
    case v1::Event::kHalRequestFocus:
    case v1::Event::kHalAbandonFocus:
    case v1::Event::kHalListener:
    case v1::Event::kRestrictFocus:
    case v1::Event::kNavigationRejectedDuringCall:
    case v1::Event::kZoneForUid:
    case v1::Event::kZoneForUidCleared:
    case v1::Event::kConfigReloaded:
    case v1::Event::kAppState:
    case v1::Event::kHardeningMode:
      return true;
    default:
      return false;
  }
}

absl::StatusOr<std::vector<v1::Event>> ParseEventLog(absl::string_view text,
                                                     absl::string_view source) {
  std::vector<v1::Event> events;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    v1::Event event;
    const auto status = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(line.data(), line.size()), &event);
    if (!status.ok()) {
      // protobuf's JSON errors go on with the offending text and a caret on
      // further lines; the line number already points there.
      const std::string reason = status.message().as_string();
      return absl::InvalidArgumentError(absl::StrCat(source, ":", line_number,
                                                     ": not a caraudio.v1.Event: ",
                                                     reason.substr(0, reason.find('\n'))));
    }
    events.push_back(std::move(event));
  }
  return events;
}

absl::StatusOr<ReplayReport> ReplayEvents(const std::vector<v1::Event>& events,
                                          const CarAudioConfig& car) {
  absl::StatusOr<std::unique_ptr<CarAudioCore>> core = CarAudioCore::Create(car);
  if (!core.ok()) return core.status();
  Replayer replayer(*std::move(core));
  ReplayReport report;

  // The input being compared and what it produced on both sides.
  const v1::Event* input = nullptr;
  std::optional<v1::FocusResult> replayed_decision;
  Outputs recorded;
  Outputs replayed;
  auto finish_input = [&] {
    if (input == nullptr) return;
    std::vector<std::string> differences;
    std::optional<v1::FocusResult> recorded_decision;
    if (input->has_focus_request()) recorded_decision = input->focus_request().result();
    if (input->has_hal_request_focus() && input->hal_request_focus().has_result()) {
      recorded_decision = input->hal_request_focus().result();
    }
    if (recorded_decision.has_value() != replayed_decision.has_value() ||
        (recorded_decision &&
         !MessageDifferencer::Equals(*recorded_decision, *replayed_decision))) {
      // Readable first; the raw messages when the difference is in a detail
      // the rendering leaves out.
      auto render = [](const std::optional<v1::FocusResult>& result) {
        return result ? audioctl::RenderFocusResult(*result) : std::string("none");
      };
      std::string recorded_text = render(recorded_decision);
      std::string replayed_text = render(replayed_decision);
      if (recorded_text == replayed_text) {
        recorded_text = recorded_decision->ShortDebugString();
        replayed_text = replayed_decision->ShortDebugString();
      }
      differences.push_back(absl::StrCat("decision: recorded ", recorded_text, "; replayed ",
                                         replayed_text));
    }
    CompareLists("focus callback", recorded.callbacks, replayed.callbacks, differences);
    CompareLists("HAL focus report", recorded.hal_reports, replayed.hal_reports, differences);
    CompareLists("ducking change", recorded.ducking, replayed.ducking, differences);
    CompareLists("muting change", recorded.muting, replayed.muting, differences);
    for (std::string& what : differences) {
      report.differences.push_back(ReplayDifference{
          input->sequence(), audioctl::RenderEvent(*input), std::move(what)});
    }
    report.outputs += recorded.count();
    recorded = Outputs{};
    replayed = Outputs{};
    replayed_decision.reset();
  };

  uint64_t expected_sequence = 1;
  bool started = false;
  for (const v1::Event& event : events) {
    if (event.has_subscribed()) {
      if (started || !event.subscribed().has_state()) continue;
      if (absl::Status status = replayer.Restore(event.subscribed().state()); !status.ok()) {
        return status;
      }
      expected_sequence = event.subscribed().state().sequence() + 1;
      started = true;
      continue;
    }
    started = true;
    if (event.sequence() != expected_sequence) {
      if (expected_sequence == 1) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the log starts at event ", event.sequence(),
            " without the state before it: record with `audioctl events --with-state "
            "--record FILE`, or from the daemon's first event"));
      }
      return absl::FailedPreconditionError(absl::StrCat(
          "events ", expected_sequence, "..", event.sequence() - 1, " are missing from the log"));
    }
    ++expected_sequence;
    if (event.has_app_transition()) {
      replayer.AdvanceTo(absl::FromUnixNanos(event.timestamp_ns()));
      continue;
    }
    if (!IsInputEvent(event)) {
      AppendRecorded(event, recorded);
      continue;
    }
    finish_input();
    input = &event;
    ++report.inputs;
    if (absl::Status status = replayer.Apply(event, replayed, replayed_decision); !status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("event ", event.sequence(), " (",
                                                     audioctl::RenderEvent(event),
                                                     "): ", status.message()));
    }
  }
  finish_input();
  return report;
}

}  // namespace caraudio
