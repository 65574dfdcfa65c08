// Conversions between the caraudio.v1 wire types and the engine's types, and
// the validation that happens at the service edge. Every request that reaches
// the engine has passed through here, so the engine can trust its inputs.
// Errors are InvalidArgument with a message naming the field.

#ifndef CARAUDIO_CARSERVICE_PROTO_CONVERT_H_
#define CARAUDIO_CARSERVICE_PROTO_CONVERT_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "caraudio/v1/admin.pb.h"
#include "caraudio/v1/audio_control.pb.h"
#include "caraudio/v1/audio_focus.pb.h"
#include "carservice/car_audio_core.h"
#include "carservice/compliance_audit.h"
#include "carservice/ducking_planner.h"
#include "carservice/focus_decision.h"
#include "carservice/focus_request.h"
#include "carservice/volume_groups.h"

namespace caraudio {

// Longest accepted client id and package name.
inline constexpr size_t kMaxClientIdLength = 256;

// Validates and converts an app's focus request.
absl::StatusOr<FocusRequest> FocusRequestFromProto(const v1::FocusRequest& proto);
v1::FocusRequest FocusRequestToProto(const FocusRequest& request);

// Validates a client id (non-empty, not too long, not the HAL's prefix).
absl::Status ValidateClientId(const std::string& client_id);

// A known AudioAttributes usage; InvalidArgument naming `field` otherwise.
absl::Status ValidateUsage(int32_t usage, const char* field);
// 1..4; InvalidArgument naming `field` otherwise.
absl::StatusOr<FocusGain> ValidateGain(int32_t gain, const char* field);

v1::FocusResult FocusResultToProto(const FocusDecision& decision);
v1::Explanation ExplanationToProto(const FocusExplanation& explanation);
v1::DuckingInfo DuckingInfoToProto(const DuckingInfo& info);
v1::MutingInfo MutingInfoToProto(const MutingInfo& info);
v1::GroupVolume GroupVolumeToProto(const VolumeGroupState& state);
v1::FocusCallbackEvent FocusCallbackToProto(const FocusCallback& callback);

// The whole car audio state, for GetState and the first WatchEvents message.
v1::CarAudioState StateToProto(const CarAudioCore& core);

// A logged hardening decision.
v1::HardeningEvent HardeningEventToProto(const SuppressedCall& call);
// An app's verdict at the lifecycle model's time.
v1::AppLifecycleState AppLifecycleStateToProto(const AppKey& app, const LifecycleVerdict& verdict);

// A lifecycle transition; `at` as CLOCK_MONOTONIC via MonotonicNanosAt.
v1::AppTransitionEvent AppTransitionToProto(const LifecycleTransition& transition, int64_t at_ns);

// IAudioControl.onAudioFocusChange for a HAL focus report.
v1::OnAudioFocusChangeRequest HalFocusChangeToProto(const HalFocusChange& change);

// One IFocusListener.requestAudioFocus from the HAL, as the car service
// handles it (and event replay redoes it): validated, then decided by the
// core. A call that fails validation or names no zone is answered with LOSS
// for the pair (AAOS throws back to the HAL; over gRPC the HAL hears LOSS),
// with a FAILED result of rule NO_ZONE whose text says why.
struct HalRequestOutcome {
  CoreOutput output;
  // The decision to log; absent when the core made none (a repeated request).
  std::optional<v1::FocusResult> result;
  // Why the call was refused; OK when it was decided.
  absl::Status error;
};
HalRequestOutcome ApplyHalRequest(CarAudioCore& core, const v1::RequestAudioFocusCall& call);

// An app stream's level report entry, for the audit.
StreamLevelSample StreamLevelFromProto(const v1::StreamLevel& level);
// An audit finding; `at` and `since` as CLOCK_MONOTONIC nanoseconds.
v1::AuditFinding AuditFindingToProto(const AuditFinding& finding, int64_t at_ns, int64_t since_ns);
v1::AuditSettings AuditSettingsToProto(const AuditSettings& settings);

// Applies one ReportAppState to `lifecycle` at `now`, validating it first
// (INVALID_ARGUMENT, nothing changed) and passing on the model's own errors.
absl::StatusOr<std::vector<LifecycleTransition>> ApplyAppStateReport(
    const v1::ReportAppStateRequest& report, absl::Time now, AppLifecycle& lifecycle);
// HARDENING_MODE_* as the model's mode; INVALID_ARGUMENT outside the enum.
absl::StatusOr<HardeningMode> HardeningModeFromProto(int32_t mode);

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_PROTO_CONVERT_H_
