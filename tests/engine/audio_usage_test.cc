// Usages, contexts and focus codes: the usage -> context table of
// focus-rules.md §2, the usage sets the policy depends on, the numeric values
// of §0 and §1.1, and name parsing.

#include "carservice/audio_usage.h"

#include <climits>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "carservice/audio_context.h"
#include "carservice/focus_codes.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/focus_test_util.h"

namespace caraudio {
namespace {

struct UsageRow {
  int32_t usage;
  AudioContext context;
};

// focus-rules.md §2, main / Android 14+ column.
constexpr UsageRow kUsageTable[] = {
    {0, AudioContext::kMusic},          // USAGE_UNKNOWN
    {1, AudioContext::kMusic},          // USAGE_MEDIA
    {2, AudioContext::kCall},           // USAGE_VOICE_COMMUNICATION
    {3, AudioContext::kCall},           // USAGE_VOICE_COMMUNICATION_SIGNALLING
    {4, AudioContext::kAlarm},          // USAGE_ALARM
    {5, AudioContext::kNotification},   // USAGE_NOTIFICATION
    {6, AudioContext::kCallRing},       // USAGE_NOTIFICATION_RINGTONE
    {7, AudioContext::kNotification},   // USAGE_NOTIFICATION_COMMUNICATION_REQUEST
    {8, AudioContext::kNotification},   // USAGE_NOTIFICATION_COMMUNICATION_INSTANT
    {9, AudioContext::kNotification},   // USAGE_NOTIFICATION_COMMUNICATION_DELAYED
    {10, AudioContext::kNotification},  // USAGE_NOTIFICATION_EVENT
    {11, AudioContext::kVoiceCommand},  // USAGE_ASSISTANCE_ACCESSIBILITY
    {12, AudioContext::kNavigation},    // USAGE_ASSISTANCE_NAVIGATION_GUIDANCE
    {13, AudioContext::kSystemSound},   // USAGE_ASSISTANCE_SONIFICATION
    {14, AudioContext::kMusic},         // USAGE_GAME
    {15, AudioContext::kInvalid},       // USAGE_VIRTUAL_SOURCE (explicit)
    {16, AudioContext::kVoiceCommand},  // USAGE_ASSISTANT
    {17, AudioContext::kCall},          // USAGE_CALL_ASSISTANT (main maps it)
    {1000, AudioContext::kEmergency},   // USAGE_EMERGENCY
    {1001, AudioContext::kSafety},      // USAGE_SAFETY
    {1002, AudioContext::kVehicleStatus},  // USAGE_VEHICLE_STATUS
    {1003, AudioContext::kAnnouncement},   // USAGE_ANNOUNCEMENT
};

constexpr int32_t kUnknownUsages[] = {-1, 18, 19, 100, 999, 1004, 1005, 2000, INT_MIN, INT_MAX};

TEST(AudioUsageTest, EveryListedUsageMapsToItsContext) {
  for (const UsageRow& row : kUsageTable) {
    EXPECT_EQ(ContextForUsage(row.usage), row.context) << "usage " << row.usage;
  }
}

TEST(AudioUsageTest, EnumOverloadAgreesWithRawValues) {
  EXPECT_EQ(ContextForUsage(AudioUsage::kMedia), AudioContext::kMusic);
  EXPECT_EQ(ContextForUsage(AudioUsage::kAssistanceNavigationGuidance), AudioContext::kNavigation);
  EXPECT_EQ(ContextForUsage(AudioUsage::kCallAssistant), AudioContext::kCall);
  EXPECT_EQ(ContextForUsage(AudioUsage::kVirtualSource), AudioContext::kInvalid);
  EXPECT_EQ(ContextForUsage(AudioUsage::kAnnouncement), AudioContext::kAnnouncement);
}

TEST(AudioUsageTest, DeprecatedNotificationUsagesMapToNotification) {
  EXPECT_EQ(ContextForUsage(7), AudioContext::kNotification);
  EXPECT_EQ(ContextForUsage(8), AudioContext::kNotification);
  EXPECT_EQ(ContextForUsage(9), AudioContext::kNotification);
}

TEST(AudioUsageTest, VirtualSourceIsExplicitlyInvalid) {
  EXPECT_EQ(ContextForUsage(15), AudioContext::kInvalid);
  EXPECT_TRUE(IsKnownUsage(15));
}

TEST(AudioUsageTest, CallAssistantMapsToCall) {
  EXPECT_EQ(ContextForUsage(17), AudioContext::kCall);
}

TEST(AudioUsageTest, SystemUsagesMapToCarSystemContexts) {
  EXPECT_EQ(ContextForUsage(1000), AudioContext::kEmergency);
  EXPECT_EQ(ContextForUsage(1001), AudioContext::kSafety);
  EXPECT_EQ(ContextForUsage(1002), AudioContext::kVehicleStatus);
  EXPECT_EQ(ContextForUsage(1003), AudioContext::kAnnouncement);
}

TEST(AudioUsageTest, UnknownUsagesMapToInvalid) {
  for (int32_t usage : kUnknownUsages) {
    EXPECT_EQ(ContextForUsage(usage), AudioContext::kInvalid) << "usage " << usage;
    EXPECT_FALSE(IsKnownUsage(usage)) << "usage " << usage;
  }
}

TEST(AudioUsageTest, KnownUsagesAreExactlyTheListedOnes) {
  for (const UsageRow& row : kUsageTable) EXPECT_TRUE(IsKnownUsage(row.usage)) << row.usage;
  int known = 0;
  for (int32_t usage = -5; usage <= 1100; ++usage) known += IsKnownUsage(usage) ? 1 : 0;
  EXPECT_EQ(known, 22);
}

std::set<int32_t> UsagesWhere(bool (*predicate)(int32_t)) {
  std::set<int32_t> out;
  for (int32_t usage = -5; usage <= 1100; ++usage) {
    if (predicate(usage)) out.insert(usage);
  }
  return out;
}

TEST(AudioUsageTest, CriticalUsagesAreEmergencyAndSafety) {
  EXPECT_EQ(UsagesWhere(IsCriticalUsage), (std::set<int32_t>{1000, 1001}));
}

TEST(AudioUsageTest, RingerOrCallUsagesAreRingtoneVoiceCommunicationSignallingAndCallAssistant) {
  EXPECT_EQ(UsagesWhere(IsRingerOrCallUsage), (std::set<int32_t>{2, 3, 6, 17}));
}

TEST(AudioUsageTest, NotificationUsagesAreNotificationNotificationEventAndTheRewrittenOnes) {
  // 7/8/9 count because the framework rewrites them to NOTIFICATION (§2).
  EXPECT_EQ(UsagesWhere(IsNotificationUsage), (std::set<int32_t>{5, 7, 8, 9, 10}));
}

TEST(AudioUsageTest, UsageNames) {
  EXPECT_EQ(UsageName(1), "USAGE_MEDIA");
  EXPECT_EQ(UsageName(0), "USAGE_UNKNOWN");
  EXPECT_EQ(UsageName(12), "USAGE_ASSISTANCE_NAVIGATION_GUIDANCE");
  EXPECT_EQ(UsageName(1000), "USAGE_EMERGENCY");
  EXPECT_EQ(UsageName(999), "USAGE_999");
}

TEST(AudioUsageTest, XsdUsageNames) {
  EXPECT_EQ(XsdUsageName(1), "AUDIO_USAGE_MEDIA");
  EXPECT_EQ(XsdUsageName(6), "AUDIO_USAGE_NOTIFICATION_RINGTONE");
  EXPECT_EQ(XsdUsageName(12), "AUDIO_USAGE_ASSISTANCE_NAVIGATION_GUIDANCE");
  EXPECT_EQ(XsdUsageName(1001), "AUDIO_USAGE_SAFETY");
  EXPECT_EQ(XsdUsageName(1003), "AUDIO_USAGE_ANNOUNCEMENT");
  EXPECT_EQ(XsdUsageName(999), "AUDIO_USAGE_999");
}

TEST(AudioUsageTest, ParseUsageAcceptsTheDocumentedSpellings) {
  EXPECT_EQ(ParseUsage("USAGE_MEDIA"), std::optional<int32_t>(1));
  EXPECT_EQ(ParseUsage("media"), std::optional<int32_t>(1));
  EXPECT_EQ(ParseUsage("Media"), std::optional<int32_t>(1));
  EXPECT_EQ(ParseUsage("usage_media"), std::optional<int32_t>(1));
  EXPECT_EQ(ParseUsage("AUDIO_USAGE_MEDIA"), std::optional<int32_t>(1));
  EXPECT_EQ(ParseUsage("nav"), std::optional<int32_t>(12));
  EXPECT_EQ(ParseUsage("AUDIO_USAGE_SAFETY"), std::optional<int32_t>(1001));
  EXPECT_EQ(ParseUsage("safety"), std::optional<int32_t>(1001));
  EXPECT_EQ(ParseUsage("1001"), std::optional<int32_t>(1001));
  EXPECT_EQ(ParseUsage("0"), std::optional<int32_t>(0));
  EXPECT_EQ(ParseUsage("ring"), std::optional<int32_t>(6));
  EXPECT_EQ(ParseUsage("voice-call"), std::optional<int32_t>(2));
  EXPECT_EQ(ParseUsage("voice_call"), std::optional<int32_t>(2));
  EXPECT_EQ(ParseUsage("USAGE_VOICE_COMMUNICATION"), std::optional<int32_t>(2));
  EXPECT_EQ(ParseUsage("voice-communication"), std::optional<int32_t>(2));
}

TEST(AudioUsageTest, ParseUsageRoundTripsEveryKnownUsage) {
  for (const UsageRow& row : kUsageTable) {
    EXPECT_EQ(ParseUsage(UsageName(row.usage)), std::optional<int32_t>(row.usage)) << row.usage;
    EXPECT_EQ(ParseUsage(XsdUsageName(row.usage)), std::optional<int32_t>(row.usage))
        << row.usage;
    EXPECT_EQ(ParseUsage(std::to_string(row.usage)), std::optional<int32_t>(row.usage))
        << row.usage;
  }
}

TEST(AudioUsageTest, ParseUsageRejectsUnknownNames) {
  EXPECT_EQ(ParseUsage("bogus"), std::nullopt);
  EXPECT_EQ(ParseUsage(""), std::nullopt);
  EXPECT_EQ(ParseUsage("USAGE_"), std::nullopt);
  EXPECT_EQ(ParseUsage("USAGE_BOGUS"), std::nullopt);
  // Decimal numbers are accepted only for known usages.
  EXPECT_EQ(ParseUsage("18"), std::nullopt);
  EXPECT_EQ(ParseUsage("999"), std::nullopt);
  EXPECT_EQ(ParseUsage("1004"), std::nullopt);
  EXPECT_EQ(ParseUsage("-1"), std::nullopt);
}

TEST(AudioContextTest, IdsMatchCarAudioContext) {
  const std::pair<AudioContext, int> ids[] = {
      {AudioContext::kInvalid, 0},       {AudioContext::kMusic, 1},
      {AudioContext::kNavigation, 2},    {AudioContext::kVoiceCommand, 3},
      {AudioContext::kCallRing, 4},      {AudioContext::kCall, 5},
      {AudioContext::kAlarm, 6},         {AudioContext::kNotification, 7},
      {AudioContext::kSystemSound, 8},   {AudioContext::kEmergency, 9},
      {AudioContext::kSafety, 10},       {AudioContext::kVehicleStatus, 11},
      {AudioContext::kAnnouncement, 12},
  };
  for (const auto& [context, id] : ids) {
    EXPECT_EQ(ContextIndex(context), id);
    EXPECT_EQ(AudioContextFromId(id), std::optional<AudioContext>(context));
    EXPECT_EQ(kAllAudioContexts[id], context);
  }
  EXPECT_EQ(AudioContextFromId(-1), std::nullopt);
  EXPECT_EQ(AudioContextFromId(13), std::nullopt);
}

TEST(AudioContextTest, ContextNames) {
  EXPECT_STREQ(ContextName(AudioContext::kCallRing), "CALL_RING");
  EXPECT_STREQ(ContextName(AudioContext::kVehicleStatus), "VEHICLE_STATUS");
  EXPECT_STREQ(ContextConfigName(AudioContext::kCallRing), "call_ring");
  EXPECT_STREQ(ContextConfigName(AudioContext::kSystemSound), "system_sound");
}

TEST(AudioContextTest, ParseAudioContextAcceptsAllSpellingsOfCallRing) {
  EXPECT_EQ(ParseAudioContext("call_ring"), std::optional(AudioContext::kCallRing));
  EXPECT_EQ(ParseAudioContext("CALL_RING"), std::optional(AudioContext::kCallRing));
  EXPECT_EQ(ParseAudioContext("ring"), std::optional(AudioContext::kCallRing));
  EXPECT_EQ(ParseAudioContext("Call_Ring"), std::optional(AudioContext::kCallRing));
}

TEST(AudioContextTest, ParseAudioContextShortForms) {
  EXPECT_EQ(ParseAudioContext("media"), std::optional(AudioContext::kMusic));
  EXPECT_EQ(ParseAudioContext("nav"), std::optional(AudioContext::kNavigation));
  EXPECT_EQ(ParseAudioContext("voice"), std::optional(AudioContext::kVoiceCommand));
  EXPECT_EQ(ParseAudioContext("alarm"), std::optional(AudioContext::kAlarm));
  EXPECT_EQ(ParseAudioContext("notification"), std::optional(AudioContext::kNotification));
  EXPECT_EQ(ParseAudioContext("system"), std::optional(AudioContext::kSystemSound));
  EXPECT_EQ(ParseAudioContext("emergency"), std::optional(AudioContext::kEmergency));
  EXPECT_EQ(ParseAudioContext("safety"), std::optional(AudioContext::kSafety));
  EXPECT_EQ(ParseAudioContext("vehicle"), std::optional(AudioContext::kVehicleStatus));
  EXPECT_EQ(ParseAudioContext("announcement"), std::optional(AudioContext::kAnnouncement));
}

TEST(AudioContextTest, ParseAudioContextRoundTripsNames) {
  for (AudioContext context : kAllAudioContexts) {
    EXPECT_EQ(ParseAudioContext(ContextName(context)), std::optional(context))
        << ContextName(context);
    EXPECT_EQ(ParseAudioContext(ContextConfigName(context)), std::optional(context))
        << ContextConfigName(context);
  }
}

TEST(AudioContextTest, ParseAudioContextRejectsUnknownNames) {
  EXPECT_EQ(ParseAudioContext("bogus"), std::nullopt);
  EXPECT_EQ(ParseAudioContext(""), std::nullopt);
}

TEST(FocusCodesTest, NumericValuesMatchAudioManager) {
  EXPECT_EQ(static_cast<int>(FocusGain::kGain), 1);
  EXPECT_EQ(static_cast<int>(FocusGain::kGainTransient), 2);
  EXPECT_EQ(static_cast<int>(FocusGain::kGainTransientMayDuck), 3);
  EXPECT_EQ(static_cast<int>(FocusGain::kGainTransientExclusive), 4);
  EXPECT_EQ(static_cast<int>(FocusChange::kGain), 1);
  EXPECT_EQ(static_cast<int>(FocusChange::kLoss), -1);
  EXPECT_EQ(static_cast<int>(FocusChange::kLossTransient), -2);
  EXPECT_EQ(static_cast<int>(FocusChange::kLossTransientCanDuck), -3);
  EXPECT_EQ(static_cast<int>(RequestResult::kFailed), 0);
  EXPECT_EQ(static_cast<int>(RequestResult::kGranted), 1);
  EXPECT_EQ(static_cast<int>(RequestResult::kDelayed), 2);
  EXPECT_EQ(kFlagDelayOk, 1);
  EXPECT_EQ(kFlagPausesOnDuckableLoss, 2);
  EXPECT_EQ(kFlagLock, 4);
}

TEST(FocusCodesTest, Names) {
  EXPECT_STREQ(FocusGainName(FocusGain::kGain), "GAIN");
  EXPECT_STREQ(FocusGainName(FocusGain::kGainTransientMayDuck), "GAIN_TRANSIENT_MAY_DUCK");
  EXPECT_STREQ(FocusChangeName(FocusChange::kLoss), "LOSS");
  EXPECT_STREQ(FocusChangeName(FocusChange::kLossTransientCanDuck), "LOSS_TRANSIENT_CAN_DUCK");
  EXPECT_STREQ(RequestResultName(RequestResult::kDelayed), "DELAYED");
}

TEST(FocusCodesTest, FocusGainFromInt) {
  EXPECT_EQ(FocusGainFromInt(1), std::optional(FocusGain::kGain));
  EXPECT_EQ(FocusGainFromInt(2), std::optional(FocusGain::kGainTransient));
  EXPECT_EQ(FocusGainFromInt(3), std::optional(FocusGain::kGainTransientMayDuck));
  EXPECT_EQ(FocusGainFromInt(4), std::optional(FocusGain::kGainTransientExclusive));
  EXPECT_EQ(FocusGainFromInt(0), std::nullopt);
  EXPECT_EQ(FocusGainFromInt(5), std::nullopt);
  EXPECT_EQ(FocusGainFromInt(-1), std::nullopt);
}

TEST(FocusCodesTest, ParseFocusGainAcceptsDocumentedSpellings) {
  const std::pair<const char*, FocusGain> cases[] = {
      {"gain", FocusGain::kGain},
      {"transient", FocusGain::kGainTransient},
      {"transient-may-duck", FocusGain::kGainTransientMayDuck},
      {"transient-exclusive", FocusGain::kGainTransientExclusive},
      {"AUDIOFOCUS_GAIN", FocusGain::kGain},
      {"AUDIOFOCUS_GAIN_TRANSIENT", FocusGain::kGainTransient},
      {"AUDIOFOCUS_GAIN_TRANSIENT_MAY_DUCK", FocusGain::kGainTransientMayDuck},
      {"AUDIOFOCUS_GAIN_TRANSIENT_EXCLUSIVE", FocusGain::kGainTransientExclusive},
      {"G", FocusGain::kGain},
      {"T", FocusGain::kGainTransient},
      {"D", FocusGain::kGainTransientMayDuck},
      {"X", FocusGain::kGainTransientExclusive},
      {"1", FocusGain::kGain},
      {"2", FocusGain::kGainTransient},
      {"3", FocusGain::kGainTransientMayDuck},
      {"4", FocusGain::kGainTransientExclusive},
  };
  for (const auto& [text, gain] : cases) {
    EXPECT_EQ(ParseFocusGain(text), std::optional(gain)) << text;
  }
}

TEST(FocusCodesTest, ParseFocusGainRejectsOthers) {
  EXPECT_EQ(ParseFocusGain("0"), std::nullopt);
  EXPECT_EQ(ParseFocusGain("5"), std::nullopt);
  EXPECT_EQ(ParseFocusGain("-1"), std::nullopt);
  EXPECT_EQ(ParseFocusGain("loss"), std::nullopt);
  EXPECT_EQ(ParseFocusGain(""), std::nullopt);
  EXPECT_EQ(ParseFocusGain("bogus"), std::nullopt);
}

TEST(FocusRequestTest, DerivedBooleansFollowTheGainOnly) {
  using engine_test::MakeRequest;
  using engine_test::WithDelayOk;
  for (FocusGain gain : engine_test::kAllGains) {
    const FocusRequest plain = MakeRequest("c", AudioUsage::kMedia, gain);
    const FocusRequest delay_ok = WithDelayOk(plain);
    EXPECT_EQ(plain.is_permanent(), gain == FocusGain::kGain);
    EXPECT_EQ(plain.allows_ducking(), gain == FocusGain::kGainTransientMayDuck);
    EXPECT_FALSE(plain.is_delayable());
    // §3.2: a transient request carrying DELAY_OK is simply not delayable.
    EXPECT_EQ(delay_ok.is_delayable(), gain == FocusGain::kGain);
  }
  EXPECT_EQ(MakeRequest("c", AudioUsage::kAssistant).context(), AudioContext::kVoiceCommand);
}

}  // namespace
}  // namespace caraudio
