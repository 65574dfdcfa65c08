// HalFocusTracker: focus requested by the AudioControl HAL (focus-rules.md §4.3).

#include "carservice/hal_focus_tracker.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "carservice/focus_engine.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/focus_test_util.h"

namespace caraudio {

inline void PrintTo(const HalFocusChange& change, std::ostream* os) {
  *os << "{" << UsageName(change.usage) << ", zone " << change.zone_id << ", "
      << change.focus_change << "}";
}

namespace {

using namespace engine_test;  // NOLINT: test-local vocabulary
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr int32_t kMedia = static_cast<int32_t>(AudioUsage::kMedia);
constexpr int32_t kNavigation = static_cast<int32_t>(AudioUsage::kAssistanceNavigationGuidance);

void MustGrantIn(FocusEngine& engine, const FocusRequest& request) {
  FocusDecision decision = engine.RequestFocus(request);
  ASSERT_EQ(decision.result, RequestResult::kGranted) << decision.explanation.text;
}

class HalFocusTrackerTest : public ::testing::Test {
 protected:
  HalFocusTrackerTest() : engine_(*FocusEngine::Create({0, 1})), tracker_(&engine_) {}

  HalFocusResult MustRequest(int32_t usage, int32_t zone_id, FocusGain gain) {
    absl::StatusOr<HalFocusResult> result = tracker_.RequestAudioFocus(usage, zone_id, gain);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *std::move(result) : HalFocusResult{};
  }

  // Passes engine callbacks through the tracker the way the service does.
  std::vector<HalFocusChange> Forward(const std::vector<FocusCallback>& callbacks) {
    std::vector<HalFocusChange> reports;
    for (const FocusCallback& callback : callbacks) {
      if (std::optional<HalFocusChange> report = tracker_.OnFocusCallback(callback)) {
        reports.push_back(*report);
      }
    }
    return reports;
  }

