// FocusRequest: one audio focus request as the engine sees it — the
// AudioFocusInfo of AAOS reduced to what the car policy reads.
//
// The service layer fills it from the wire after validation; the engine
// trusts it. `receives_ducking_events` is already the AND of the client's
// wish and its permission (focus-rules.md §3.1). A plain value type.

#ifndef CARAUDIO_CARSERVICE_FOCUS_REQUEST_H_
#define CARAUDIO_CARSERVICE_FOCUS_REQUEST_H_

#include <cstdint>
#include <optional>
#include <string>

#include "carservice/audio_context.h"
#include "carservice/audio_usage.h"
#include "carservice/focus_codes.h"

namespace caraudio {

struct FocusRequest {
  std::string client_id;     // one listener; the key of the focus stack
  std::string package_name;  // for explanations and audits only
  int32_t uid = 0;           // selects the zone through the uid -> zone map
  int32_t usage = 0;         // raw AudioAttributes usage; unknown -> INVALID
  int32_t content_type = 0;  // carried for metadata, ignored by the policy
  FocusGain gain = FocusGain::kGain;
  bool delay_ok = false;                // AUDIOFOCUS_FLAG_DELAY_OK
  bool pause_when_ducked = false;       // AUDIOFOCUS_FLAG_PAUSES_ON_DUCKABLE_LOSS
  bool receives_ducking_events = false; // extra AND permission
  // AUDIOFOCUS_EXTRA_REQUEST_ZONE_ID; ignored when it names no zone.
  std::optional<int32_t> requested_zone_id;

  AudioContext context() const { return ContextForUsage(usage); }
  // focus-rules.md §3.2.
  bool is_permanent() const { return gain == FocusGain::kGain; }
  bool allows_ducking() const { return gain == FocusGain::kGainTransientMayDuck; }
  bool is_delayable() const { return gain == FocusGain::kGain && delay_ok; }
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_FOCUS_REQUEST_H_
