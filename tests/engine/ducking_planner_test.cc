// DuckingPlanner: the AAOS duck table and the per-zone duck / unduck address
// computation of focus-rules.md §4.2.

#include "carservice/ducking_planner.h"

#include <functional>
#include <map>
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

using C = AudioContext;

ContextMask Mask(std::initializer_list<AudioContext> contexts) {
  ContextMask mask = 0;
  for (AudioContext context : contexts) mask |= ContextBit(context);
  return mask;
}

std::string MaskNames(ContextMask mask) {
  std::string out;
  for (AudioContext context : kAllAudioContexts) {
    if (mask & ContextBit(context)) out += std::string(out.empty() ? "" : ",") + ContextName(context);
  }
  return "{" + out + "}";
}

// focus-rules.md §4.2 duck table (identical in Android 12 through main).
// SAFETY ducks every context except EMERGENCY and SAFETY; AAOS does not list
// INVALID, which is never "present" anyway, so INVALID bits are ignored below.
const std::map<AudioContext, ContextMask>& ExpectedDuckTable() {
  static const auto* table = new std::map<AudioContext, ContextMask>{
      {C::kInvalid, 0},
      {C::kMusic, 0},
      {C::kNavigation, Mask({C::kMusic, C::kCallRing, C::kCall, C::kAlarm, C::kNotification,
                             C::kSystemSound, C::kVehicleStatus, C::kAnnouncement})},
      {C::kVoiceCommand, Mask({C::kCallRing})},
      {C::kCallRing, 0},
      {C::kCall, Mask({C::kCallRing, C::kAlarm, C::kNotification, C::kVehicleStatus})},
      {C::kAlarm, Mask({C::kMusic})},
      {C::kNotification, Mask({C::kMusic, C::kAlarm, C::kAnnouncement})},
      {C::kSystemSound, Mask({C::kMusic, C::kAlarm, C::kAnnouncement})},
      {C::kEmergency, Mask({C::kCall})},
      {C::kSafety, Mask({C::kMusic, C::kNavigation, C::kVoiceCommand, C::kCallRing, C::kCall,
                         C::kAlarm, C::kNotification, C::kSystemSound, C::kVehicleStatus,
                         C::kAnnouncement})},
      {C::kVehicleStatus, Mask({C::kMusic, C::kCallRing, C::kAnnouncement})},
      {C::kAnnouncement, 0},
  };
  return *table;
}

TEST(DuckingPlannerTest, DuckTableRowsMatchReference) {
  ASSERT_EQ(ExpectedDuckTable().size(), static_cast<size_t>(kAudioContextCount));
  const ContextMask ignore_invalid = ~ContextBit(C::kInvalid);
  for (const auto& [holder, expected] : ExpectedDuckTable()) {
    EXPECT_EQ(MaskNames(kDuckTable[ContextIndex(holder)] & ignore_invalid), MaskNames(expected))
        << ContextName(holder) << " row";
  }
}

TEST(DuckingPlannerTest, DuckTableHasNoSelfDucking) {
  for (AudioContext context : kAllAudioContexts) {
    EXPECT_EQ(kDuckTable[ContextIndex(context)] & ContextBit(context), 0u) << ContextName(context);
  }
}

TEST(DuckingPlannerTest, DuckTableHasNoCycles) {
  // Depth-first search for a back edge in the "ducks" graph.
  enum Mark { kWhite, kGrey, kBlack };
  std::vector<Mark> marks(kAudioContextCount, kWhite);
  std::function<bool(int)> has_cycle_from = [&](int node) {
    marks[node] = kGrey;
    for (int next = 0; next < kAudioContextCount; ++next) {
      if (!(kDuckTable[node] & (1u << next))) continue;
      if (marks[next] == kGrey) return true;
      if (marks[next] == kWhite && has_cycle_from(next)) return true;
    }
    marks[node] = kBlack;
    return false;
  };
  for (int node = 0; node < kAudioContextCount; ++node) {
    if (marks[node] == kWhite) {
      EXPECT_FALSE(has_cycle_from(node)) << "cycle through " << node;
    }
  }
  // And no bits beyond the 13 contexts.
  for (ContextMask row : kDuckTable) EXPECT_EQ(row >> kAudioContextCount, 0u);
}

