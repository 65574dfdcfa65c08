// ZoneFocus on CONCURRENT cells (focus-rules.md §3.3 step 5 "C", the C row of
// the summary table, and the changed-loser rules of step 6).

#include <string>
#include <vector>

#include "carservice/zone_focus.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/focus_test_util.h"

namespace caraudio {
namespace {

using namespace engine_test;  // NOLINT: test-local vocabulary
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// NAVIGATION holder, MUSIC request: the NAVIGATION row's MUSIC cell is C.
TEST(ZoneFocusConcurrentTest, SummaryTableConcurrentRowForEveryGainAndHolderFlags) {
  ASSERT_EQ(FocusInteraction().Evaluate(AudioContext::kNavigation, AudioContext::kMusic),
            Interaction::kConcurrent);
  for (HolderFlags flags : kAllHolderFlags) {
    for (FocusGain gain : kAllGains) {
      SCOPED_TRACE(FlagsName(flags) + " holder, " + FocusGainName(gain) + " request");
      ZoneFocus zone(0);
      MustGrant(zone, WithFlags(MakeRequest("maps", kNavUsage, kG), flags));
      FocusDecision decision = zone.Request(MakeRequest("player", kMusicUsage, gain));
      ASSERT_EQ(decision.result, RequestResult::kGranted);
      const FocusEntry* player = FindHolder(zone, "player");
      ASSERT_NE(player, nullptr);

      switch (gain) {
        case FocusGain::kGain:  // C + G: LOSS; removed for good
          EXPECT_THAT(decision.callbacks, ElementsAre(Cb("maps", kNavUsage, kLoss)));
          EXPECT_THAT(HolderIds(zone), ElementsAre("player"));
          EXPECT_THAT(LoserIds(zone), IsEmpty());
          break;
        case FocusGain::kGainTransient:
        case FocusGain::kGainTransientExclusive: {  // C + T/X: LOSS_TRANSIENT; waits
          EXPECT_THAT(decision.callbacks, ElementsAre(Cb("maps", kNavUsage, kLossTransient)));
          EXPECT_THAT(HolderIds(zone), ElementsAre("player"));
          const FocusEntry* maps = FindLoser(zone, "maps");
          ASSERT_NE(maps, nullptr);
          EXPECT_THAT(maps->blockers, ElementsAre(player->id));
          EXPECT_FALSE(maps->ducked);
          break;
        }
        case FocusGain::kGainTransientMayDuck: {
          if (!flags.pause_when_ducked && !flags.receives_duck_events) {
            // C + D, plain holder: nothing; it keeps focus.
            EXPECT_THAT(decision.callbacks, IsEmpty());
            EXPECT_THAT(HolderIds(zone), UnorderedElementsAre("maps", "player"));
            EXPECT_THAT(LoserIds(zone), IsEmpty());
            break;
          }
          // Wants pause: LOSS_TRANSIENT; receives duck events: CAN_DUCK (also
          // when it wants pause as well).
          const FocusChange expected =
              flags.receives_duck_events ? kLossCanDuck : kLossTransient;
          EXPECT_THAT(decision.callbacks, ElementsAre(Cb("maps", kNavUsage, expected)));
          EXPECT_THAT(HolderIds(zone), ElementsAre("player"));
          const FocusEntry* maps = FindLoser(zone, "maps");
          ASSERT_NE(maps, nullptr);
          EXPECT_THAT(maps->blockers, ElementsAre(player->id));
          EXPECT_EQ(maps->ducked, flags.receives_duck_events);
          break;
        }
      }
    }
  }
}

TEST(ZoneFocusConcurrentTest, DuckingRequestLeavesPlainHolderPlayingAndItsAbandonSendsNothing) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  EXPECT_THAT(MustGrant(zone, MakeRequest("maps", kNavUsage, kD)), IsEmpty());
  EXPECT_THAT(HolderIds(zone), UnorderedElementsAre("player", "maps"));
  EXPECT_THAT(zone.Abandon("maps"), IsEmpty());
  EXPECT_THAT(HolderIds(zone), ElementsAre("player"));
}

TEST(ZoneFocusConcurrentTest, HolderReceivingDuckEventsIsToldCanDuckAndWaits) {
  ZoneFocus zone(0);
  MustGrant(zone, WithDuckEvents(MakeRequest("player", kMusicUsage, kG)));
  EXPECT_THAT(MustGrant(zone, MakeRequest("maps", kNavUsage, kD)),
              ElementsAre(Cb("player", kMusicUsage, kLossCanDuck)));
  const FocusEntry* player = FindLoser(zone, "player");
  ASSERT_NE(player, nullptr);
  EXPECT_TRUE(player->ducked);
  EXPECT_THAT(HolderIds(zone), ElementsAre("maps"));
}

TEST(ZoneFocusConcurrentTest, DuckEventsDoNotSoftenNonDuckingTransientLoss) {
  ZoneFocus zone(0);
  MustGrant(zone, WithDuckEvents(WithPauseWhenDucked(MakeRequest("player", kMusicUsage, kG))));
  EXPECT_THAT(MustGrant(zone, MakeRequest("maps", kNavUsage, kT)),
              ElementsAre(Cb("player", kMusicUsage, kLossTransient)));
  EXPECT_FALSE(FindLoser(zone, "player")->ducked);
}

// A waiting loser on a C cell with a D request is not "changed": it gets no
// callback and no new blocker, so it regains as soon as its own blocker goes.
TEST(ZoneFocusConcurrentTest, DuckingRequestDoesNotBlockWaitingLoserFurther) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  EXPECT_THAT(MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kT)),
              ElementsAre(Cb("player", kMusicUsage, kLossTransient)));
  // VOICE_COMMAND -> SAFETY is C (assistant keeps), MUSIC -> SAFETY is C.
  EXPECT_THAT(MustGrant(zone, MakeRequest("safety", kSafetyUsage, kD)), IsEmpty());
  const FocusEntry* assistant = FindHolder(zone, "assistant");
  ASSERT_NE(assistant, nullptr);
  EXPECT_THAT(FindLoser(zone, "player")->blockers, ElementsAre(assistant->id));

  EXPECT_THAT(zone.Abandon("assistant"), ElementsAre(Cb("player", kMusicUsage, kGainChange)));
  EXPECT_THAT(HolderIds(zone), UnorderedElementsAre("safety", "player"));
}

