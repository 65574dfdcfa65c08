// The AAOS interaction matrix (focus-rules.md §1.2), cell by cell, and the one
// dynamic cell (CALL -> NAVIGATION), per zone.

#include "carservice/focus_interaction.h"

#include <array>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "carservice/audio_context.h"
#include "carservice/zone_focus.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/focus_test_util.h"

namespace caraudio {
namespace {

using engine_test::MakeRequest;

// Transcribed by hand from focus-rules.md §1.2. Row = holder context,
// column = request context, both in id order:
//   INV MUS NAV VOI RING CALL ALRM NOTI SYS EMER SAFE VEH ANN
constexpr std::array<const char*, kAudioContextCount> kExpectedRows = {
    /* INVALID        */ "RRRRRRRRREERR",
    /* MUSIC          */ "RECEEEECCECCE",
    /* NAVIGATION     */ "RCCECECCCECCC",
    /* VOICE_COMMAND  */ "RCRCEERRRECCR",
    /* CALL_RING      */ "RRCCCCRRCECCR",
    /* CALL           */ "RRCRCCCCRCCCR",  // NAV cell: C unless the zone setting rejects
    /* ALARM          */ "RCCEEECCCECCR",
    /* NOTIFICATION   */ "RCCEEECCCECCC",
    /* SYSTEM_SOUND   */ "RCCEEECCCECCC",
    /* EMERGENCY      */ "RRRRRCRRRCCRR",
    /* SAFETY         */ "RCCCCCCCCCCCC",
    /* VEHICLE_STATUS */ "RCCCCCCCCECCC",
    /* ANNOUNCEMENT   */ "RECEEEECCECCE",
};

Interaction FromLetter(char letter) {
  switch (letter) {
    case 'R':
      return Interaction::kReject;
    case 'E':
      return Interaction::kExclusive;
    case 'C':
      return Interaction::kConcurrent;
  }
  ADD_FAILURE() << "bad letter " << letter;
  return Interaction::kReject;
}

Interaction Expected(AudioContext holder, AudioContext request, bool nav_rejected_during_call) {
  if (nav_rejected_during_call && holder == AudioContext::kCall &&
      request == AudioContext::kNavigation) {
    return Interaction::kReject;
  }
  return FromLetter(kExpectedRows[ContextIndex(holder)][ContextIndex(request)]);
}

TEST(FocusInteractionTest, ReferenceTableIsWellFormed) {
  for (const char* row : kExpectedRows) {
    EXPECT_EQ(std::string(row).size(), static_cast<size_t>(kAudioContextCount)) << row;
  }
}

TEST(FocusInteractionTest, AllCellsMatchReferenceMatrixByDefault) {
  FocusInteraction interaction;
  int cells = 0;
  for (AudioContext holder : kAllAudioContexts) {
    for (AudioContext request : kAllAudioContexts) {
      EXPECT_EQ(interaction.Evaluate(holder, request), Expected(holder, request, false))
          << ContextName(holder) << " holder, " << ContextName(request) << " request";
      ++cells;
    }
  }
  EXPECT_EQ(cells, 169);
}

TEST(FocusInteractionTest, StaticTableMatchesReferenceMatrix) {
  for (AudioContext holder : kAllAudioContexts) {
    for (AudioContext request : kAllAudioContexts) {
      EXPECT_EQ(kDefaultInteractionMatrix[ContextIndex(holder)][ContextIndex(request)],
                Expected(holder, request, false))
          << ContextName(holder) << " holder, " << ContextName(request) << " request";
    }
  }
}

TEST(FocusInteractionTest, NavigationRejectedDuringCallChangesOnlyCallToNavigationCell) {
  FocusInteraction interaction;
  interaction.set_navigation_rejected_during_call(true);
  for (AudioContext holder : kAllAudioContexts) {
    for (AudioContext request : kAllAudioContexts) {
      EXPECT_EQ(interaction.Evaluate(holder, request), Expected(holder, request, true))
          << ContextName(holder) << " holder, " << ContextName(request) << " request";
    }
  }
}

TEST(FocusInteractionTest, CallToNavigationIsConcurrentByDefault) {
  FocusInteraction interaction;
  EXPECT_FALSE(interaction.navigation_rejected_during_call());
  EXPECT_EQ(interaction.Evaluate(AudioContext::kCall, AudioContext::kNavigation),
            Interaction::kConcurrent);
}

TEST(FocusInteractionTest, CallToNavigationFollowsSettingBothWays) {
  FocusInteraction interaction;
  interaction.set_navigation_rejected_during_call(true);
  EXPECT_TRUE(interaction.navigation_rejected_during_call());
  EXPECT_EQ(interaction.Evaluate(AudioContext::kCall, AudioContext::kNavigation),
            Interaction::kReject);
  interaction.set_navigation_rejected_during_call(false);
  EXPECT_EQ(interaction.Evaluate(AudioContext::kCall, AudioContext::kNavigation),
            Interaction::kConcurrent);
}

TEST(FocusInteractionTest, CallRingToNavigationStaysConcurrentWhenNavigationRejectedDuringCall) {
  FocusInteraction interaction;
  interaction.set_navigation_rejected_during_call(true);
  EXPECT_EQ(interaction.Evaluate(AudioContext::kCallRing, AudioContext::kNavigation),
            Interaction::kConcurrent);
  // The reverse direction is a different cell and stays as printed too.
  EXPECT_EQ(interaction.Evaluate(AudioContext::kNavigation, AudioContext::kCall),
            Interaction::kExclusive);
}

TEST(FocusInteractionTest, TwoInteractionsAreIndependent) {
  FocusInteraction zone0;
  FocusInteraction zone1;
  zone1.set_navigation_rejected_during_call(true);
  EXPECT_EQ(zone0.Evaluate(AudioContext::kCall, AudioContext::kNavigation),
            Interaction::kConcurrent);
  EXPECT_EQ(zone1.Evaluate(AudioContext::kCall, AudioContext::kNavigation),
            Interaction::kReject);
  zone0.set_navigation_rejected_during_call(true);
  zone1.set_navigation_rejected_during_call(false);
  EXPECT_EQ(zone0.Evaluate(AudioContext::kCall, AudioContext::kNavigation),
            Interaction::kReject);
  EXPECT_EQ(zone1.Evaluate(AudioContext::kCall, AudioContext::kNavigation),
            Interaction::kConcurrent);
}

TEST(FocusInteractionTest, NavigationDuringCallSettingIsPerZone) {
  ZoneFocus zone0(0);
  ZoneFocus zone1(1);
  zone1.SetNavigationRejectedDuringCall(true);
  EXPECT_FALSE(zone0.navigation_rejected_during_call());
  EXPECT_TRUE(zone1.navigation_rejected_during_call());
  EXPECT_EQ(zone0.interaction().Evaluate(AudioContext::kCall, AudioContext::kNavigation),
            Interaction::kConcurrent);
  EXPECT_EQ(zone1.interaction().Evaluate(AudioContext::kCall, AudioContext::kNavigation),
            Interaction::kReject);

  for (ZoneFocus* zone : {&zone0, &zone1}) {
    ASSERT_EQ(zone->Request(MakeRequest("dialer", AudioUsage::kVoiceCommunication)).result,
              RequestResult::kGranted);
  }
  const FocusRequest nav =
      MakeRequest("maps", AudioUsage::kAssistanceNavigationGuidance, FocusGain::kGainTransientMayDuck);
  EXPECT_EQ(zone0.Request(nav).result, RequestResult::kGranted);
  EXPECT_EQ(zone1.Request(nav).result, RequestResult::kFailed);
}

TEST(FocusInteractionTest, DiagonalIsNotUniform) {
  FocusInteraction interaction;
  EXPECT_EQ(interaction.Evaluate(AudioContext::kMusic, AudioContext::kMusic),
            Interaction::kExclusive);
  EXPECT_EQ(interaction.Evaluate(AudioContext::kAnnouncement, AudioContext::kAnnouncement),
            Interaction::kExclusive);
  EXPECT_EQ(interaction.Evaluate(AudioContext::kInvalid, AudioContext::kInvalid),
            Interaction::kReject);
  EXPECT_EQ(interaction.Evaluate(AudioContext::kNavigation, AudioContext::kNavigation),
            Interaction::kConcurrent);
  EXPECT_EQ(interaction.Evaluate(AudioContext::kCall, AudioContext::kCall),
            Interaction::kConcurrent);
}

TEST(FocusInteractionTest, InvalidColumnRejectsEveryHolderAndOnlyEmergencyAndSafetyPreemptInvalid) {
  FocusInteraction interaction;
  for (AudioContext holder : kAllAudioContexts) {
    EXPECT_EQ(interaction.Evaluate(holder, AudioContext::kInvalid), Interaction::kReject)
        << ContextName(holder);
  }
  for (AudioContext request : kAllAudioContexts) {
    const bool preempts = request == AudioContext::kEmergency || request == AudioContext::kSafety;
    EXPECT_EQ(interaction.Evaluate(AudioContext::kInvalid, request),
              preempts ? Interaction::kExclusive : Interaction::kReject)
        << ContextName(request);
  }
}

TEST(FocusInteractionTest, InteractionNamesAndLetters) {
  EXPECT_STREQ(InteractionName(Interaction::kReject), "REJECT");
  EXPECT_STREQ(InteractionName(Interaction::kExclusive), "EXCLUSIVE");
  EXPECT_STREQ(InteractionName(Interaction::kConcurrent), "CONCURRENT");
  EXPECT_EQ(InteractionLetter(Interaction::kReject), 'R');
  EXPECT_EQ(InteractionLetter(Interaction::kExclusive), 'E');
  EXPECT_EQ(InteractionLetter(Interaction::kConcurrent), 'C');
  EXPECT_EQ(static_cast<int>(Interaction::kReject), 0);
  EXPECT_EQ(static_cast<int>(Interaction::kExclusive), 1);
  EXPECT_EQ(static_cast<int>(Interaction::kConcurrent), 2);
}

// The printed matrix: one line per holder context whose first token is the
// context name, followed by its 13 cell letters.
std::vector<std::vector<std::string>> MatrixRows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    std::vector<std::string> tokens = absl::StrSplit(line, ' ', absl::SkipEmpty());
    // A row is the holder's name followed by one letter per request context;
    // headers and notes around the table are not rows.
    if (tokens.size() != 1 + kAudioContextCount) continue;
    for (AudioContext context : kAllAudioContexts) {
      if (tokens[0] == ContextName(context)) {
        rows.push_back(tokens);
        break;
      }
    }
  }
  return rows;
}

