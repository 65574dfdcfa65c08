// Bad input at every service edge: INVALID_ARGUMENT, no stream message, and
// the car service's state exactly as before (GetState compared whole,
// including the event sequence number, so not even an event was logged).
// The table covers every RPC of AudioFocus, CarAudioAdmin, AudioControl and
// HalFocus that takes anything that can be invalid (wrong enums, numbers out
// of range, empty and huge strings, unknown zones, NaN); the RPCs that take
// nothing invalid are listed with the reason, and a test checks that the
// services have no other RPC. (The same calls from a caller without the
// right are PERMISSION_DENIED: access_control_test.cc.)
//
// One daemon per case; each case starts from a zone 0 with a music holder.

#include <gtest/gtest.h>

#include <google/protobuf/descriptor.h>

#include <google/protobuf/descriptor.h>

#include <cmath>
#include <functional>
#include <set>
#include <map>
#include <set>
#include <limits>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "tests/integration/integration_test_util.h"

namespace caraudio::testing {
namespace {

// Runs a server-streaming call that must end before its first message.
template <typename Message>
grpc::Status StreamStatus(StreamReader<Message>& stream) {
  if (std::optional<Message> message = stream.Next(kEventTimeout)) {
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        "unexpected stream message: " + message->ShortDebugString());
  }
  std::optional<grpc::Status> status = stream.WaitForEnd(kEventTimeout);
  if (!status) return grpc::Status(grpc::StatusCode::INTERNAL, "the stream is still open");
  return *status;
}

grpc::Status Focus(Client& client, const v1::FocusRequest& request) {
  return StreamStatus(*client.RequestFocus(request));
}

grpc::Status Hold(Client& client, int usage, int32_t zone, int gain) {
  return StreamStatus(*client.HoldFocus(static_cast<v1::AudioUsage>(usage), zone,
                                        static_cast<v1::FocusGain>(gain), "bad-source"));
}

v1::FocusRequest Nav() {
  return MakeRequest("maps", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE,
                     v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, 0);
}

v1::DuckingInfo Ducking(int32_t zone, std::vector<std::string> duck,
                        std::vector<std::string> unduck) {
  v1::DuckingInfo info;
  info.set_zone_id(zone);
  for (std::string& address : duck) info.add_device_addresses_to_duck(std::move(address));
  for (std::string& address : unduck) info.add_device_addresses_to_unduck(std::move(address));
  return info;
}

grpc::Status Duck(Client& client, std::vector<v1::DuckingInfo> infos) {
  v1::OnDevicesToDuckChangeRequest request;
  for (v1::DuckingInfo& info : infos) *request.add_ducking_infos() = std::move(info);
  v1::OnDevicesToDuckChangeResponse response;
  return client.control().OnDevicesToDuckChange(UnaryContext().get(), request, &response);
}

// A string far beyond any limit, within gRPC's 4 MiB message limit.
const std::string& Huge() {
  static const std::string huge(1 << 20, 'x');
  return huge;
}

// One unary call of `stub`.
template <typename Stub, typename Request, typename Response>
grpc::Status Unary(Stub& stub,
                   grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                   const Request& request) {
  Response response;
  return (stub.*method)(UnaryContext().get(), request, &response);
}

// A server-streaming call of `stub` that must end before its first message.
template <typename Stub, typename Request, typename Message>
grpc::Status Streaming(Stub& stub,
                       std::unique_ptr<grpc::ClientReader<Message>> (Stub::*method)(
                           grpc::ClientContext*, const Request&),
                       const Request& request) {
  StreamReader<Message> stream([&stub, method, request](grpc::ClientContext* context) {
    return (stub.*method)(context, request);
  });
  return StreamStatus(stream);
}

v1::SetGroupVolumeRequest Volume(int32_t zone, const std::string& group, int32_t index) {
  v1::SetGroupVolumeRequest request;
  request.set_zone_id(zone);
  request.set_group(group);
  request.set_gain_index(index);
  return request;
}

v1::ReportAppStateRequest Visible(const std::string& package, int32_t uid) {
  v1::ReportAppStateRequest request;
  request.set_package_name(package);
  request.set_uid(uid);
  request.set_visibility(v1::APP_VISIBILITY_VISIBLE);
  return request;
}

v1::PlaySoundRequest Chime() {
  v1::PlaySoundRequest request;
  request.set_usage(v1::USAGE_SAFETY);
  request.set_zone_id(0);
  request.set_tone("chime");
  request.set_duration_ms(100);
  return request;
}

v1::SetSilencedAppsRequest Silence(std::vector<std::pair<std::string, int32_t>> apps) {
  v1::SetSilencedAppsRequest request;
  for (auto& [package, uid] : apps) {
    v1::AppIdentity* app = request.add_apps();
    app->set_package_name(package);
    app->set_uid(uid);
  }
  return request;
}

struct BadInput {
  std::string name;
  std::function<grpc::Status(Client&)> call;
};

void PrintTo(const BadInput& input, std::ostream* os) { *os << input.name; }

std::vector<BadInput> BadInputs() {
  std::vector<BadInput> cases;
  auto add = [&cases](std::string name, std::function<grpc::Status(Client&)> call) {
    cases.push_back({std::move(name), std::move(call)});
  };

  // AudioFocus.RequestFocus
  add("RequestFocusUnknownUsage9999", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_usage(static_cast<v1::AudioUsage>(9999));
    return Focus(c, r);
  });
  add("RequestFocusHalInvalidUsageMinus1", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_usage(static_cast<v1::AudioUsage>(-1));
    return Focus(c, r);
  });
  add("RequestFocusGain0", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_gain(v1::FOCUS_GAIN_NONE);
    return Focus(c, r);
  });
  add("RequestFocusGain5", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_gain(static_cast<v1::FocusGain>(5));
    return Focus(c, r);
  });
  add("RequestFocusEmptyClientId", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_client_id("");
    return Focus(c, r);
  });
  add("RequestFocus300CharClientId", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_client_id(std::string(300, 'a'));
    return Focus(c, r);
  });
  add("RequestFocusHalFocusPrefixClientId", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_client_id("hal-focus/zone0/USAGE_SAFETY");
    return Focus(c, r);
  });
  add("RequestFocusNegativeUid", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_uid(-5);
    return Focus(c, r);
  });

  // AudioFocus.AbandonFocus and volume groups
  add("AbandonFocusEmptyClientId", [](Client& c) { return c.AbandonFocus("", std::nullopt); });
  add("AbandonFocusHalFocusClientId",
      [](Client& c) { return c.AbandonFocus("hal-focus/zone0/USAGE_SAFETY", std::nullopt); });
  add("AbandonFocusUnknownZone", [](Client& c) { return c.AbandonFocus("music", 7); });
  add("SetGroupVolumeUnknownZone", [](Client& c) {
    v1::SetGroupVolumeRequest request;
    request.set_zone_id(7);
    request.set_group("media");
    request.set_gain_index(3);
    v1::GroupVolume response;
    return c.focus().SetGroupVolume(UnaryContext().get(), request, &response);
  });
  add("SetGroupVolumeIndexOutOfRange", [](Client& c) {
    v1::SetGroupVolumeRequest request;
    request.set_zone_id(0);
    request.set_group("media");
    request.set_gain_index(1000);
    v1::GroupVolume response;
    return c.focus().SetGroupVolume(UnaryContext().get(), request, &response);
  });
  add("SetGroupMuteUnknownGroup", [](Client& c) {
    v1::SetGroupMuteRequest request;
    request.set_zone_id(0);
    request.set_group("no-such-group");
    request.set_muted(true);
    v1::GroupVolume response;
    return c.focus().SetGroupMute(UnaryContext().get(), request, &response);
  });

  // CarAudioAdmin
  add("SetNavigationRejectedDuringCallUnknownZone", [](Client& c) {
    v1::SetNavigationRejectedDuringCallRequest request;
    request.set_zone_id(7);
    request.set_rejected(true);
    v1::SetNavigationRejectedDuringCallResponse response;
    return c.admin().SetNavigationRejectedDuringCall(UnaryContext().get(), request, &response);
  });
  add("SetZoneForUidUnknownZone", [](Client& c) {
    v1::SetZoneForUidRequest request;
    request.set_uid(10000);
    request.set_zone_id(7);
    v1::SetZoneForUidResponse response;
    return c.admin().SetZoneForUid(UnaryContext().get(), request, &response);
  });
  add("SetZoneForUidNegativeUid", [](Client& c) {
    v1::SetZoneForUidRequest request;
    request.set_uid(-1);
    request.set_zone_id(1);
    v1::SetZoneForUidResponse response;
    return c.admin().SetZoneForUid(UnaryContext().get(), request, &response);
  });

  // AudioControl (the HAL, served in the same process with --role=all)
  add("SetBalanceTowardRightNaN", [](Client& c) {
    v1::SetBalanceTowardRightRequest request;
    request.set_value(std::numeric_limits<float>::quiet_NaN());
    v1::SetBalanceTowardRightResponse response;
    return c.control().SetBalanceTowardRight(UnaryContext().get(), request, &response);
  });
  add("SetFadeTowardFrontNaN", [](Client& c) {
    v1::SetFadeTowardFrontRequest request;
    request.set_value(std::numeric_limits<float>::quiet_NaN());
    v1::SetFadeTowardFrontResponse response;
    return c.control().SetFadeTowardFront(UnaryContext().get(), request, &response);
  });
  add("OnDevicesToDuckChangeUnknownZone",
      [](Client& c) { return Duck(c, {Ducking(7, {"bus0_media_out"}, {})}); });
  add("OnDevicesToDuckChangeSameZoneTwice", [](Client& c) {
    return Duck(c, {Ducking(0, {"bus0_media_out"}, {}), Ducking(0, {}, {"bus0_media_out"})});
  });
  add("OnDevicesToDuckChangeAddressDuckedAndUnducked",
      [](Client& c) { return Duck(c, {Ducking(0, {"bus0_media_out"}, {"bus0_media_out"})}); });
  add("OnDevicesToMuteChangeUnknownZone", [](Client& c) {
    v1::OnDevicesToMuteChangeRequest request;
    v1::MutingInfo* info = request.add_muting_infos();
    info->set_zone_id(7);
    info->add_device_addresses_to_mute("bus0_media_out");
    v1::OnDevicesToMuteChangeResponse response;
    return c.control().OnDevicesToMuteChange(UnaryContext().get(), request, &response);
  });
  add("OnAudioFocusChangeNone", [](Client& c) {
    v1::OnAudioFocusChangeRequest request;
    request.set_usage(v1::USAGE_SAFETY);
    request.set_zone_id(0);
    request.set_focus_change(v1::FOCUS_CHANGE_NONE);
    v1::OnAudioFocusChangeResponse response;
    return c.control().OnAudioFocusChange(UnaryContext().get(), request, &response);
  });
  add("OnAudioFocusChangeUnknownZone", [](Client& c) {
    v1::OnAudioFocusChangeRequest request;
    request.set_usage(v1::USAGE_SAFETY);
    request.set_zone_id(7);
    request.set_focus_change(v1::FOCUS_CHANGE_GAIN);
    v1::OnAudioFocusChangeResponse response;
    return c.control().OnAudioFocusChange(UnaryContext().get(), request, &response);
  });

  // HalFocus.HoldFocus
  add("HoldFocusUnknownUsage", [](Client& c) { return Hold(c, 9999, 0, 3); });
  add("HoldFocusUnknownZone", [](Client& c) { return Hold(c, v1::USAGE_SAFETY, 7, 3); });
  add("HoldFocusGain0", [](Client& c) { return Hold(c, v1::USAGE_SAFETY, 0, 0); });
  add("HoldFocusGain5", [](Client& c) { return Hold(c, v1::USAGE_SAFETY, 0, 5); });
  add("ReleaseFocusUnknownZone", [](Client& c) {
    v1::ReleaseFocusRequest request;
    request.set_usage(v1::USAGE_SAFETY);
    request.set_zone_id(7);
    v1::ReleaseFocusResponse response;
    return c.hal_focus().ReleaseFocus(UnaryContext().get(), request, &response);
  });
  add("ReleaseFocusUnknownUsage", [](Client& c) {
    v1::ReleaseFocusRequest request;
    request.set_usage(static_cast<v1::AudioUsage>(9999));
    request.set_zone_id(0);
    v1::ReleaseFocusResponse response;
    return c.hal_focus().ReleaseFocus(UnaryContext().get(), request, &response);
  });

  // --- More of every service: wrong enums, numbers out of range, empty and
  // huge strings, unknown zones, NaN. ----------------------------------------
  using FocusStub = v1::AudioFocus::Stub;
  using AdminStub = v1::CarAudioAdmin::Stub;
  using ControlStub = v1::AudioControl::Stub;
  using HalFocusStub = v1::HalFocus::Stub;

  // AudioFocus
  add("RequestFocusHugeClientId", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_client_id(Huge());
    return Focus(c, r);
  });
  add("RequestFocusHugePackageName", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_package_name(Huge());
    return Focus(c, r);
  });
  add("RequestFocusContentType99", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_content_type(static_cast<v1::AudioContentType>(99));
    return Focus(c, r);
  });
  add("RequestFocusUsageMaxInt", [](Client& c) {
    v1::FocusRequest r = Nav();
    r.set_usage(static_cast<v1::AudioUsage>(2147483647));
    return Focus(c, r);
  });
  add("AbandonFocusHugeClientId", [](Client& c) { return c.AbandonFocus(Huge(), std::nullopt); });
  add("AbandonFocusNegativeZone", [](Client& c) { return c.AbandonFocus("music", -1); });
  add("ListVolumeGroupsUnknownZone", [](Client& c) {
    v1::ListVolumeGroupsRequest r;
    r.set_zone_id(7);
    return Unary(c.focus(), &FocusStub::ListVolumeGroups, r);
  });
  add("GetGroupVolumeUnknownZone", [](Client& c) {
    v1::GetGroupVolumeRequest r;
    r.set_zone_id(-3);
    r.set_group("media");
    return Unary(c.focus(), &FocusStub::GetGroupVolume, r);
  });
  add("GetGroupVolumeEmptyGroup", [](Client& c) {
    v1::GetGroupVolumeRequest r;
    return Unary(c.focus(), &FocusStub::GetGroupVolume, r);
  });
  add("GetGroupVolumeHugeGroup", [](Client& c) {
    v1::GetGroupVolumeRequest r;
    r.set_group(Huge());
    return Unary(c.focus(), &FocusStub::GetGroupVolume, r);
  });
  add("SetGroupVolumeNegativeIndex",
      [](Client& c) { return Unary(c.focus(), &FocusStub::SetGroupVolume, Volume(0, "media", -1)); });
  add("SetGroupVolumeIndexMaxInt", [](Client& c) {
    return Unary(c.focus(), &FocusStub::SetGroupVolume, Volume(0, "media", 2147483647));
  });
  add("SetGroupVolumeHugeGroup",
      [](Client& c) { return Unary(c.focus(), &FocusStub::SetGroupVolume, Volume(0, Huge(), 3)); });
  add("SetGroupVolumeNegativeUid", [](Client& c) {
    v1::SetGroupVolumeRequest r = Volume(0, "media", 3);
    r.set_package_name("com.example.radio");
    r.set_uid(-1);
    return Unary(c.focus(), &FocusStub::SetGroupVolume, r);
  });
  add("SetGroupVolumePackageWithWhitespace", [](Client& c) {
    v1::SetGroupVolumeRequest r = Volume(0, "media", 3);
    r.set_package_name("com.example radio");
    r.set_uid(10000);
    return Unary(c.focus(), &FocusStub::SetGroupVolume, r);
  });
  add("SetGroupVolumeHugePackage", [](Client& c) {
    v1::SetGroupVolumeRequest r = Volume(0, "media", 3);
    r.set_package_name(Huge());
    r.set_uid(10000);
    return Unary(c.focus(), &FocusStub::SetGroupVolume, r);
  });
  add("SetGroupMuteUnknownZone", [](Client& c) {
    v1::SetGroupMuteRequest r;
    r.set_zone_id(7);
    r.set_group("media");
    r.set_muted(true);
    return Unary(c.focus(), &FocusStub::SetGroupMute, r);
  });
  add("SetGroupMuteNegativeUid", [](Client& c) {
    v1::SetGroupMuteRequest r;
    r.set_group("media");
    r.set_muted(true);
    r.set_package_name("com.example.radio");
    r.set_uid(-7);
    return Unary(c.focus(), &FocusStub::SetGroupMute, r);
  });

  // CarAudioAdmin
  add("SetNavigationRejectedDuringCallNegativeZone", [](Client& c) {
    v1::SetNavigationRejectedDuringCallRequest r;
    r.set_zone_id(-1);
    r.set_rejected(true);
    return Unary(c.admin(), &AdminStub::SetNavigationRejectedDuringCall, r);
  });
  add("ClearZoneForUidNegativeUid", [](Client& c) {
    v1::ClearZoneForUidRequest r;
    r.set_uid(-1);
    return Unary(c.admin(), &AdminStub::ClearZoneForUid, r);
  });
  add("ReportAppStateEmptyPackage", [](Client& c) {
    return Unary(c.admin(), &AdminStub::ReportAppState, Visible("", 10000));
  });
  add("ReportAppStateHugePackage", [](Client& c) {
    return Unary(c.admin(), &AdminStub::ReportAppState, Visible(Huge(), 10000));
  });
  add("ReportAppStateNegativeUid", [](Client& c) {
    return Unary(c.admin(), &AdminStub::ReportAppState, Visible("com.example.radio", -1));
  });
  add("ReportAppStateVisibility99", [](Client& c) {
    v1::ReportAppStateRequest r = Visible("com.example.radio", 10000);
    r.set_visibility(static_cast<v1::AppVisibility>(99));
    return Unary(c.admin(), &AdminStub::ReportAppState, r);
  });
  add("ReportAppStateNoReport", [](Client& c) {
    v1::ReportAppStateRequest r = Visible("com.example.radio", 10000);
    r.clear_report();
    return Unary(c.admin(), &AdminStub::ReportAppState, r);
  });
  add("ReportAppStateForegroundServiceType3", [](Client& c) {
    v1::ReportAppStateRequest r = Visible("com.example.radio", 10000);
    r.set_stop_foreground_service(static_cast<v1::ForegroundServiceType>(3));
    return Unary(c.admin(), &AdminStub::ReportAppState, r);
  });
  add("SetHardeningModeMode7", [](Client& c) {
    v1::SetHardeningModeRequest r;
    r.set_mode(static_cast<v1::HardeningMode>(7));
    return Unary(c.admin(), &AdminStub::SetHardeningMode, r);
  });
  add("SetHardeningModeUnknownZone", [](Client& c) {
    v1::SetHardeningModeRequest r;
    r.set_mode(v1::HARDENING_MODE_ENFORCE);
    r.set_zone_id(7);
    return Unary(c.admin(), &AdminStub::SetHardeningMode, r);
  });

  // AudioControl
  add("OnAudioFocusChangeUnknownUsage", [](Client& c) {
    v1::OnAudioFocusChangeRequest r;
    r.set_usage(static_cast<v1::AudioUsage>(9999));
    r.set_focus_change(v1::FOCUS_CHANGE_GAIN);
    return Unary(c.control(), &ControlStub::OnAudioFocusChange, r);
  });
  add("OnAudioFocusChangeFocusChange99", [](Client& c) {
    v1::OnAudioFocusChangeRequest r;
    r.set_usage(v1::USAGE_SAFETY);
    r.set_focus_change(static_cast<v1::FocusChange>(99));
    return Unary(c.control(), &ControlStub::OnAudioFocusChange, r);
  });
  add("OnDevicesToMuteChangeSameZoneTwice", [](Client& c) {
    v1::OnDevicesToMuteChangeRequest r;
    r.add_muting_infos()->add_device_addresses_to_mute("bus0_media_out");
    r.add_muting_infos()->add_device_addresses_to_unmute("bus0_media_out");
    return Unary(c.control(), &ControlStub::OnDevicesToMuteChange, r);
  });
  add("OnDevicesToMuteChangeAddressMutedAndUnmuted", [](Client& c) {
    v1::OnDevicesToMuteChangeRequest r;
    v1::MutingInfo* info = r.add_muting_infos();
    info->add_device_addresses_to_mute("bus0_media_out");
    info->add_device_addresses_to_unmute("bus0_media_out");
    return Unary(c.control(), &ControlStub::OnDevicesToMuteChange, r);
  });
  for (const auto& [name, zone, gain_mb] :
       std::vector<std::tuple<std::string, int32_t, int32_t>>{
           {"SetAudioDeviceGainsGain2401", 0, 2401},
           {"SetAudioDeviceGainsGainMinus9601", 0, -9601},
           {"SetAudioDeviceGainsUnknownZone", 7, -600}}) {
    add(name, [zone = zone, gain_mb = gain_mb](Client& c) {
      v1::SetAudioDeviceGainsRequest r;
      v1::DeviceGain* gain = r.add_gains();
      gain->set_zone_id(zone);
      gain->set_device_address("bus0_media_out");
      gain->set_gain_mb(gain_mb);
      return Unary(c.control(), &ControlStub::SetAudioDeviceGains, r);
    });
  }
  add("SetSilencedAppsEmptyPackage", [](Client& c) {
    return Unary(c.control(), &ControlStub::SetSilencedApps, Silence({{"", 10000}}));
  });
  add("SetSilencedAppsHugePackage", [](Client& c) {
    return Unary(c.control(), &ControlStub::SetSilencedApps, Silence({{Huge(), 10000}}));
  });
  add("SetSilencedAppsNegativeUid", [](Client& c) {
    return Unary(c.control(), &ControlStub::SetSilencedApps, Silence({{"com.example.radio", -1}}));
  });
  add("SetSilencedAppsSameAppTwice", [](Client& c) {
    return Unary(c.control(), &ControlStub::SetSilencedApps,
                 Silence({{"com.example.radio", 10000}, {"com.example.radio", 10000}}));
  });
  for (int32_t interval : {5, 1001, -50}) {
    add(absl::StrCat("WatchStreamLevelsIntervalMs", interval < 0 ? "Minus" : "",
                     std::abs(interval)),
        [interval](Client& c) {
          v1::WatchStreamLevelsRequest r;
          r.set_interval_ms(interval);
          return Streaming(c.control(), &ControlStub::WatchStreamLevels, r);
        });
  }

  // HalFocus.PlaySound
  add("PlaySoundUnknownTone", [](Client& c) {
    v1::PlaySoundRequest r = Chime();
    r.set_tone("trumpet");
    return Streaming(c.hal_focus(), &HalFocusStub::PlaySound, r);
  });
  add("PlaySoundHugeTone", [](Client& c) {
    v1::PlaySoundRequest r = Chime();
    r.set_tone(Huge());
    return Streaming(c.hal_focus(), &HalFocusStub::PlaySound, r);
  });
  for (int32_t duration : {-1, 600001}) {
    add(absl::StrCat("PlaySoundDurationMs", duration < 0 ? "Minus1" : "600001"),
        [duration](Client& c) {
          v1::PlaySoundRequest r = Chime();
          r.set_duration_ms(duration);
          return Streaming(c.hal_focus(), &HalFocusStub::PlaySound, r);
        });
  }
  add("PlaySoundGain7", [](Client& c) {
    v1::PlaySoundRequest r = Chime();
    r.set_gain(static_cast<v1::FocusGain>(7));
    return Streaming(c.hal_focus(), &HalFocusStub::PlaySound, r);
  });
  add("PlaySoundUnknownZone", [](Client& c) {
    v1::PlaySoundRequest r = Chime();
    r.set_zone_id(7);
    return Streaming(c.hal_focus(), &HalFocusStub::PlaySound, r);
  });
  add("PlaySoundUnknownUsage", [](Client& c) {
    v1::PlaySoundRequest r = Chime();
    r.set_usage(static_cast<v1::AudioUsage>(-1));
    return Streaming(c.hal_focus(), &HalFocusStub::PlaySound, r);
  });
  return cases;
}

