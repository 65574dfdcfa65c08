// Focus requested by the vehicle side (HalFocus.HoldFocus on the HAL), which
// the HAL forwards to the car service's IFocusListener stream and the car
// service arbitrates like an app request; the answer comes back to the hold
// through AudioControl.OnAudioFocusChange.
//
// In one process (--role=all) and split (--role=hal + --role=carservice on
// two sockets): a car service killed and restarted gets the HAL's focus
// replayed; a second car service supersedes the first; a HAL killed and
// restarted loses its focus in the car service, which re-registers when the
// HAL is back, resends its duck and mute sets, and gets the requests the new
// HAL took while no car service listened replayed.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "tests/integration/integration_test_util.h"

namespace caraudio::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kHalSafetyClient[] = "hal-focus/zone0/USAGE_SAFETY";
constexpr char kHalAnnouncementClient[] = "hal-focus/zone0/USAGE_ANNOUNCEMENT";

// How long a car service may take to (re-)register with a HAL: its backoff
// grows to 2 s between attempts.
constexpr absl::Duration kRegistrationTimeout = absl::Seconds(8);

// --- One process ------------------------------------------------------------

using HalFocusTest = DaemonFixture<>;

TEST_F(HalFocusTest, SafetyMayDuckHoldIsGrantedAndDucksMediaWithoutPausingTheApp) {
  auto music = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*music, v1::REQUEST_GRANTED, 0));

  auto hold = client_->HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK,
                                 "lane-keep-assist");
  // The car service answers with the granted gain itself (3), not GAIN.
  ASSERT_TRUE(
      AwaitHalStatus(*hold, v1::FOCUS_CHANGE_GAIN_TRANSIENT_MAY_DUCK, kRegistrationTimeout));

  absl::StatusOr<v1::CarAudioState> state = client_->GetState();
  ASSERT_TRUE(state.ok()) << state.status();
  const v1::ZoneState& zone = ZoneOf(*state, 0);
  ASSERT_EQ(zone.hal_requests_size(), 1) << zone.ShortDebugString();
  EXPECT_EQ(zone.hal_requests(0).usage(), v1::USAGE_SAFETY);
  EXPECT_EQ(zone.hal_requests(0).zone_id(), 0);
  EXPECT_EQ(zone.hal_requests(0).status(), v1::FOCUS_CHANGE_GAIN_TRANSIENT_MAY_DUCK);
  EXPECT_EQ(zone.hal_requests(0).client_id(), kHalSafetyClient);
  EXPECT_THAT(HolderIds(*state, 0), ElementsAre("music", kHalSafetyClient));
  EXPECT_THAT(DuckedAddresses(*state, 0), ElementsAre("bus0_media_out"));
  // SAFETY -> MUSIC is CONCURRENT and the app asked for no duck events.
  EXPECT_TRUE(NoEventWithin(*music));

  // The chime ends: the HAL abandons the pair, the duck is lifted.
  hold->Cancel();
  absl::StatusOr<v1::CarAudioState> released = client_->AwaitState([](const v1::CarAudioState& s) {
    return HalRequestCount(s) == 0 && ZoneOf(s, 0).ducked_device_addresses().empty();
  });
  ASSERT_TRUE(released.ok()) << released.status();
  EXPECT_THAT(HolderIds(*released, 0), ElementsAre("music"));
}

TEST_F(HalFocusTest, MayDuckHoldSendsCanDuckToAnAppThatAskedForDuckEvents) {
  v1::FocusRequest request = MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0);
  request.set_receive_ducking_events(true);
  auto music = client_->RequestFocus(request);
  ASSERT_TRUE(NextIsResult(*music, v1::REQUEST_GRANTED, 0));

  auto hold = client_->HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK,
                                 "lane-keep-assist");
  ASSERT_TRUE(
      AwaitHalStatus(*hold, v1::FOCUS_CHANGE_GAIN_TRANSIENT_MAY_DUCK, kRegistrationTimeout));
  EXPECT_TRUE(NextIsChange(*music, v1::FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK, 0));

  hold->Cancel();
  EXPECT_TRUE(NextIsChange(*music, v1::FOCUS_CHANGE_GAIN, 0));
}

