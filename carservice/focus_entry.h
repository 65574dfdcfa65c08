// FocusEntry: a request that sits in a zone's focus stack, either holding
// focus or waiting (a "loser") for the entries that blocked it to go away.
//
// Blockers are tracked by entry id, not client id: when a client replaces its
// own request, the old entry stops blocking and the new one may block anew,
// exactly as AAOS compares FocusEntry objects. Ids are assigned by ZoneFocus
// in request order, so they are deterministic. A plain value type.

#ifndef CARAUDIO_CARSERVICE_FOCUS_ENTRY_H_
#define CARAUDIO_CARSERVICE_FOCUS_ENTRY_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "carservice/focus_request.h"

namespace caraudio {

using FocusEntryId = uint64_t;

struct FocusEntry {
  FocusEntryId id = 0;
  FocusRequest request;
  AudioContext context = AudioContext::kInvalid;
  // Entries that took this one's focus; empty for holders.
  std::vector<FocusEntryId> blockers;
  // Set while the last loss sent was LOSS_TRANSIENT_CAN_DUCK.
  bool ducked = false;

  const std::string& client_id() const { return request.client_id; }
  bool is_unblocked() const { return blockers.empty(); }
  bool wants_pause_instead_of_ducking() const { return request.pause_when_ducked; }
  bool receives_duck_events() const { return request.receives_ducking_events; }
  void AddBlocker(FocusEntryId blocker) { blockers.push_back(blocker); }
  void RemoveBlocker(FocusEntryId blocker) {
    blockers.erase(std::remove(blockers.begin(), blockers.end(), blocker), blockers.end());
  }
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_FOCUS_ENTRY_H_