// The RPCs with nothing in their request that can be invalid, and why. With
// BadInputs(), this accounts for every RPC of the four services.
const std::map<std::string, std::string>& RpcsWithoutBadInput() {
  static const std::map<std::string, std::string> rpcs = {
      {"GetState", "empty request"},
      {"WatchEvents", "a bool"},
      {"SetRestrictFocus", "a bool"},
      {"Ping", "empty request"},
      {"GetAudit", "a read; any package name filters (an unknown one finds nothing)"},
      {"GetInterfaceInfo", "empty request"},
      {"GetHalState", "empty request"},
      {"RegisterFocusListener", "a free-form name for logs"},
      {"RegisterGainCallback", "a free-form name for logs"},
  };
  return rpcs;
}

class BadInputTest : public DaemonFixture<::testing::TestWithParam<BadInput>> {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    if (HasFatalFailure()) return;
    // The in-process HAL link registers right after start-up and logs one
    // event; wait for it so the snapshot below is stable.
    absl::StatusOr<v1::CarAudioState> registered =
        client_->AwaitState([](const v1::CarAudioState& s) { return s.sequence() >= 1; });
    ASSERT_TRUE(registered.ok()) << registered.status();
    // Something to protect: music holds zone 0.
    music_ = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
    ASSERT_TRUE(NextIsResult(*music_, v1::REQUEST_GRANTED, 0));
  }

  std::unique_ptr<FocusStream> music_;
};