TEST_F(HalFocusTest, SecondHoldOfThePairSharesTheRequestAndSeesItsStatusAtOnce) {
  auto first =
      client_->HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, "chime-a");
  ASSERT_TRUE(
      AwaitHalStatus(*first, v1::FOCUS_CHANGE_GAIN_TRANSIENT_MAY_DUCK, kRegistrationTimeout));
  auto second = client_->HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT, "chime-b");
  std::optional<v1::HalFocusStatus> status = second->Next(kEventTimeout);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->focus_change(), v1::FOCUS_CHANGE_GAIN_TRANSIENT_MAY_DUCK)
      << status->ShortDebugString();
  EXPECT_EQ(status->usage(), v1::USAGE_SAFETY);

  // One request only; it stays until the last hold of the pair is released.
  first->Cancel();
  absl::StatusOr<v1::CarAudioState> state = client_->GetState();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(HalRequestCount(*state), 1u) << state->ShortDebugString();
  second->Cancel();
  state = client_->AwaitState([](const v1::CarAudioState& s) { return HalRequestCount(s) == 0; });
  ASSERT_TRUE(state.ok()) << state.status();
}

TEST_F(HalFocusTest, RejectedHoldIsToldLossAndEnds) {
  auto call = client_->RequestFocus(
      MakeRequest("dialer", v1::USAGE_VOICE_COMMUNICATION, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*call, v1::REQUEST_GRANTED, 0));
  // A tuner wants media focus during a call: CALL -> MUSIC is REJECT.
  auto tuner = client_->HoldFocus(v1::USAGE_MEDIA, 0, v1::FOCUS_GAIN, "fm-tuner");
  ASSERT_TRUE(AwaitHalStatus(*tuner, v1::FOCUS_CHANGE_LOSS, kRegistrationTimeout));
  EXPECT_TRUE(EndsWith(*tuner, grpc::StatusCode::OK));
  absl::StatusOr<v1::CarAudioState> state = client_->GetState();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(HalRequestCount(*state), 0u);
  EXPECT_THAT(HolderIds(*state, 0), ElementsAre("dialer"));
  EXPECT_TRUE(NoEventWithin(*call));
}

TEST_F(HalFocusTest, ReleaseFocusEndsEveryHoldOfThePairAndAbandonsItsFocus) {
  auto first =
      client_->HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, "chime-a");
  ASSERT_TRUE(
      AwaitHalStatus(*first, v1::FOCUS_CHANGE_GAIN_TRANSIENT_MAY_DUCK, kRegistrationTimeout));
  auto second =
      client_->HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, "chime-b");
  ASSERT_TRUE(AwaitHalStatus(*second, v1::FOCUS_CHANGE_GAIN_TRANSIENT_MAY_DUCK));

  v1::ReleaseFocusRequest release;
  release.set_usage(v1::USAGE_SAFETY);
  release.set_zone_id(0);
  v1::ReleaseFocusResponse released;
  grpc::Status status = client_->hal_focus().ReleaseFocus(UnaryContext().get(), release, &released);
  ASSERT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  EXPECT_EQ(released.released_holders(), 2);
  EXPECT_TRUE(EndsWith(*first, grpc::StatusCode::ABORTED));
  EXPECT_TRUE(EndsWith(*second, grpc::StatusCode::ABORTED));
  absl::StatusOr<v1::CarAudioState> state =
      client_->AwaitState([](const v1::CarAudioState& s) { return HalRequestCount(s) == 0; });
  ASSERT_TRUE(state.ok()) << state.status();

  // Nothing left to release: OK with 0.
  status = client_->hal_focus().ReleaseFocus(UnaryContext().get(), release, &released);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(released.released_holders(), 0);
}

// --- Split: HAL and car service in separate processes -----------------------

class SplitHalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TempDir> dir = TempDir::Create("caraudio-split");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = std::make_unique<TempDir>(std::move(*dir));
    hal_address_ = "unix:" + dir_->File("hal.sock");
    StartHal("hal");
    ASSERT_FALSE(HasFatalFailure());
    carservice_ = StartCarService("carservice", "carservice.sock");
    ASSERT_NE(carservice_, nullptr);
  }

  void StartHal(const std::string& name) {
    DaemonOptions options = TestDaemonOptions(name);
    options.role = "hal";
    options.listen = {hal_address_};
    absl::StatusOr<std::unique_ptr<DaemonProcess>> hal = StartTestDaemon(std::move(options));
    ASSERT_TRUE(hal.ok()) << hal.status();
    hal_ = std::move(*hal);
    hal_client_ = std::make_unique<Client>(*hal_);
  }

  std::unique_ptr<DaemonProcess> StartCarService(const std::string& name,
                                                 const std::string& socket) {
    DaemonOptions options = TestDaemonOptions(name);
    options.role = "carservice";
    options.listen = {"unix:" + dir_->File(socket)};
    options.hal = hal_address_;
    absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon = StartTestDaemon(std::move(options));
    EXPECT_TRUE(daemon.ok()) << daemon.status();
    return daemon.ok() ? std::move(*daemon) : nullptr;
  }

  // Declared first: removed last, after every daemon using its sockets.
  std::unique_ptr<TempDir> dir_;
  std::string hal_address_;
  std::unique_ptr<DaemonProcess> hal_;
  std::unique_ptr<Client> hal_client_;
  std::unique_ptr<DaemonProcess> carservice_;
};