TEST(DuckingPlannerTest, ContextsToDuckIntersectsWithPresentContexts) {
  EXPECT_EQ(ContextsToDuck({}), 0u);
  EXPECT_EQ(ContextsToDuck({C::kNavigation}), 0u);  // ducks much, but nothing is present
  EXPECT_EQ(MaskNames(ContextsToDuck({C::kNavigation, C::kMusic})), MaskNames(Mask({C::kMusic})));
  EXPECT_EQ(MaskNames(ContextsToDuck({C::kMusic, C::kNavigation, C::kCall})),
            MaskNames(Mask({C::kMusic, C::kCall})));
  EXPECT_EQ(MaskNames(ContextsToDuck({C::kSafety, C::kEmergency, C::kCall})),
            MaskNames(Mask({C::kCall})));
  EXPECT_EQ(MaskNames(ContextsToDuck({C::kMusic, C::kMusic, C::kAlarm})),
            MaskNames(Mask({C::kMusic})));
  EXPECT_EQ(ContextsToDuck({C::kMusic, C::kCallRing, C::kAnnouncement}), 0u);
}

TEST(DuckingPlannerTest, InvalidIsNeverPresentSoNeverDucked) {
  EXPECT_EQ(ContextsToDuck({C::kSafety, C::kInvalid}), 0u);
  EXPECT_EQ(ContextsToDuck({C::kInvalid, C::kNavigation}), 0u);
}

ContextDeviceMap DistinctDevices(const std::string& prefix = "bus") {
  ContextDeviceMap devices;
  for (AudioContext context : kAllAudioContexts) {
    devices[ContextIndex(context)] = prefix + std::to_string(ContextIndex(context)) + "_" +
                                     ContextConfigName(context);
  }
  return devices;
}

std::string Address(const ContextDeviceMap& devices, AudioContext context) {
  return devices[ContextIndex(context)];
}

FocusEntry Holder(FocusEntryId id, AudioUsage usage, int32_t content_type = 0) {
  FocusEntry entry;
  entry.id = id;
  entry.request = MakeRequest("client" + std::to_string(id), usage, kG);
  entry.request.content_type = content_type;
  entry.context = ContextForUsage(usage);
  return entry;
}

TEST(DuckingPlannerTest, NavigationHolderDucksMusicOnItsOwnDevice) {
  const ContextDeviceMap devices = DistinctDevices();
  DuckingInfo info = ComputeDuckingInfo(
      4, {Holder(1, kMusicUsage), Holder(2, kNavUsage)}, devices, /*previously_ducked=*/{});
  EXPECT_EQ(info.zone_id, 4);
  EXPECT_THAT(info.addresses_to_duck, ElementsAre(Address(devices, C::kMusic)));
  EXPECT_THAT(info.addresses_to_unduck, IsEmpty());
}

TEST(DuckingPlannerTest, SingleHolderDucksNothing) {
  const ContextDeviceMap devices = DistinctDevices();
  for (AudioUsage usage : {kMusicUsage, kNavUsage, kSafetyUsage}) {
    DuckingInfo info = ComputeDuckingInfo(0, {Holder(1, usage)}, devices, {});
    EXPECT_THAT(info.addresses_to_duck, IsEmpty()) << UsageName(static_cast<int32_t>(usage));
  }
}

TEST(DuckingPlannerTest, DeviceSharedWithUnduckedHolderContextIsNotDucked) {
  ContextDeviceMap devices = DistinctDevices();
  // ALARM plays on the navigation device. NAV ducks MUSIC and ALARM; ALARM's
  // device also carries the unducked NAV, so only the music device is ducked.
  devices[ContextIndex(C::kAlarm)] = Address(devices, C::kNavigation);
  DuckingInfo info = ComputeDuckingInfo(
      0, {Holder(1, kMusicUsage), Holder(2, kNavUsage), Holder(3, kAlarmUsage)}, devices, {});
  EXPECT_THAT(info.addresses_to_duck, ElementsAre(Address(devices, C::kMusic)));

  // MUSIC and NAV on one device: nothing can be ducked.
  ContextDeviceMap shared = DistinctDevices();
  shared[ContextIndex(C::kMusic)] = Address(shared, C::kNavigation);
  info = ComputeDuckingInfo(0, {Holder(1, kMusicUsage), Holder(2, kNavUsage)}, shared, {});
  EXPECT_THAT(info.addresses_to_duck, IsEmpty());
}

