#include "carservice/proto_convert.h"

#include "absl/strings/str_cat.h"
#include "carservice/hal_focus_tracker.h"

namespace caraudio {
namespace {

bool IsKnownContentType(int32_t value) {
  return (value >= 0 && value <= 4) || value == 1997;
}

v1::FocusEntryState EntryToProto(const FocusEntry& entry, const ZoneFocus& zone) {
  v1::FocusEntryState state;
  *state.mutable_request() = FocusRequestToProto(entry.request);
  state.set_context(static_cast<v1::AudioContext>(entry.context));
  state.set_ducked(entry.ducked);
  for (FocusEntryId blocker : entry.blockers) {
    for (const std::vector<FocusEntry>* entries : {&zone.holders(), &zone.losers()}) {
      for (const FocusEntry& other : *entries) {
        if (other.id == blocker) state.add_blocker_client_ids(other.client_id());
      }
    }
  }
  return state;
}

}  // namespace

absl::Status ValidateClientId(const std::string& client_id) {
  if (client_id.empty()) return absl::InvalidArgumentError("client_id must not be empty");
  if (client_id.size() > kMaxClientIdLength) {
    return absl::InvalidArgumentError(absl::StrCat("client_id is ", client_id.size(),
                                                   " bytes; the limit is ", kMaxClientIdLength));
  }
  if (IsHalFocusClientId(client_id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("client_id must not start with \"", kHalFocusClientIdPrefix,
                     "\": that prefix is reserved for the AudioControl HAL"));
  }
  return absl::OkStatus();
}

absl::Status ValidateUsage(int32_t usage, const char* field) {
  if (!IsKnownUsage(usage)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " ", usage, " is not a known AudioAttributes usage"));
  }
  return absl::OkStatus();
}

absl::StatusOr<FocusGain> ValidateGain(int32_t gain, const char* field) {
  std::optional<FocusGain> parsed = FocusGainFromInt(gain);
  if (!parsed) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " ", gain, " is not one of GAIN (1), GAIN_TRANSIENT (2), "
                                       "GAIN_TRANSIENT_MAY_DUCK (3), GAIN_TRANSIENT_EXCLUSIVE (4)"));
  }
  return *parsed;
}

absl::StatusOr<FocusRequest> FocusRequestFromProto(const v1::FocusRequest& proto) {
  if (absl::Status status = ValidateClientId(proto.client_id()); !status.ok()) return status;
  if (proto.package_name().size() > kMaxClientIdLength) {
    return absl::InvalidArgumentError(absl::StrCat("package_name is ", proto.package_name().size(),
                                                   " bytes; the limit is ", kMaxClientIdLength));
  }
  if (proto.uid() < 0) {
    return absl::InvalidArgumentError(absl::StrCat("uid ", proto.uid(), " is negative"));
  }
  if (absl::Status status = ValidateUsage(proto.usage(), "usage"); !status.ok()) return status;
  if (!IsKnownContentType(proto.content_type())) {
    return absl::InvalidArgumentError(
        absl::StrCat("content_type ", proto.content_type(), " is not a known content type"));
  }
  absl::StatusOr<FocusGain> gain = ValidateGain(proto.gain(), "gain");
  if (!gain.ok()) return gain.status();

  FocusRequest request;
  request.client_id = proto.client_id();
  request.package_name = proto.package_name();
  request.uid = proto.uid();
  request.usage = proto.usage();
  request.content_type = proto.content_type();
  request.gain = *gain;
  request.delay_ok = proto.delay_ok();
  request.pause_when_ducked = proto.pause_when_ducked();
  request.receives_ducking_events = proto.receive_ducking_events();
  if (proto.has_zone_id()) request.requested_zone_id = proto.zone_id();
  return request;
}

v1::FocusRequest FocusRequestToProto(const FocusRequest& request) {
  v1::FocusRequest proto;
  proto.set_client_id(request.client_id);
  proto.set_package_name(request.package_name);
  proto.set_uid(request.uid);
  proto.set_usage(static_cast<v1::AudioUsage>(request.usage));
  proto.set_content_type(static_cast<v1::AudioContentType>(request.content_type));
  proto.set_gain(static_cast<v1::FocusGain>(request.gain));
  proto.set_delay_ok(request.delay_ok);
  proto.set_pause_when_ducked(request.pause_when_ducked);
  proto.set_receive_ducking_events(request.receives_ducking_events);
  if (request.requested_zone_id) proto.set_zone_id(*request.requested_zone_id);
  return proto;
}

