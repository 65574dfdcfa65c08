// Determinism: the same reports at the same times give the same
// transitions, however the caller slices time with AdvanceTo; transitions
// of several apps come out in time order.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/lifecycle/lifecycle_test_util.h"

namespace caraudio {
namespace {

using lifecycle_test::App;
using lifecycle_test::FakeClock;
using lifecycle_test::Ok;

const AppKey kRadio = App("com.example.radio", 10057);
const AppKey kPodcast = App("com.example.podcast", 10058);
const AppKey kSync = App("com.example.sync", 10059);
const AppKey kEditor = App("com.example.editor", 10060);

// A day in the car. Reports at fixed offsets; returns every transition,
// collecting AdvanceTo results every `tick` between reports.
std::vector<LifecycleTransition> RunDay(absl::Duration tick) {
  AppLifecycle lifecycle;
  std::vector<LifecycleTransition> all;
  auto collect = [&all](std::vector<LifecycleTransition> transitions) {
    all.insert(all.end(), transitions.begin(), transitions.end());
  };
  auto at = [](absl::Duration offset) { return FakeClock::At(offset); };
  absl::Time model_time = at(absl::ZeroDuration());
  auto advance_until = [&](absl::Time until) {
    while (model_time + tick < until) {
      model_time += tick;
      collect(lifecycle.AdvanceTo(model_time));
    }
    model_time = until;
  };
  auto report = [&](absl::Time when, auto&& call) {
    advance_until(when);
    collect(Ok(call()));
  };

  report(at(absl::Minutes(0)), [&] {
    return lifecycle.StartForegroundService(kRadio, FgsType::kMediaPlayback,
                                            FgsStartOrigin::kUserInteraction, at(absl::Minutes(0)));
  });
  report(at(absl::Minutes(0)), [&] {
    return lifecycle.SetPlaybackState(kRadio, PlaybackState::kPlaying, at(absl::Minutes(0)));
  });
  report(at(absl::Minutes(1)), [&] {
    return lifecycle.StartForegroundService(kSync, FgsType::kDataSync,
                                            FgsStartOrigin::kBootCompleted, at(absl::Minutes(1)));
  });
  report(at(absl::Minutes(2)), [&] {
    return lifecycle.StartForegroundService(kPodcast, FgsType::kMediaPlayback,
                                            FgsStartOrigin::kMediaSessionEvent, at(absl::Minutes(2)));
  });
  report(at(absl::Minutes(2)), [&] {
    return lifecycle.SetPlaybackState(kPodcast, PlaybackState::kPaused, at(absl::Minutes(2)));
  });
  report(at(absl::Minutes(3)), [&] {
    return lifecycle.SetPlaybackState(kRadio, PlaybackState::kPaused, at(absl::Minutes(3)));
  });
  report(at(absl::Minutes(4)), [&] {
    return lifecycle.StartForegroundService(kEditor, FgsType::kMediaProcessing,
                                            FgsStartOrigin::kUserInteraction, at(absl::Minutes(4)));
  });
  report(at(absl::Hours(2)), [&] {
    return lifecycle.SetVisibility(kEditor, Visibility::kVisible, at(absl::Hours(2)));
  });
  report(at(absl::Hours(3)), [&] {
    return lifecycle.SetVisibility(kEditor, Visibility::kBackground, at(absl::Hours(3)));
  });
  advance_until(at(absl::Hours(24)));
  collect(lifecycle.AdvanceTo(at(absl::Hours(24))));
  return all;
}

TEST(LifecycleReplayTest, TransitionsOfADay) {
  const std::vector<LifecycleTransition> transitions = RunDay(absl::Hours(24));
  std::vector<std::string> lines;
  for (const LifecycleTransition& t : transitions) {
    lines.push_back(absl::StrCat(absl::FormatDuration(t.at - FakeClock::kStart), " ",
                                 t.app.package_name, " ", t.reason, " valid=", t.app_valid_after));
  }
  EXPECT_THAT(lines,
              ::testing::ElementsAre(
                  "12m com.example.podcast mediaPlayback FGS left the foreground after 10 min "
                  "paused valid=0",
                  "13m com.example.radio mediaPlayback FGS left the foreground after 10 min "
                  "paused valid=0",
                  "6h1m com.example.sync dataSync FGS timed out: 6 h used in 24 h valid=0",
                  "9h com.example.editor mediaProcessing FGS timed out: 6 h used in 24 h "
                  "valid=0"));
}

TEST(LifecycleReplayTest, SameInputsSameOutputs) {
  EXPECT_EQ(RunDay(absl::Hours(24)), RunDay(absl::Hours(24)));
}

TEST(LifecycleReplayTest, TimeSlicingDoesNotChangeTheTransitions) {
  const std::vector<LifecycleTransition> one_jump = RunDay(absl::Hours(24));
  EXPECT_EQ(RunDay(absl::Minutes(1)), one_jump);
  EXPECT_EQ(RunDay(absl::Seconds(37)), one_jump);
  EXPECT_EQ(RunDay(absl::Hours(1)), one_jump);
}

// Simultaneous transitions come out in app key order, then FgsType order.
TEST(LifecycleReplayTest, SimultaneousTransitionsAreOrderedByAppThenType) {
  AppLifecycle lifecycle;
  const absl::Time t0 = FakeClock::kStart;
  for (const AppKey& app : {kSync, kRadio}) {  // reported out of key order
    Ok(lifecycle.StartForegroundService(app, FgsType::kMediaProcessing,
                                        FgsStartOrigin::kUserInteraction, t0));
    Ok(lifecycle.StartForegroundService(app, FgsType::kDataSync, FgsStartOrigin::kUserInteraction,
                                        t0));
  }
  EXPECT_EQ(lifecycle.NextDeadline(), t0 + absl::Hours(6));
  const std::vector<LifecycleTransition> transitions = lifecycle.AdvanceTo(t0 + absl::Hours(7));
  ASSERT_EQ(transitions.size(), 4u);
  EXPECT_EQ(transitions[0].app, kRadio);
  EXPECT_EQ(transitions[0].fgs_type, FgsType::kDataSync);
  EXPECT_TRUE(transitions[0].app_valid_after);  // its mediaProcessing FGS still runs
  EXPECT_EQ(transitions[1].app, kRadio);
  EXPECT_EQ(transitions[1].fgs_type, FgsType::kMediaProcessing);
  EXPECT_FALSE(transitions[1].app_valid_after);
  EXPECT_EQ(transitions[2].app, kSync);
  EXPECT_EQ(transitions[2].fgs_type, FgsType::kDataSync);
  EXPECT_EQ(transitions[3].app, kSync);
  EXPECT_EQ(transitions[3].fgs_type, FgsType::kMediaProcessing);
  for (const LifecycleTransition& t : transitions) EXPECT_EQ(t.at, t0 + absl::Hours(6));
}

// An earlier transition of a later app comes before a later one of an
// earlier app.
TEST(LifecycleReplayTest, TransitionsAreInTimeOrderAcrossApps) {
  AppLifecycle lifecycle;
  const absl::Time t0 = FakeClock::kStart;
  Ok(lifecycle.StartForegroundService(kRadio, FgsType::kDataSync, FgsStartOrigin::kUserInteraction, t0));
  Ok(lifecycle.StartForegroundService(kSync, FgsType::kMediaPlayback,
                                      FgsStartOrigin::kUserInteraction, t0));
  EXPECT_EQ(lifecycle.NextDeadline(), t0 + absl::Minutes(10));
  const std::vector<LifecycleTransition> transitions = lifecycle.AdvanceTo(t0 + absl::Hours(7));
  ASSERT_EQ(transitions.size(), 2u);
  EXPECT_EQ(transitions[0].app, kSync);
  EXPECT_EQ(transitions[0].at, t0 + absl::Minutes(10));
  EXPECT_EQ(transitions[1].app, kRadio);
  EXPECT_EQ(transitions[1].at, t0 + absl::Hours(6));
}

}  // namespace
}  // namespace caraudio
