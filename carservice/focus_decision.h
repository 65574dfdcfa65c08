// FocusDecision: what the engine answers to one input — the synchronous
// result for the requester, the focus changes to dispatch to other clients,
// and an explanation a person can read.
//
// The engine never calls out while it mutates state; it returns callbacks in
// the order AAOS would dispatch them (losses to others before the requester's
// result, §3.3 step 7) and the caller delivers them. A plain value type.

#ifndef CARAUDIO_CARSERVICE_FOCUS_DECISION_H_
#define CARAUDIO_CARSERVICE_FOCUS_DECISION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "carservice/audio_context.h"
#include "carservice/focus_codes.h"
#include "carservice/focus_interaction.h"

namespace caraudio {

// One onAudioFocusChange to deliver.
struct FocusCallback {
  int32_t zone_id = 0;
  std::string client_id;
  int32_t usage = 0;  // the usage of the entry being told, for HAL mapping and logs
  FocusChange change = FocusChange::kLoss;

  friend bool operator==(const FocusCallback&, const FocusCallback&) = default;
};

// Which rule decided a request. kMatrix covers grants, delays and rejects
// decided by interaction cells.
enum class DecisionRule : int32_t {
  kMatrix = 0,
  kRestricted = 1,                     // §3.3 step 1
  kDelayedClientDifferentContext = 2,  // §3.3 step 2
  kNotificationVsExclusive = 3,        // §3.3 steps 3a / 4a
  kSameClientDifferentContext = 4,     // §3.3 steps 3b / 4b
  kHardening = 5,                      // background audio hardening (service layer)
  kNoZone = 6,                         // no such zone (service layer)
};

const char* DecisionRuleName(DecisionRule rule);

// Why a request ended as it did. For FAILED and DELAYED, `blocking_client`
// and the cell name the first entry that rejected it.
struct FocusExplanation {
  DecisionRule rule = DecisionRule::kMatrix;
  std::string blocking_client;  // empty when no entry blocked
  bool blocking_entry_is_loser = false;
  AudioContext holder_context = AudioContext::kInvalid;
  AudioContext request_context = AudioContext::kInvalid;
  Interaction cell = Interaction::kConcurrent;
  // e.g. `rejected: CALL holder "dialer" -> MUSIC request is REJECT`.
  std::string text;

  friend bool operator==(const FocusExplanation&, const FocusExplanation&) = default;
};

struct FocusDecision {
  int32_t zone_id = 0;
  RequestResult result = RequestResult::kFailed;
  FocusExplanation explanation;
  // Changes for other clients (and, for re-evaluations, the client itself),
  // in dispatch order.
  std::vector<FocusCallback> callbacks;

  friend bool operator==(const FocusDecision&, const FocusDecision&) = default;
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_FOCUS_DECISION_H_