v1::Explanation ExplanationToProto(const FocusExplanation& explanation) {
  v1::Explanation proto;
  proto.set_rule(static_cast<v1::DecisionRule>(explanation.rule));
  proto.set_blocking_client_id(explanation.blocking_client);
  proto.set_blocking_entry_is_loser(explanation.blocking_entry_is_loser);
  proto.set_holder_context(static_cast<v1::AudioContext>(explanation.holder_context));
  proto.set_request_context(static_cast<v1::AudioContext>(explanation.request_context));
  proto.set_cell(static_cast<v1::Interaction>(explanation.cell));
  proto.set_text(explanation.text);
  return proto;
}

v1::FocusResult FocusResultToProto(const FocusDecision& decision) {
  v1::FocusResult proto;
  proto.set_result(static_cast<v1::RequestResult>(decision.result));
  proto.set_zone_id(decision.zone_id);
  *proto.mutable_explanation() = ExplanationToProto(decision.explanation);
  return proto;
}

v1::DuckingInfo DuckingInfoToProto(const DuckingInfo& info) {
  v1::DuckingInfo proto;
  proto.set_zone_id(info.zone_id);
  for (const std::string& address : info.addresses_to_duck) proto.add_device_addresses_to_duck(address);
  for (const std::string& address : info.addresses_to_unduck) proto.add_device_addresses_to_unduck(address);
  for (const std::string& usage : info.usages_holding_focus) proto.add_usages_holding_focus(usage);
  for (const PlaybackTrackMetadata& metadata : info.playback_metadata_holding_focus) {
    v1::PlaybackTrackMetadata* out = proto.add_playback_metadata_holding_focus();
    out->set_usage(static_cast<v1::AudioUsage>(metadata.usage));
    out->set_content_type(static_cast<v1::AudioContentType>(metadata.content_type));
    out->set_source_device_address(metadata.device_address);
  }
  return proto;
}

v1::MutingInfo MutingInfoToProto(const MutingInfo& info) {
  v1::MutingInfo proto;
  proto.set_zone_id(info.zone_id);
  for (const std::string& address : info.addresses_to_mute) proto.add_device_addresses_to_mute(address);
  for (const std::string& address : info.addresses_to_unmute) {
    proto.add_device_addresses_to_unmute(address);
  }
  return proto;
}

v1::GroupVolume GroupVolumeToProto(const VolumeGroupState& state) {
  v1::GroupVolume proto;
  proto.set_zone_id(state.zone_id);
  proto.set_group(state.name);
  proto.set_gain_index(state.gain_index);
  proto.set_min_index(0);
  proto.set_max_index(state.max_index);
  proto.set_gain_mb(state.gain_mb());
  proto.set_muted(state.muted);
  return proto;
}

v1::FocusCallbackEvent FocusCallbackToProto(const FocusCallback& callback) {
  v1::FocusCallbackEvent proto;
  proto.set_zone_id(callback.zone_id);
  proto.set_client_id(callback.client_id);
  proto.set_usage(static_cast<v1::AudioUsage>(callback.usage));
  proto.set_change(static_cast<v1::FocusChange>(callback.change));
  return proto;
}

v1::CarAudioState StateToProto(const CarAudioCore& core) {
  v1::CarAudioState state;
  const FocusEngine& engine = core.engine();
  state.set_restricted(engine.restricted());
  for (const auto& [uid, zone] : engine.uid_zones()) {
    v1::UidZone* entry = state.add_uid_zones();
    entry->set_uid(uid);
    entry->set_zone_id(zone);
  }
  for (const ZoneConfig& config : core.config().zones) {
    const ZoneFocus* zone = engine.zone(config.id);
    if (zone == nullptr) continue;
    v1::ZoneState* out = state.add_zones();
    out->set_zone_id(config.id);
    out->set_name(config.name);
    out->set_navigation_rejected_during_call(zone->navigation_rejected_during_call());
    for (const FocusEntry& entry : zone->holders()) *out->add_holders() = EntryToProto(entry, *zone);
    for (const FocusEntry& entry : zone->losers()) *out->add_losers() = EntryToProto(entry, *zone);
    if (const std::optional<FocusRequest>& delayed = zone->delayed_request()) {
      *out->mutable_delayed()->mutable_request() = FocusRequestToProto(*delayed);
      out->mutable_delayed()->set_context(static_cast<v1::AudioContext>(delayed->context()));
    }
    for (const std::string& address : core.ducking().ducked_addresses(config.id)) {
      out->add_ducked_device_addresses(address);
    }
    for (const std::string& address : core.volume_groups().MutedAddresses(config.id)) {
      out->add_muted_device_addresses(address);
    }
    out->set_hardening_mode(static_cast<v1::HardeningMode>(core.hardening().mode(config.id)));
    for (const auto& [key, status] : core.hal_focus().tracked()) {
      if (key.first != config.id) continue;
      v1::HalFocusRequestState* hal = out->add_hal_requests();
      hal->set_zone_id(key.first);
      hal->set_usage(static_cast<v1::AudioUsage>(key.second));
      hal->set_status(static_cast<v1::FocusChange>(status));
      hal->set_client_id(HalFocusClientId(key.first, key.second));
    }
  }
  const AppLifecycle& lifecycle = core.lifecycle();
  for (const AppKey& app : lifecycle.Apps()) {
    *state.add_apps() = AppLifecycleStateToProto(app, lifecycle.Evaluate(app, lifecycle.now()));
  }
  state.set_default_hardening_mode(static_cast<v1::HardeningMode>(core.hardening().default_mode()));
  for (const SuppressedCall& call : core.hardening().suppressed_calls()) {
    *state.add_hardening_log() = HardeningEventToProto(call);
  }
  return state;
}