// A transient request on a C cell adds itself to a waiting loser's blockers;
// a blocker that later becomes a loser itself still blocks.
TEST(ZoneFocusConcurrentTest, TransientRequestAddsBlockerToWaitingLoser) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kT));
  const FocusEntryId assistant_id = FindHolder(zone, "assistant")->id;

  EXPECT_THAT(MustGrant(zone, MakeRequest("safety", kSafetyUsage, kT)),
              ElementsAre(Cb("assistant", kVoiceUsage, kLossTransient)));
  const FocusEntryId safety_id = FindHolder(zone, "safety")->id;
  EXPECT_THAT(FindLoser(zone, "player")->blockers, UnorderedElementsAre(assistant_id, safety_id));
  EXPECT_THAT(FindLoser(zone, "assistant")->blockers, ElementsAre(safety_id));

  // assistant is unblocked first; player still waits for assistant.
  EXPECT_THAT(zone.Abandon("safety"), ElementsAre(Cb("assistant", kVoiceUsage, kGainChange)));
  EXPECT_THAT(FindLoser(zone, "player")->blockers, ElementsAre(assistant_id));
  EXPECT_THAT(zone.Abandon("assistant"), ElementsAre(Cb("player", kMusicUsage, kGainChange)));
  EXPECT_THAT(HolderIds(zone), ElementsAre("player"));
  EXPECT_THAT(LoserIds(zone), IsEmpty());
}

TEST(ZoneFocusConcurrentTest, PermanentRequestRemovesWaitingLosersAndHoldersForGood) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  MustGrant(zone, MakeRequest("assistant", kVoiceUsage, kT));
  // SAFETY G: C against both the VOICE_COMMAND holder and the MUSIC loser.
  EXPECT_THAT(MustGrant(zone, MakeRequest("safety", kSafetyUsage, kG)),
              UnorderedElementsAre(Cb("player", kMusicUsage, kLoss),
                                   Cb("assistant", kVoiceUsage, kLoss)));
  EXPECT_THAT(HolderIds(zone), ElementsAre("safety"));
  EXPECT_THAT(LoserIds(zone), IsEmpty());
  EXPECT_THAT(zone.Abandon("safety"), IsEmpty());
}

