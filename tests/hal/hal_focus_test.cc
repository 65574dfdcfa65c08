// HalFocus.HoldFocus / ReleaseFocus and AudioControl.OnAudioFocusChange:
// ref-counted requests per (usage, zone), statuses pushed to the holds of a
// pair, LOSS and forced release (hal_focus.proto).

#include <gtest/gtest.h>

#include "tests/hal/hal_test_harness.h"

namespace caraudio::testing {
namespace {

// A harness with a registered listener whose `registered` was read.
class HalFocusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    listener_ = hal_.RegisterFocusListener();
    ASSERT_TRUE(NextIsRegistered(*listener_, 1, 0));
  }

  HalHarness hal_;
  std::unique_ptr<ListenerStream> listener_;
};

TEST_F(HalFocusTest, FirstStatusIsNoneAndTheFirstHoldRequestsFocus) {
  std::unique_ptr<HoldStream> chime =
      hal_.HoldFocus(v1::USAGE_SAFETY, 1, v1::FOCUS_GAIN_TRANSIENT_EXCLUSIVE, "collision");
  EXPECT_TRUE(NextIsStatus(*chime, v1::USAGE_SAFETY, 1, v1::FOCUS_CHANGE_NONE));
  EXPECT_TRUE(
      NextIsRequest(*listener_, v1::USAGE_SAFETY, 1, v1::FOCUS_GAIN_TRANSIENT_EXCLUSIVE, false));

  const AudioControlHal::Snapshot snapshot = hal_.hal().snapshot();
  ASSERT_EQ(snapshot.holds.size(), 1u);
  EXPECT_EQ(snapshot.holds[0].source_name, "collision");
  ASSERT_EQ(snapshot.vehicle_focus_requests.size(), 1u);
  EXPECT_EQ(snapshot.vehicle_focus_requests[0].holders, 1);
}

TEST_F(HalFocusTest, TwoHoldsOfAPairMakeOneRequestAndOneAbandon) {
  std::unique_ptr<HoldStream> door =
      hal_.HoldFocusAndWait(v1::USAGE_VEHICLE_STATUS, 0, v1::FOCUS_GAIN_TRANSIENT, "door");
  std::unique_ptr<HoldStream> belt =
      hal_.HoldFocusAndWait(v1::USAGE_VEHICLE_STATUS, 0, v1::FOCUS_GAIN, "seat-belt");
  // One request, with the first hold's gain.
  EXPECT_TRUE(
      NextIsRequest(*listener_, v1::USAGE_VEHICLE_STATUS, 0, v1::FOCUS_GAIN_TRANSIENT, false));
  EXPECT_TRUE(NothingWithin(*listener_));

  door->Cancel();
  ASSERT_TRUE(hal_.WaitFor([](const auto& s) { return s.holds.size() == 1; }));
  EXPECT_TRUE(NothingWithin(*listener_));

  belt->Cancel();
  ASSERT_TRUE(hal_.WaitFor([](const auto& s) { return s.holds.empty(); }));
  EXPECT_TRUE(NextIsAbandon(*listener_, v1::USAGE_VEHICLE_STATUS, 0));
  EXPECT_TRUE(NothingWithin(*listener_));
  EXPECT_TRUE(hal_.hal().snapshot().vehicle_focus_requests.empty());
}

TEST_F(HalFocusTest, FocusChangeReachesOnlyTheHoldsOfItsPair) {
  std::unique_ptr<HoldStream> first = hal_.HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT);
  std::unique_ptr<HoldStream> second =
      hal_.HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT);
  std::unique_ptr<HoldStream> other_zone =
      hal_.HoldFocus(v1::USAGE_SAFETY, 1, v1::FOCUS_GAIN_TRANSIENT);
  std::unique_ptr<HoldStream> other_usage =
      hal_.HoldFocus(v1::USAGE_VEHICLE_STATUS, 0, v1::FOCUS_GAIN_TRANSIENT);
  for (HoldStream* hold : {first.get(), second.get(), other_zone.get(), other_usage.get()}) {
    ASSERT_TRUE(hold->Next().has_value());
  }

  ASSERT_TRUE(hal_.OnAudioFocusChange(v1::USAGE_SAFETY, 0, v1::FOCUS_CHANGE_GAIN_TRANSIENT).ok());
  EXPECT_TRUE(NextIsStatus(*first, v1::USAGE_SAFETY, 0, v1::FOCUS_CHANGE_GAIN_TRANSIENT));
  EXPECT_TRUE(NextIsStatus(*second, v1::USAGE_SAFETY, 0, v1::FOCUS_CHANGE_GAIN_TRANSIENT));
  EXPECT_TRUE(NothingWithin(*other_zone));
  EXPECT_TRUE(NothingWithin(*other_usage));

  ASSERT_TRUE(
      hal_.OnAudioFocusChange(v1::USAGE_SAFETY, 0, v1::FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK).ok());
  EXPECT_TRUE(
      NextIsStatus(*first, v1::USAGE_SAFETY, 0, v1::FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK));
  // A transient loss keeps the hold open.
  EXPECT_FALSE(first->WaitForEnd(kQuietPeriod).has_value());
}

