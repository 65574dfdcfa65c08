// Validation of the requests the HAL serves (AudioControl, HalFocus), as the
// comments of audio_control.proto and hal_focus.proto state it. Pure
// functions: an OK status means the request may be enqueued; any other status
// is INVALID_ARGUMENT with a message naming the offending field, and the
// caller then applies nothing of the request.
//
// Zones are checked against the car config's zone ids. Device addresses are
// not checked here: an address a zone does not have is skipped when applied
// (audio_control.proto, OnDevicesToDuckChange).

#ifndef CARAUDIO_HAL_HAL_REQUEST_VALIDATION_H_
#define CARAUDIO_HAL_HAL_REQUEST_VALIDATION_H_

#include <cstdint>
#include <set>

#include "absl/time/time.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "caraudio/v1/audio_control.pb.h"
#include "caraudio/v1/hal_focus.pb.h"
#include "pipewire-bridge/app_identity.h"

namespace caraudio {

// A listed AudioUsage value (common.proto: any other number is rejected).
absl::Status ValidateUsage(int32_t usage);

// A zone of the car.
absl::Status ValidateZone(const std::set<int32_t>& zone_ids, int32_t zone_id);

// A focus change the car service may report to the HAL: a granted gain 1..4
// or LOSS, LOSS_TRANSIENT, LOSS_TRANSIENT_CAN_DUCK (-1..-3). NONE is invalid.
absl::Status ValidateFocusChange(int32_t focus_change);

// A focus gain a request may carry: 1..4.
absl::Status ValidateFocusGain(int32_t gain);

// OnDevicesToDuckChange: every zone known, no zone twice, no address both to
// duck and to unduck in one entry.
absl::Status ValidateDuckingRequest(const std::set<int32_t>& zone_ids,
                                    const v1::OnDevicesToDuckChangeRequest& request);

// OnDevicesToMuteChange: as ValidateDuckingRequest with the mute lists.
absl::Status ValidateMutingRequest(const std::set<int32_t>& zone_ids,
                                   const v1::OnDevicesToMuteChangeRequest& request);

// HalFocus.HoldFocus: usage, zone and gain 1..4.
absl::Status ValidateHoldFocusRequest(const std::set<int32_t>& zone_ids,
                                      const v1::HoldFocusRequest& request);

// HalFocus.ReleaseFocus: usage and zone.
// SetAudioDeviceGains: known zones, gain_mb in -9600..2400.
absl::Status ValidateDeviceGainsRequest(const std::set<int32_t>& zone_ids,
                                        const v1::SetAudioDeviceGainsRequest& request);

// PlaySound: usage, zone, gain 0 (transient) or 1..4, tone and duration as
// hal_focus.proto states.
absl::Status ValidatePlaySoundRequest(const std::set<int32_t>& zone_ids,
                                      const v1::PlaySoundRequest& request);

absl::Status ValidateReleaseFocusRequest(const std::set<int32_t>& zone_ids,
                                         const v1::ReleaseFocusRequest& request);

// SetSilencedApps: every app has a package name and a uid >= 0, and no app
// is listed twice. Returns the set.
absl::StatusOr<std::set<AppIdentity>> ValidateSilencedApps(
    const v1::SetSilencedAppsRequest& request);
// The request that silences `apps`, in their order (the inverse, for callers
// and tests).
v1::SetSilencedAppsRequest SilencedAppsRequest(const std::vector<AppIdentity>& apps);

// WatchStreamLevels: interval_ms in 10..1000, or 0 for the default 50 ms.
// Returns the report period.
absl::StatusOr<absl::Duration> ValidateStreamLevelsInterval(
    const v1::WatchStreamLevelsRequest& request);

// Balance or fade: `value` clamped into [-1, 1] (infinities included, as AIDL
// requires and VTS checks with +-99999.9); NaN, which has no direction, is
// INVALID_ARGUMENT. `field` names the value in the error message.
absl::StatusOr<float> ClampToUnitRange(float value, const char* field);

}  // namespace caraudio

#endif  // CARAUDIO_HAL_HAL_REQUEST_VALIDATION_H_
