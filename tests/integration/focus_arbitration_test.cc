// AudioFocus.RequestFocus against the real daemon: grant, reject, exclusive,
// concurrent (with ducking), delayed focus, a loser regaining focus, and the
// independence of zones. Each test starts its own audiocontrold (--role=all,
// default three-zone car) on a socket in a fresh temp dir.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/integration/integration_test_util.h"

namespace caraudio::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class FocusArbitrationTest : public DaemonFixture<::testing::Test> {
 protected:
  v1::CarAudioState State() {
    absl::StatusOr<v1::CarAudioState> state = client_->GetState();
    EXPECT_TRUE(state.ok()) << state.status();
    return state.ok() ? *state : v1::CarAudioState();
  }
};

TEST_F(FocusArbitrationTest, TransientCallPausesMusicInItsZoneOnly) {
  auto music0 = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*music0, v1::REQUEST_GRANTED, 0));
  auto music1 = client_->RequestFocus(MakeRequest("rse-music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 1));
  ASSERT_TRUE(NextIsResult(*music1, v1::REQUEST_GRANTED, 1));

  // Zone 0: MUSIC holder, CALL request -> EXCLUSIVE; a transient gain pauses.
  auto call0 = client_->RequestFocus(
      MakeRequest("dialer", v1::USAGE_VOICE_COMMUNICATION, v1::FOCUS_GAIN_TRANSIENT, 0));
  v1::FocusEvent granted;
  ASSERT_TRUE(NextIsResult(*call0, v1::REQUEST_GRANTED, 0, &granted));
  EXPECT_EQ(granted.result().explanation().rule(), v1::DECISION_RULE_MATRIX);
  EXPECT_EQ(granted.result().explanation().blocking_client_id(), "");
  EXPECT_TRUE(NextIsChange(*music0, v1::FOCUS_CHANGE_LOSS_TRANSIENT, 0));

  v1::CarAudioState state = State();
  EXPECT_THAT(HolderIds(state, 0), ElementsAre("dialer"));
  EXPECT_THAT(LoserIds(state, 0), ElementsAre("music"));
  EXPECT_THAT(ZoneOf(state, 0).losers(0).blocker_client_ids(), ElementsAre("dialer"));
  EXPECT_THAT(HolderIds(state, 1), ElementsAre("rse-music"));
  EXPECT_THAT(LoserIds(state, 1), IsEmpty());
  EXPECT_TRUE(NoEventWithin(*music1));

  // Zone 1 on its own: the same interaction, and zone 0 hears nothing of it.
  auto call1 = client_->RequestFocus(
      MakeRequest("rse-call", v1::USAGE_VOICE_COMMUNICATION, v1::FOCUS_GAIN_TRANSIENT, 1));
  ASSERT_TRUE(NextIsResult(*call1, v1::REQUEST_GRANTED, 1));
  EXPECT_TRUE(NextIsChange(*music1, v1::FOCUS_CHANGE_LOSS_TRANSIENT, 1));
  state = State();
  EXPECT_THAT(HolderIds(state, 1), ElementsAre("rse-call"));
  EXPECT_THAT(LoserIds(state, 1), ElementsAre("rse-music"));
  EXPECT_THAT(HolderIds(state, 0), ElementsAre("dialer"));
  EXPECT_THAT(HolderIds(state, 2), IsEmpty());
  EXPECT_TRUE(NoEventWithin(*music0));
  EXPECT_TRUE(NoEventWithin(*call0));
}

TEST_F(FocusArbitrationTest, RejectedRequestFailsEndsItsStreamAndChangesNothing) {
  auto call = client_->RequestFocus(
      MakeRequest("dialer", v1::USAGE_VOICE_COMMUNICATION, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*call, v1::REQUEST_GRANTED, 0));
  const v1::CarAudioState before = State();

  // CALL holder, MUSIC request -> REJECT; no delay_ok, so FAILED.
  auto music = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  v1::FocusEvent failed;
  ASSERT_TRUE(NextIsResult(*music, v1::REQUEST_FAILED, 0, &failed));
  const v1::Explanation& why = failed.result().explanation();
  EXPECT_EQ(why.rule(), v1::DECISION_RULE_MATRIX);
  EXPECT_EQ(why.blocking_client_id(), "dialer");
  EXPECT_FALSE(why.blocking_entry_is_loser());
  EXPECT_EQ(why.holder_context(), v1::CONTEXT_CALL);
  EXPECT_EQ(why.request_context(), v1::CONTEXT_MUSIC);
  EXPECT_EQ(why.cell(), v1::INTERACTION_REJECT);
  EXPECT_FALSE(why.text().empty());
  EXPECT_TRUE(EndsWith(*music, grpc::StatusCode::OK));

  const v1::CarAudioState after = State();
  for (int32_t zone : {0, 1, 2}) {
    EXPECT_EQ(ZoneOf(after, zone).ShortDebugString(), ZoneOf(before, zone).ShortDebugString());
  }
  EXPECT_TRUE(NoEventWithin(*call));
}

TEST_F(FocusArbitrationTest, PermanentRequestTakesFocusForGoodAndEndsTheLosersStream) {
  auto radio = client_->RequestFocus(MakeRequest("radio", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*radio, v1::REQUEST_GRANTED, 0));
  // MUSIC -> MUSIC is EXCLUSIVE; a permanent gain means LOSS, not a pause.
  auto podcast = client_->RequestFocus(MakeRequest("podcast", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*podcast, v1::REQUEST_GRANTED, 0));
  EXPECT_TRUE(NextIsChange(*radio, v1::FOCUS_CHANGE_LOSS, 0));
  EXPECT_TRUE(EndsWith(*radio, grpc::StatusCode::OK));

  const v1::CarAudioState state = State();
  EXPECT_THAT(HolderIds(state, 0), ElementsAre("podcast"));
  EXPECT_THAT(LoserIds(state, 0), IsEmpty());
}

TEST_F(FocusArbitrationTest, MayDuckNavigationPlaysAlongsideMusicAndDucksTheMediaBus) {
  auto music = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*music, v1::REQUEST_GRANTED, 0));
  auto nav = client_->RequestFocus(MakeRequest("maps", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE,
                                               v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, 0));
  ASSERT_TRUE(NextIsResult(*nav, v1::REQUEST_GRANTED, 0));

  // CONCURRENT and may-duck: music keeps focus, hears nothing, and the car
  // service ducks its device instead.
  v1::CarAudioState state = State();
  EXPECT_THAT(HolderIds(state, 0), ElementsAre("music", "maps"));
  EXPECT_THAT(DuckedAddresses(state, 0), ElementsAre("bus0_media_out"));
  EXPECT_TRUE(NoEventWithin(*music));

  nav->Cancel();
  absl::StatusOr<v1::CarAudioState> unducked = client_->AwaitState([](const v1::CarAudioState& s) {
    return ZoneOf(s, 0).holders_size() == 1 && ZoneOf(s, 0).ducked_device_addresses().empty();
  });
  ASSERT_TRUE(unducked.ok()) << unducked.status();
  EXPECT_THAT(HolderIds(*unducked, 0), ElementsAre("music"));
  EXPECT_TRUE(NoEventWithin(*music));
}

