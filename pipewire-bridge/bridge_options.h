// BridgeOptions: the PipeWire bridge's tunables, with the defaults the issue
// and Murphy-IVI's fader agree on. Each can be set from the daemon's command
// line (audiocontrold --help lists them).

#ifndef CARAUDIO_PIPEWIRE_BRIDGE_BRIDGE_OPTIONS_H_
#define CARAUDIO_PIPEWIRE_BRIDGE_BRIDGE_OPTIONS_H_

#include <string>

#include "absl/time/time.h"

namespace caraudio {

struct RampOptions {
  float duck_level_db = -10.0f;  // how far a ducked device falls
  absl::Duration duck_attack = absl::Milliseconds(100);    // full duck_level fall
  absl::Duration duck_release = absl::Milliseconds(1000);  // and rise back
  absl::Duration mute = absl::Milliseconds(20);            // full 1 -> 0 swing (and back)
  absl::Duration volume_per_10db = absl::Milliseconds(50);  // user volume moves
};

struct BridgeOptions {
  RampOptions ramps;
  // node.latency of the bridge's device filters: the graph quantum while they
  // run, so the delay before a gain change is heard (128 samples = 2.7 ms).
  std::string node_latency = "128/48000";
  int sample_rate = 48000;
  // Reconnect backoff after the PipeWire daemon went away.
  absl::Duration reconnect_initial = absl::Milliseconds(20);
  absl::Duration reconnect_max = absl::Milliseconds(250);
  // Link health, a safety net. A link PipeWire reports "active" can still
  // deliver no buffer, leaving a channel silent for good (we hit it on 0.3.65
  // while a filter skipped an input; upstream reports the same symptom,
  // freedesktop pipewire#1733). Every check interval the bridge looks at each
  // device input: one fed by a running stream that received no buffer for
  // `link_repair_after` while the filter ran gets its links re-made, with the
  // wait doubling while it stays unfed.
  absl::Duration link_check_interval = absl::Milliseconds(50);
  absl::Duration link_repair_after = absl::Milliseconds(100);
};

}  // namespace caraudio

#endif  // CARAUDIO_PIPEWIRE_BRIDGE_BRIDGE_OPTIONS_H_