TEST_F(SplitHalTest, RestartedCarServiceGetsTheHalsFocusReplayed) {
  auto hold = hal_client_->HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK,
                                     "lane-keep-assist");
  ASSERT_TRUE(
      AwaitHalStatus(*hold, v1::FOCUS_CHANGE_GAIN_TRANSIENT_MAY_DUCK, kRegistrationTimeout));
  {
    Client carservice(*carservice_);
    absl::StatusOr<v1::CarAudioState> state = carservice.GetState();
    ASSERT_TRUE(state.ok()) << state.status();
    ASSERT_EQ(HalRequestCount(*state), 1u) << state->ShortDebugString();
  }

  // kill -9 the car service and start a new one on the same socket.
  const ExitStatus killed = carservice_->Kill();
  EXPECT_EQ(killed.signal, SIGKILL) << killed.ToString();
  std::unique_ptr<DaemonProcess> restarted = StartCarService("carservice-2", "carservice.sock");
  ASSERT_NE(restarted, nullptr);

  // The hold stayed open; the HAL replays it to the new listener, whose
  // answer reaches the hold again.
  ASSERT_TRUE(
      AwaitHalStatus(*hold, v1::FOCUS_CHANGE_GAIN_TRANSIENT_MAY_DUCK, kRegistrationTimeout));
  EXPECT_FALSE(hold->ended());
  Client carservice(*restarted);
  absl::StatusOr<v1::CarAudioState> state =
      carservice.AwaitState([](const v1::CarAudioState& s) { return HalRequestCount(s) == 1; });
  ASSERT_TRUE(state.ok()) << state.status();
  const v1::ZoneState& zone = ZoneOf(*state, 0);
  ASSERT_EQ(zone.hal_requests_size(), 1);
  EXPECT_EQ(zone.hal_requests(0).usage(), v1::USAGE_SAFETY);
  EXPECT_EQ(zone.hal_requests(0).status(), v1::FOCUS_CHANGE_GAIN_TRANSIENT_MAY_DUCK);
  EXPECT_THAT(HolderIds(*state, 0), ElementsAre(kHalSafetyClient));
  EXPECT_THAT(DuckedAddresses(*state, 0), IsEmpty());  // nothing else plays to duck
}

TEST_F(SplitHalTest, SecondCarServiceSupersedesTheFirstListener) {
  auto hold = hal_client_->HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK,
                                     "lane-keep-assist");
  ASSERT_TRUE(
      AwaitHalStatus(*hold, v1::FOCUS_CHANGE_GAIN_TRANSIENT_MAY_DUCK, kRegistrationTimeout));

  std::unique_ptr<DaemonProcess> second = StartCarService("carservice-b", "carservice-b.sock");
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(
      AwaitHalStatus(*hold, v1::FOCUS_CHANGE_GAIN_TRANSIENT_MAY_DUCK, kRegistrationTimeout));
  Client client_b(*second);
  absl::StatusOr<v1::CarAudioState> state_b =
      client_b.AwaitState([](const v1::CarAudioState& s) { return HalRequestCount(s) == 1; });
  ASSERT_TRUE(state_b.ok()) << state_b.status();

  // The first car service lost its registration (ABORTED) and with it the
  // HAL's focus (HalAudioFocus.reset), and stands down.
  Client client_a(*carservice_);
  absl::StatusOr<v1::CarAudioState> state_a =
      client_a.AwaitState([](const v1::CarAudioState& s) { return HalRequestCount(s) == 0; });
  ASSERT_TRUE(state_a.ok()) << state_a.status();
  EXPECT_THAT(HolderIds(*state_a, 0), IsEmpty());

  // New vehicle requests go to the second car service only.
  auto door = hal_client_->HoldFocus(v1::USAGE_VEHICLE_STATUS, 1, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK,
                                     "door-chime");
  ASSERT_TRUE(AwaitHalStatus(*door, v1::FOCUS_CHANGE_GAIN_TRANSIENT_MAY_DUCK));
  state_b = client_b.GetState();
  ASSERT_TRUE(state_b.ok()) << state_b.status();
  EXPECT_EQ(HalRequestCount(*state_b), 2u);
  state_a = client_a.GetState();
  ASSERT_TRUE(state_a.ok()) << state_a.status();
  EXPECT_EQ(HalRequestCount(*state_a), 0u) << state_a->ShortDebugString();
  EXPECT_TRUE(carservice_->process().Poll() == std::nullopt) << "the first car service exited";
}

