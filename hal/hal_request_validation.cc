#include "hal/hal_request_validation.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "caraudio/v1/common.pb.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace caraudio {
namespace {

using AddressList = google::protobuf::RepeatedPtrField<std::string>;

// One entry of a duck or mute request: its zone is known and not repeated,
// and no address is in both lists.
absl::Status ValidateZoneEntry(const std::set<int32_t>& zone_ids, const char* list_name,
                               int index, int32_t zone_id, const AddressList& to_set,
                               const AddressList& to_clear, const char* set_name,
                               const char* clear_name, std::set<int32_t>& zones_seen) {
  const std::string where = absl::StrCat(list_name, "[", index, "]: ");
  if (absl::Status status = ValidateZone(zone_ids, zone_id); !status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(where, status.message()));
  }
  if (!zones_seen.insert(zone_id).second) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, "zone ", zone_id, " appears in more than one entry"));
  }
  for (const std::string& address : to_set) {
    if (std::find(to_clear.begin(), to_clear.end(), address) != to_clear.end()) {
      return absl::InvalidArgumentError(absl::StrCat(where, "address \"", address,
                                                     "\" is in both ", set_name, " and ",
                                                     clear_name));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateUsage(int32_t usage) {
  if (v1::AudioUsage_IsValid(usage)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("usage ", usage, " is not a listed AudioUsage"));
}

absl::Status ValidateZone(const std::set<int32_t>& zone_ids, int32_t zone_id) {
  if (zone_ids.contains(zone_id)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("unknown audio zone ", zone_id));
}

absl::Status ValidateFocusChange(int32_t focus_change) {
  if (focus_change != v1::FOCUS_CHANGE_NONE && v1::FocusChange_IsValid(focus_change)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "focus_change ", focus_change, " is not a focus change (gains 1..4, losses -1..-3)"));
}

absl::Status ValidateFocusGain(int32_t gain) {
  if (gain >= v1::FOCUS_GAIN && gain <= v1::FOCUS_GAIN_TRANSIENT_EXCLUSIVE) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat("gain ", gain, " is not a focus gain (1..4)"));
}

