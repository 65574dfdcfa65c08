// ServiceEvents: which of the car service's events (CarAudioAdmin.WatchEvents)
// audiofocus-sim --events prints on its timeline, and how. The apps' own
// lines already show their requests, the decisions with their explanations
// and the focus changes they receive; these lines add what no app sees:
// the service's decisions on the HAL's (vehicle) focus requests, the
// ducking and muting it sends to the HAL (when a device is to be ducked,
// unducked, muted or unmuted; not the holders-only updates every focus
// change brings), hardening decisions, lifecycle
// transitions, audit findings, HAL listener registrations, restricted mode
// and uid -> zone changes:
//
//     20.004  service  hal_request_focus: usage=USAGE_SAFETY zone=0 gain=GAIN_TRANSIENT -> ...
//
// Everything else (requests, abandons, callbacks, volume, lifecycle reports,
// settings the scenario itself made) is left out as already printed.
//
// Pure functions; thread-safe.

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SERVICE_EVENTS_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SERVICE_EVENTS_H_

#include <optional>
#include <string>

#include "caraudio/v1/admin.pb.h"

namespace caraudio::sim {

// The timeline text of `event` ("ducking_change: zone=0 duck=[...] ..."),
// or nullopt when the timeline leaves it out.
std::optional<std::string> ServiceEventLine(const caraudio::v1::Event& event);

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SERVICE_EVENTS_H_
