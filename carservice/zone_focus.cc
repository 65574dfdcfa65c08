#include "carservice/zone_focus.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace caraudio {
namespace {

constexpr FocusEntryId kNoEntry = 0;  // ids start at 1

// AAOS canSwapCallOrRingerClientRequest: only the telephony client may move
// between ringer and call usages in place.
bool CanSwapCallOrRingerClientRequest(const FocusRequest& current, const FocusRequest& requested) {
  return requested.client_id == kTelephonyClientId && IsRingerOrCallUsage(current.usage) &&
         IsRingerOrCallUsage(requested.usage);
}

template <typename Entries>
auto FindById(Entries& entries, FocusEntryId id) {
  return std::find_if(entries.begin(), entries.end(),
                      [id](const FocusEntry& entry) { return entry.id == id; });
}

template <typename Entries>
auto FindByClient(Entries& entries, absl::string_view client_id) {
  return std::find_if(entries.begin(), entries.end(),
                      [client_id](const FocusEntry& entry) { return entry.client_id() == client_id; });
}

const char* EntryRole(bool is_loser) { return is_loser ? "waiting loser" : "holder"; }

}  // namespace

struct ZoneFocus::Evaluation {
  FocusEntryId replaced = kNoEntry;
  std::vector<FocusEntryId> changed_holders;
  std::vector<FocusEntryId> changed_losers;
  bool delayed = false;
  bool failed = false;
  FocusExplanation explanation;
};

ZoneFocus::ZoneFocus(int32_t zone_id) : zone_id_(zone_id) {}

FocusDecision ZoneFocus::Request(const FocusRequest& request) {
  std::vector<FocusCallback> callbacks;
  FocusDecision decision = Decide(request, callbacks);
  decision.callbacks = std::move(callbacks);
  return decision;
}

FocusDecision ZoneFocus::ReevaluateAndRegain(const FocusRequest& request) {
  std::vector<FocusCallback> callbacks;
  FocusDecision decision = Decide(request, callbacks);
  if (decision.result == RequestResult::kGranted) {
    callbacks.push_back(MakeCallback(request, FocusChange::kGain));
  }
  decision.callbacks = std::move(callbacks);
  return decision;
}

FocusDecision ZoneFocus::Decide(const FocusRequest& request,
                                std::vector<FocusCallback>& callbacks) {
  FocusDecision decision;
  decision.zone_id = zone_id_;
  decision.result = RequestResult::kFailed;
  Evaluation evaluation;
  evaluation.explanation.request_context = request.context();

  // §3.3 in order; the first rule that fails the request wins.
  if (RejectedBecauseRestricted(request, evaluation.explanation) ||
      RejectedBecauseDelayedWithOtherContext(request, evaluation.explanation) ||
      !ScanForDuplicates(holders_, /*entries_are_losers=*/false, request, evaluation) ||
      !ScanForDuplicates(losers_, /*entries_are_losers=*/true, request, evaluation) ||
      !RunMatrix(holders_, /*entries_are_losers=*/false, request, evaluation) ||
      !RunMatrix(losers_, /*entries_are_losers=*/true, request, evaluation)) {
    decision.explanation = std::move(evaluation.explanation);
    return decision;
  }

  const size_t entries_changed =
      evaluation.changed_holders.size() + evaluation.changed_losers.size();
  const bool replaces = evaluation.replaced != kNoEntry;
  ApplyGrantedOrDelayed(request, evaluation, callbacks);
  decision.result = evaluation.delayed ? RequestResult::kDelayed : RequestResult::kGranted;
  decision.explanation = std::move(evaluation.explanation);
  if (!evaluation.delayed) {
    decision.explanation.text =
        absl::StrCat("granted: ", ContextName(request.context()), " in zone ", zone_id_, "; ",
                     entries_changed, " other entries affected",
                     replaces ? "; replaces the client's previous request" : "");
  }
  return decision;
}

bool ZoneFocus::RejectedBecauseRestricted(const FocusRequest& request,
                                          FocusExplanation& why) const {
  if (!restricted_ || IsCriticalUsage(request.usage)) return false;
  why.rule = DecisionRule::kRestricted;
  why.text = absl::StrCat("rejected: focus in zone ", zone_id_, " is restricted and ",
                          UsageName(request.usage), " is not critical");
  return true;
}