// A ducked loser asked to yield to a non-ducking transient request is told
// LOSS_TRANSIENT and is no longer ducked (§3.3 step 6, changed losers).
TEST(ZoneFocusConcurrentTest, NonDuckingTransientRequestTurnsDuckedLoserIntoTransientLoss) {
  for (FocusGain gain : {kT, kX}) {
    SCOPED_TRACE(FocusGainName(gain));
    ZoneFocus zone(0);
    MustGrant(zone, WithDuckEvents(MakeRequest("player", kMusicUsage, kG)));
    EXPECT_THAT(MustGrant(zone, MakeRequest("maps", kNavUsage, kD)),
                ElementsAre(Cb("player", kMusicUsage, kLossCanDuck)));
    ASSERT_TRUE(FindLoser(zone, "player")->ducked);
    const FocusEntryId maps_id = FindHolder(zone, "maps")->id;

    // NAVIGATION -> SAFETY and MUSIC -> SAFETY are both C.
    const std::vector<FocusCallback> callbacks =
        MustGrant(zone, MakeRequest("safety", kSafetyUsage, gain));
    EXPECT_THAT(callbacks, UnorderedElementsAre(Cb("player", kMusicUsage, kLossTransient),
                                                Cb("maps", kNavUsage, kLossTransient)));
    const FocusEntry* player = FindLoser(zone, "player");
    ASSERT_NE(player, nullptr);
    EXPECT_FALSE(player->ducked);
    EXPECT_THAT(player->blockers, UnorderedElementsAre(maps_id, FindHolder(zone, "safety")->id));
  }
}

// §3.3 step 6 handles changed losers before changed holders.
TEST(ZoneFocusConcurrentTest, ChangedLosersAreToldBeforeChangedHolders) {
  ZoneFocus zone(0);
  MustGrant(zone, WithDuckEvents(MakeRequest("player", kMusicUsage, kG)));
  MustGrant(zone, MakeRequest("maps", kNavUsage, kD));
  EXPECT_THAT(MustGrant(zone, MakeRequest("safety", kSafetyUsage, kT)),
              ElementsAre(Cb("player", kMusicUsage, kLossTransient),
                          Cb("maps", kNavUsage, kLossTransient)));
}

TEST(ZoneFocusConcurrentTest, DuckingRequestLeavesDuckedLoserDuckedAndAddsBlocker) {
  ZoneFocus zone(0);
  MustGrant(zone, WithDuckEvents(MakeRequest("player", kMusicUsage, kG)));
  MustGrant(zone, MakeRequest("maps", kNavUsage, kD));
  const FocusEntryId maps_id = FindHolder(zone, "maps")->id;
  // SAFETY D: maps (plain) keeps focus; player (receives duck events) is a
  // changed loser but stays ducked and silently gets one more blocker.
  EXPECT_THAT(MustGrant(zone, MakeRequest("safety", kSafetyUsage, kD)), IsEmpty());
  const FocusEntry* player = FindLoser(zone, "player");
  ASSERT_NE(player, nullptr);
  EXPECT_TRUE(player->ducked);
  EXPECT_THAT(player->blockers, UnorderedElementsAre(maps_id, FindHolder(zone, "safety")->id));
  EXPECT_THAT(HolderIds(zone), UnorderedElementsAre("maps", "safety"));
}

TEST(ZoneFocusConcurrentTest, PermanentRequestSendsLossToDuckedLoserAndClearsIt) {
  ZoneFocus zone(0);
  MustGrant(zone, WithDuckEvents(MakeRequest("player", kMusicUsage, kG)));
  MustGrant(zone, MakeRequest("maps", kNavUsage, kD));
  EXPECT_THAT(MustGrant(zone, MakeRequest("safety", kSafetyUsage, kG)),
              UnorderedElementsAre(Cb("player", kMusicUsage, kLoss), Cb("maps", kNavUsage, kLoss)));
  EXPECT_THAT(LoserIds(zone), IsEmpty());
  EXPECT_THAT(HolderIds(zone), ElementsAre("safety"));
}

TEST(ZoneFocusConcurrentTest, NotificationAndNavigationShareFocusWithMusicWhenDucking) {
  ZoneFocus zone(0);
  MustGrant(zone, MakeRequest("player", kMusicUsage, kG));
  EXPECT_THAT(MustGrant(zone, MakeRequest("maps", kNavUsage, kD)), IsEmpty());
  EXPECT_THAT(MustGrant(zone, MakeRequest("notifier", kNotificationUsage, kD)), IsEmpty());
  EXPECT_THAT(HolderIds(zone), UnorderedElementsAre("player", "maps", "notifier"));
}

TEST(ZoneFocusConcurrentTest, CallbacksCarryTheZoneIdAndTheToldEntrysUsage) {
  ZoneFocus zone(3);
  EXPECT_EQ(zone.zone_id(), 3);
  MustGrant(zone, MakeRequest("game", AudioUsage::kGame, kG));
  FocusDecision decision = zone.Request(MakeRequest("maps", kNavUsage, kT));
  EXPECT_EQ(decision.zone_id, 3);
  EXPECT_THAT(decision.callbacks,
              ElementsAre(Callback(3, "game", AudioUsage::kGame, kLossTransient)));
}

}  // namespace
}  // namespace caraudio