v1::HardeningEvent HardeningEventToProto(const SuppressedCall& call) {
  v1::HardeningEvent event;
  event.set_zone_id(call.zone_id);
  event.set_package_name(call.app.package_name);
  event.set_uid(call.app.uid);
  event.set_api(call.api);
  event.set_mode(static_cast<v1::HardeningMode>(call.mode));
  event.set_line(call.log_line);
  return event;
}

v1::AppLifecycleState AppLifecycleStateToProto(const AppKey& app, const LifecycleVerdict& verdict) {
  v1::AppLifecycleState state;
  state.set_package_name(app.package_name);
  state.set_uid(app.uid);
  state.set_valid(verdict.valid);
  state.set_reason(verdict.reason);
  return state;
}

absl::StatusOr<HardeningMode> HardeningModeFromProto(int32_t mode) {
  if (!v1::HardeningMode_IsValid(mode)) {
    return absl::InvalidArgumentError(absl::StrCat("mode ", mode, " is not a HardeningMode"));
  }
  return static_cast<HardeningMode>(mode);
}

v1::AppTransitionEvent AppTransitionToProto(const LifecycleTransition& transition, int64_t at_ns) {
  v1::AppTransitionEvent event;
  event.set_package_name(transition.app.package_name);
  event.set_uid(transition.app.uid);
  event.set_fgs_type(static_cast<v1::ForegroundServiceType>(transition.fgs_type));
  event.set_kind(LifecycleTransitionKindName(transition.kind));
  event.set_at_ns(at_ns);
  event.set_reason(transition.reason);
  event.set_valid_after(transition.app_valid_after);
  return event;
}

absl::StatusOr<std::vector<LifecycleTransition>> ApplyAppStateReport(
    const v1::ReportAppStateRequest& report, absl::Time now, AppLifecycle& lifecycle) {
  const AppKey app{report.package_name(), report.uid()};
  switch (report.report_case()) {
    case v1::ReportAppStateRequest::kVisibility:
      if (!v1::AppVisibility_IsValid(report.visibility())) break;
      return lifecycle.SetVisibility(app, static_cast<Visibility>(report.visibility()), now);
    case v1::ReportAppStateRequest::kStartForegroundService: {
      const v1::ForegroundServiceStart& start = report.start_foreground_service();
      if (!v1::ForegroundServiceType_IsValid(start.type()) ||
          !v1::ForegroundServiceStartOrigin_IsValid(start.origin())) {
        break;
      }
      return lifecycle.StartForegroundService(app, static_cast<FgsType>(start.type()),
                                              static_cast<FgsStartOrigin>(start.origin()), now);
    }
    case v1::ReportAppStateRequest::kStopForegroundService:
      if (!v1::ForegroundServiceType_IsValid(report.stop_foreground_service())) break;
      return lifecycle.StopForegroundService(
          app, static_cast<FgsType>(report.stop_foreground_service()), now);
    case v1::ReportAppStateRequest::kPlaybackState:
      if (!v1::AppPlaybackState_IsValid(report.playback_state())) break;
      return lifecycle.SetPlaybackState(app, static_cast<PlaybackState>(report.playback_state()),
                                        now);
    case v1::ReportAppStateRequest::kUserInteraction:
      return lifecycle.ReportUserInteraction(app, now);
    case v1::ReportAppStateRequest::REPORT_NOT_SET:
      return absl::InvalidArgumentError("ReportAppState: no report set");
  }
  return absl::InvalidArgumentError(
      absl::StrCat("ReportAppState: a value outside its enum in ", report.ShortDebugString()));
}

