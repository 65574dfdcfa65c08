// AudioControl.RegisterFocusListener: registration, replay of vehicle focus
// requests, replacement, unregistration (audio_control.proto).

#include <gtest/gtest.h>

#include "tests/hal/hal_test_harness.h"

namespace caraudio::testing {
namespace {

TEST(FocusListenerTest, FirstMessageIsRegisteredWithIdFromOne) {
  HalHarness hal;
  std::unique_ptr<ListenerStream> listener = hal.RegisterFocusListener("carservice");
  EXPECT_TRUE(NextIsRegistered(*listener, 1, 0));
  EXPECT_TRUE(NothingWithin(*listener));
  const AudioControlHal::Snapshot snapshot = hal.hal().snapshot();
  EXPECT_EQ(snapshot.focus_listener_id, 1u);
  EXPECT_EQ(snapshot.focus_listener_name, "carservice");
}

TEST(FocusListenerTest, NewListenerGetsEveryActiveHoldReplayed) {
  HalHarness hal;
  std::unique_ptr<HoldStream> chime = hal.HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT);
  std::unique_ptr<HoldStream> traffic =
      hal.HoldFocus(v1::USAGE_ANNOUNCEMENT, 1, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK);
  ASSERT_TRUE(NextIsStatus(*chime, v1::USAGE_SAFETY, 0, v1::FOCUS_CHANGE_NONE));
  ASSERT_TRUE(NextIsStatus(*traffic, v1::USAGE_ANNOUNCEMENT, 1, v1::FOCUS_CHANGE_NONE));

  std::unique_ptr<ListenerStream> listener = hal.RegisterFocusListener();
  EXPECT_TRUE(NextIsRegistered(*listener, 1, 2));
  // Replayed in (zone, usage) order.
  EXPECT_TRUE(NextIsRequest(*listener, v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT, true));
  EXPECT_TRUE(
      NextIsRequest(*listener, v1::USAGE_ANNOUNCEMENT, 1, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, true));
  EXPECT_TRUE(NothingWithin(*listener));
}

TEST(FocusListenerTest, SecondRegistrationAbortsTheFirstAndReplaysToTheSecond) {
  HalHarness hal;
  std::unique_ptr<ListenerStream> first = hal.RegisterFocusListener("first");
  ASSERT_TRUE(NextIsRegistered(*first, 1, 0));
  std::unique_ptr<HoldStream> chime = hal.HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT);
  ASSERT_TRUE(NextIsRequest(*first, v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT, false));

  std::unique_ptr<ListenerStream> second = hal.RegisterFocusListener("second");
  EXPECT_TRUE(EndsWith(*first, grpc::StatusCode::ABORTED, "superseded by registration 2"));
  EXPECT_TRUE(NextIsRegistered(*second, 2, 1));
  EXPECT_TRUE(NextIsRequest(*second, v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT, true));

  // The replaced stream going away changes nothing.
  first.reset();
  const AudioControlHal::Snapshot snapshot = hal.hal().snapshot();
  EXPECT_EQ(snapshot.focus_listener_id, 2u);
  EXPECT_EQ(snapshot.focus_listener_name, "second");
}

TEST(FocusListenerTest, CancelledListenerIsUnregisteredAndHoldsAreReplayedToTheNext) {
  HalHarness hal;
  std::unique_ptr<ListenerStream> first = hal.RegisterFocusListener();
  ASSERT_TRUE(NextIsRegistered(*first, 1, 0));
  first->Cancel();
  ASSERT_TRUE(hal.WaitFor([](const auto& s) { return s.focus_listener_id == 0; }));

  // Held while nobody listens: kept, and requested when a listener comes.
  std::unique_ptr<HoldStream> chime =
      hal.HoldFocus(v1::USAGE_VEHICLE_STATUS, 2, v1::FOCUS_GAIN_TRANSIENT_EXCLUSIVE);
  ASSERT_TRUE(NextIsStatus(*chime, v1::USAGE_VEHICLE_STATUS, 2, v1::FOCUS_CHANGE_NONE));
  EXPECT_EQ(hal.hal().snapshot().vehicle_focus_requests.size(), 1u);

  std::unique_ptr<ListenerStream> second = hal.RegisterFocusListener();
  EXPECT_TRUE(NextIsRegistered(*second, 2, 1));
  EXPECT_TRUE(NextIsRequest(*second, v1::USAGE_VEHICLE_STATUS, 2,
                            v1::FOCUS_GAIN_TRANSIENT_EXCLUSIVE, true));
}

TEST(FocusListenerTest, HoldsStayOpenWhenTheListenerGoesAway) {
  HalHarness hal;
  std::unique_ptr<ListenerStream> listener = hal.RegisterFocusListener();
  ASSERT_TRUE(NextIsRegistered(*listener, 1, 0));
  std::unique_ptr<HoldStream> chime = hal.HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT);
  ASSERT_TRUE(NextIsStatus(*chime, v1::USAGE_SAFETY, 0, v1::FOCUS_CHANGE_NONE));

  listener->Cancel();
  ASSERT_TRUE(hal.WaitFor([](const auto& s) { return s.focus_listener_id == 0; }));
  EXPECT_TRUE(NothingWithin(*chime));
  EXPECT_FALSE(chime->WaitForEnd(absl::ZeroDuration()).has_value());
  EXPECT_EQ(hal.HoldCount(), 1u);
}

TEST(FocusListenerTest, AnswersOfAGoneListenerAreForgotten) {
  HalHarness hal;
  std::unique_ptr<ListenerStream> listener = hal.RegisterFocusListener();
  ASSERT_TRUE(NextIsRegistered(*listener, 1, 0));
  std::unique_ptr<HoldStream> chime = hal.HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT);
  ASSERT_TRUE(NextIsStatus(*chime, v1::USAGE_SAFETY, 0, v1::FOCUS_CHANGE_NONE));
  ASSERT_TRUE(hal.OnAudioFocusChange(v1::USAGE_SAFETY, 0, v1::FOCUS_CHANGE_GAIN_TRANSIENT).ok());
  ASSERT_TRUE(NextIsStatus(*chime, v1::USAGE_SAFETY, 0, v1::FOCUS_CHANGE_GAIN_TRANSIENT));

  listener->Cancel();
  ASSERT_TRUE(hal.WaitFor([](const auto& s) { return s.focus_listener_id == 0; }));
  std::unique_ptr<HoldStream> late = hal.HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT);
  EXPECT_TRUE(NextIsStatus(*late, v1::USAGE_SAFETY, 0, v1::FOCUS_CHANGE_NONE));
}

}  // namespace
}  // namespace caraudio::testing
