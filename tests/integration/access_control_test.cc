// Who may do what, decided from the caller's socket credentials: the tests
// run as root and make each call from a child process that became "nobody"
// (uid 65534) before connecting (CallerProcess). The daemon's socket belongs
// to group nogroup (--socket_group) so that nobody can reach it at all.
//
//  - writes an app may not make (admin settings, the HAL's services, focus
//    for another uid, another zone or another uid's client id) are
//    PERMISSION_DENIED and change nothing: GetState, compared whole with its
//    event sequence number, is the same before and after;
//  - reads stay open; an app's own requests work, with its uid taken from
//    the socket and its zone from the uid map;
//  - the --*_uids flags grant exactly what they name.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "tests/integration/caller_process.h"
#include "tests/integration/integration_test_util.h"

namespace caraudio::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

// A daemon nobody can connect to: its socket's group is nogroup and its
// directory is searchable by others.
absl::StatusOr<std::unique_ptr<DaemonProcess>> StartDaemonForNobody(
    std::vector<std::string> extra_args = {}) {
  if (::getuid() != 0) {
    return absl::FailedPreconditionError("these tests run as root to become nobody");
  }
  DaemonOptions options = TestDaemonOptions();
  options.extra_args = {"--socket_group=nogroup"};
  options.extra_args.insert(options.extra_args.end(), extra_args.begin(), extra_args.end());
  absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon = StartTestDaemon(std::move(options));
  if (!daemon.ok()) return daemon.status();
  const std::filesystem::path socket(std::string(absl::StripPrefix((*daemon)->address(), "unix:")));
  if (::chmod(socket.parent_path().c_str(), 0711) != 0) {
    return absl::InternalError("chmod " + socket.parent_path().string());
  }
  return daemon;
}

std::string Method(const std::string& service, const std::string& rpc) {
  return absl::StrCat("/caraudio.v1.", service, "/", rpc);
}

// One call made as nobody.
struct NobodyCall {
  std::string name;
  std::string method;                                      // e.g. Method("AudioFocus", "...")
  std::function<std::unique_ptr<google::protobuf::Message>()> request;
};

void PrintTo(const NobodyCall& call, std::ostream* os) { *os << call.name; }

template <typename Request>
NobodyCall Call(std::string name, std::string service, std::string rpc,
                std::function<void(Request&)> fill = nullptr) {
  return {std::move(name), Method(service, rpc), [fill] {
            auto request = std::make_unique<Request>();
            if (fill) fill(*request);
            return request;
          }};
}

absl::StatusOr<CallOutcome> CallAsNobody(const DaemonProcess& daemon, const NobodyCall& call) {
  return CallAs(kUnprivilegedUid, kUnprivilegedGid, daemon.address(), call.method,
                *call.request());
}

// A media request that leaves uid and zone to the daemon.
v1::FocusRequest Media(const std::string& client_id) {
  v1::FocusRequest request = MakeRequest(client_id, v1::USAGE_MEDIA, v1::FOCUS_GAIN, std::nullopt);
  request.clear_uid();
  return request;
}