void ExpectPrintedMatrix(const FocusInteraction& interaction, bool nav_rejected) {
  const std::string text = FormatInteractionMatrix(interaction);
  const std::vector<std::vector<std::string>> rows = MatrixRows(text);
  ASSERT_EQ(rows.size(), 13u) << text;
  for (int holder = 0; holder < kAudioContextCount; ++holder) {
    const std::vector<std::string>& row = rows[holder];
    EXPECT_EQ(row[0], ContextName(kAllAudioContexts[holder])) << text;
    ASSERT_EQ(row.size(), 1u + kAudioContextCount) << text;
    for (int request = 0; request < kAudioContextCount; ++request) {
      const Interaction expected =
          Expected(kAllAudioContexts[holder], kAllAudioContexts[request], nav_rejected);
      EXPECT_EQ(row[1 + request], std::string(1, InteractionLetter(expected)))
          << ContextName(kAllAudioContexts[holder]) << " row, column " << request << "\n"
          << text;
    }
  }
}

TEST(FocusInteractionTest, FormatInteractionMatrixPrintsThirteenRowsMatchingTheMatrix) {
  ExpectPrintedMatrix(FocusInteraction(), /*nav_rejected=*/false);
}

TEST(FocusInteractionTest, FormatInteractionMatrixShowsTheZoneSetting) {
  FocusInteraction interaction;
  interaction.set_navigation_rejected_during_call(true);
  ExpectPrintedMatrix(interaction, /*nav_rejected=*/true);
}

}  // namespace
}  // namespace caraudio