TEST_F(FocusArbitrationTest, ClientThatAskedForDuckEventsGetsLossTransientCanDuck) {
  v1::FocusRequest request = MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0);
  request.set_receive_ducking_events(true);
  auto music = client_->RequestFocus(request);
  ASSERT_TRUE(NextIsResult(*music, v1::REQUEST_GRANTED, 0));
  auto nav = client_->RequestFocus(MakeRequest("maps", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE,
                                               v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, 0));
  ASSERT_TRUE(NextIsResult(*nav, v1::REQUEST_GRANTED, 0));
  EXPECT_TRUE(NextIsChange(*music, v1::FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK, 0));

  const v1::CarAudioState state = State();
  EXPECT_THAT(LoserIds(state, 0), ElementsAre("music"));
  EXPECT_TRUE(ZoneOf(state, 0).losers(0).ducked());

  nav->Cancel();
  EXPECT_TRUE(NextIsChange(*music, v1::FOCUS_CHANGE_GAIN, 0));
}

TEST_F(FocusArbitrationTest, DelayedRequestIsGrantedLaterOnTheSameStream) {
  auto call = client_->RequestFocus(
      MakeRequest("dialer", v1::USAGE_VOICE_COMMUNICATION, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*call, v1::REQUEST_GRANTED, 0));

  v1::FocusRequest request = MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0);
  request.set_delay_ok(true);
  auto music = client_->RequestFocus(request);
  v1::FocusEvent delayed;
  ASSERT_TRUE(NextIsResult(*music, v1::REQUEST_DELAYED, 0, &delayed));
  EXPECT_EQ(delayed.result().explanation().blocking_client_id(), "dialer");
  EXPECT_EQ(delayed.result().explanation().cell(), v1::INTERACTION_REJECT);

  v1::CarAudioState state = State();
  EXPECT_EQ(ZoneOf(state, 0).delayed().request().client_id(), "music");
  EXPECT_THAT(HolderIds(state, 0), ElementsAre("dialer"));
  EXPECT_TRUE(NoEventWithin(*music));

  call->Cancel();  // the call ends: its stream closes, the delayed request is retried
  EXPECT_TRUE(NextIsChange(*music, v1::FOCUS_CHANGE_GAIN, 0));
  state = State();
  EXPECT_THAT(HolderIds(state, 0), ElementsAre("music"));
  EXPECT_FALSE(ZoneOf(state, 0).has_delayed());
}