// Everything an app (nobody) may not do, one call each.
std::vector<NobodyCall> RefusedCalls() {
  std::vector<NobodyCall> calls;
  // AudioFocus: speaking for another uid, another zone, another uid's client.
  calls.push_back(Call<v1::FocusRequest>("RequestFocusForUid1000", "AudioFocus", "RequestFocus",
                                         [](v1::FocusRequest& r) {
                                           r = Media("app");
                                           r.set_uid(1000);
                                         }));
  calls.push_back(Call<v1::FocusRequest>("RequestFocusInAnotherZone", "AudioFocus",
                                         "RequestFocus", [](v1::FocusRequest& r) {
                                           r = Media("app");
                                           r.set_zone_id(1);
                                         }));
  calls.push_back(Call<v1::FocusRequest>("RequestFocusWithRootsClientId", "AudioFocus",
                                         "RequestFocus",
                                         [](v1::FocusRequest& r) { r = Media("music"); }));
  calls.push_back(Call<v1::AbandonFocusRequest>(
      "AbandonRootsClientId", "AudioFocus", "AbandonFocus",
      [](v1::AbandonFocusRequest& r) { r.set_client_id("music"); }));
  calls.push_back(Call<v1::SetGroupVolumeRequest>(
      "SetGroupVolumeForUid1000", "AudioFocus", "SetGroupVolume",
      [](v1::SetGroupVolumeRequest& r) {
        r.set_zone_id(0);
        r.set_group("media");
        r.set_gain_index(1);
        r.set_uid(1000);
      }));
  calls.push_back(Call<v1::SetGroupMuteRequest>("SetGroupMuteInAnotherZone", "AudioFocus",
                                                "SetGroupMute", [](v1::SetGroupMuteRequest& r) {
                                                  r.set_zone_id(1);
                                                  r.set_group("media");
                                                  r.set_muted(true);
                                                }));
  // CarAudioAdmin writes.
  calls.push_back(Call<v1::SetRestrictFocusRequest>(
      "SetRestrictFocus", "CarAudioAdmin", "SetRestrictFocus",
      [](v1::SetRestrictFocusRequest& r) { r.set_restricted(true); }));
  calls.push_back(Call<v1::SetNavigationRejectedDuringCallRequest>(
      "SetNavigationRejectedDuringCall", "CarAudioAdmin", "SetNavigationRejectedDuringCall",
      [](v1::SetNavigationRejectedDuringCallRequest& r) { r.set_rejected(true); }));
  calls.push_back(Call<v1::SetZoneForUidRequest>("SetZoneForUid", "CarAudioAdmin",
                                                 "SetZoneForUid", [](v1::SetZoneForUidRequest& r) {
                                                   r.set_uid(65534);
                                                   r.set_zone_id(1);
                                                 }));
  calls.push_back(Call<v1::ClearZoneForUidRequest>(
      "ClearZoneForUid", "CarAudioAdmin", "ClearZoneForUid",
      [](v1::ClearZoneForUidRequest& r) { r.set_uid(10000); }));
  calls.push_back(Call<v1::ReportAppStateRequest>(
      "ReportAppState", "CarAudioAdmin", "ReportAppState", [](v1::ReportAppStateRequest& r) {
        r.set_package_name("com.example.radio");
        r.set_uid(65534);
        r.set_visibility(v1::APP_VISIBILITY_VISIBLE);
      }));
  calls.push_back(Call<v1::SetHardeningModeRequest>(
      "SetHardeningMode", "CarAudioAdmin", "SetHardeningMode",
      [](v1::SetHardeningModeRequest& r) { r.set_mode(v1::HARDENING_MODE_ENFORCE); }));
  // Every RPC of AudioControl and HalFocus.
  for (const char* rpc : {"GetInterfaceInfo", "RegisterFocusListener", "OnAudioFocusChange",
                          "OnDevicesToDuckChange", "OnDevicesToMuteChange", "SetAudioDeviceGains",
                          "SetBalanceTowardRight", "SetFadeTowardFront", "RegisterGainCallback",
                          "SetSilencedApps", "WatchStreamLevels", "GetHalState"}) {
    // An empty request: refused before it is even validated.
    calls.push_back(Call<v1::GetInterfaceInfoRequest>(absl::StrCat("AudioControl", rpc),
                                                      "AudioControl", rpc));
  }
  calls.push_back(Call<v1::HoldFocusRequest>("HalFocusHoldFocus", "HalFocus", "HoldFocus",
                                             [](v1::HoldFocusRequest& r) {
                                               r.set_usage(v1::USAGE_SAFETY);
                                               r.set_gain(v1::FOCUS_GAIN_TRANSIENT);
                                             }));
  calls.push_back(Call<v1::ReleaseFocusRequest>(
      "HalFocusReleaseFocus", "HalFocus", "ReleaseFocus",
      [](v1::ReleaseFocusRequest& r) { r.set_usage(v1::USAGE_SAFETY); }));
  calls.push_back(Call<v1::PlaySoundRequest>(
      "HalFocusPlaySound", "HalFocus", "PlaySound",
      [](v1::PlaySoundRequest& r) { r.set_usage(v1::USAGE_SAFETY); }));
  return calls;
}

class RefusedCallTest : public ::testing::TestWithParam<NobodyCall> {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon = StartDaemonForNobody();
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = std::move(*daemon);
    client_ = std::make_unique<Client>(*daemon_);
    // The in-process HAL link's registration is logged once; wait for it so
    // the snapshot below is stable.
    ASSERT_TRUE(client_->AwaitState([](const v1::CarAudioState& s) { return s.sequence() >= 1; })
                    .ok());
    // root's music holds zone 0: another uid's client id to protect.
    music_ = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
    ASSERT_TRUE(NextIsResult(*music_, v1::REQUEST_GRANTED, 0));
  }

  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<Client> client_;
  std::unique_ptr<FocusStream> music_;
};