bool ZoneFocus::RejectedBecauseDelayedWithOtherContext(const FocusRequest& request,
                                                       FocusExplanation& why) const {
  if (!delayed_request_ || delayed_request_->client_id != request.client_id ||
      delayed_request_->context() == request.context()) {
    return false;
  }
  why.rule = DecisionRule::kDelayedClientDifferentContext;
  why.blocking_client = request.client_id;
  why.holder_context = delayed_request_->context();
  why.text = absl::StrCat("rejected: client \"", request.client_id,
                          "\" already has a delayed request for ",
                          ContextName(delayed_request_->context()), "; it cannot also request ",
                          ContextName(request.context()), " with the same client id");
  return true;
}

bool ZoneFocus::ScanForDuplicates(const std::vector<FocusEntry>& entries, bool entries_are_losers,
                                  const FocusRequest& request, Evaluation& evaluation) const {
  FocusExplanation& why = evaluation.explanation;
  const bool request_is_notification = IsNotificationUsage(request.usage);
  for (const FocusEntry& entry : entries) {
    if (request_is_notification && entry.request.gain == FocusGain::kGainTransientExclusive) {
      why.rule = DecisionRule::kNotificationVsExclusive;
      why.blocking_client = entry.client_id();
      why.blocking_entry_is_loser = entries_are_losers;
      why.holder_context = entry.context;
      why.text = absl::StrCat("rejected: notifications are blocked while ",
                              ContextName(entry.context), " ", EntryRole(entries_are_losers),
                              " \"", entry.client_id(), "\" has GAIN_TRANSIENT_EXCLUSIVE");
      evaluation.failed = true;
      return false;
    }
    if (entry.client_id() != request.client_id) continue;
    // The telephony swap applies to holders only, as in AAOS.
    if (entry.context == request.context() ||
        (!entries_are_losers && CanSwapCallOrRingerClientRequest(entry.request, request))) {
      evaluation.replaced = entry.id;
      continue;
    }
    why.rule = DecisionRule::kSameClientDifferentContext;
    why.blocking_client = entry.client_id();
    why.blocking_entry_is_loser = entries_are_losers;
    why.holder_context = entry.context;
    why.text = absl::StrCat("rejected: client \"", request.client_id, "\" is already a ",
                            EntryRole(entries_are_losers), " for ", ContextName(entry.context),
                            "; it cannot also request ", ContextName(request.context()),
                            " with the same client id");
    evaluation.failed = true;
    return false;
  }
  return true;
}

bool ZoneFocus::RunMatrix(const std::vector<FocusEntry>& entries, bool entries_are_losers,
                          const FocusRequest& request, Evaluation& evaluation) const {
  const AudioContext request_context = request.context();
  const bool allow_ducking = request.allows_ducking();
  const bool delayable = request.is_delayable();
  std::vector<FocusEntryId>& changed =
      entries_are_losers ? evaluation.changed_losers : evaluation.changed_holders;
  for (const FocusEntry& entry : entries) {
    if (entry.id == evaluation.replaced) continue;
    const Interaction cell = interaction_.Evaluate(entry.context, request_context);
    switch (cell) {
      case Interaction::kReject: {
        const bool first_blocker = !evaluation.delayed;
        if (delayable) evaluation.delayed = true;
        if (first_blocker) {
          FocusExplanation& why = evaluation.explanation;
          why.rule = DecisionRule::kMatrix;
          why.blocking_client = entry.client_id();
          why.blocking_entry_is_loser = entries_are_losers;
          why.holder_context = entry.context;
          why.cell = cell;
          why.text = absl::StrCat(delayable ? "delayed: " : "rejected: ", ContextName(entry.context),
                                  " ", EntryRole(entries_are_losers), " \"", entry.client_id(),
                                  "\" → ", ContextName(request_context), " request is REJECT",
                                  delayable ? "; DELAY_OK, so it waits for that entry to leave" : "");
        }
        if (!delayable) {
          evaluation.failed = true;
          return false;
        }
        break;
      }
      case Interaction::kExclusive:
        changed.push_back(entry.id);
        break;
      case Interaction::kConcurrent:
        // A may-duck request leaves concurrent entries alone unless they asked
        // to pause instead or to hear about ducking.
        if (!allow_ducking || entry.wants_pause_instead_of_ducking() ||
            entry.receives_duck_events()) {
          changed.push_back(entry.id);
        }
        break;
    }
  }
  return true;
}

