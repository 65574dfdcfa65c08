#include "tools/audioctl_render.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "carservice/audio_context.h"
#include "carservice/audio_usage.h"
#include "carservice/focus_codes.h"

namespace caraudio::audioctl {
namespace {

std::string YesNo(bool value) { return value ? "yes" : "no"; }

// "[a, b]"; "[]" when empty.
template <typename Strings>
std::string List(const Strings& items) {
  return absl::StrCat("[", absl::StrJoin(items, ", "), "]");
}

// "a, b"; "none" when empty.
template <typename Strings>
std::string ListOrNone(const Strings& items) {
  return items.empty() ? "none" : absl::StrJoin(items, ", ");
}

std::string RequestFlags(const v1::FocusRequest& request) {
  std::vector<std::string> flags;
  if (request.delay_ok()) flags.push_back("DELAY_OK");
  if (request.pause_when_ducked()) flags.push_back("PAUSES_ON_DUCKABLE_LOSS");
  if (request.receive_ducking_events()) flags.push_back("RECEIVE_DUCKING_EVENTS");
  return absl::StrJoin(flags, "|");
}

std::string ContentTypeLabel(int32_t content_type) {
  const std::string& name = v1::AudioContentType_Name(content_type);
  return name.empty() ? absl::StrCat("CONTENT_TYPE_", content_type) : name;
}

std::string RenderEntry(const v1::FocusEntryState& entry, bool loser) {
  std::string line =
      absl::StrCat(RenderRequest(entry.request()), " context=", ContextLabel(entry.context()));
  if (loser) {
    absl::StrAppend(&line, " blockers=", List(entry.blocker_client_ids()),
                    " ducked=", YesNo(entry.ducked()));
  }
  return line;
}

void AppendEntries(std::string& out, absl::string_view title,
                   const google::protobuf::RepeatedPtrField<v1::FocusEntryState>& entries,
                   bool losers) {
  if (entries.empty()) {
    absl::StrAppend(&out, "  ", title, ": none\n");
    return;
  }
  absl::StrAppend(&out, "  ", title, " (", entries.size(), "):\n");
  for (const v1::FocusEntryState& entry : entries) {
    absl::StrAppend(&out, "    ", RenderEntry(entry, losers), "\n");
  }
}

std::string RenderHalRequestState(const v1::HalFocusRequestState& hal) {
  return absl::StrCat("usage=", UsageLabel(hal.usage()), " status=", ChangeLabel(hal.status()),
                      " client=", hal.client_id());
}

std::string RenderEventDetails(const v1::Event& event) {
  switch (event.kind_case()) {
    case v1::Event::kSubscribed:
      return "";
    case v1::Event::kFocusRequest: {
      const v1::FocusRequestEvent& e = event.focus_request();
      return absl::StrCat(RenderRequest(e.request()), " -> ", RenderFocusResult(e.result()));
    }
    case v1::Event::kFocusAbandon: {
      const v1::FocusAbandonEvent& e = event.focus_abandon();
      return absl::StrCat("client=", e.request().client_id(), " zone=",
                          e.request().has_zone_id() ? absl::StrCat(e.request().zone_id()) : "all",
                          " reason=", v1::AbandonReason_Name(e.reason()));
    }
    case v1::Event::kFocusCallback: {
      const v1::FocusCallbackEvent& e = event.focus_callback();
      return absl::StrCat("client=", e.client_id(), " zone=", e.zone_id(),
                          " usage=", UsageLabel(e.usage()), " change=", ChangeLabel(e.change()));
    }
    case v1::Event::kDuckingChange: {
      const v1::DuckingInfo& e = event.ducking_change();
      return absl::StrCat("zone=", e.zone_id(), " duck=", List(e.device_addresses_to_duck()),
                          " unduck=", List(e.device_addresses_to_unduck()),
                          " holding=", List(e.usages_holding_focus()));
    }
    case v1::Event::kMutingChange: {
      const v1::MutingInfo& e = event.muting_change();
      return absl::StrCat("zone=", e.zone_id(), " mute=", List(e.device_addresses_to_mute()),
                          " unmute=", List(e.device_addresses_to_unmute()));
    }
    case v1::Event::kGroupVolume:
      return RenderGroupVolume(event.group_volume());
    case v1::Event::kHalRequestFocus: {
      const v1::HalFocusRequestEvent& e = event.hal_request_focus();
      std::string text =
          absl::StrCat("usage=", UsageLabel(e.call().usage()), " zone=", e.call().zone_id(),
                       " gain=", GainLabel(e.call().focus_gain()));
      if (e.call().replay()) absl::StrAppend(&text, " replay");
      absl::StrAppend(&text, " -> ",
                      e.has_result() ? RenderFocusResult(e.result()) : "already tracked");
      return text;
    }
    case v1::Event::kHalAbandonFocus: {
      const v1::AbandonAudioFocusCall& e = event.hal_abandon_focus();
      return absl::StrCat("usage=", UsageLabel(e.usage()), " zone=", e.zone_id());
    }
    case v1::Event::kHalFocusChange: {
      const v1::OnAudioFocusChangeRequest& e = event.hal_focus_change();
      return absl::StrCat("usage=", UsageLabel(e.usage()), " zone=", e.zone_id(),
                          " change=", ChangeLabel(e.focus_change()));
    }
    case v1::Event::kHalListener: {
      const v1::HalListenerEvent& e = event.hal_listener();
      return e.registered() ? absl::StrCat("registered id=", e.registration_id())
                            : std::string("unregistered");
    }
    case v1::Event::kRestrictFocus:
      return event.restrict_focus().restricted() ? "on" : "off";
    case v1::Event::kNavigationRejectedDuringCall: {
      const v1::SetNavigationRejectedDuringCallRequest& e = event.navigation_rejected_during_call();
      return absl::StrCat("zone=", e.zone_id(), " ", e.rejected() ? "reject" : "allow");
    }
    case v1::Event::kZoneForUid:
      return absl::StrCat("uid=", event.zone_for_uid().uid(),
                          " zone=", event.zone_for_uid().zone_id());
    case v1::Event::kZoneForUidCleared:
      return absl::StrCat("uid=", event.zone_for_uid_cleared().uid());
    case v1::Event::kConfigReloaded: {
      const v1::ConfigReloadEvent& e = event.config_reloaded();
      return absl::StrCat("path=", e.path(), " zones=", List(e.zone_ids()),
                          " removed=", ListOrNone(e.removed_zone_ids()),
                          " added=", ListOrNone(e.added_zone_ids()));
    }
    case v1::Event::kAppState: {
      const v1::ReportAppStateRequest& e = event.app_state();
      std::string report = e.ShortDebugString();
      return absl::StrCat(e.package_name(), " uid=", e.uid(), ": ", report);
    }
    case v1::Event::kHardeningMode: {
      const v1::SetHardeningModeRequest& e = event.hardening_mode();
      return absl::StrCat(e.has_zone_id() ? absl::StrCat("zone ", e.zone_id()) : "default", " ",
                          v1::HardeningMode_Name(e.mode()));
    }
    case v1::Event::kHardening:
      return event.hardening().line();
    case v1::Event::kAppTransition: {
      const v1::AppTransitionEvent& e = event.app_transition();
      return absl::StrCat(e.package_name(), " (uid ", e.uid(), ") ", e.kind(), ": ", e.reason(),
                          e.valid_after() ? "" : " [no valid lifecycle]");
    }
    case v1::Event::kAuditFinding: {
      const v1::AuditFinding& e = event.audit_finding();
      return absl::StrCat(e.package_name(), " (uid ", e.uid(), ") zone ", e.zone_id(), " ",
                          v1::FindingKind_Name(e.kind()), ": ", e.detail());
    }
    case v1::Event::KIND_NOT_SET:
      break;
  }
  // A kind this build does not know (a newer daemon): show what we have.
  return event.ShortDebugString();
}

}  // namespace

std::string FormatTimestamp(int64_t timestamp_ns) {
  const int64_t seconds = timestamp_ns / 1'000'000'000;
  const int64_t micros = (timestamp_ns % 1'000'000'000) / 1'000;
  if (timestamp_ns < 0) return absl::StrFormat("[%12d ns]", timestamp_ns);
  return absl::StrFormat("[%5d.%06d]", seconds, micros);
}

std::string UsageLabel(int32_t usage) { return UsageName(usage); }

std::string ContextLabel(int32_t context) {
  std::optional<AudioContext> known = AudioContextFromId(context);
  return known ? ContextName(*known) : absl::StrCat("CONTEXT?(", context, ")");
}

std::string GainLabel(int32_t gain) {
  if (gain == 0) return "NONE";
  std::optional<FocusGain> known = FocusGainFromInt(gain);
  return known ? FocusGainName(*known) : absl::StrCat("GAIN?(", gain, ")");
}

std::string ChangeLabel(int32_t change) {
  switch (change) {
    case 0:
      return "NONE";
    case 2:
    case 3:
    case 4:
      return GainLabel(change);  // a granted HAL gain
    case 1:
    case -1:
    case -2:
    case -3:
      return FocusChangeName(static_cast<FocusChange>(change));
    default:
      return absl::StrCat("CHANGE?(", change, ")");
  }
}

std::string RenderRequest(const v1::FocusRequest& request) {
  std::string text = absl::StrCat("client=", request.client_id());
  if (!request.package_name().empty()) absl::StrAppend(&text, " package=", request.package_name());
  absl::StrAppend(&text, " uid=", request.uid(), " usage=", UsageLabel(request.usage()),
                  " gain=", GainLabel(request.gain()));
  if (request.has_zone_id()) absl::StrAppend(&text, " zone=", request.zone_id());
  const std::string flags = RequestFlags(request);
  if (!flags.empty()) absl::StrAppend(&text, " flags=", flags);
  if (request.content_type() != v1::CONTENT_TYPE_UNKNOWN) {
    absl::StrAppend(&text, " content=", ContentTypeLabel(request.content_type()));
  }
  return text;
}

std::string RenderFocusResult(const v1::FocusResult& result) {
  std::string text = absl::StrCat(RequestResultName(static_cast<RequestResult>(result.result())),
                                  " in zone ", result.zone_id());
  if (!result.explanation().text().empty()) {
    absl::StrAppend(&text, ": ", result.explanation().text());
  }
  return text;
}

std::string RenderFocusEvent(const v1::FocusEvent& event) {
  const std::string stamp = FormatTimestamp(event.timestamp_ns());
  switch (event.event_case()) {
    case v1::FocusEvent::kResult:
      return RenderFocusResult(event.result());
    case v1::FocusEvent::kFocusChange:
      return absl::StrCat(stamp, " ", ChangeLabel(event.focus_change().change()), " in zone ",
                          event.focus_change().zone_id());
    case v1::FocusEvent::kReplaced:
      return absl::StrCat(stamp, " replaced (a newer request of this client took over)");
    case v1::FocusEvent::kAbandoned:
      return absl::StrCat(stamp, " abandoned");
    case v1::FocusEvent::EVENT_NOT_SET:
      break;
  }
  return absl::StrCat(stamp, " unknown event ", event.ShortDebugString());
}

std::string RenderHalFocusStatus(const v1::HalFocusStatus& status) {
  std::string text =
      absl::StrCat(FormatTimestamp(status.timestamp_ns()), " ", UsageLabel(status.usage()),
                   " in zone ", status.zone_id(), ": ", ChangeLabel(status.focus_change()));
  if (status.focus_change() == v1::FOCUS_CHANGE_NONE) absl::StrAppend(&text, " (no answer yet)");
  if (status.has_sound()) {
    const v1::VehicleSoundStatus& sound = status.sound();
    absl::StrAppend(&text, sound.playing() ? "; sound " : "; sound ", sound.sound_id(),
                    sound.playing() ? " playing in " : " ended in ", sound.device_address());
    if (sound.playing()) {
      absl::StrAppend(&text, ", muted: ",
                      sound.muted_addresses().empty()
                          ? std::string("none")
                          : absl::StrJoin(sound.muted_addresses(), ", "));
    }
  } else if (status.focus_change() == v1::FOCUS_CHANGE_LOSS) {
    absl::StrAppend(&text, " (hold ended)");
  }
  return text;
}

namespace {

std::string HardeningModeLabel(v1::HardeningMode mode) {
  switch (mode) {
    case v1::HARDENING_MODE_OFF:
      return "off";
    case v1::HARDENING_MODE_WARN:
      return "warn";
    case v1::HARDENING_MODE_ENFORCE:
      return "enforce";
    default:
      return absl::StrCat("mode ", static_cast<int>(mode));
  }
}

}  // namespace

std::string RenderState(const v1::CarAudioState& state) {
  std::string out = absl::StrCat("Car audio focus state (sequence ", state.sequence(), ", ",
                                 state.zones_size(), " zones)\n");
  for (const v1::ZoneState& zone : state.zones()) {
    absl::StrAppend(&out, "Zone ", zone.zone_id(), " \"", zone.name(), "\":\n");
    absl::StrAppend(&out, "  restricted: ", YesNo(state.restricted()), "\n");
    absl::StrAppend(&out, "  hardening: ", HardeningModeLabel(zone.hardening_mode()), "\n");
    absl::StrAppend(&out, "  navigation during call: ",
                    zone.navigation_rejected_during_call() ? "reject" : "allow", "\n");
    AppendEntries(out, "holders", zone.holders(), /*losers=*/false);
    AppendEntries(out, "losers", zone.losers(), /*losers=*/true);
    absl::StrAppend(&out, "  delayed: ",
                    zone.has_delayed() ? RenderEntry(zone.delayed(), /*loser=*/false) : "none",
                    "\n");
    absl::StrAppend(&out, "  ducked addresses: ", ListOrNone(zone.ducked_device_addresses()), "\n");
    absl::StrAppend(&out, "  muted addresses: ", ListOrNone(zone.muted_device_addresses()), "\n");
    if (zone.hal_requests().empty()) {
      absl::StrAppend(&out, "  HAL requests: none\n");
    } else {
      absl::StrAppend(&out, "  HAL requests (", zone.hal_requests_size(), "):\n");
      for (const v1::HalFocusRequestState& hal : zone.hal_requests()) {
        absl::StrAppend(&out, "    ", RenderHalRequestState(hal), "\n");
      }
    }
  }
  if (state.uid_zones().empty()) {
    absl::StrAppend(&out, "Uid -> zone: none (every uid plays in zone 0)\n");
  } else {
    absl::StrAppend(&out, "Uid -> zone (", state.uid_zones_size(), "):\n");
    for (const v1::UidZone& entry : state.uid_zones()) {
      absl::StrAppend(&out, "  uid ", entry.uid(), " -> zone ", entry.zone_id(), "\n");
    }
  }
  absl::StrAppend(&out, "Background-audio hardening (default ",
                  HardeningModeLabel(state.default_hardening_mode()), "), apps reported: ",
                  state.apps_size(), "\n");
  for (const v1::AppLifecycleState& app : state.apps()) {
    absl::StrAppend(&out, "  ", app.package_name(), " uid ", app.uid(), ": ",
                    app.valid() ? "valid" : "NOT valid", " (", app.reason(), ")\n");
  }
  for (const v1::HardeningEvent& event : state.hardening_log()) {
    absl::StrAppend(&out, "  ", event.line(), "\n");
  }
  if (!state.silenced_apps().empty()) {
    std::vector<std::string> apps;
    for (const v1::AppIdentity& app : state.silenced_apps()) {
      apps.push_back(absl::StrCat(app.package_name(), " uid ", app.uid()));
    }
    absl::StrAppend(&out, "  silenced streams: ", absl::StrJoin(apps, ", "), "\n");
  }
  return out;
}

std::string RenderAudit(const v1::AuditReport& report) {
  const v1::AuditSettings& settings = report.settings();
  std::string out = absl::StrFormat(
      "Compliance audit (audible above %.1f dBFS, reaction %d ms, idle focus %d ms, "
      "lowering %.1f dB)%s\n",
      settings.audible_threshold_dbfs(), settings.reaction_ms(), settings.idle_focus_ms(),
      settings.duck_lowering_db(),
      report.levels_available() ? "" : " - no stream levels: audio rules not judged");
  if (report.findings().empty()) {
    absl::StrAppend(&out, "Findings: none\n");
  } else {
    absl::StrAppend(&out, "Findings (", report.findings_size(), "):\n");
  }
  for (const v1::AuditFinding& finding : report.findings()) {
    // FINDING_KIND_AUDIBLE_AFTER_LOSS -> audible-after-loss, as the help lists them.
    std::string kind = absl::AsciiStrToLower(
        absl::StripPrefix(v1::FindingKind_Name(finding.kind()), "FINDING_KIND_"));
    std::replace(kind.begin(), kind.end(), '_', '-');
    absl::StrAppend(&out, absl::StrFormat("  %.3f %s (uid %d) zone %d %s: %s\n",
                                          finding.timestamp_ns() / 1e9, finding.package_name(),
                                          finding.uid(), finding.zone_id(),
                                          kind, finding.detail()));
  }
  if (!report.streams().empty()) {
    absl::StrAppend(&out, "Streams (", report.streams_size(), "):\n");
  }
  for (const v1::StreamLevel& stream : report.streams()) {
    absl::StrAppend(
        &out, absl::StrFormat("  %s (uid %d) %s zone %d -> %s: %.1f dBFS rms, %.1f peak%s\n",
                              stream.package_name().empty() ? "?" : stream.package_name(),
                              stream.uid(), stream.node_name(), stream.zone_id(),
                              stream.device_address(), stream.rms_dbfs(), stream.peak_dbfs(),
                              stream.silenced() ? " [silenced]" : ""));
  }
  return out;
}

std::string RenderEvent(const v1::Event& event) {
  if (event.kind_case() == v1::Event::kSubscribed) {
    return absl::StrCat("#", event.sequence(), " subscribed",
                        event.subscribed().has_state() ? " (state follows)" : "");
  }
  return absl::StrCat("#", event.sequence(), " ", FormatTimestamp(event.timestamp_ns()), " ",
                      RenderEventWithoutStamp(event));
}

std::string RenderEventWithoutStamp(const v1::Event& event) {
  std::string kind = "unknown";
  if (event.kind_case() != v1::Event::KIND_NOT_SET) {
    kind = v1::Event::descriptor()->FindFieldByNumber(event.kind_case())->name();
  }
  return absl::StrCat(kind, ": ", RenderEventDetails(event));
}

std::string RenderGroupVolume(const v1::GroupVolume& group) {
  return absl::StrCat("zone=", group.zone_id(), " group=", group.group(),
                      " index=", group.gain_index(), " range=", group.min_index(), "..",
                      group.max_index(), " gain=", group.gain_mb(), "mB",
                      " muted=", YesNo(group.muted()));
}

std::string RenderVolumeTable(const google::protobuf::RepeatedPtrField<v1::GroupVolume>& groups) {
  size_t group_width = 5;  // "GROUP"
  for (const v1::GroupVolume& group : groups)
    group_width = std::max(group_width, group.group().size());
  const int width = static_cast<int>(group_width);
  std::string out = absl::StrFormat("%-4s  %-*s  %5s  %-9s  %7s  %s\n", "ZONE", width, "GROUP",
                                    "INDEX", "RANGE", "GAIN_MB", "MUTED");
  for (const v1::GroupVolume& group : groups) {
    absl::StrAppendFormat(&out, "%-4d  %-*s  %5d  %-9s  %7d  %s\n", group.zone_id(), width,
                          group.group(), group.gain_index(),
                          absl::StrCat(group.min_index(), "..", group.max_index()), group.gain_mb(),
                          YesNo(group.muted()));
  }
  return out;
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.always_print_primitive_fields = pretty;
  std::string json;
  google::protobuf::util::Status status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot convert to JSON: ", status.ToString()));
  }
  if (pretty && !json.empty() && json.back() == '\n') json.pop_back();
  return json;
}

}  // namespace caraudio::audioctl