TEST_P(RefusedCallTest, IsPermissionDeniedAndChangesNothing) {
  absl::StatusOr<v1::CarAudioState> before = client_->GetState();
  ASSERT_TRUE(before.ok()) << before.status();

  absl::StatusOr<CallOutcome> outcome = CallAsNobody(*daemon_, GetParam());
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->code, grpc::StatusCode::PERMISSION_DENIED) << outcome->message;
  EXPECT_THAT(outcome->message, HasSubstr("65534")) << "the message names the caller";
  EXPECT_TRUE(outcome->responses.empty());

  absl::StatusOr<v1::CarAudioState> after = client_->GetState();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->ShortDebugString(), before->ShortDebugString());
  EXPECT_TRUE(NoEventWithin(*music_, absl::ZeroDuration()));
}

INSTANTIATE_TEST_SUITE_P(Nobody, RefusedCallTest, ::testing::ValuesIn(RefusedCalls()),
                         [](const ::testing::TestParamInfo<NobodyCall>& info) {
                           return info.param.name;
                         });

TEST(AccessControlTest, ReadsStayOpenToEveryone) {
  absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon = StartDaemonForNobody();
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  for (const NobodyCall& call :
       {Call<v1::GetStateRequest>("GetState", "CarAudioAdmin", "GetState"),
        Call<v1::PingRequest>("Ping", "CarAudioAdmin", "Ping"),
        Call<v1::WatchEventsRequest>("WatchEvents", "CarAudioAdmin", "WatchEvents"),
        Call<v1::GetAuditRequest>("GetAudit", "CarAudioAdmin", "GetAudit"),
        Call<v1::ListVolumeGroupsRequest>("ListVolumeGroups", "AudioFocus", "ListVolumeGroups"),
        Call<v1::GetGroupVolumeRequest>(
            "GetGroupVolume", "AudioFocus", "GetGroupVolume",
            [](v1::GetGroupVolumeRequest& r) { r.set_group("media"); })}) {
    absl::StatusOr<CallOutcome> outcome = CallAsNobody(**daemon, call);
    ASSERT_TRUE(outcome.ok()) << call.name << ": " << outcome.status();
    // WatchEvents stays open: the child cancels it after `subscribed`.
    EXPECT_FALSE(outcome->responses.empty()) << call.name;
    EXPECT_TRUE(outcome->code == grpc::StatusCode::OK ||
                (call.name == "WatchEvents" && outcome->code == grpc::StatusCode::CANCELLED))
        << call.name << ": " << outcome->code << " " << outcome->message;
  }
}

// An app's own request: its uid comes from the socket, its zone from the
// uid map, and an explicit zone equal to its own is fine.
TEST(AccessControlTest, AnAppsRequestIsItsOwnAndPlaysInItsUidsZone) {
  absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon = StartDaemonForNobody();
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  Client root(**daemon);
  v1::SetZoneForUidRequest move;
  move.set_uid(kUnprivilegedUid);
  move.set_zone_id(1);
  v1::SetZoneForUidResponse moved;
  ASSERT_TRUE(root.admin().SetZoneForUid(UnaryContext().get(), move, &moved).ok());

  CallerOptions options;
  options.address = (*daemon)->address();
  options.method = Method("AudioFocus", "RequestFocus");
  v1::FocusRequest request = Media("rear-video");
  request.set_zone_id(1);  // its own zone: allowed, and left to the uid map
  options.request_bytes = request.SerializeAsString();
  options.hold = true;
  absl::StatusOr<std::unique_ptr<CallerProcess>> app = CallerProcess::Start(options);
  ASSERT_TRUE(app.ok()) << app.status();
  absl::StatusOr<std::optional<CallOutcome>> first = (*app)->Next(kEventTimeout);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_FALSE(first->has_value()) << "ended: " << (**first).code << " " << (**first).message;

  absl::StatusOr<v1::CarAudioState> state = root.AwaitState(
      [](const v1::CarAudioState& s) { return ZoneOf(s, 1).holders_size() == 1; });
  ASSERT_TRUE(state.ok()) << state.status();
  const v1::FocusRequest& held = ZoneOf(*state, 1).holders(0).request();
  EXPECT_EQ(held.client_id(), "rear-video");
  EXPECT_EQ(held.uid(), static_cast<int32_t>(kUnprivilegedUid)) << "uid from SO_PEERCRED";
  EXPECT_FALSE(held.has_zone_id()) << "placed by the uid map";

  // The uid moves: its entry follows (it was placed by the uid map).
  move.set_zone_id(2);
  ASSERT_TRUE(root.admin().SetZoneForUid(UnaryContext().get(), move, &moved).ok());
  state = root.AwaitState(
      [](const v1::CarAudioState& s) { return ZoneOf(s, 2).holders_size() == 1; });
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(ZoneOf(*state, 2).holders(0).request().client_id(), "rear-video");

  // The app abandons its own request: allowed.
  v1::AbandonFocusRequest abandon;
  abandon.set_client_id("rear-video");
  absl::StatusOr<CallOutcome> abandoned =
      CallAs(kUnprivilegedUid, kUnprivilegedGid, (*daemon)->address(),
             Method("AudioFocus", "AbandonFocus"), abandon);
  ASSERT_TRUE(abandoned.ok()) << abandoned.status();
  EXPECT_EQ(abandoned->code, grpc::StatusCode::OK) << abandoned->message;
  state = root.AwaitState(
      [](const v1::CarAudioState& s) { return ZoneOf(s, 2).holders_size() == 0; });
  ASSERT_TRUE(state.ok()) << state.status();
}

