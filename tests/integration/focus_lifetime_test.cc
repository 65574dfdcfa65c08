// How focus ends: AbandonFocus (the stream gets `abandoned`), and an app
// process that dies holding focus (SIGKILL: the daemon abandons its request
// as soon as the socket closes, and the app it paused gets GAIN back).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "tests/integration/focus_holder_process.h"
#include "tests/integration/integration_test_util.h"

namespace caraudio::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::StartsWith;

using FocusLifetimeTest = DaemonFixture<>;

TEST_F(FocusLifetimeTest, AbandonFocusEndsTheStreamWithAbandonedAndRestoresTheLoser) {
  auto music = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*music, v1::REQUEST_GRANTED, 0));
  auto call = client_->RequestFocus(
      MakeRequest("dialer", v1::USAGE_VOICE_COMMUNICATION, v1::FOCUS_GAIN_TRANSIENT, 0));
  ASSERT_TRUE(NextIsResult(*call, v1::REQUEST_GRANTED, 0));
  ASSERT_TRUE(NextIsChange(*music, v1::FOCUS_CHANGE_LOSS_TRANSIENT, 0));

  v1::AbandonFocusResponse response;
  grpc::Status status = client_->AbandonFocus("dialer", std::nullopt, &response);
  ASSERT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  EXPECT_EQ(response.result(), v1::REQUEST_GRANTED);

  // The abandoning client hears no focus change: `abandoned`, then OK.
  EXPECT_TRUE(NextIsAbandoned(*call));
  EXPECT_TRUE(EndsWith(*call, grpc::StatusCode::OK));
  EXPECT_TRUE(NextIsChange(*music, v1::FOCUS_CHANGE_GAIN, 0));

  absl::StatusOr<v1::CarAudioState> state = client_->GetState();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_THAT(HolderIds(*state, 0), ElementsAre("music"));
  EXPECT_THAT(LoserIds(*state, 0), IsEmpty());
}

TEST_F(FocusLifetimeTest, AbandonFocusInOneZoneLeavesTheOtherZonesStream) {
  auto front = client_->RequestFocus(MakeRequest("player", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*front, v1::REQUEST_GRANTED, 0));
  auto rear = client_->RequestFocus(MakeRequest("player", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 1));
  ASSERT_TRUE(NextIsResult(*rear, v1::REQUEST_GRANTED, 1));

  ASSERT_TRUE(client_->AbandonFocus("player", 1).ok());
  EXPECT_TRUE(NextIsAbandoned(*rear));
  EXPECT_TRUE(EndsWith(*rear, grpc::StatusCode::OK));
  EXPECT_TRUE(NoEventWithin(*front));

  absl::StatusOr<v1::CarAudioState> state = client_->GetState();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_THAT(HolderIds(*state, 0), ElementsAre("player"));
  EXPECT_THAT(HolderIds(*state, 1), IsEmpty());
}

TEST_F(FocusLifetimeTest, AbandonFocusOfAClientHoldingNothingIsAGrantedNoOp) {
  absl::StatusOr<v1::CarAudioState> before = client_->GetState();
  ASSERT_TRUE(before.ok()) << before.status();
  v1::AbandonFocusResponse response;
  grpc::Status status = client_->AbandonFocus("nobody", std::nullopt, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.result(), v1::REQUEST_GRANTED);
  absl::StatusOr<v1::CarAudioState> after = client_->GetState();
  ASSERT_TRUE(after.ok()) << after.status();
  for (int32_t zone : {0, 1, 2}) {
    EXPECT_EQ(ZoneOf(*after, zone).ShortDebugString(), ZoneOf(*before, zone).ShortDebugString());
  }
}