TEST(DuckingPlannerTest, SeveralDuckedContextsOnSeparateDevices) {
  const ContextDeviceMap devices = DistinctDevices();
  DuckingInfo info = ComputeDuckingInfo(
      0, {Holder(1, kMusicUsage), Holder(2, kCallUsage), Holder(3, kNavUsage)}, devices, {});
  EXPECT_THAT(info.addresses_to_duck,
              UnorderedElementsAre(Address(devices, C::kMusic), Address(devices, C::kCall)));
}

TEST(DuckingPlannerTest, UnduckListIsPreviousMinusNew) {
  const ContextDeviceMap devices = DistinctDevices();
  const std::string music = Address(devices, C::kMusic);
  DuckingInfo info = ComputeDuckingInfo(0, {Holder(1, kMusicUsage), Holder(2, kNavUsage)}, devices,
                                        {music, "bus_gone"});
  EXPECT_THAT(info.addresses_to_duck, ElementsAre(music));
  EXPECT_THAT(info.addresses_to_unduck, ElementsAre("bus_gone"));

  info = ComputeDuckingInfo(0, {Holder(1, kMusicUsage)}, devices, {music, "bus_gone"});
  EXPECT_THAT(info.addresses_to_duck, IsEmpty());
  EXPECT_THAT(info.addresses_to_unduck, UnorderedElementsAre(music, "bus_gone"));
}

TEST(DuckingPlannerTest, UsagesHoldingFocusAreUniqueXsdStringsInFirstSeenOrder) {
  const ContextDeviceMap devices = DistinctDevices();
  DuckingInfo info = ComputeDuckingInfo(0,
                                        {Holder(1, AudioUsage::kMedia, 2),
                                         Holder(2, AudioUsage::kAssistanceNavigationGuidance, 1),
                                         Holder(3, AudioUsage::kGame, 0),
                                         Holder(4, AudioUsage::kMedia, 3),
                                         Holder(5, AudioUsage::kAssistanceNavigationGuidance, 1)},
                                        devices, {});
  EXPECT_THAT(info.usages_holding_focus,
              ElementsAre("AUDIO_USAGE_MEDIA", "AUDIO_USAGE_ASSISTANCE_NAVIGATION_GUIDANCE",
                          "AUDIO_USAGE_GAME"));
  // One metadata entry per unique usage, same order, with the zone's device
  // for that usage's context (GAME plays on the MUSIC device).
  EXPECT_THAT(info.playback_metadata_holding_focus,
              ElementsAre(PlaybackTrackMetadata{1, 2, Address(devices, C::kMusic)},
                          PlaybackTrackMetadata{12, 1, Address(devices, C::kNavigation)},
                          PlaybackTrackMetadata{14, 0, Address(devices, C::kMusic)}));
}

TEST(DuckingPlannerTest, NoHoldersGivesEmptyInfo) {
  DuckingInfo info = ComputeDuckingInfo(2, {}, DistinctDevices(), {});
  EXPECT_EQ(info.zone_id, 2);
  EXPECT_THAT(info.addresses_to_duck, IsEmpty());
  EXPECT_THAT(info.addresses_to_unduck, IsEmpty());
  EXPECT_THAT(info.usages_holding_focus, IsEmpty());
  EXPECT_THAT(info.playback_metadata_holding_focus, IsEmpty());
}

TEST(DuckingPlannerTest, EveryZoneStartsWithNothingDucked) {
  DuckingPlanner planner({{0, DistinctDevices("a")}, {1, DistinctDevices("b")}});
  EXPECT_THAT(planner.ducked_addresses(0), IsEmpty());
  EXPECT_THAT(planner.ducked_addresses(1), IsEmpty());
  EXPECT_EQ(planner.zone_devices().size(), 2u);
  // The first update has nothing to unduck.
  DuckingInfo info = planner.Update(0, {Holder(1, kMusicUsage)});
  EXPECT_THAT(info.addresses_to_unduck, IsEmpty());
}