void ZoneFocus::ApplyGrantedOrDelayed(const FocusRequest& request, Evaluation& evaluation,
                                      std::vector<FocusCallback>& callbacks) {
  const bool permanent = request.is_permanent();
  const bool allow_ducking = request.allows_ducking();
  std::vector<FocusEntryId> permanently_lost;

  // Deliberate deviation from AAOS: this request supersedes the same
  // client's delayed one. AAOS keeps it, so the cleanup below could retry it
  // and tell the client LOSS (or GAIN) for a request it has replaced.
  if (delayed_request_ && delayed_request_->client_id == request.client_id) {
    delayed_request_.reset();
  }

  if (evaluation.replaced != kNoEntry) {
    // The client's previous entry goes silently; it must stop blocking others.
    if (auto it = FindById(holders_, evaluation.replaced); it != holders_.end()) {
      holders_.erase(it);
    } else if (auto loser = FindById(losers_, evaluation.replaced); loser != losers_.end()) {
      losers_.erase(loser);
    }
    permanently_lost.push_back(evaluation.replaced);
  }

  FocusEntry new_entry;
  new_entry.id = next_entry_id_++;
  new_entry.request = request;
  new_entry.context = request.context();

  for (FocusEntryId id : evaluation.changed_losers) {
    auto it = FindById(losers_, id);
    if (it == losers_.end()) continue;
    if (permanent) {
      callbacks.push_back(MakeCallback(it->request, FocusChange::kLoss));
      losers_.erase(it);
      permanently_lost.push_back(id);
      continue;
    }
    if (!allow_ducking && it->ducked) {
      // It was allowed to duck; this request no longer allows that.
      callbacks.push_back(MakeCallback(it->request, FocusChange::kLossTransient));
      it->ducked = false;
    }
    it->AddBlocker(new_entry.id);
  }

  for (FocusEntryId id : evaluation.changed_holders) {
    auto it = FindById(holders_, id);
    if (it == holders_.end()) continue;
    FocusChange loss = FocusChange::kLossTransient;
    if (permanent) {
      loss = FocusChange::kLoss;
    } else if (allow_ducking && it->receives_duck_events()) {
      loss = FocusChange::kLossTransientCanDuck;
      it->ducked = true;
    }
    callbacks.push_back(MakeCallback(it->request, loss));
    FocusEntry entry = std::move(*it);
    holders_.erase(it);
    if (permanent) {
      permanently_lost.push_back(id);
    } else {
      entry.AddBlocker(new_entry.id);
      losers_.push_back(std::move(entry));
    }
  }

  if (!evaluation.delayed) {
    holders_.push_back(std::move(new_entry));
  }

  for (FocusEntryId dead : permanently_lost) {
    RemoveBlockerAndRestoreUnblockedWaiters(dead, callbacks);
  }

  if (evaluation.delayed) {
    if (delayed_request_ && delayed_request_->client_id != request.client_id) {
      callbacks.push_back(MakeCallback(*delayed_request_, FocusChange::kLoss));
    }
    delayed_request_ = request;
  }
}

std::vector<FocusCallback> ZoneFocus::Abandon(absl::string_view client_id) {
  std::vector<FocusCallback> callbacks;
  if (std::optional<FocusEntry> dead = RemoveEntry(client_id)) {
    RemoveBlockerAndRestoreUnblockedWaiters(dead->id, callbacks);
  } else if (delayed_request_ && delayed_request_->client_id == client_id) {
    delayed_request_.reset();
  }
  return callbacks;
}

std::vector<FocusCallback> ZoneFocus::RemoveAndTransientlyLose(absl::string_view client_id) {
  std::vector<FocusCallback> callbacks;
  if (std::optional<FocusEntry> dead = RemoveEntry(client_id)) {
    callbacks.push_back(MakeCallback(dead->request, FocusChange::kLossTransient));
    RemoveBlockerAndRestoreUnblockedWaiters(dead->id, callbacks);
  }
  return callbacks;
}

std::vector<FocusCallback> ZoneFocus::LoseAll() {
  std::vector<FocusCallback> callbacks;
  for (const std::vector<FocusEntry>* entries : {&holders_, &losers_}) {
    for (const FocusEntry& entry : *entries) {
      callbacks.push_back(MakeCallback(entry.request, FocusChange::kLoss));
    }
  }
  if (delayed_request_) callbacks.push_back(MakeCallback(*delayed_request_, FocusChange::kLoss));
  holders_.clear();
  losers_.clear();
  delayed_request_.reset();
  return callbacks;
}

