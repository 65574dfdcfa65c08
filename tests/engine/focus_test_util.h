// Helpers shared by the engine tests: request builders, readable printers for
// the engine's value types, and small accessors over a zone's stack.
//
// Everything here is built from the public headers only; expectations in the
// tests come from focus-rules.md, never from the implementation.

#ifndef CARAUDIO_TESTS_ENGINE_FOCUS_TEST_UTIL_H_
#define CARAUDIO_TESTS_ENGINE_FOCUS_TEST_UTIL_H_

#include <algorithm>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "carservice/audio_context.h"
#include "carservice/audio_usage.h"
#include "carservice/focus_codes.h"
#include "carservice/focus_decision.h"
#include "carservice/focus_entry.h"
#include "carservice/focus_interaction.h"
#include "carservice/focus_request.h"
#include "carservice/zone_focus.h"

namespace caraudio {

// gtest printers, found by ADL, so failures read "LOSS_TRANSIENT" instead of -2.
inline void PrintTo(FocusChange change, std::ostream* os) {
  *os << FocusChangeName(change) << "(" << static_cast<int>(change) << ")";
}
inline void PrintTo(RequestResult result, std::ostream* os) { *os << RequestResultName(result); }
inline void PrintTo(FocusGain gain, std::ostream* os) { *os << FocusGainName(gain); }
inline void PrintTo(AudioContext context, std::ostream* os) { *os << ContextName(context); }
inline void PrintTo(Interaction interaction, std::ostream* os) {
  *os << InteractionName(interaction);
}
inline void PrintTo(DecisionRule rule, std::ostream* os) { *os << DecisionRuleName(rule); }
inline void PrintTo(const FocusCallback& callback, std::ostream* os) {
  *os << "{zone " << callback.zone_id << ", \"" << callback.client_id << "\", "
      << UsageName(callback.usage) << ", ";
  PrintTo(callback.change, os);
  *os << "}";
}

namespace engine_test {

// A request with the defaults most tests want; flags are added with the
// With* helpers below.
inline FocusRequest MakeRequest(absl::string_view client_id, AudioUsage usage,
                                FocusGain gain = FocusGain::kGain) {
  FocusRequest request;
  request.client_id = std::string(client_id);
  request.package_name = std::string("pkg.") + std::string(client_id);
  request.uid = 10000;
  request.usage = static_cast<int32_t>(usage);
  request.gain = gain;
  return request;
}

inline FocusRequest MakeRawRequest(absl::string_view client_id, int32_t usage,
                                   FocusGain gain = FocusGain::kGain) {
  FocusRequest request = MakeRequest(client_id, AudioUsage::kMedia, gain);
  request.usage = usage;
  return request;
}

inline FocusRequest WithDelayOk(FocusRequest request) {
  request.delay_ok = true;
  return request;
}
inline FocusRequest WithPauseWhenDucked(FocusRequest request) {
  request.pause_when_ducked = true;
  return request;
}
inline FocusRequest WithDuckEvents(FocusRequest request) {
  request.receives_ducking_events = true;
  return request;
}
inline FocusRequest WithUid(FocusRequest request, int32_t uid) {
  request.uid = uid;
  return request;
}
inline FocusRequest InZone(FocusRequest request, int32_t zone_id) {
  request.requested_zone_id = zone_id;
  return request;
}

inline FocusCallback Callback(int32_t zone_id, absl::string_view client_id, AudioUsage usage,
                              FocusChange change) {
  return FocusCallback{zone_id, std::string(client_id), static_cast<int32_t>(usage), change};
}

// Zone 0 callback, the common case in single-zone tests.
inline FocusCallback Cb(absl::string_view client_id, AudioUsage usage, FocusChange change) {
  return Callback(0, client_id, usage, change);
}

// Short names for the usages the zone tests use, one per context.
inline constexpr AudioUsage kMusicUsage = AudioUsage::kMedia;
inline constexpr AudioUsage kNavUsage = AudioUsage::kAssistanceNavigationGuidance;
inline constexpr AudioUsage kVoiceUsage = AudioUsage::kAssistant;
inline constexpr AudioUsage kRingUsage = AudioUsage::kNotificationRingtone;
inline constexpr AudioUsage kCallUsage = AudioUsage::kVoiceCommunication;
inline constexpr AudioUsage kAlarmUsage = AudioUsage::kAlarm;
inline constexpr AudioUsage kNotificationUsage = AudioUsage::kNotification;
inline constexpr AudioUsage kSystemUsage = AudioUsage::kAssistanceSonification;
inline constexpr AudioUsage kEmergencyUsage = AudioUsage::kEmergency;
inline constexpr AudioUsage kSafetyUsage = AudioUsage::kSafety;
inline constexpr AudioUsage kVehicleUsage = AudioUsage::kVehicleStatus;
inline constexpr AudioUsage kAnnouncementUsage = AudioUsage::kAnnouncement;

// Gain notation of focus-rules.md: G, T, D, X.
inline constexpr FocusGain kG = FocusGain::kGain;
inline constexpr FocusGain kT = FocusGain::kGainTransient;
inline constexpr FocusGain kD = FocusGain::kGainTransientMayDuck;
inline constexpr FocusGain kX = FocusGain::kGainTransientExclusive;

inline constexpr FocusChange kGainChange = FocusChange::kGain;
inline constexpr FocusChange kLoss = FocusChange::kLoss;
inline constexpr FocusChange kLossTransient = FocusChange::kLossTransient;
inline constexpr FocusChange kLossCanDuck = FocusChange::kLossTransientCanDuck;

// Requests that must be granted; returns the callbacks they produced.
inline std::vector<FocusCallback> MustGrant(ZoneFocus& zone, const FocusRequest& request) {
  FocusDecision decision = zone.Request(request);
  EXPECT_EQ(decision.result, RequestResult::kGranted)
      << request.client_id << " " << UsageName(request.usage) << ": " << decision.explanation.text;
  return decision.callbacks;
}

inline std::vector<std::string> ClientIds(const std::vector<FocusEntry>& entries) {
  std::vector<std::string> ids;
  ids.reserve(entries.size());
  for (const FocusEntry& entry : entries) ids.push_back(entry.client_id());
  return ids;
}
inline std::vector<std::string> HolderIds(const ZoneFocus& zone) {
  return ClientIds(zone.holders());
}
inline std::vector<std::string> LoserIds(const ZoneFocus& zone) { return ClientIds(zone.losers()); }

inline const FocusEntry* FindEntry(const std::vector<FocusEntry>& entries,
                                   absl::string_view client_id) {
  auto it = std::find_if(entries.begin(), entries.end(), [&](const FocusEntry& entry) {
    return entry.client_id() == client_id;
  });
  return it == entries.end() ? nullptr : &*it;
}
inline const FocusEntry* FindHolder(const ZoneFocus& zone, absl::string_view client_id) {
  return FindEntry(zone.holders(), client_id);
}
inline const FocusEntry* FindLoser(const ZoneFocus& zone, absl::string_view client_id) {
  return FindEntry(zone.losers(), client_id);
}

inline std::optional<std::string> DelayedClient(const ZoneFocus& zone) {
  if (!zone.delayed_request().has_value()) return std::nullopt;
  return zone.delayed_request()->client_id;
}

// The observable state of a zone, for "nothing changed" checks.
struct ZoneSnapshot {
  struct Entry {
    FocusEntryId id;
    std::string client_id;
    int32_t usage;
    FocusGain gain;
    std::vector<FocusEntryId> blockers;
    bool ducked;
    friend bool operator==(const Entry&, const Entry&) = default;
  };
  std::vector<Entry> holders;
  std::vector<Entry> losers;
  std::optional<std::string> delayed_client;
  std::optional<int32_t> delayed_usage;
  bool restricted = false;
  friend bool operator==(const ZoneSnapshot&, const ZoneSnapshot&) = default;
};

inline ZoneSnapshot Snapshot(const ZoneFocus& zone) {
  ZoneSnapshot snapshot;
  auto copy = [](const std::vector<FocusEntry>& entries) {
    std::vector<ZoneSnapshot::Entry> out;
    for (const FocusEntry& entry : entries) {
      out.push_back({entry.id, entry.client_id(), entry.request.usage, entry.request.gain,
                     entry.blockers, entry.ducked});
    }
    return out;
  };
  snapshot.holders = copy(zone.holders());
  snapshot.losers = copy(zone.losers());
  if (zone.delayed_request().has_value()) {
    snapshot.delayed_client = zone.delayed_request()->client_id;
    snapshot.delayed_usage = zone.delayed_request()->usage;
  }
  snapshot.restricted = zone.restricted();
  return snapshot;
}

inline void PrintTo(const ZoneSnapshot& snapshot, std::ostream* os) {
  auto print = [os](const std::vector<ZoneSnapshot::Entry>& entries) {
    for (const auto& entry : entries) {
      *os << " #" << entry.id << ":" << entry.client_id << "/" << UsageName(entry.usage) << "/"
          << FocusGainName(entry.gain) << (entry.ducked ? "/ducked" : "") << "[";
      for (FocusEntryId blocker : entry.blockers) *os << " " << blocker;
      *os << " ]";
    }
  };
  *os << "holders:";
  print(snapshot.holders);
  *os << " losers:";
  print(snapshot.losers);
  *os << " delayed: " << snapshot.delayed_client.value_or("-")
      << (snapshot.restricted ? " restricted" : "");
}

// The four combinations of the two flags an existing entry can carry that
// change what it is told (§3.1): pause-when-ducked and receives-duck-events.
struct HolderFlags {
  bool pause_when_ducked;
  bool receives_duck_events;
};
inline constexpr HolderFlags kAllHolderFlags[] = {
    {false, false}, {false, true}, {true, false}, {true, true}};
inline std::string FlagsName(HolderFlags flags) {
  return std::string(flags.pause_when_ducked ? "pause" : "no-pause") + "+" +
         (flags.receives_duck_events ? "duck-events" : "no-duck-events");
}
inline FocusRequest WithFlags(FocusRequest request, HolderFlags flags) {
  request.pause_when_ducked = flags.pause_when_ducked;
  request.receives_ducking_events = flags.receives_duck_events;
  return request;
}

inline constexpr FocusGain kAllGains[] = {FocusGain::kGain, FocusGain::kGainTransient,
                                          FocusGain::kGainTransientMayDuck,
                                          FocusGain::kGainTransientExclusive};

}  // namespace engine_test
}  // namespace caraudio

#endif  // CARAUDIO_TESTS_ENGINE_FOCUS_TEST_UTIL_H_