v1::OnAudioFocusChangeRequest HalFocusChangeToProto(const HalFocusChange& change) {
  v1::OnAudioFocusChangeRequest request;
  request.set_usage(static_cast<v1::AudioUsage>(change.usage));
  request.set_zone_id(change.zone_id);
  request.set_focus_change(static_cast<v1::FocusChange>(change.focus_change));
  return request;
}

HalRequestOutcome ApplyHalRequest(CarAudioCore& core, const v1::RequestAudioFocusCall& call) {
  absl::StatusOr<CoreOutput> output = [&]() -> absl::StatusOr<CoreOutput> {
    if (absl::Status status = ValidateUsage(call.usage(), "usage"); !status.ok()) return status;
    absl::StatusOr<FocusGain> gain = ValidateGain(call.focus_gain(), "focus_gain");
    if (!gain.ok()) return gain.status();
    return core.HalRequestAudioFocus(call.usage(), call.zone_id(), *gain);
  }();
  HalRequestOutcome outcome;
  if (output.ok()) {
    outcome.output = *std::move(output);
    if (outcome.output.decision) outcome.result = FocusResultToProto(*outcome.output.decision);
    return outcome;
  }
  outcome.error = output.status();
  v1::FocusResult& result = outcome.result.emplace();
  result.set_result(v1::REQUEST_FAILED);
  result.set_zone_id(call.zone_id());
  result.mutable_explanation()->set_rule(v1::DECISION_RULE_NO_ZONE);
  result.mutable_explanation()->set_text(std::string(output.status().message()));
  outcome.output.hal_reports.push_back(
      HalFocusChange{call.usage(), call.zone_id(), static_cast<int32_t>(FocusChange::kLoss)});
  return outcome;
}

StreamLevelSample StreamLevelFromProto(const v1::StreamLevel& level) {
  StreamLevelSample sample;
  sample.app = AppKey{level.package_name(), level.uid()};
  sample.zone_id = level.zone_id();
  sample.client_id = level.client_id();
  sample.node_name = level.node_name();
  sample.rms_dbfs = level.rms_dbfs();
  sample.peak_dbfs = level.peak_dbfs();
  sample.silenced = level.silenced();
  return sample;
}

#define CARAUDIO_SAME_FINDING(cc, proto) \
  static_assert(static_cast<int>(FindingKind::cc) == v1::proto, #cc " differs from " #proto)
CARAUDIO_SAME_FINDING(kPlayedWithoutFocus, FINDING_KIND_PLAYED_WITHOUT_FOCUS);
CARAUDIO_SAME_FINDING(kAudibleAfterLoss, FINDING_KIND_AUDIBLE_AFTER_LOSS);
CARAUDIO_SAME_FINDING(kAudibleDuringTransientLoss, FINDING_KIND_AUDIBLE_DURING_TRANSIENT_LOSS);
CARAUDIO_SAME_FINDING(kNotLoweredAfterCanDuck, FINDING_KIND_NOT_LOWERED_AFTER_CAN_DUCK);
CARAUDIO_SAME_FINDING(kHeldFocusWhileSilent, FINDING_KIND_HELD_FOCUS_WHILE_SILENT);
CARAUDIO_SAME_FINDING(kMultipleStackEntries, FINDING_KIND_MULTIPLE_STACK_ENTRIES);
CARAUDIO_SAME_FINDING(kChangedVolumeItself, FINDING_KIND_CHANGED_VOLUME_ITSELF);
#undef CARAUDIO_SAME_FINDING

v1::AuditFinding AuditFindingToProto(const AuditFinding& finding, int64_t at_ns,
                                     int64_t since_ns) {
  v1::AuditFinding proto;
  proto.set_timestamp_ns(at_ns);
  proto.set_since_ns(since_ns);
  proto.set_kind(static_cast<v1::FindingKind>(finding.kind));
  proto.set_zone_id(finding.zone_id);
  proto.set_package_name(finding.app.package_name);
  proto.set_uid(finding.app.uid);
  proto.set_client_id(finding.client_id);
  proto.set_detail(finding.detail);
  return proto;
}

v1::AuditSettings AuditSettingsToProto(const AuditSettings& settings) {
  v1::AuditSettings proto;
  proto.set_audible_threshold_dbfs(static_cast<float>(settings.audible_threshold_dbfs));
  proto.set_reaction_ms(static_cast<int32_t>(absl::ToInt64Milliseconds(settings.reaction)));
  proto.set_idle_focus_ms(static_cast<int32_t>(absl::ToInt64Milliseconds(settings.idle_focus)));
  proto.set_duck_lowering_db(static_cast<float>(settings.duck_lowering_db));
  return proto;
}

}  // namespace caraudio