TEST_F(HalFocusTest, LateHoldGetsTheKnownStatusAtOnce) {
  std::unique_ptr<HoldStream> first = hal_.HoldFocus(v1::USAGE_ANNOUNCEMENT, 2, v1::FOCUS_GAIN);
  ASSERT_TRUE(NextIsStatus(*first, v1::USAGE_ANNOUNCEMENT, 2, v1::FOCUS_CHANGE_NONE));
  ASSERT_TRUE(hal_.OnAudioFocusChange(v1::USAGE_ANNOUNCEMENT, 2, v1::FOCUS_CHANGE_GAIN).ok());
  ASSERT_TRUE(NextIsStatus(*first, v1::USAGE_ANNOUNCEMENT, 2, v1::FOCUS_CHANGE_GAIN));

  std::unique_ptr<HoldStream> late = hal_.HoldFocus(v1::USAGE_ANNOUNCEMENT, 2, v1::FOCUS_GAIN);
  EXPECT_TRUE(NextIsStatus(*late, v1::USAGE_ANNOUNCEMENT, 2, v1::FOCUS_CHANGE_GAIN));
}

TEST_F(HalFocusTest, LossEndsTheHoldsOfThePairWithOkAndForgetsIt) {
  std::unique_ptr<HoldStream> chime =
      hal_.HoldFocusAndWait(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT);
  std::unique_ptr<HoldStream> other =
      hal_.HoldFocusAndWait(v1::USAGE_SAFETY, 1, v1::FOCUS_GAIN_TRANSIENT);
  ASSERT_TRUE(NextIsRequest(*listener_, v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT, false));
  ASSERT_TRUE(NextIsRequest(*listener_, v1::USAGE_SAFETY, 1, v1::FOCUS_GAIN_TRANSIENT, false));

  ASSERT_TRUE(hal_.OnAudioFocusChange(v1::USAGE_SAFETY, 0, v1::FOCUS_CHANGE_LOSS).ok());
  EXPECT_TRUE(NextIsStatus(*chime, v1::USAGE_SAFETY, 0, v1::FOCUS_CHANGE_LOSS));
  EXPECT_TRUE(EndsWith(*chime, grpc::StatusCode::OK));
  // The car service already dropped the request: no abandon.
  EXPECT_TRUE(NothingWithin(*listener_));
  const AudioControlHal::Snapshot snapshot = hal_.hal().snapshot();
  ASSERT_EQ(snapshot.vehicle_focus_requests.size(), 1u);
  EXPECT_EQ(snapshot.vehicle_focus_requests[0].zone_id, 1);
  EXPECT_EQ(snapshot.holds.size(), 1u);

  // Holding again asks anew.
  std::unique_ptr<HoldStream> again = hal_.HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT);
  EXPECT_TRUE(NextIsStatus(*again, v1::USAGE_SAFETY, 0, v1::FOCUS_CHANGE_NONE));
  EXPECT_TRUE(NextIsRequest(*listener_, v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT, false));
}

TEST_F(HalFocusTest, FocusChangeForAPairNobodyHoldsIsAcceptedAndIgnored) {
  EXPECT_TRUE(hal_.OnAudioFocusChange(v1::USAGE_MEDIA, 0, v1::FOCUS_CHANGE_GAIN).ok());
  EXPECT_TRUE(hal_.hal().snapshot().vehicle_focus_requests.empty());
}