TEST_F(FocusArbitrationTest, LoserRegainsFocusWhenTheTransientHolderLeaves) {
  auto music = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*music, v1::REQUEST_GRANTED, 0));
  // MUSIC -> NAVIGATION is CONCURRENT, but a plain transient gain (no duck)
  // still pauses the holder.
  auto nav = client_->RequestFocus(
      MakeRequest("maps", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE, v1::FOCUS_GAIN_TRANSIENT, 0));
  ASSERT_TRUE(NextIsResult(*nav, v1::REQUEST_GRANTED, 0));
  ASSERT_TRUE(NextIsChange(*music, v1::FOCUS_CHANGE_LOSS_TRANSIENT, 0));

  nav->Cancel();
  EXPECT_TRUE(EndsWith(*nav, grpc::StatusCode::CANCELLED));
  EXPECT_TRUE(NextIsChange(*music, v1::FOCUS_CHANGE_GAIN, 0));
  const v1::CarAudioState state = State();
  EXPECT_THAT(HolderIds(state, 0), ElementsAre("music"));
  EXPECT_THAT(LoserIds(state, 0), IsEmpty());
}

TEST_F(FocusArbitrationTest, SameClientRequestingAgainReplacesItsStream) {
  auto first = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*first, v1::REQUEST_GRANTED, 0));
  auto second = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*second, v1::REQUEST_GRANTED, 0));
  EXPECT_TRUE(NextIsReplaced(*first));
  EXPECT_TRUE(EndsWith(*first, grpc::StatusCode::OK));

  // The focus now lives on the second stream: closing the first changed nothing.
  const v1::CarAudioState state = State();
  EXPECT_THAT(HolderIds(state, 0), ElementsAre("music"));
  EXPECT_TRUE(NoEventWithin(*second));
}

TEST_F(FocusArbitrationTest, MovingTheUidToAnotherZoneMovesItsStream) {
  v1::FocusRequest request =
      MakeRequest("rse-video", v1::USAGE_MEDIA, v1::FOCUS_GAIN, std::nullopt);
  request.set_uid(10555);
  auto video = client_->RequestFocus(request);
  ASSERT_TRUE(NextIsResult(*video, v1::REQUEST_GRANTED, 0));  // unmapped uid: primary zone

  v1::SetZoneForUidRequest move;
  move.set_uid(10555);
  move.set_zone_id(2);
  v1::SetZoneForUidResponse response;
  ASSERT_TRUE(client_->admin().SetZoneForUid(UnaryContext().get(), move, &response).ok());
  EXPECT_TRUE(NextIsChange(*video, v1::FOCUS_CHANGE_LOSS_TRANSIENT, 0));
  EXPECT_TRUE(NextIsChange(*video, v1::FOCUS_CHANGE_GAIN, 2));

  const v1::CarAudioState state = State();
  EXPECT_THAT(HolderIds(state, 0), IsEmpty());
  EXPECT_THAT(HolderIds(state, 2), ElementsAre("rse-video"));
  ASSERT_EQ(state.uid_zones_size(), 1);
  EXPECT_EQ(state.uid_zones(0).zone_id(), 2);

  // The stream stayed open across the move, so closing it must abandon the
  // entry where it is now.
  video->Cancel();
  absl::StatusOr<v1::CarAudioState> closed = client_->AwaitState(
      [](const v1::CarAudioState& s) { return ZoneOf(s, 2).holders().empty(); });
  EXPECT_TRUE(closed.ok()) << "stale focus in zone 2 after the client closed its stream: "
                           << closed.status();
}

}  // namespace
}  // namespace caraudio::testing
