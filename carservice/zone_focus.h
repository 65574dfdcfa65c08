// ZoneFocus: the focus stack of one audio zone — AAOS CarAudioFocus as a pure
// state machine (focus-rules.md §3).
//
// State: holders, losers (with blocker lists and ducked flags), at most one
// delayed request, the restricted flag and the zone's FocusInteraction.
// Inputs are requests, abandons and setting changes; outputs are decisions and
// callbacks to dispatch. No I/O, no clock, no threads: the same inputs always
// give the same outputs, so a zone can be replayed from an event log.
//
// Holders and losers are kept in insertion order (AAOS uses hash order, which
// no test or client may depend on); callbacks come out in that order.
//
// A ZoneFocus is not thread-safe; the service serialises calls.

#ifndef CARAUDIO_CARSERVICE_ZONE_FOCUS_H_
#define CARAUDIO_CARSERVICE_ZONE_FOCUS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "carservice/focus_decision.h"
#include "carservice/focus_entry.h"
#include "carservice/focus_interaction.h"
#include "carservice/focus_request.h"

namespace caraudio {

class ZoneFocus {
 public:
  explicit ZoneFocus(int32_t zone_id);

  ZoneFocus(const ZoneFocus&) = default;
  ZoneFocus& operator=(const ZoneFocus&) = default;
  ZoneFocus(ZoneFocus&&) = default;
  ZoneFocus& operator=(ZoneFocus&&) = default;

  // AudioPolicyFocusListener.onAudioFocusRequest: evaluates `request` in the
  // order of §3.3 and applies the result. Returns the result for the
  // requester, the callbacks for everyone else and the explanation.
  FocusDecision Request(const FocusRequest& request);

  // onAudioFocusAbandon (§3.5), matched on client id. The abandoning client
  // gets no callback; an unknown id is a no-op. Returns callbacks to dispatch.
  std::vector<FocusCallback> Abandon(absl::string_view client_id);

  // setRestrictFocus (§3.7). Turning it on removes every non-critical entry
  // with LOSS; turning it off only clears the flag.
  std::vector<FocusCallback> SetRestricted(bool restricted);

  // The CALL -> NAVIGATION cell for this zone (§1.2). Affects later requests
  // only; entries already in the stack are not re-evaluated (as in AAOS).
  void SetNavigationRejectedDuringCall(bool rejected) {
    interaction_.set_navigation_rejected_during_call(rejected);
  }

  // removeAudioFocusInfoAndTransientlyLoseFocus (§3.6): removes the client's
  // holder or loser entry, tells it LOSS_TRANSIENT, then cleans up. Used when
  // a client moves zone. No-op for unknown ids.
  std::vector<FocusCallback> RemoveAndTransientlyLose(absl::string_view client_id);

  // The zone is removed from the car (a config reload): every entry goes —
  // holders, then losers, then the delayed request — each told LOSS, in
  // that order. No entry is restored, so nothing else is dispatched.
  std::vector<FocusCallback> LoseAll();

  // reevaluateAndRegainAudioFocus (§3.6): evaluates `request` normally and,
  // when GRANTED, dispatches GAIN to it (last in `callbacks`).
  FocusDecision ReevaluateAndRegain(const FocusRequest& request);

  int32_t zone_id() const { return zone_id_; }
  bool restricted() const { return restricted_; }
  bool navigation_rejected_during_call() const {
    return interaction_.navigation_rejected_during_call();
  }
  const FocusInteraction& interaction() const { return interaction_; }
  const std::vector<FocusEntry>& holders() const { return holders_; }
  const std::vector<FocusEntry>& losers() const { return losers_; }
  const std::optional<FocusRequest>& delayed_request() const { return delayed_request_; }

  // True when `client_id` is a holder, a loser or the delayed request.
  bool Contains(absl::string_view client_id) const;

 private:
  // The outcome of scanning holders and losers before anything changes.
  struct Evaluation;

  FocusDecision Decide(const FocusRequest& request, std::vector<FocusCallback>& callbacks);

  // §3.3 steps, one function each, named after the rule.
  bool RejectedBecauseRestricted(const FocusRequest& request, FocusExplanation& why) const;
  bool RejectedBecauseDelayedWithOtherContext(const FocusRequest& request,
                                              FocusExplanation& why) const;
  bool ScanForDuplicates(const std::vector<FocusEntry>& entries, bool entries_are_losers,
                         const FocusRequest& request, Evaluation& evaluation) const;
  bool RunMatrix(const std::vector<FocusEntry>& entries, bool entries_are_losers,
                 const FocusRequest& request, Evaluation& evaluation) const;
  void ApplyGrantedOrDelayed(const FocusRequest& request, Evaluation& evaluation,
                             std::vector<FocusCallback>& callbacks);

  // §3.5 cleanup: retry the delayed request, then restore unblocked losers.
  void RemoveBlockerAndRestoreUnblockedWaiters(FocusEntryId dead_entry,
                                               std::vector<FocusCallback>& callbacks);
  void AttemptToGainFocusForDelayedRequest(std::vector<FocusCallback>& callbacks);
  void RemoveBlockerAndRestoreUnblockedLosers(FocusEntryId dead_entry,
                                              std::vector<FocusCallback>& callbacks);
  // Removes the client's holder or loser entry; nullopt when it has none.
  std::optional<FocusEntry> RemoveEntry(absl::string_view client_id);
  void AbandonNonCriticalEntries(std::vector<FocusEntry>& entries,
                                 std::vector<FocusCallback>& callbacks);

  FocusCallback MakeCallback(const FocusRequest& request, FocusChange change) const;

  int32_t zone_id_;
  FocusInteraction interaction_;
  bool restricted_ = false;
  std::vector<FocusEntry> holders_;
  std::vector<FocusEntry> losers_;
  std::optional<FocusRequest> delayed_request_;
  FocusEntryId next_entry_id_ = 1;
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_ZONE_FOCUS_H_