TEST(DuckingPlannerTest, PlannerRemembersEachZonesDuckSet) {
  const ContextDeviceMap zone0 = DistinctDevices("a");
  const ContextDeviceMap zone1 = DistinctDevices("b");
  DuckingPlanner planner({{0, zone0}, {1, zone1}});

  DuckingInfo info = planner.Update(0, {Holder(1, kMusicUsage), Holder(2, kNavUsage)});
  EXPECT_EQ(info.zone_id, 0);
  EXPECT_THAT(info.addresses_to_duck, ElementsAre(Address(zone0, C::kMusic)));
  EXPECT_THAT(planner.ducked_addresses(0), ElementsAre(Address(zone0, C::kMusic)));
  EXPECT_THAT(planner.ducked_addresses(1), IsEmpty());

  // Zone 1 is independent and uses its own devices.
  info = planner.Update(1, {Holder(3, kMusicUsage), Holder(4, kAlarmUsage)});
  EXPECT_THAT(info.addresses_to_duck, ElementsAre(Address(zone1, C::kMusic)));
  EXPECT_THAT(info.addresses_to_unduck, IsEmpty());

  // Navigation stops in zone 0: unduck the music device.
  info = planner.Update(0, {Holder(1, kMusicUsage)});
  EXPECT_THAT(info.addresses_to_duck, IsEmpty());
  EXPECT_THAT(info.addresses_to_unduck, ElementsAre(Address(zone0, C::kMusic)));
  EXPECT_THAT(planner.ducked_addresses(0), IsEmpty());

  // Nothing changed: still one info, with nothing to duck or unduck.
  info = planner.Update(0, {Holder(1, kMusicUsage)});
  EXPECT_THAT(info.addresses_to_duck, IsEmpty());
  EXPECT_THAT(info.addresses_to_unduck, IsEmpty());
  EXPECT_THAT(info.usages_holding_focus, ElementsAre("AUDIO_USAGE_MEDIA"));
  EXPECT_THAT(planner.ducked_addresses(1), ElementsAre(Address(zone1, C::kMusic)));
}

TEST(DuckingPlannerTest, UnknownZoneGivesInfoWithoutAddresses) {
  DuckingPlanner planner({{0, DistinctDevices()}});
  DuckingInfo info = planner.Update(7, {Holder(1, kMusicUsage), Holder(2, kNavUsage)});
  EXPECT_THAT(info.addresses_to_duck, IsEmpty());
  EXPECT_THAT(info.addresses_to_unduck, IsEmpty());
  EXPECT_THAT(planner.ducked_addresses(7), IsEmpty());
}

// A client told LOSS_TRANSIENT_CAN_DUCK is a loser, not a holder, so the HAL
// does not duck its device; the app ducks itself (§4.2 consequence).
TEST(DuckingPlannerTest, CanDuckLoserIsNotAHolderSoItsDeviceIsNotDucked) {
  const ContextDeviceMap devices = DistinctDevices();
  DuckingPlanner planner({{0, devices}});

  ZoneFocus zone(0);
  MustGrant(zone, WithDuckEvents(MakeRequest("player", kMusicUsage, kG)));
  EXPECT_THAT(MustGrant(zone, MakeRequest("maps", kNavUsage, kD)),
              ElementsAre(Cb("player", kMusicUsage, kLossCanDuck)));
  DuckingInfo info = planner.Update(0, zone.holders());
  EXPECT_THAT(info.addresses_to_duck, IsEmpty());
  EXPECT_THAT(info.usages_holding_focus, ElementsAre("AUDIO_USAGE_ASSISTANCE_NAVIGATION_GUIDANCE"));

  // A plain music holder keeps focus and is ducked by the HAL instead.
  ZoneFocus plain(0);
  MustGrant(plain, MakeRequest("player", kMusicUsage, kG));
  MustGrant(plain, MakeRequest("maps", kNavUsage, kD));
  info = planner.Update(0, plain.holders());
  EXPECT_THAT(info.addresses_to_duck, ElementsAre(Address(devices, C::kMusic)));
}

}  // namespace
}  // namespace caraudio