TEST_P(BadInputTest, IsInvalidArgumentAndChangesNothing) {
  absl::StatusOr<v1::CarAudioState> before = client_->GetState();
  ASSERT_TRUE(before.ok()) << before.status();

  const grpc::Status status = GetParam().call(*client_);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << "got " << status.error_code() << ": " << status.error_message();
  EXPECT_FALSE(status.error_message().empty());

  absl::StatusOr<v1::CarAudioState> after = client_->GetState();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->ShortDebugString(), before->ShortDebugString());
  EXPECT_TRUE(NoEventWithin(*music_, absl::ZeroDuration()));
}

INSTANTIATE_TEST_SUITE_P(AllServices, BadInputTest, ::testing::ValuesIn(BadInputs()),
                         [](const ::testing::TestParamInfo<BadInput>& info) {
                           return info.param.name;
                         });

TEST(BadInputCoverageTest, EveryRpcOfEveryServiceHasBadInputCasesOrTakesNone) {
  std::set<std::string> named;
  for (const BadInput& input : BadInputs()) named.insert(input.name);
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const char* service_name : {"caraudio.v1.AudioFocus", "caraudio.v1.CarAudioAdmin",
                                   "caraudio.v1.AudioControl", "caraudio.v1.HalFocus"}) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(service_name);
    ASSERT_NE(service, nullptr) << service_name;
    for (int i = 0; i < service->method_count(); ++i) {
      const std::string rpc = service->method(i)->name();
      // A case is named after its RPC: "SetGroupVolume" + what is wrong.
      const bool covered = std::any_of(named.begin(), named.end(), [&rpc](const std::string& n) {
        return n.rfind(rpc, 0) == 0 && n.size() > rpc.size() && std::isupper(n[rpc.size()]);
      });
      EXPECT_NE(covered, RpcsWithoutBadInput().contains(rpc))
          << service_name << "." << rpc
          << (covered ? ": has bad-input cases but is listed as taking none"
                      : ": no bad-input case and not listed as taking none");
    }
  }
}

// The valid neighbours of the bad values above are accepted, so the cases
// above fail for the reason they name.
TEST(GoodInputTest, ClampedBalanceAndAValidRequestAreAccepted) {
  absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon = StartTestDaemon(TestDaemonOptions());
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  Client client(**daemon);
  v1::SetBalanceTowardRightRequest balance;
  balance.set_value(99999.9f);  // clamped to 1, as VTS requires
  v1::SetBalanceTowardRightResponse balance_response;
  EXPECT_TRUE(client.control()
                  .SetBalanceTowardRight(UnaryContext().get(), balance, &balance_response)
                  .ok());
  v1::FocusRequest request = Nav();
  request.set_client_id(std::string(256, 'a'));  // the longest allowed id
  auto nav = client.RequestFocus(request);
  EXPECT_TRUE(NextIsResult(*nav, v1::REQUEST_GRANTED, 0));
}

}  // namespace
}  // namespace caraudio::testing
