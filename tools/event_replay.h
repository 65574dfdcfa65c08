// EventReplay: feeds a recorded WatchEvents log (`audioctl events --record
// FILE`, one proto3 JSON Event per line) back through a fresh CarAudioCore
// offline and reports every output that differs from the recording — for
// bug reports from the field and for regression tests.
//
// Inputs replayed, in order: app focus requests and abandons, the HAL's
// focus requests and abandons and its loss (hal_listener registered=false),
// the settings (restricted mode, nav during call, uid -> zone), volume-group
// changes, app lifecycle reports, hardening modes and config reloads (the
// recorded file text is parsed and applied), each at its recorded time. Outputs compared, per input: the decision (the whole FocusResult:
// result, zone, rule, blocking client, cell and text), the app focus
// callbacks, the HAL focus reports, and the ducking and muting changes, each
// list in order. Not compared: hardening log lines, audit findings and
// lifecycle transitions (they follow from the above or from audio the
// replay does not have).
//
// The log must have no gaps and start either at the daemon's first event
// (sequence 1) or with a `subscribed` message carrying the state (`audioctl
// events --with-state`) in which no focus is held, no HAL request or device
// mute is active and no app lifecycle was reported — the settings of that
// state (restricted mode, nav during call, hardening modes, uid -> zone map)
// are restored. A replay from the middle of activity would lack the state
// before it. Pure; thread-compatible.

#ifndef CARAUDIO_TOOLS_EVENT_REPLAY_H_
#define CARAUDIO_TOOLS_EVENT_REPLAY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "caraudio/v1/admin.pb.h"
#include "zones/car_audio_config.h"

namespace caraudio {

// Parses a JSON-lines event log. Blank lines are skipped; a line that is not
// an Event is InvalidArgument naming `source` and the line number, in one
// line of text.
absl::StatusOr<std::vector<v1::Event>> ParseEventLog(absl::string_view text,
                                                     absl::string_view source);

// Whether `event` is an input (an operation on the service state, replayed)
// rather than an output (an effect of the input before it) or `subscribed`;
// see caraudio.v1.Event.
bool IsInputEvent(const v1::Event& event);

struct ReplayDifference {
  uint64_t sequence = 0;  // of the input event
  std::string input;      // the input, rendered on one line
  std::string what;       // "decision: recorded ..., replayed ..." etc.
};

struct ReplayReport {
  int inputs = 0;   // input events replayed
  int outputs = 0;  // recorded output events compared
  std::vector<ReplayDifference> differences;
};

// Replays `events` in `car`. FailedPrecondition for a log that does not
// start at sequence 1 or has a gap; InvalidArgument for an input the
// service could never have logged (e.g. an invalid focus request).
absl::StatusOr<ReplayReport> ReplayEvents(const std::vector<v1::Event>& events,
                                          const CarAudioConfig& car);

}  // namespace caraudio

#endif  // CARAUDIO_TOOLS_EVENT_REPLAY_H_