TEST_F(HalFocusTest, InvalidHoldEndsAtOnceAndChangesNothing) {
  struct Case {
    int32_t usage;
    int32_t zone_id;
    int32_t gain;
  };
  for (const Case& bad : {Case{v1::USAGE_SAFETY, 0, 0}, Case{v1::USAGE_SAFETY, 0, 5},
                          Case{v1::USAGE_SAFETY, 0, -1}, Case{v1::USAGE_SAFETY, 7, 1},
                          Case{1004, 0, 1}, Case{-1, 0, 1}}) {
    SCOPED_TRACE(::testing::Message() << "usage " << bad.usage << " zone " << bad.zone_id
                                      << " gain " << bad.gain);
    std::unique_ptr<HoldStream> hold = hal_.HoldFocus(bad.usage, bad.zone_id, bad.gain);
    EXPECT_TRUE(EndsWith(*hold, grpc::StatusCode::INVALID_ARGUMENT));
  }
  const AudioControlHal::Snapshot snapshot = hal_.hal().snapshot();
  EXPECT_TRUE(snapshot.holds.empty());
  EXPECT_TRUE(snapshot.vehicle_focus_requests.empty());
  EXPECT_TRUE(NothingWithin(*listener_));
}

TEST_F(HalFocusTest, InvalidFocusChangeIsRejectedAndChangesNothing) {
  std::unique_ptr<HoldStream> chime = hal_.HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT);
  ASSERT_TRUE(chime->Next().has_value());
  struct Case {
    int32_t usage;
    int32_t zone_id;
    int32_t change;
  };
  for (const Case& bad : {Case{v1::USAGE_SAFETY, 0, 0}, Case{v1::USAGE_SAFETY, 0, 5},
                          Case{v1::USAGE_SAFETY, 0, -4}, Case{v1::USAGE_SAFETY, 3, 1},
                          Case{1004, 0, 1}}) {
    SCOPED_TRACE(::testing::Message() << "usage " << bad.usage << " zone " << bad.zone_id
                                      << " change " << bad.change);
    EXPECT_EQ(hal_.OnAudioFocusChange(bad.usage, bad.zone_id, bad.change).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  EXPECT_TRUE(NothingWithin(*chime));
  const AudioControlHal::Snapshot snapshot = hal_.hal().snapshot();
  ASSERT_EQ(snapshot.vehicle_focus_requests.size(), 1u);
  EXPECT_FALSE(snapshot.vehicle_focus_requests[0].status.has_value());
}

TEST_F(HalFocusTest, ReleaseFocusEndsEveryHoldOfThePairAndAbandonsOnce) {
  std::unique_ptr<HoldStream> door =
      hal_.HoldFocusAndWait(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT);
  std::unique_ptr<HoldStream> belt =
      hal_.HoldFocusAndWait(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT);
  std::unique_ptr<HoldStream> other =
      hal_.HoldFocusAndWait(v1::USAGE_SAFETY, 1, v1::FOCUS_GAIN_TRANSIENT);
  ASSERT_TRUE(NextIsRequest(*listener_, v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT, false));
  ASSERT_TRUE(NextIsRequest(*listener_, v1::USAGE_SAFETY, 1, v1::FOCUS_GAIN_TRANSIENT, false));

  int32_t released = -1;
  ASSERT_TRUE(hal_.ReleaseFocus(v1::USAGE_SAFETY, 0, &released).ok());
  EXPECT_EQ(released, 2);
  EXPECT_TRUE(EndsWith(*door, grpc::StatusCode::ABORTED, "released by ReleaseFocus"));
  EXPECT_TRUE(EndsWith(*belt, grpc::StatusCode::ABORTED, "released by ReleaseFocus"));
  EXPECT_TRUE(NextIsAbandon(*listener_, v1::USAGE_SAFETY, 0));
  EXPECT_TRUE(NothingWithin(*listener_));
  EXPECT_FALSE(other->WaitForEnd(absl::ZeroDuration()).has_value());
  EXPECT_EQ(hal_.HoldCount(), 1u);

  // Nothing left to release: OK, 0, nothing sent.
  ASSERT_TRUE(hal_.ReleaseFocus(v1::USAGE_SAFETY, 0, &released).ok());
  EXPECT_EQ(released, 0);
  EXPECT_TRUE(NothingWithin(*listener_));
}

TEST_F(HalFocusTest, ReleaseFocusRejectsUnknownZoneAndUsage) {
  std::unique_ptr<HoldStream> chime = hal_.HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT);
  ASSERT_TRUE(chime->Next().has_value());
  EXPECT_EQ(hal_.ReleaseFocus(v1::USAGE_SAFETY, 9).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(hal_.ReleaseFocus(1004, 0).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(hal_.HoldCount(), 1u);
}

}  // namespace
}  // namespace caraudio::testing
