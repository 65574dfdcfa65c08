// FGS types, start origins and the while-in-use table (seeds.md §1), cell by
// cell: every origin against every type, through the model's verdict.

#include <cstdint>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/lifecycle/lifecycle_test_util.h"

namespace caraudio {
namespace {

using lifecycle_test::App;
using lifecycle_test::FakeClock;
using lifecycle_test::Ok;
using ::testing::ElementsAre;

// seeds.md §1, written out: who grants WIU, and the words the verdict uses.
struct ExpectedOrigin {
  FgsStartOrigin origin;
  bool grants_while_in_use;
  const char* phrase;
};
constexpr ExpectedOrigin kExpectedOrigins[] = {
    {FgsStartOrigin::kWhileVisible, true, "started while visible"},
    {FgsStartOrigin::kMediaSessionEvent, true, "started from a MediaSession event"},
    {FgsStartOrigin::kUserInteraction, true, "started from a notification, widget or media key"},
    {FgsStartOrigin::kSystemDelegation, true, "started by system delegation"},
    {FgsStartOrigin::kBootCompleted, false, "started from BOOT_COMPLETED"},
    {FgsStartOrigin::kBackground, false, "started from the background"},
};

// Every type with its Android value and manifest spelling, and what seeds.md
// says about it: shortService never counts (§1), mediaPlayback idles out
// (§2), dataSync and mediaProcessing are budgeted (§5).
struct ExpectedType {
  FgsType type;
  int32_t android_value;
  const char* name;
  bool counts;
  bool idles_out;
  bool budgeted;
};
constexpr ExpectedType kExpectedTypes[] = {
    {FgsType::kOther, 0, "other", true, false, false},
    {FgsType::kDataSync, 1, "dataSync", true, false, true},
    {FgsType::kMediaPlayback, 2, "mediaPlayback", true, true, false},
    {FgsType::kPhoneCall, 4, "phoneCall", true, false, false},
    {FgsType::kLocation, 8, "location", true, false, false},
    {FgsType::kConnectedDevice, 16, "connectedDevice", true, false, false},
    {FgsType::kCamera, 64, "camera", true, false, false},
    {FgsType::kMicrophone, 128, "microphone", true, false, false},
    {FgsType::kShortService, 2048, "shortService", false, false, false},
    {FgsType::kMediaProcessing, 8192, "mediaProcessing", true, false, true},
    {FgsType::kSpecialUse, 0x40000000, "specialUse", true, false, false},
};

void PrintTo(const ExpectedOrigin& origin, std::ostream* os) {
  *os << FgsStartOriginName(origin.origin);
}
void PrintTo(const ExpectedType& type, std::ostream* os) { *os << type.name; }

TEST(ForegroundServiceTableTest, WhileInUseOriginsMatchSeeds) {
  for (const ExpectedOrigin& expected : kExpectedOrigins) {
    SCOPED_TRACE(FgsStartOriginName(expected.origin));
    EXPECT_EQ(GrantsWhileInUse(expected.origin), expected.grants_while_in_use);
    EXPECT_STREQ(PolicyFor(expected.origin).phrase, expected.phrase);
  }
  EXPECT_EQ(AllFgsStartOriginPolicies().size(), std::size(kExpectedOrigins));
}

TEST(ForegroundServiceTableTest, TypePoliciesMatchSeeds) {
  for (const ExpectedType& expected : kExpectedTypes) {
    SCOPED_TRACE(expected.name);
    EXPECT_EQ(static_cast<int32_t>(expected.type), expected.android_value);
    const FgsTypePolicy& policy = PolicyFor(expected.type);
    EXPECT_EQ(policy.type, expected.type);
    EXPECT_STREQ(policy.name, expected.name);
    EXPECT_EQ(policy.counts_for_lifecycle, expected.counts);
    EXPECT_EQ(policy.leaves_foreground_when_idle, expected.idles_out);
    EXPECT_EQ(policy.runtime_budgeted, expected.budgeted);
  }
  EXPECT_EQ(AllFgsTypePolicies().size(), std::size(kExpectedTypes));
}

TEST(ForegroundServiceTableTest, LimitsAreTheSeedNumbers) {
  EXPECT_EQ(kMediaIdleLimit, absl::Minutes(10));   // §2
  EXPECT_EQ(kFgsRuntimeBudget, absl::Hours(6));    // §5
  EXPECT_EQ(kFgsBudgetWindow, absl::Hours(24));    // §5
}

TEST(ForegroundServiceTableTest, OutOfRangeOriginGrantsNothing) {
  EXPECT_FALSE(GrantsWhileInUse(static_cast<FgsStartOrigin>(99)));
  EXPECT_FALSE(GrantsWhileInUse(static_cast<FgsStartOrigin>(-1)));
}

// --- Names and parsers ------------------------------------------------------

TEST(ForegroundServiceNamesTest, TypeNamesRoundTrip) {
  for (const ExpectedType& expected : kExpectedTypes) {
    EXPECT_STREQ(FgsTypeName(expected.type), expected.name);
    EXPECT_EQ(ParseFgsType(expected.name), expected.type) << expected.name;
    EXPECT_EQ(ParseFgsType(std::to_string(expected.android_value)), expected.type);
  }
}

TEST(ForegroundServiceNamesTest, TypeParserAcceptsOtherSpellings) {
  EXPECT_EQ(ParseFgsType("media-playback"), FgsType::kMediaPlayback);
  EXPECT_EQ(ParseFgsType("MEDIA_PLAYBACK"), FgsType::kMediaPlayback);
  EXPECT_EQ(ParseFgsType("FOREGROUND_SERVICE_TYPE_DATA_SYNC"), FgsType::kDataSync);
  EXPECT_EQ(ParseFgsType("short_service"), FgsType::kShortService);
  EXPECT_EQ(ParseFgsType("mediaprocessing"), FgsType::kMediaProcessing);
  EXPECT_EQ(ParseFgsType("connected device"), FgsType::kConnectedDevice);
  EXPECT_EQ(ParseFgsType("FOREGROUND_SERVICE_TYPE_NONE"), FgsType::kOther);
}

TEST(ForegroundServiceNamesTest, TypeParserRejectsUnknown) {
  EXPECT_EQ(ParseFgsType(""), std::nullopt);
  EXPECT_EQ(ParseFgsType("FOREGROUND_SERVICE_TYPE_"), std::nullopt);
  EXPECT_EQ(ParseFgsType("mediaPlaybackX"), std::nullopt);
  EXPECT_EQ(ParseFgsType("media"), std::nullopt);
  EXPECT_EQ(ParseFgsType("3"), std::nullopt);      // not a single known bit
  EXPECT_EQ(ParseFgsType("32"), std::nullopt);     // mediaProjection: not modelled by value
  EXPECT_EQ(ParseFgsType("-1"), std::nullopt);
}

TEST(ForegroundServiceNamesTest, OriginNamesRoundTrip) {
  const std::vector<std::pair<FgsStartOrigin, const char*>> names = {
      {FgsStartOrigin::kWhileVisible, "while-visible"},
      {FgsStartOrigin::kMediaSessionEvent, "media-session-event"},
      {FgsStartOrigin::kUserInteraction, "user-interaction"},
      {FgsStartOrigin::kSystemDelegation, "system-delegation"},
      {FgsStartOrigin::kBootCompleted, "boot-completed"},
      {FgsStartOrigin::kBackground, "background"},
  };
  for (const auto& [origin, name] : names) {
    EXPECT_STREQ(FgsStartOriginName(origin), name);
    EXPECT_EQ(ParseFgsStartOrigin(name), origin) << name;
  }
}

TEST(ForegroundServiceNamesTest, OriginParserAcceptsAliases) {
  EXPECT_EQ(ParseFgsStartOrigin("BOOT_COMPLETED"), FgsStartOrigin::kBootCompleted);
  EXPECT_EQ(ParseFgsStartOrigin("boot"), FgsStartOrigin::kBootCompleted);
  EXPECT_EQ(ParseFgsStartOrigin("BOOT_COMPLETE"), FgsStartOrigin::kBootCompleted);
  EXPECT_EQ(ParseFgsStartOrigin("notification"), FgsStartOrigin::kUserInteraction);
  EXPECT_EQ(ParseFgsStartOrigin("widget"), FgsStartOrigin::kUserInteraction);
  EXPECT_EQ(ParseFgsStartOrigin("media-key"), FgsStartOrigin::kUserInteraction);
  EXPECT_EQ(ParseFgsStartOrigin("media_button"), FgsStartOrigin::kUserInteraction);
  EXPECT_EQ(ParseFgsStartOrigin("MediaSession"), FgsStartOrigin::kMediaSessionEvent);
  EXPECT_EQ(ParseFgsStartOrigin("visible"), FgsStartOrigin::kWhileVisible);
  EXPECT_EQ(ParseFgsStartOrigin("telecom"), FgsStartOrigin::kSystemDelegation);
  EXPECT_EQ(ParseFgsStartOrigin("system"), FgsStartOrigin::kSystemDelegation);
}

TEST(ForegroundServiceNamesTest, OriginParserRejectsUnknown) {
  EXPECT_EQ(ParseFgsStartOrigin(""), std::nullopt);
  EXPECT_EQ(ParseFgsStartOrigin("-"), std::nullopt);
  EXPECT_EQ(ParseFgsStartOrigin("alarm"), std::nullopt);
  EXPECT_EQ(ParseFgsStartOrigin("0"), std::nullopt);
  EXPECT_EQ(ParseFgsStartOrigin("while"), std::nullopt);
}

// --- WIU through the model, cell by cell ------------------------------------

class WhileInUseCellTest
    : public ::testing::TestWithParam<std::tuple<ExpectedOrigin, ExpectedType>> {};

// The app starts the FGS (visible first when the origin says so), then sits
// in the background. Valid iff the origin grants WIU and the type counts.
TEST_P(WhileInUseCellTest, BackgroundAppWithThisFgs) {
  const auto& [origin, type] = GetParam();
  AppLifecycle lifecycle;
  const AppKey app = App();
  absl::Time now = FakeClock::kStart;
  if (origin.origin == FgsStartOrigin::kWhileVisible) {
    Ok(lifecycle.SetVisibility(app, Visibility::kVisible, now));
  }
  Ok(lifecycle.StartForegroundService(app, type.type, origin.origin, now));
  // Playback so that the mediaPlayback idle rule stays out of this test.
  Ok(lifecycle.SetPlaybackState(app, PlaybackState::kPlaying, now));
  now += absl::Seconds(1);
  Ok(lifecycle.SetVisibility(app, Visibility::kBackground, now));

  const bool valid = origin.grants_while_in_use && type.counts;
  LifecycleVerdict expected;
  expected.valid = valid;
  if (valid) {
    expected.basis = LifecycleBasis::kForegroundService;
    expected.reason = std::string(type.name) + " FGS " + origin.phrase +
                      " has while-in-use capability";
  } else if (!type.counts) {
    expected.basis = LifecycleBasis::kNone;
    expected.reason = "shortService FGS does not count";
  } else {
    expected.basis = LifecycleBasis::kNone;
    expected.reason = std::string(type.name) + " FGS " + origin.phrase +
                      " has no while-in-use capability";
  }
  EXPECT_EQ(lifecycle.Evaluate(app, now), expected);
}

std::string CellName(const ::testing::TestParamInfo<WhileInUseCellTest::ParamType>& info) {
  std::string name = std::string(FgsStartOriginName(std::get<0>(info.param).origin)) + "_" +
                     std::get<1>(info.param).name;
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(AllOriginsAllTypes, WhileInUseCellTest,
                         ::testing::Combine(::testing::ValuesIn(kExpectedOrigins),
                                            ::testing::ValuesIn(kExpectedTypes)),
                         CellName);

// seeds.md §1's own example: the BOOT_COMPLETED media app is suppressed.
TEST(WhileInUseTest, BootCompletedMediaAppIsSuppressedWithTheSeedReason) {
  AppLifecycle lifecycle;
  const AppKey app = App("com.example.podcast", 10099);
  Ok(lifecycle.StartForegroundService(app, FgsType::kMediaPlayback, FgsStartOrigin::kBootCompleted,
                                      FakeClock::kStart));
  Ok(lifecycle.SetPlaybackState(app, PlaybackState::kPlaying, FakeClock::kStart));
  const LifecycleVerdict verdict = lifecycle.Evaluate(app, FakeClock::kStart);
  EXPECT_FALSE(verdict.valid);
  EXPECT_EQ(verdict.reason,
            "mediaPlayback FGS started from BOOT_COMPLETED has no while-in-use capability");
}

// A WIU FGS keeps an app valid only while it runs: stopping it ends that.
TEST(WhileInUseTest, StoppingTheOnlyWiuFgsEndsTheValidLifecycle) {
  AppLifecycle lifecycle;
  const AppKey app = App();
  const absl::Time t0 = FakeClock::kStart;
  Ok(lifecycle.StartForegroundService(app, FgsType::kLocation, FgsStartOrigin::kSystemDelegation, t0));
  EXPECT_TRUE(lifecycle.Evaluate(app, t0).valid);
  Ok(lifecycle.StopForegroundService(app, FgsType::kLocation, t0 + absl::Seconds(1)));
  EXPECT_EQ(lifecycle.Evaluate(app, t0 + absl::Seconds(1)).reason,
            "background, no foreground service");
}

// Origins are per FGS: a second, non-WIU FGS does not spoil a WIU one, and
// the reasons of several non-counting services come in FgsType order.
TEST(WhileInUseTest, OriginsArePerService) {
  AppLifecycle lifecycle;
  const AppKey app = App();
  const absl::Time t0 = FakeClock::kStart;
  Ok(lifecycle.StartForegroundService(app, FgsType::kShortService, FgsStartOrigin::kUserInteraction, t0));
  Ok(lifecycle.StartForegroundService(app, FgsType::kDataSync, FgsStartOrigin::kBootCompleted, t0));
  EXPECT_EQ(lifecycle.Evaluate(app, t0),
            (LifecycleVerdict{false, LifecycleBasis::kNone,
                              "dataSync FGS started from BOOT_COMPLETED has no while-in-use "
                              "capability; shortService FGS does not count"}));
  Ok(lifecycle.StartForegroundService(app, FgsType::kConnectedDevice, FgsStartOrigin::kMediaSessionEvent, t0));
  EXPECT_EQ(lifecycle.Evaluate(app, t0),
            (LifecycleVerdict{true, LifecycleBasis::kForegroundService,
                              "connectedDevice FGS started from a MediaSession event has "
                              "while-in-use capability"}));
  const AppSnapshot snapshot = Ok(lifecycle.Snapshot(app, t0));
  std::vector<FgsType> types;
  for (const ForegroundServiceState& service : snapshot.services) types.push_back(service.type);
  EXPECT_THAT(types, ElementsAre(FgsType::kDataSync, FgsType::kConnectedDevice,
                                 FgsType::kShortService));
}

}  // namespace
}  // namespace caraudio