absl::Status ValidateDuckingRequest(const std::set<int32_t>& zone_ids,
                                    const v1::OnDevicesToDuckChangeRequest& request) {
  std::set<int32_t> zones_seen;
  for (int i = 0; i < request.ducking_infos_size(); ++i) {
    const v1::DuckingInfo& info = request.ducking_infos(i);
    if (absl::Status status = ValidateZoneEntry(
            zone_ids, "ducking_infos", i, info.zone_id(), info.device_addresses_to_duck(),
            info.device_addresses_to_unduck(), "device_addresses_to_duck",
            "device_addresses_to_unduck", zones_seen);
        !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateMutingRequest(const std::set<int32_t>& zone_ids,
                                   const v1::OnDevicesToMuteChangeRequest& request) {
  std::set<int32_t> zones_seen;
  for (int i = 0; i < request.muting_infos_size(); ++i) {
    const v1::MutingInfo& info = request.muting_infos(i);
    if (absl::Status status = ValidateZoneEntry(
            zone_ids, "muting_infos", i, info.zone_id(), info.device_addresses_to_mute(),
            info.device_addresses_to_unmute(), "device_addresses_to_mute",
            "device_addresses_to_unmute", zones_seen);
        !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateHoldFocusRequest(const std::set<int32_t>& zone_ids,
                                      const v1::HoldFocusRequest& request) {
  if (absl::Status status = ValidateUsage(request.usage()); !status.ok()) return status;
  if (absl::Status status = ValidateZone(zone_ids, request.zone_id()); !status.ok()) {
    return status;
  }
  return ValidateFocusGain(request.gain());
}

absl::Status ValidateDeviceGainsRequest(const std::set<int32_t>& zone_ids,
                                        const v1::SetAudioDeviceGainsRequest& request) {
  for (int i = 0; i < request.gains_size(); ++i) {
    const v1::DeviceGain& gain = request.gains(i);
    if (absl::Status status = ValidateZone(zone_ids, gain.zone_id()); !status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("gains[", i, "]: ", status.message()));
    }
    if (gain.gain_mb() < -9600 || gain.gain_mb() > 2400) {
      return absl::InvalidArgumentError(
          absl::StrCat("gains[", i, "].gain_mb ", gain.gain_mb(), " is outside -9600..2400"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidatePlaySoundRequest(const std::set<int32_t>& zone_ids,
                                      const v1::PlaySoundRequest& request) {
  if (absl::Status status = ValidateUsage(request.usage()); !status.ok()) return status;
  if (absl::Status status = ValidateZone(zone_ids, request.zone_id()); !status.ok()) {
    return status;
  }
  if (request.gain() != 0) {
    if (absl::Status status = ValidateFocusGain(request.gain()); !status.ok()) return status;
  }
  if (!request.tone().empty() && request.tone() != "chime" && request.tone() != "beep" &&
      request.tone() != "sine") {
    return absl::InvalidArgumentError(absl::StrCat("tone \"", request.tone(),
                                                   "\" is not chime, beep or sine"));
  }
  if (request.duration_ms() < 0 || request.duration_ms() > 600000) {
    return absl::InvalidArgumentError(
        absl::StrCat("duration_ms ", request.duration_ms(), " is outside 1..600000"));
  }
  return absl::OkStatus();
}

absl::Status ValidateReleaseFocusRequest(const std::set<int32_t>& zone_ids,
                                         const v1::ReleaseFocusRequest& request) {
  if (absl::Status status = ValidateUsage(request.usage()); !status.ok()) return status;
  return ValidateZone(zone_ids, request.zone_id());
}

absl::StatusOr<std::set<AppIdentity>> ValidateSilencedApps(
    const v1::SetSilencedAppsRequest& request) {
  std::set<AppIdentity> apps;
  for (int i = 0; i < request.apps_size(); ++i) {
    const v1::AppIdentity& app = request.apps(i);
    const std::string where = absl::StrCat("apps[", i, "]: ");
    if (app.package_name().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(where, "package_name is empty"));
    }
    if (app.package_name().size() > kMaxPackageNameLength) {
      return absl::InvalidArgumentError(absl::StrCat(where, "package_name is ",
                                                     app.package_name().size(),
                                                     " bytes; the limit is ", kMaxPackageNameLength));
    }
    if (app.uid() < 0) {
      return absl::InvalidArgumentError(absl::StrCat(where, "uid ", app.uid(), " is negative"));
    }
    if (!apps.insert(AppIdentity{app.package_name(), app.uid()}).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, "\"", app.package_name(), "\" uid ",
                                                     app.uid(), " is listed twice"));
    }
  }
  return apps;
}

absl::StatusOr<absl::Duration> ValidateStreamLevelsInterval(
    const v1::WatchStreamLevelsRequest& request) {
  constexpr int32_t kDefaultIntervalMs = 50;
  constexpr int32_t kMinIntervalMs = 10;
  constexpr int32_t kMaxIntervalMs = 1000;
  if (request.interval_ms() == 0) return absl::Milliseconds(kDefaultIntervalMs);
  if (request.interval_ms() < kMinIntervalMs || request.interval_ms() > kMaxIntervalMs) {
    return absl::InvalidArgumentError(absl::StrCat("interval_ms ", request.interval_ms(),
                                                   " is outside ", kMinIntervalMs, "..",
                                                   kMaxIntervalMs, " (0 means ",
                                                   kDefaultIntervalMs, ")"));
  }
  return absl::Milliseconds(request.interval_ms());
}

absl::StatusOr<float> ClampToUnitRange(float value, const char* field) {
  if (std::isnan(value)) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is NaN; it must be a number"));
  }
  return std::clamp(value, -1.0f, 1.0f);
}

v1::SetSilencedAppsRequest SilencedAppsRequest(const std::vector<AppIdentity>& apps) {
  v1::SetSilencedAppsRequest request;
  for (const AppIdentity& app : apps) {
    v1::AppIdentity& entry = *request.add_apps();
    entry.set_package_name(app.package_name);
    entry.set_uid(app.uid);
  }
  return request;
}

}  // namespace caraudio