// The flags grant what they name, to exactly that uid.
TEST(AccessControlTest, ConfiguredUidsMayDoWhatTheirFlagAllows) {
  absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon =
      StartDaemonForNobody({"--admin_uids=65534", "--hal_uids=65534", "--trusted_uids=65534"});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  Client root(**daemon);
  auto as_nobody = [&](const NobodyCall& call) {
    absl::StatusOr<CallOutcome> outcome = CallAsNobody(**daemon, call);
    EXPECT_TRUE(outcome.ok()) << outcome.status();
    return outcome.ok() ? outcome->code : grpc::StatusCode::UNKNOWN;
  };
  EXPECT_EQ(as_nobody(Call<v1::SetRestrictFocusRequest>(
                "", "CarAudioAdmin", "SetRestrictFocus",
                [](v1::SetRestrictFocusRequest& r) { r.set_restricted(true); })),
            grpc::StatusCode::OK);
  absl::StatusOr<v1::CarAudioState> state = root.GetState();
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->restricted()) << state->ShortDebugString();

  EXPECT_EQ(as_nobody(Call<v1::GetInterfaceInfoRequest>("", "AudioControl", "GetInterfaceInfo")),
            grpc::StatusCode::OK);

  // Trusted: may speak for uid 1000 (a critical usage: focus is restricted).
  v1::FocusRequest emergency =
      MakeRequest("ecall", v1::USAGE_EMERGENCY, v1::FOCUS_GAIN_TRANSIENT, std::nullopt);
  emergency.set_uid(1000);
  absl::StatusOr<CallOutcome> granted =
      CallAs(kUnprivilegedUid, kUnprivilegedGid, (*daemon)->address(),
             Method("AudioFocus", "RequestFocus"), emergency);
  ASSERT_TRUE(granted.ok()) << granted.status();
  ASSERT_EQ(granted->responses.size(), 1u) << granted->code << " " << granted->message;
  v1::FocusEvent result;
  ASSERT_TRUE(result.ParseFromString(granted->responses[0]));
  EXPECT_EQ(result.result().result(), v1::REQUEST_GRANTED) << result.ShortDebugString();

  // Not named in --zone_targeting_uids, but trusted uids may target zones too.
  v1::FocusRequest rear = emergency;
  rear.set_client_id("ecall-rear");
  rear.set_zone_id(2);
  granted = CallAs(kUnprivilegedUid, kUnprivilegedGid, (*daemon)->address(),
                   Method("AudioFocus", "RequestFocus"), rear);
  ASSERT_TRUE(granted.ok()) << granted.status();
  ASSERT_EQ(granted->responses.size(), 1u) << granted->code << " " << granted->message;
  ASSERT_TRUE(result.ParseFromString(granted->responses[0]));
  EXPECT_EQ(result.result().zone_id(), 2);
}