TEST_F(FocusLifetimeTest, KilledAppProcessLosesItsFocusAndTheWaitingLoserRegainsWithin1s) {
  auto music = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*music, v1::REQUEST_GRANTED, 0));

  // Another process takes a transient call focus and holds it.
  absl::StatusOr<std::unique_ptr<FocusHolderProcess>> holder = FocusHolderProcess::Start(
      daemon_->address(),
      MakeRequest("voip-app", v1::USAGE_VOICE_COMMUNICATION, v1::FOCUS_GAIN_TRANSIENT, 0));
  ASSERT_TRUE(holder.ok()) << holder.status();
  absl::StatusOr<std::string> line = (*holder)->NextLine(absl::Seconds(5));
  ASSERT_TRUE(line.ok()) << line.status() << "\nholder log:\n" << (*holder)->ReadLog();
  ASSERT_EQ(*line, "result 1 zone 0");
  ASSERT_TRUE(NextIsChange(*music, v1::FOCUS_CHANGE_LOSS_TRANSIENT, 0));
  {
    absl::StatusOr<v1::CarAudioState> state = client_->GetState();
    ASSERT_TRUE(state.ok()) << state.status();
    ASSERT_THAT(HolderIds(*state, 0), ElementsAre("voip-app"));
  }

  // kill -9: no goodbye, only the socket closing tells the daemon.
  const auto killed_at = std::chrono::steady_clock::now();
  const ExitStatus exit = (*holder)->process().Kill();
  EXPECT_FALSE(exit.exited);
  EXPECT_EQ(exit.signal, SIGKILL);

  std::optional<FocusStream::Received> regained = music->NextReceived(absl::Seconds(2));
  ASSERT_TRUE(regained.has_value()) << "the paused app never got focus back";
  ASSERT_TRUE(regained->message.has_focus_change()) << regained->message.ShortDebugString();
  EXPECT_EQ(regained->message.focus_change().change(), v1::FOCUS_CHANGE_GAIN);
  const double ms = std::chrono::duration<double, std::milli>(regained->at - killed_at).count();
  std::printf("[ measure  ] SIGKILL of the focus holder -> GAIN at the waiting loser: %.1f ms\n",
              ms);
  RecordProperty("abandon_after_sigkill_ms", std::to_string(ms));
  EXPECT_LT(ms, 1000.0);

  absl::StatusOr<v1::CarAudioState> state = client_->GetState();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_THAT(HolderIds(*state, 0), ElementsAre("music"));
  EXPECT_THAT(LoserIds(*state, 0), IsEmpty());
}

TEST_F(FocusLifetimeTest, AppProcessSeesItsOwnPauseAndResume) {
  // The child process is the paused one this time: its stream (in another
  // process) gets LOSS_TRANSIENT and then GAIN.
  absl::StatusOr<std::unique_ptr<FocusHolderProcess>> holder = FocusHolderProcess::Start(
      daemon_->address(), MakeRequest("music-app", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(holder.ok()) << holder.status();
  absl::StatusOr<std::string> line = (*holder)->NextLine(absl::Seconds(5));
  ASSERT_TRUE(line.ok()) << line.status() << "\nholder log:\n" << (*holder)->ReadLog();
  ASSERT_EQ(*line, "result 1 zone 0");

  auto call = client_->RequestFocus(
      MakeRequest("dialer", v1::USAGE_VOICE_COMMUNICATION, v1::FOCUS_GAIN_TRANSIENT, 0));
  ASSERT_TRUE(NextIsResult(*call, v1::REQUEST_GRANTED, 0));
  line = (*holder)->NextLine(kEventTimeout);
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(*line, "change -2 zone 0");

  call->Cancel();
  line = (*holder)->NextLine(kEventTimeout);
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(*line, "change 1 zone 0");

  // AbandonFocus from here ends the other process's stream too.
  ASSERT_TRUE(client_->AbandonFocus("music-app", 0).ok());
  line = (*holder)->NextLine(kEventTimeout);
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(*line, "abandoned");
  line = (*holder)->NextLine(kEventTimeout);
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_THAT(*line, StartsWith("end 0"));
  absl::StatusOr<ExitStatus> exit = (*holder)->process().Wait(absl::Seconds(5));
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_TRUE(exit->Success()) << exit->ToString();
}

}  // namespace
}  // namespace caraudio::testing
