// TimelineModel: what a recorded WatchEvents log (`audioctl events --record
// FILE`) says happened, per zone and over time — who held focus, who waited
// after a transient loss, who was delayed, which devices were ducked or
// muted, and the rejections, hardening decisions and audit findings — as
// plain intervals and instants, ready to be laid out and drawn.
//
// Built from the recorded outputs only (decisions, focus callbacks, HAL
// reports, ducking and muting changes), never by re-deciding: the picture
// shows what the daemon did, also for a log from another version. The rules:
//   - a request GRANTED opens a holding interval, DELAYED a delayed one; a
//     GRANTED or DELAYED request replaces the client's entry in that zone
//     (same client id, as AAOS does); FAILED is a rejection marker;
//   - a focus callback (HAL: a focus status report) GAIN or a granted gain
//     makes the entry hold, LOSS_TRANSIENT[_CAN_DUCK] makes it wait, LOSS
//     ends it; an abandon ends the client's entries (one zone or all);
//   - SetZoneForUid / ClearZoneForUid moves that uid's entries: the
//     LOSS_TRANSIENT in the old zone ends the entry there, and in the new
//     zone it holds after GAIN, is gone after LOSS, and is delayed when it
//     was told neither;
//   - the HAL's listener going away ends every HAL entry;
//   - a device is ducked between the DuckingInfo that ducks it and the one
//     that unducks it, and muted between the MutingInfos likewise; a muted
//     device counts as muted even while ducked;
//   - a log recorded `--with-state` starts from the state in its first
//     (`subscribed`) event: its zones, stacks, ducked and muted devices.
// Times are nanoseconds since the log's first event, which is time 0; the
// log's last event is its end, where open intervals stop.
//
// Pure: no I/O, no clock. Thread-compatible.

#ifndef CARAUDIO_TOOLS_TIMELINE_TIMELINE_MODEL_H_
#define CARAUDIO_TOOLS_TIMELINE_TIMELINE_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "caraudio/v1/admin.pb.h"
#include "carservice/audio_context.h"
#include "zones/car_audio_config.h"

namespace caraudio::timeline {

// Where an entry stands in its zone's focus stack.
enum class FocusState {
  kHolding,  // a holder: may play
  kWaiting,  // a loser after LOSS_TRANSIENT[_CAN_DUCK]: waits to regain
  kDelayed,  // the zone's delayed request (DELAY_OK): waits for its first GAIN
};

// One stretch of time an entry spent in one state.
struct FocusInterval {
  std::string client_id;  // "hal-focus/zone0/USAGE_SAFETY" for the HAL
  std::string package_name;
  int32_t usage = 0;  // caraudio.v1.AudioUsage
  AudioContext context = AudioContext::kInvalid;
  FocusState state = FocusState::kHolding;
  // For kWaiting: the loss that started it (-2 LOSS_TRANSIENT, -3 ..._CAN_DUCK).
  int32_t loss = 0;
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  // Sequence numbers of the events that began and ended it; the start is 0
  // for an entry already in the recorded state, the end 0 when the log ended.
  uint64_t start_sequence = 0;
  uint64_t end_sequence = 0;

  friend bool operator==(const FocusInterval&, const FocusInterval&) = default;
};

enum class DeviceLevel { kFull, kDucked, kMuted };

// A stretch of time a device spent below full level.
struct LevelInterval {
  std::string device_address;
  DeviceLevel level = DeviceLevel::kDucked;  // never kFull
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  uint64_t start_sequence = 0;  // as in FocusInterval
  uint64_t end_sequence = 0;

  friend bool operator==(const LevelInterval&, const LevelInterval&) = default;
};

enum class MarkerKind {
  kRejection,     // a focus request (app or HAL) FAILED
  kHardening,     // a logged background-audio hardening decision
  kAuditFinding,  // the compliance audit found a broken rule
};

// Something that happened at one instant, to an app.
struct Marker {
  MarkerKind kind = MarkerKind::kRejection;
  int64_t time_ns = 0;
  uint64_t sequence = 0;
  std::string client_id;  // "" when the event names only the package
  std::string package_name;
  // One line saying what happened: "maps (com.example.maps) NAVIGATION
  // request rejected", "hardening: com.example.bgapp requestAudioFocus",
  // "audit: com.example.podcast changed-volume-itself".
  std::string summary;
  // Why: the decision's explanation, the hardening log line, the finding's
  // detail.
  std::string reason;

  friend bool operator==(const Marker&, const Marker&) = default;
};

struct ZoneTimeline {
  int32_t zone_id = 0;
  std::string name;  // "driver/front"; "" when neither the log nor the car names it
  std::vector<FocusInterval> focus;  // in order of their start
  // Devices that were ducked or muted at some point, in the car's device
  // order (then in order of appearance), and their intervals in time order.
  std::vector<std::string> devices;
  std::vector<LevelInterval> levels;
  std::vector<Marker> markers;  // in time order
};

struct TimelineModel {
  int64_t end_ns = 0;  // the last event's time (the first is 0)
  int64_t start_timestamp_ns = 0;  // the first event's daemon timestamp
  // The recorded state's zones (else the car's), in that order, then zones
  // only the events name, by id.
  std::vector<ZoneTimeline> zones;
};

// An app as people read it: "radio (com.example.radio)"; the client id alone
// when it is the package name or there is none; "vehicle (HAL)" for the
// HAL's entries.
std::string AppName(const std::string& client_id, const std::string& package_name);

// Builds the model of `events` (a parsed log, tools/event_replay.h
// ParseEventLog). `car` supplies zone names and device order when the log
// has no recorded state. InvalidArgument for a log without events.
absl::StatusOr<TimelineModel> BuildTimelineModel(const std::vector<v1::Event>& events,
                                                 const CarAudioConfig& car);

}  // namespace caraudio::timeline

#endif  // CARAUDIO_TOOLS_TIMELINE_TIMELINE_MODEL_H_
