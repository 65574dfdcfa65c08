// CarAudioAdmin.WatchEvents: the subscription snapshot, then every event in
// order — requests with their decisions, callbacks to apps, ducking sent to
// the HAL, HAL requests and the reports back — numbered without gaps.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tests/integration/integration_test_util.h"

namespace caraudio::testing {
namespace {

using ::testing::Contains;

struct Expected {
  std::string what;
  std::function<bool(const v1::Event&)> match;
};

Expected Request(const std::string& client, v1::RequestResult result) {
  return {"focus_request " + client + " " + v1::RequestResult_Name(result),
          [client, result](const v1::Event& e) {
            return e.has_focus_request() && e.focus_request().request().client_id() == client &&
                   e.focus_request().result().result() == result;
          }};
}

Expected Callback(const std::string& client, v1::FocusChange change) {
  return {"focus_callback " + client + " " + v1::FocusChange_Name(change),
          [client, change](const v1::Event& e) {
            return e.has_focus_callback() && e.focus_callback().client_id() == client &&
                   e.focus_callback().change() == change;
          }};
}

Expected Ducks(const std::string& address) {
  return {"ducking_change zone 0 ducks " + address, [address](const v1::Event& e) {
            if (!e.has_ducking_change() || e.ducking_change().zone_id() != 0) return false;
            const auto& duck = e.ducking_change().device_addresses_to_duck();
            return std::find(duck.begin(), duck.end(), address) != duck.end();
          }};
}

Expected Unducks(const std::string& address) {
  return {"ducking_change zone 0 unducks " + address, [address](const v1::Event& e) {
            if (!e.has_ducking_change() || e.ducking_change().zone_id() != 0) return false;
            const auto& unduck = e.ducking_change().device_addresses_to_unduck();
            return std::find(unduck.begin(), unduck.end(), address) != unduck.end();
          }};
}

// Reads events until `expected` has been seen in order (other events may be
// interleaved); every event read is appended to `seen`.
::testing::AssertionResult SeesInOrder(EventStream& stream, const std::vector<Expected>& expected,
                                       std::vector<v1::Event>* seen) {
  for (const Expected& next : expected) {
    if (::testing::AssertionResult found = AwaitEvent(stream, next.match, next.what, seen);
        !found) {
      return found;
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult NumberedWithoutGaps(uint64_t subscribed_at,
                                               const std::vector<v1::Event>& events) {
  uint64_t expected = subscribed_at + 1;
  int64_t last_time = 0;
  for (const v1::Event& event : events) {
    if (event.sequence() != expected) {
      return ::testing::AssertionFailure() << "sequence " << event.sequence() << ", expected "
                                           << expected << ": " << event.ShortDebugString();
    }
    if (event.timestamp_ns() < last_time) {
      return ::testing::AssertionFailure() << "time went back at " << event.ShortDebugString();
    }
    last_time = event.timestamp_ns();
    ++expected;
  }
  return ::testing::AssertionSuccess();
}

class WatchEventsTest : public DaemonFixture<::testing::Test> {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    if (HasFatalFailure()) return;
    events_ = client_->WatchEvents(/*include_state=*/true);
    std::optional<v1::Event> first = events_->Next(kEventTimeout);
    ASSERT_TRUE(first.has_value());
    ASSERT_TRUE(first->has_subscribed()) << first->ShortDebugString();
    ASSERT_TRUE(first->subscribed().has_state());
    EXPECT_EQ(first->subscribed().state().zones_size(), 3);
    subscribed_at_ = first->sequence();
    subscribed_state_ = first->subscribed().state();
  }

  std::unique_ptr<EventStream> events_;
  uint64_t subscribed_at_ = 0;
  v1::CarAudioState subscribed_state_;
};

TEST_F(WatchEventsTest, SubscribedSnapshotNamesTheLastEventItIncludes) {
  // Event.sequence of `subscribed` is "the sequence of the last event its
  // state includes", and CarAudioState.sequence is the same thing for the
  // state: a watcher's next event has sequence + 1.
  EXPECT_EQ(subscribed_state_.sequence(), subscribed_at_);
  auto music = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*music, v1::REQUEST_GRANTED, 0));
  std::optional<v1::Event> next = events_->Next(kEventTimeout);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->sequence(), subscribed_state_.sequence() + 1) << next->ShortDebugString();
}

TEST_F(WatchEventsTest, AppFocusRequestsDecisionsCallbacksAndDuckingArriveInOrder) {
  auto music = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*music, v1::REQUEST_GRANTED, 0));
  auto nav = client_->RequestFocus(MakeRequest("maps", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE,
                                               v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, 0));
  ASSERT_TRUE(NextIsResult(*nav, v1::REQUEST_GRANTED, 0));
  auto call = client_->RequestFocus(
      MakeRequest("dialer", v1::USAGE_VOICE_COMMUNICATION, v1::FOCUS_GAIN_TRANSIENT, 0));
  ASSERT_TRUE(NextIsResult(*call, v1::REQUEST_GRANTED, 0));
  ASSERT_TRUE(NextIsChange(*music, v1::FOCUS_CHANGE_LOSS_TRANSIENT, 0));
  call->Cancel();
  ASSERT_TRUE(NextIsChange(*music, v1::FOCUS_CHANGE_GAIN, 0));

  std::vector<v1::Event> seen;
  ASSERT_TRUE(SeesInOrder(*events_,
                          {
                              Request("music", v1::REQUEST_GRANTED),
                              Request("maps", v1::REQUEST_GRANTED),
                              Ducks("bus0_media_out"),  // NAVIGATION ducks MUSIC
                              Request("dialer", v1::REQUEST_GRANTED),
                              Callback("music", v1::FOCUS_CHANGE_LOSS_TRANSIENT),
                              Callback("maps", v1::FOCUS_CHANGE_LOSS_TRANSIENT),
                              Unducks("bus0_media_out"),  // only CALL holds now
                              {"focus_abandon dialer (stream closed)",
                               [](const v1::Event& e) {
                                 return e.has_focus_abandon() &&
                                        e.focus_abandon().request().client_id() == "dialer" &&
                                        e.focus_abandon().reason() ==
                                            v1::ABANDON_REASON_STREAM_CLOSED;
                               }},
                              Callback("music", v1::FOCUS_CHANGE_GAIN),
                              Callback("maps", v1::FOCUS_CHANGE_GAIN),
                              Ducks("bus0_media_out"),
                          },
                          &seen));
  EXPECT_TRUE(NumberedWithoutGaps(subscribed_at_, seen));

  // The decision travels inside the request event.
  const v1::Event& granted = *std::find_if(seen.begin(), seen.end(), [](const v1::Event& e) {
    return e.has_focus_request() && e.focus_request().request().client_id() == "dialer";
  });
  EXPECT_EQ(granted.focus_request().request().usage(), v1::USAGE_VOICE_COMMUNICATION);
  EXPECT_EQ(granted.focus_request().result().zone_id(), 0);
  EXPECT_EQ(granted.focus_request().result().explanation().rule(), v1::DECISION_RULE_MATRIX);

  absl::StatusOr<v1::CarAudioState> state = client_->GetState();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->sequence(), seen.back().sequence()) << "events after the last one seen";
}