TEST_F(SplitHalTest, KilledHalLosesItsFocusAndTheCarServiceReRegistersWhenItIsBack) {
  Client carservice(*carservice_);
  auto music = carservice.RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*music, v1::REQUEST_GRANTED, 0));

  // A traffic announcement from the tuner pauses the music (MUSIC -> ANNOUNCEMENT is E).
  auto bulletin = hal_client_->HoldFocus(v1::USAGE_ANNOUNCEMENT, 0, v1::FOCUS_GAIN_TRANSIENT,
                                         "traffic-bulletin");
  ASSERT_TRUE(AwaitHalStatus(*bulletin, v1::FOCUS_CHANGE_GAIN_TRANSIENT, kRegistrationTimeout));
  ASSERT_TRUE(NextIsChange(*music, v1::FOCUS_CHANGE_LOSS_TRANSIENT, 0));
  {
    absl::StatusOr<v1::CarAudioState> state = carservice.GetState();
    ASSERT_TRUE(state.ok()) << state.status();
    ASSERT_THAT(HolderIds(*state, 0), ElementsAre(kHalAnnouncementClient));
  }

  // kill -9 the HAL: the car service abandons the HAL's focus and the music
  // it paused regains focus.
  const auto killed_at = std::chrono::steady_clock::now();
  const ExitStatus killed = hal_->Kill();
  EXPECT_EQ(killed.signal, SIGKILL) << killed.ToString();
  std::optional<FocusStream::Received> regained = music->NextReceived(absl::Seconds(3));
  ASSERT_TRUE(regained.has_value()) << "music never regained focus after the HAL died";
  ASSERT_TRUE(regained->message.has_focus_change()) << regained->message.ShortDebugString();
  EXPECT_EQ(regained->message.focus_change().change(), v1::FOCUS_CHANGE_GAIN);
  std::printf("[ measure  ] SIGKILL of the HAL -> GAIN at the app it paused: %.1f ms\n",
              std::chrono::duration<double, std::milli>(regained->at - killed_at).count());
  EXPECT_TRUE(bulletin->WaitForEnd(kEventTimeout).has_value()) << "the hold outlived its HAL";

  absl::StatusOr<v1::CarAudioState> state = carservice.GetState();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(HalRequestCount(*state), 0u) << state->ShortDebugString();
  EXPECT_THAT(HolderIds(*state, 0), ElementsAre("music"));
  EXPECT_THAT(LoserIds(*state, 0), IsEmpty());

  // The HAL comes back on the same socket; the car service re-registers and
  // a new hold is arbitrated again.
  hal_client_.reset();
  StartHal("hal-2");
  ASSERT_FALSE(HasFatalFailure());
  auto again = hal_client_->HoldFocus(v1::USAGE_ANNOUNCEMENT, 0, v1::FOCUS_GAIN_TRANSIENT,
                                      "traffic-bulletin");
  ASSERT_TRUE(AwaitHalStatus(*again, v1::FOCUS_CHANGE_GAIN_TRANSIENT, kRegistrationTimeout));
  EXPECT_TRUE(NextIsChange(*music, v1::FOCUS_CHANGE_LOSS_TRANSIENT, 0));
  state = carservice.GetState();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(HalRequestCount(*state), 1u);
  EXPECT_THAT(LoserIds(*state, 0), Contains("music"));
}