  FocusEngine engine_;
  HalFocusTracker tracker_;
};

TEST_F(HalFocusTrackerTest, GrantedRequestIsTrackedAndReportedWithTheGain) {
  HalFocusResult result = MustRequest(kMedia, 0, kG);
  EXPECT_THAT(result.reports, ElementsAre(HalFocusChange{kMedia, 0, 1}));
  ASSERT_TRUE(result.decision.has_value());
  EXPECT_EQ(result.decision->result, RequestResult::kGranted);
  EXPECT_THAT(result.changed_zones, ElementsAre(0));
  EXPECT_THAT(tracker_.tracked(), ElementsAre(Pair(Pair(0, kMedia), 1)));
  EXPECT_THAT(HolderIds(*engine_.zone(0)), ElementsAre(HalFocusClientId(0, kMedia)));
}

TEST_F(HalFocusTrackerTest, ReportCarriesTheRequestedGainValue) {
  HalFocusResult result = MustRequest(kNavigation, 1, kD);
  EXPECT_THAT(result.reports, ElementsAre(HalFocusChange{kNavigation, 1, 3}));
  EXPECT_THAT(tracker_.tracked(), ElementsAre(Pair(Pair(1, kNavigation), 3)));
  // The request lands in the zone the HAL named, not the HAL uid's zone.
  EXPECT_THAT(HolderIds(*engine_.zone(1)), ElementsAre(HalFocusClientId(1, kNavigation)));
  EXPECT_THAT(HolderIds(*engine_.zone(0)), IsEmpty());
}

TEST_F(HalFocusTrackerTest, ExplicitZoneWinsOverTheHalUidMapping) {
  ASSERT_TRUE(engine_.SetZoneForUid(HalFocusTracker::kHalUid, 1).ok());
  MustRequest(kMedia, 0, kG);
  EXPECT_THAT(HolderIds(*engine_.zone(0)), ElementsAre(HalFocusClientId(0, kMedia)));
  EXPECT_THAT(HolderIds(*engine_.zone(1)), IsEmpty());
}

TEST_F(HalFocusTrackerTest, SamePairRequestedAgainReportsTrackedStatusWithoutNewRequest) {
  MustRequest(kMedia, 0, kG);
  const ZoneSnapshot before = Snapshot(*engine_.zone(0));
  HalFocusResult again = MustRequest(kMedia, 0, kT);
  EXPECT_THAT(again.reports, ElementsAre(HalFocusChange{kMedia, 0, 1}));
  EXPECT_FALSE(again.decision.has_value());
  EXPECT_THAT(again.callbacks, IsEmpty());
  EXPECT_EQ(Snapshot(*engine_.zone(0)), before);
  EXPECT_THAT(tracker_.tracked(), ElementsAre(Pair(Pair(0, kMedia), 1)));
}

TEST_F(HalFocusTrackerTest, SamePairAfterTransientLossReportsTheLoss) {
  MustRequest(kMedia, 0, kG);
  // An app's transient navigation prompt (MUSIC -> NAV is C, T): HAL media waits.
  FocusDecision decision = engine_.RequestFocus(MakeRequest("maps", kNavUsage, kT));
  EXPECT_THAT(Forward(decision.callbacks), ElementsAre(HalFocusChange{kMedia, 0, -2}));
  const ZoneSnapshot before = Snapshot(*engine_.zone(0));
  HalFocusResult again = MustRequest(kMedia, 0, kG);
  EXPECT_THAT(again.reports, ElementsAre(HalFocusChange{kMedia, 0, -2}));
  EXPECT_EQ(Snapshot(*engine_.zone(0)), before);
}

TEST_F(HalFocusTrackerTest, RejectedRequestIsNotTrackedAndReportedAsLoss) {
  MustGrantIn(engine_, MakeRequest("dialer", kCallUsage, kG));
  HalFocusResult result = MustRequest(kMedia, 0, kG);
  EXPECT_THAT(result.reports, ElementsAre(HalFocusChange{kMedia, 0, -1}));
  ASSERT_TRUE(result.decision.has_value());
  EXPECT_EQ(result.decision->result, RequestResult::kFailed);
  EXPECT_EQ(result.decision->explanation.blocking_client, "dialer");
  EXPECT_THAT(tracker_.tracked(), IsEmpty());
  EXPECT_FALSE(engine_.zone(0)->Contains(HalFocusClientId(0, kMedia)));
  // Not tracked, so a second request goes to the engine again.
  HalFocusResult again = MustRequest(kMedia, 0, kG);
  ASSERT_TRUE(again.decision.has_value());
  EXPECT_THAT(again.reports, ElementsAre(HalFocusChange{kMedia, 0, -1}));
}

TEST_F(HalFocusTrackerTest, UnknownZoneIsInvalidArgument) {
  EXPECT_EQ(tracker_.RequestAudioFocus(kMedia, 5, kG).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(tracker_.AbandonAudioFocus(kMedia, 5).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(tracker_.tracked(), IsEmpty());
}

TEST_F(HalFocusTrackerTest, GainOutsideOneToFourIsInvalidArgument) {
  EXPECT_EQ(tracker_.RequestAudioFocus(kMedia, 0, static_cast<FocusGain>(0)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(tracker_.RequestAudioFocus(kMedia, 0, static_cast<FocusGain>(5)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(HolderIds(*engine_.zone(0)), IsEmpty());
}

TEST_F(HalFocusTrackerTest, EngineCallbacksForHalEntriesAreForwardedUnchanged) {
  MustRequest(kMedia, 0, kG);
  // Transient loss, then re-gain, then permanent loss.
  FocusDecision nav = engine_.RequestFocus(MakeRequest("maps", kNavUsage, kT));
  EXPECT_THAT(Forward(nav.callbacks), ElementsAre(HalFocusChange{kMedia, 0, -2}));
  EXPECT_THAT(tracker_.tracked(), ElementsAre(Pair(Pair(0, kMedia), -2)));

  FocusChanges abandoned = engine_.AbandonFocus("maps");
  EXPECT_THAT(Forward(abandoned.callbacks), ElementsAre(HalFocusChange{kMedia, 0, 1}));
  EXPECT_THAT(tracker_.tracked(), ElementsAre(Pair(Pair(0, kMedia), 1)));

  FocusDecision radio = engine_.RequestFocus(MakeRequest("radio", kMusicUsage, kG));
  EXPECT_THAT(Forward(radio.callbacks), ElementsAre(HalFocusChange{kMedia, 0, -1}));
  // LOSS forgets the entry.
  EXPECT_THAT(tracker_.tracked(), IsEmpty());
}

TEST_F(HalFocusTrackerTest, CanDuckIsForwardedUnchanged) {
  MustRequest(kMedia, 1, kG);
  const FocusCallback duck{1, HalFocusClientId(1, kMedia), kMedia,
                           FocusChange::kLossTransientCanDuck};
  EXPECT_EQ(tracker_.OnFocusCallback(duck), (HalFocusChange{kMedia, 1, -3}));
  EXPECT_THAT(tracker_.tracked(), ElementsAre(Pair(Pair(1, kMedia), -3)));
}

TEST_F(HalFocusTrackerTest, CallbacksForAppClientsAreNotForHal) {
  MustRequest(kMedia, 0, kG);
  EXPECT_EQ(tracker_.OnFocusCallback(Cb("player", kMusicUsage, kLoss)), std::nullopt);
  EXPECT_THAT(tracker_.tracked(), ElementsAre(Pair(Pair(0, kMedia), 1)));
}

TEST_F(HalFocusTrackerTest, AbandonOfUntrackedUsageIsNoOp) {
  absl::StatusOr<HalFocusResult> result = tracker_.AbandonAudioFocus(kMedia, 0);
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->reports, IsEmpty());
  EXPECT_THAT(result->callbacks, IsEmpty());
}

TEST_F(HalFocusTrackerTest, AbandonRemovesEntryAndReportsLoss) {
  MustRequest(kMedia, 0, kG);
  absl::StatusOr<HalFocusResult> result = tracker_.AbandonAudioFocus(kMedia, 0);
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->reports, ElementsAre(HalFocusChange{kMedia, 0, -1}));
  EXPECT_THAT(tracker_.tracked(), IsEmpty());
  EXPECT_FALSE(engine_.zone(0)->Contains(HalFocusClientId(0, kMedia)));
}

TEST_F(HalFocusTrackerTest, AbandonReturnsCallbacksForAppsThatRegainFocus) {
  MustGrantIn(engine_, MakeRequest("player", kMusicUsage, kG));
  HalFocusResult request = MustRequest(kNavigation, 0, kT);
  EXPECT_THAT(request.callbacks, ElementsAre(Cb("player", kMusicUsage, kLossTransient)));
  absl::StatusOr<HalFocusResult> result = tracker_.AbandonAudioFocus(kNavigation, 0);
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->callbacks, ElementsAre(Cb("player", kMusicUsage, kGainChange)));
  EXPECT_THAT(result->reports, ElementsAre(HalFocusChange{kNavigation, 0, -1}));
  EXPECT_THAT(result->changed_zones, ElementsAre(0));
}

TEST_F(HalFocusTrackerTest, ResetAbandonsEveryTrackedRequestInEveryZone) {
  MustRequest(kMedia, 0, kG);
  MustRequest(kNavigation, 1, kD);
  MustRequest(kNavigation, 0, kD);
  HalFocusResult result = tracker_.Reset();
  EXPECT_THAT(result.reports, UnorderedElementsAre(HalFocusChange{kMedia, 0, -1},
                                                   HalFocusChange{kNavigation, 1, -1},
                                                   HalFocusChange{kNavigation, 0, -1}));
  EXPECT_THAT(tracker_.tracked(), IsEmpty());
  EXPECT_THAT(HolderIds(*engine_.zone(0)), IsEmpty());
  EXPECT_THAT(HolderIds(*engine_.zone(1)), IsEmpty());
}

TEST(HalFocusClientIdTest, IdsAreRecognisableAndDistinct) {
  const std::string id = HalFocusClientId(0, kMedia);
  EXPECT_TRUE(IsHalFocusClientId(id));
  EXPECT_EQ(id.rfind(std::string(kHalFocusClientIdPrefix), 0), 0u);
  EXPECT_NE(HalFocusClientId(0, kMedia), HalFocusClientId(1, kMedia));
  EXPECT_NE(HalFocusClientId(0, kMedia), HalFocusClientId(0, kNavigation));
  EXPECT_FALSE(IsHalFocusClientId("player"));
  EXPECT_FALSE(IsHalFocusClientId(""));
  EXPECT_FALSE(IsHalFocusClientId(kTelephonyClientId));
}

}  // namespace
}  // namespace caraudio