TEST(AccessControlTest, ZoneTargetingUidsMayNameAZoneButNotAnotherUid) {
  absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon =
      StartDaemonForNobody({"--zone_targeting_uids=65534"});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  v1::FocusRequest rear = Media("rse-movie");
  rear.set_zone_id(2);
  absl::StatusOr<CallOutcome> outcome =
      CallAs(kUnprivilegedUid, kUnprivilegedGid, (*daemon)->address(),
             Method("AudioFocus", "RequestFocus"), rear);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  ASSERT_EQ(outcome->responses.size(), 1u) << outcome->code << " " << outcome->message;
  v1::FocusEvent result;
  ASSERT_TRUE(result.ParseFromString(outcome->responses[0]));
  EXPECT_EQ(result.result().result(), v1::REQUEST_GRANTED);
  EXPECT_EQ(result.result().zone_id(), 2);

  rear.set_uid(1000);
  outcome = CallAs(kUnprivilegedUid, kUnprivilegedGid, (*daemon)->address(),
                   Method("AudioFocus", "RequestFocus"), rear);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->code, grpc::StatusCode::PERMISSION_DENIED) << outcome->message;
}

// An app cannot grow the focus stacks without bound: past
// --max_focus_requests_per_app entries a new client id is RESOURCE_EXHAUSTED
// and nothing changes; replacing one of its own entries still works.
TEST(AccessControlTest, AnAppHasAtMostItsLimitOfFocusRequests) {
  absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon =
      StartDaemonForNobody({"--max_focus_requests_per_app=2"});
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  Client root(**daemon);
  std::vector<std::unique_ptr<CallerProcess>> held;
  for (const char* client_id : {"player", "maps"}) {
    CallerOptions options;
    options.address = (*daemon)->address();
    options.method = Method("AudioFocus", "RequestFocus");
    v1::FocusRequest request = Media(client_id);
    if (std::string(client_id) == "maps") {
      request.set_usage(v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE);
      request.set_gain(v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK);
    }
    options.request_bytes = request.SerializeAsString();
    options.hold = true;
    absl::StatusOr<std::unique_ptr<CallerProcess>> app = CallerProcess::Start(options);
    ASSERT_TRUE(app.ok()) << app.status();
    absl::StatusOr<std::optional<CallOutcome>> first = (*app)->Next(kEventTimeout);
    ASSERT_TRUE(first.ok()) << first.status();
    ASSERT_FALSE(first->has_value()) << "ended: " << (**first).code << " " << (**first).message;
    held.push_back(std::move(*app));
  }
  absl::StatusOr<v1::CarAudioState> before = root.AwaitState(
      [](const v1::CarAudioState& s) { return ZoneOf(s, 0).holders_size() == 2; });
  ASSERT_TRUE(before.ok()) << before.status();

  absl::StatusOr<CallOutcome> third =
      CallAs(kUnprivilegedUid, kUnprivilegedGid, (*daemon)->address(),
             Method("AudioFocus", "RequestFocus"), Media("podcast"));
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(third->code, grpc::StatusCode::RESOURCE_EXHAUSTED) << third->message;
  EXPECT_THAT(third->message, HasSubstr("already has 2 focus requests"));
  EXPECT_TRUE(third->responses.empty());
  absl::StatusOr<v1::CarAudioState> after = root.GetState();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(ZoneOf(*after, 0).DebugString(), ZoneOf(*before, 0).DebugString())
      << "a refused request changes nothing";

  // Re-requesting one of its own ids replaces that entry, within the limit.
  absl::StatusOr<CallOutcome> replaced =
      CallAs(kUnprivilegedUid, kUnprivilegedGid, (*daemon)->address(),
             Method("AudioFocus", "RequestFocus"), Media("player"));
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  ASSERT_EQ(replaced->responses.size(), 1u) << replaced->code << " " << replaced->message;
  v1::FocusEvent result;
  ASSERT_TRUE(result.ParseFromString(replaced->responses[0]));
  EXPECT_EQ(result.result().result(), v1::REQUEST_GRANTED);
}

TEST(AccessControlTest, AFocusRequestLimitBelowOneIsRefusedAtStartUp) {
  DaemonOptions options = TestDaemonOptions("bad-limit");
  options.extra_args = {"--max_focus_requests_per_app=0"};
  absl::StatusOr<std::string> log = LogOfDaemonRefusingToStart(std::move(options));
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_THAT(LogMessages(*log),
              Contains(HasSubstr("--max_focus_requests_per_app must be at least 1, not 0")));
}

TEST(AccessControlTest, BadUidListsAreRefusedAtStartUp) {
  DaemonOptions options = TestDaemonOptions("bad-uids");
  options.extra_args = {"--admin_uids=1000,root"};
  absl::StatusOr<std::string> log = LogOfDaemonRefusingToStart(std::move(options));
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_THAT(LogMessages(*log),
              Contains(HasSubstr("--admin_uids: \"root\" is not a uid")));
}

}  // namespace
}  // namespace caraudio::testing
