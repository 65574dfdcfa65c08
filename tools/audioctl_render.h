// Text and JSON renderings of the caraudio.v1 messages audioctl prints.
//
// Pure functions of their arguments (no I/O, no clock). Names come from the
// engine (carservice/audio_usage.h, audio_context.h, focus_codes.h), so the
// tool spells usages, contexts, gains and changes exactly as the daemon's
// explanations and logs do. Numbers the engine does not know are printed as
// numbers ("USAGE_1234", "GAIN?(7)"), never dropped.
//
// Single-line renderings return no trailing newline; RenderState and
// RenderVolumeTable return whole lines, each ending in '\n'.

#ifndef CARAUDIO_TOOLS_AUDIOCTL_RENDER_H_
#define CARAUDIO_TOOLS_AUDIOCTL_RENDER_H_

#include <google/protobuf/message.h>
#include <google/protobuf/repeated_ptr_field.h>

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "caraudio/v1/admin.pb.h"
#include "caraudio/v1/audio_focus.pb.h"
#include "caraudio/v1/hal_focus.pb.h"

namespace caraudio::audioctl {

// Daemon CLOCK_MONOTONIC nanoseconds in dmesg style: "[  1234.567890]".
std::string FormatTimestamp(int64_t timestamp_ns);

// "USAGE_MEDIA"; "USAGE_<n>" for numbers the engine does not list.
std::string UsageLabel(int32_t usage);
// "MUSIC"; "CONTEXT?(<n>)" outside 0..12.
std::string ContextLabel(int32_t context);
// "GAIN", "GAIN_TRANSIENT", ...; "NONE" for 0; "GAIN?(<n>)" otherwise.
std::string GainLabel(int32_t gain);
// A FocusChange: "GAIN", "LOSS", "LOSS_TRANSIENT", "LOSS_TRANSIENT_CAN_DUCK",
// the granted gains 2..4 as "GAIN_TRANSIENT" etc., "NONE" for 0,
// "CHANGE?(<n>)" otherwise.
std::string ChangeLabel(int32_t change);

// A request as key=value pairs: "client=radio package=com.radio uid=10123
// usage=USAGE_MEDIA gain=GAIN", then only what is set: "zone=1",
// "flags=DELAY_OK|PAUSES_ON_DUCKABLE_LOSS|RECEIVE_DUCKING_EVENTS",
// "content=CONTENT_TYPE_MUSIC".
std::string RenderRequest(const v1::FocusRequest& request);

// The answer to a request: "GRANTED in zone 1: <explanation text>" (no colon
// and text when the explanation has none).
std::string RenderFocusResult(const v1::FocusResult& result);

// One message of a RequestFocus stream: the result as RenderFocusResult,
// anything later with its timestamp, e.g.
// "[   12.000000] LOSS_TRANSIENT in zone 1", "[...] replaced", "[...] abandoned".
std::string RenderFocusEvent(const v1::FocusEvent& event);

// One HoldFocus status: "[   12.000000] USAGE_SAFETY in zone 0: GAIN_TRANSIENT",
// with "(no answer yet)" after NONE and "(hold ended)" after LOSS.
std::string RenderHalFocusStatus(const v1::HalFocusStatus& status);

// The service state, dumpsys style: a header line, then per zone its name,
// restricted, navigation during call, holders, losers (blockers, ducked), the
// delayed request, ducked and muted addresses and HAL requests, then the
// uid -> zone map. Lists are indented by two spaces per level.
std::string RenderState(const v1::CarAudioState& state);

// One event on one line: "#<sequence> [timestamp] <kind>: <details>", kind
// being the Event oneof field name (focus_request, ducking_change, ...).
// `subscribed` renders as "#<sequence> subscribed" (its state, if any, is not
// included: print RenderState separately).
std::string RenderEvent(const v1::Event& event);
// RenderEvent without "#<sequence> [timestamp] ": "<kind>: <details>", for
// tools that print events on their own timeline (audiofocus-sim).
std::string RenderEventWithoutStamp(const v1::Event& event);

// The compliance audit: settings, findings (one line each) and stream levels,
// ending in a newline.
std::string RenderAudit(const v1::AuditReport& report);

// One volume group: "zone=0 group=media index=5 range=0..10 gain=-600mB muted=no".
std::string RenderGroupVolume(const v1::GroupVolume& group);

// Volume groups as an aligned table with a header row.
std::string RenderVolumeTable(const google::protobuf::RepeatedPtrField<v1::GroupVolume>& groups);

// proto3 JSON (lowerCamelCase names). pretty: indented, multi-line, with
// fields at their default values printed too (for dump). Otherwise one line
// without defaults, as in a JSON-lines recording. Error only if protobuf
// cannot convert the message.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message, bool pretty);

}  // namespace caraudio::audioctl

#endif  // CARAUDIO_TOOLS_AUDIOCTL_RENDER_H_