std::vector<FocusCallback> ZoneFocus::SetRestricted(bool restricted) {
  std::vector<FocusCallback> callbacks;
  restricted_ = restricted;
  if (!restricted) return callbacks;
  if (delayed_request_ && !IsCriticalUsage(delayed_request_->usage)) {
    callbacks.push_back(MakeCallback(*delayed_request_, FocusChange::kLoss));
    delayed_request_.reset();
  }
  AbandonNonCriticalEntries(losers_, callbacks);
  AbandonNonCriticalEntries(holders_, callbacks);
  return callbacks;
}

void ZoneFocus::AbandonNonCriticalEntries(std::vector<FocusEntry>& entries,
                                          std::vector<FocusCallback>& callbacks) {
  // Tell every victim first, then remove them one by one with cleanup, as
  // AAOS does; cleanup may move entries between the lists meanwhile.
  std::vector<FocusEntryId> to_remove;
  for (const FocusEntry& entry : entries) {
    if (IsCriticalUsage(entry.request.usage)) continue;
    callbacks.push_back(MakeCallback(entry.request, FocusChange::kLoss));
    to_remove.push_back(entry.id);
  }
  for (FocusEntryId id : to_remove) {
    FocusEntryId dead = kNoEntry;
    if (auto it = FindById(entries, id); it != entries.end()) {
      entries.erase(it);
      dead = id;
    }
    RemoveBlockerAndRestoreUnblockedWaiters(dead, callbacks);
  }
}

void ZoneFocus::RemoveBlockerAndRestoreUnblockedWaiters(FocusEntryId dead_entry,
                                                        std::vector<FocusCallback>& callbacks) {
  AttemptToGainFocusForDelayedRequest(callbacks);
  RemoveBlockerAndRestoreUnblockedLosers(dead_entry, callbacks);
}

void ZoneFocus::AttemptToGainFocusForDelayedRequest(std::vector<FocusCallback>& callbacks) {
  if (!delayed_request_) return;
  // Cleared first so the nested evaluation's own cleanup does not retry it.
  FocusRequest delayed = std::move(*delayed_request_);
  delayed_request_.reset();
  const FocusDecision decision = Decide(delayed, callbacks);
  if (decision.result == RequestResult::kGranted) {
    callbacks.push_back(MakeCallback(delayed, FocusChange::kGain));
  } else if (decision.result == RequestResult::kFailed) {
    callbacks.push_back(MakeCallback(delayed, FocusChange::kLoss));
  }
  // DELAYED: Decide() already put it back, silently.
}

void ZoneFocus::RemoveBlockerAndRestoreUnblockedLosers(FocusEntryId dead_entry,
                                                       std::vector<FocusCallback>& callbacks) {
  for (size_t i = 0; i < losers_.size();) {
    FocusEntry& entry = losers_[i];
    entry.RemoveBlocker(dead_entry);
    if (!entry.is_unblocked()) {
      ++i;
      continue;
    }
    // Regained without another look at the matrix; always plain GAIN (13+),
    // and the ducked flag is cleared so no spurious LOSS_TRANSIENT follows.
    FocusEntry restored = std::move(entry);
    losers_.erase(losers_.begin() + static_cast<std::ptrdiff_t>(i));
    restored.ducked = false;
    callbacks.push_back(MakeCallback(restored.request, FocusChange::kGain));
    holders_.push_back(std::move(restored));
  }
}

std::optional<FocusEntry> ZoneFocus::RemoveEntry(absl::string_view client_id) {
  for (std::vector<FocusEntry>* entries : {&holders_, &losers_}) {
    if (auto it = FindByClient(*entries, client_id); it != entries->end()) {
      FocusEntry removed = std::move(*it);
      entries->erase(it);
      return removed;
    }
  }
  return std::nullopt;
}

bool ZoneFocus::Contains(absl::string_view client_id) const {
  return FindByClient(holders_, client_id) != holders_.end() ||
         FindByClient(losers_, client_id) != losers_.end() ||
         (delayed_request_ && delayed_request_->client_id == client_id);
}

FocusCallback ZoneFocus::MakeCallback(const FocusRequest& request, FocusChange change) const {
  return FocusCallback{zone_id_, request.client_id, request.usage, change};
}

}  // namespace caraudio