TEST_F(WatchEventsTest, HalRequestIsLoggedWithItsDecisionAndTheReportToTheHal) {
  auto music = client_->RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*music, v1::REQUEST_GRANTED, 0));
  auto hold = client_->HoldFocus(v1::USAGE_SAFETY, 0, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK,
                                 "lane-keep-assist");
  ASSERT_TRUE(AwaitHalStatus(*hold, v1::FOCUS_CHANGE_GAIN_TRANSIENT_MAY_DUCK, absl::Seconds(8)));
  hold->Cancel();

  std::vector<v1::Event> seen;
  ASSERT_TRUE(SeesInOrder(
      *events_,
      {
          Request("music", v1::REQUEST_GRANTED),
          {"hal_request_focus SAFETY GRANTED",
           [](const v1::Event& e) {
             return e.has_hal_request_focus() &&
                    e.hal_request_focus().call().usage() == v1::USAGE_SAFETY &&
                    e.hal_request_focus().result().result() == v1::REQUEST_GRANTED;
           }},
          {"hal_focus_change SAFETY GAIN_TRANSIENT_MAY_DUCK",
           [](const v1::Event& e) {
             return e.has_hal_focus_change() && e.hal_focus_change().usage() == v1::USAGE_SAFETY &&
                    e.hal_focus_change().focus_change() == v1::FOCUS_CHANGE_GAIN_TRANSIENT_MAY_DUCK;
           }},
          Ducks("bus0_media_out"),  // SAFETY ducks MUSIC
          {"hal_abandon_focus SAFETY",
           [](const v1::Event& e) {
             return e.has_hal_abandon_focus() && e.hal_abandon_focus().usage() == v1::USAGE_SAFETY;
           }},
          Unducks("bus0_media_out"),
      },
      &seen));
  EXPECT_TRUE(NumberedWithoutGaps(subscribed_at_, seen));
}

}  // namespace
}  // namespace caraudio::testing