TEST_F(SplitHalTest, RestartedHalGetsTheDuckAndMuteSetsAgainAndReplaysWhatItHeldMeanwhile) {
  Client carservice(*carservice_);
  // Navigation over music ducks zone 0's media device; zone 1's media group is muted.
  auto music = carservice.RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*music, v1::REQUEST_GRANTED, 0));
  auto nav = carservice.RequestFocus(MakeRequest("nav", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE,
                                                 v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, 0));
  ASSERT_TRUE(NextIsResult(*nav, v1::REQUEST_GRANTED, 0));
  v1::SetGroupMuteRequest mute;
  mute.set_zone_id(1);
  mute.set_group("media");
  mute.set_muted(true);
  v1::GroupVolume group;
  ASSERT_TRUE(carservice.focus().SetGroupMute(UnaryContext().get(), mute, &group).ok());
  auto applied = [](const v1::HalState& hal) {
    return hal.zones_size() == 2 && hal.zones(0).zone_id() == 0 &&
           hal.zones(0).ducked_device_addresses_size() == 1 &&
           hal.zones(0).ducked_device_addresses(0) == "bus0_media_out" &&
           hal.zones(1).zone_id() == 1 && hal.zones(1).muted_device_addresses_size() == 1 &&
           hal.zones(1).muted_device_addresses(0) == "bus100_media_out";
  };
  auto await_hal = [this](const std::function<bool(const v1::HalState&)>& done) {
    absl::StatusOr<v1::HalState> hal;
    const absl::Time deadline = absl::Now() + kRegistrationTimeout;
    do {
      hal = hal_client_->GetHalState();
      if (hal.ok() && done(*hal)) return hal;
      absl::SleepFor(absl::Milliseconds(10));
    } while (absl::Now() < deadline);
    return hal;
  };
  absl::StatusOr<v1::HalState> hal = await_hal(applied);
  ASSERT_TRUE(hal.ok() && applied(*hal)) << hal.status() << " " << hal->ShortDebugString();

  // kill -9 the HAL. The car service is frozen (SIGSTOP) while a new HAL
  // starts and a vehicle source holds focus on it, so that request waits in
  // the HAL with no listener to send it to.
  const ExitStatus killed = hal_->Kill();
  ASSERT_EQ(killed.signal, SIGKILL) << killed.ToString();
  ASSERT_EQ(::kill(carservice_->pid(), SIGSTOP), 0);
  hal_client_.reset();
  StartHal("hal-2");
  if (HasFatalFailure()) {
    ::kill(carservice_->pid(), SIGCONT);
    return;
  }
  auto bulletin = hal_client_->HoldFocus(v1::USAGE_ANNOUNCEMENT, 2, v1::FOCUS_GAIN_TRANSIENT,
                                         "traffic-bulletin");
  const bool held_without_listener = AwaitHalStatus(*bulletin, v1::FOCUS_CHANGE_NONE);
  hal = hal_client_->GetHalState();
  ::kill(carservice_->pid(), SIGCONT);
  ASSERT_TRUE(held_without_listener);
  ASSERT_TRUE(hal.ok()) << hal.status();
  EXPECT_EQ(hal->focus_listener_id(), 0u) << hal->ShortDebugString();
  ASSERT_EQ(hal->vehicle_focus_requests_size(), 1);
  EXPECT_EQ(hal->vehicle_focus_requests(0).status(), v1::FOCUS_CHANGE_NONE);
  EXPECT_EQ(hal->zones_size(), 0) << "a new HAL starts with nothing ducked or muted";

  // The car service thaws, re-registers, resends its sets, and arbitrates the
  // replayed request, whose answer reaches the hold.
  ASSERT_TRUE(AwaitHalStatus(*bulletin, v1::FOCUS_CHANGE_GAIN_TRANSIENT, kRegistrationTimeout));
  hal = await_hal(applied);
  ASSERT_TRUE(hal.ok() && applied(*hal)) << hal.status() << " " << hal->ShortDebugString();
  EXPECT_NE(hal->focus_listener_id(), 0u);
  EXPECT_EQ(hal->focus_listener_name(), "carservice");
  absl::StatusOr<v1::CarAudioState> state = carservice.GetState();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(HalRequestCount(*state), 1u) << state->ShortDebugString();
  EXPECT_THAT(HolderIds(*state, 2), ElementsAre("hal-focus/zone2/USAGE_ANNOUNCEMENT"));
  EXPECT_THAT(HolderIds(*state, 0), ElementsAre("music", "nav"));
  EXPECT_THAT(hal_->ReadLog(), ::testing::HasSubstr("replaying 1 request(s)"));
}

}  // namespace
}  // namespace caraudio::testing
