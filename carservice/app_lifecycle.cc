#include "carservice/app_lifecycle.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "carservice/name_matching.h"

namespace caraudio {
namespace {

struct VisibilityRow {
  Visibility visibility;
  const char* name;
};
constexpr VisibilityRow kVisibilityTable[] = {
    {Visibility::kBackground, "background"},
    {Visibility::kVisible, "visible"},
    {Visibility::kPictureInPicture, "picture-in-picture"},
};

struct PlaybackRow {
  PlaybackState state;
  const char* name;
};
constexpr PlaybackRow kPlaybackTable[] = {
    {PlaybackState::kPlaying, "playing"},
    {PlaybackState::kPaused, "paused"},
    {PlaybackState::kStopped, "stopped"},
    {PlaybackState::kFailed, "failed"},
};

constexpr absl::string_view kNeverReported =
    "background, no foreground service (no lifecycle reported)";

// "10 min", "6 h", "24 h": the limits as seeds.md writes them.
std::string ShortDuration(absl::Duration d) {
  if (d % absl::Hours(1) == absl::ZeroDuration()) {
    return absl::StrCat(absl::ToInt64Hours(d), " h");
  }
  if (d % absl::Minutes(1) == absl::ZeroDuration()) {
    return absl::StrCat(absl::ToInt64Minutes(d), " min");
  }
  return absl::FormatDuration(d);
}

std::string TimeText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E*S", t, absl::UTCTimeZone());
}

// Why one FGS does not make its app valid (seeds.md §1, §2, §5).
std::string NotCountingReason(const ForegroundServiceState& service) {
  const char* type = FgsTypeName(service.type);
  if (!PolicyFor(service.type).counts_for_lifecycle) {
    return absl::StrCat(type, " FGS does not count");
  }
  switch (service.status) {
    case FgsStatus::kLeftForeground:
      return absl::StrCat(type, " FGS left the foreground after ", ShortDuration(kMediaIdleLimit),
                          " ", PlaybackStateName(service.idle_state));
    case FgsStatus::kTimedOut:
      return absl::StrCat(type, " FGS timed out: ", ShortDuration(kFgsRuntimeBudget),
                          " used in ", ShortDuration(kFgsBudgetWindow));
    case FgsStatus::kForeground:
      break;
  }
  return absl::StrCat(type, " FGS ", PolicyFor(service.origin).phrase,
                      " has no while-in-use capability");
}

bool IsKnown(Visibility visibility) {
  for (const VisibilityRow& row : kVisibilityTable) {
    if (row.visibility == visibility) return true;
  }
  return false;
}

bool IsKnown(PlaybackState state) {
  for (const PlaybackRow& row : kPlaybackTable) {
    if (row.state == state) return true;
  }
  return false;
}

bool GivesValidLifecycle(const ForegroundServiceState& service) {
  return service.status == FgsStatus::kForeground &&
         PolicyFor(service.type).counts_for_lifecycle && GrantsWhileInUse(service.origin);
}

}  // namespace

std::string AppKeyText(const AppKey& app) {
  return absl::StrCat(app.package_name, " (uid ", app.uid, ")");
}

absl::Status ValidateAppKey(const AppKey& app) {
  if (app.package_name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("app with uid ", app.uid, ": empty package name"));
  }
  if (app.package_name.size() > kMaxPackageNameLength) {
    return absl::InvalidArgumentError(absl::StrCat("app with uid ", app.uid, ": package name is ",
                                                   app.package_name.size(), " bytes; the limit is ",
                                                   kMaxPackageNameLength));
  }
  for (char c : app.package_name) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) {
      return absl::InvalidArgumentError(absl::StrCat(
          "package name \"", app.package_name, "\" contains whitespace or a control character"));
    }
  }
  if (app.uid < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("app ", app.package_name, ": uid ", app.uid, " is negative"));
  }
  return absl::OkStatus();
}

const char* VisibilityName(Visibility visibility) {
  for (const VisibilityRow& row : kVisibilityTable) {
    if (row.visibility == visibility) return row.name;
  }
  return "visibility-?";
}

const char* PlaybackStateName(PlaybackState state) {
  for (const PlaybackRow& row : kPlaybackTable) {
    if (row.state == state) return row.name;
  }
  return "playback-?";
}

const char* FgsStatusName(FgsStatus status) {
  switch (status) {
    case FgsStatus::kForeground:
      return "foreground";
    case FgsStatus::kLeftForeground:
      return "left-foreground";
    case FgsStatus::kTimedOut:
      return "timed-out";
  }
  return "status-?";
}

const char* LifecycleBasisName(LifecycleBasis basis) {
  switch (basis) {
    case LifecycleBasis::kNone:
      return "none";
    case LifecycleBasis::kVisibleActivity:
      return "visible-activity";
    case LifecycleBasis::kPictureInPicture:
      return "picture-in-picture";
    case LifecycleBasis::kForegroundService:
      return "foreground-service";
  }
  return "basis-?";
}

const char* LifecycleTransitionKindName(LifecycleTransitionKind kind) {
  switch (kind) {
    case LifecycleTransitionKind::kLeftForeground:
      return "left-foreground";
    case LifecycleTransitionKind::kTimedOut:
      return "timed-out";
  }
  return "transition-?";
}

std::optional<Visibility> ParseVisibility(absl::string_view text) {
  const std::string key = NormalizedName(text);
  if (key == "pip") return Visibility::kPictureInPicture;
  if (key == "bg") return Visibility::kBackground;
  for (const VisibilityRow& row : kVisibilityTable) {
    if (key == NormalizedName(row.name)) return row.visibility;
  }
  return std::nullopt;
}

std::optional<PlaybackState> ParsePlaybackState(absl::string_view text) {
  const std::string key = NormalizedName(text);
  for (const PlaybackRow& row : kPlaybackTable) {
    if (key == row.name) return row.state;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Reports.

absl::StatusOr<std::vector<LifecycleTransition>> AppLifecycle::SetVisibility(
    const AppKey& app, Visibility visibility, absl::Time now) {
  if (!IsKnown(visibility)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown visibility ", static_cast<int32_t>(visibility)));
  }
  return Report(app, now, [&](AppState& state) {
    const Visibility before = state.visibility;
    state.visibility = visibility;
    // seeds.md §5: foregrounding the app is the user interaction that resets
    // the budgets. PiP is visible (§1) but not an interaction.
    if (visibility == Visibility::kVisible && before != Visibility::kVisible) {
      ResetBudgets(state, now);
    }
    UpdateCharging(state, now);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<LifecycleTransition>> AppLifecycle::StartForegroundService(
    const AppKey& app, FgsType type, FgsStartOrigin origin, absl::Time now) {
  if (PolicyFor(type).type != type) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown foreground service type ", static_cast<int32_t>(type)));
  }
  if (PolicyFor(origin).origin != origin) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown foreground service start origin ", static_cast<int32_t>(origin)));
  }
  return Report(app, now, [&](AppState& state) {
    const char* type_name = FgsTypeName(type);
    if (origin == FgsStartOrigin::kWhileVisible && state.visibility == Visibility::kBackground) {
      return absl::FailedPreconditionError(
          absl::StrCat(AppKeyText(app), " started a ", type_name,
                       " FGS reported as started while visible, but has no visible activity"));
    }
    auto running = state.services.find(type);
    if (running != state.services.end() && running->second.status == FgsStatus::kForeground) {
      return absl::FailedPreconditionError(
          absl::StrCat(AppKeyText(app), " already runs a ", type_name, " FGS"));
    }
    auto budget = state.budgets.find(type);
    if (budget != state.budgets.end() && budget->second.exhausted) {
      // seeds.md §5: no new FGS of the type until the user interacts.
      return absl::FailedPreconditionError(absl::StrCat(
          AppKeyText(app), " cannot start a ", type_name, " FGS: ", ShortDuration(kFgsRuntimeBudget),
          " used in ", ShortDuration(kFgsBudgetWindow), "; it needs a user interaction first"));
    }
    ForegroundServiceState service;
    service.type = type;
    service.origin = origin;
    service.started_at = now;
    service.status = FgsStatus::kForeground;
    service.status_since = now;
    state.services[type] = service;
    UpdateCharging(state, now);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<LifecycleTransition>> AppLifecycle::StopForegroundService(
    const AppKey& app, FgsType type, absl::Time now) {
  if (PolicyFor(type).type != type) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown foreground service type ", static_cast<int32_t>(type)));
  }
  return Report(app, now, [&](AppState& state) {
    if (state.services.erase(type) == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat(AppKeyText(app), " has no ", FgsTypeName(type), " FGS to stop"));
    }
    UpdateCharging(state, now);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<LifecycleTransition>> AppLifecycle::SetPlaybackState(
    const AppKey& app, PlaybackState playback, absl::Time now) {
  if (!IsKnown(playback)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown playback state ", static_cast<int32_t>(playback)));
  }
  return Report(app, now, [&](AppState& state) {
    // seeds.md §2 counts time "paused, stopped or failed" as one idle spell:
    // moving between those states does not restart it.
    const bool was_playing = state.playback == PlaybackState::kPlaying;
    const bool is_playing = playback == PlaybackState::kPlaying;
    if (was_playing != is_playing) state.playback_since = now;
    state.playback = playback;
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<LifecycleTransition>> AppLifecycle::ReportUserInteraction(
    const AppKey& app, absl::Time now) {
  return Report(app, now, [&](AppState& state) {
    ResetBudgets(state, now);  // seeds.md §5
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<LifecycleTransition>> AppLifecycle::Report(
    const AppKey& app, absl::Time now, absl::FunctionRef<absl::Status(AppState&)> change) {
  if (absl::Status valid = ValidateAppKey(app); !valid.ok()) return valid;
  if (now == absl::InfinitePast() || now == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError(absl::StrCat("report for ", AppKeyText(app),
                                                   ": time must be finite"));
  }
  if (now < now_) {
    return absl::InvalidArgumentError(absl::StrCat("report for ", AppKeyText(app), " at ",
                                                   TimeText(now), " is before the model time ",
                                                   TimeText(now_)));
  }
  // Work on a copy so a refused report changes nothing. The copy goes
  // through the same deterministic Advance as the stored state below.
  auto found = apps_.find(app);
  AppState next = found != apps_.end() ? found->second : NewAppState();
  Advance(next, app, now, nullptr);
  if (absl::Status applied = change(next); !applied.ok()) return applied;
  std::vector<LifecycleTransition> transitions = AdvanceTo(now);
  now_ = now;
  apps_[app] = std::move(next);
  return transitions;
}

// ---------------------------------------------------------------------------
// Time.

namespace {

// The next rule that fires for one FGS, if any.
struct DueRule {
  absl::Time at;
  FgsType type;
  LifecycleTransitionKind kind;
};

}  // namespace

void AppLifecycle::Advance(AppState& state, const AppKey& app, absl::Time to,
                           std::vector<LifecycleTransition>* transitions) {
  for (;;) {
    // Rules of different services do not influence each other, so firing
    // the earliest one first (ties: FgsType order) is exact.
    std::optional<DueRule> next;
    auto consider = [&next](DueRule rule) {
      if (!next || rule.at < next->at) next = rule;
    };
    for (const auto& [type, service] : state.services) {
      if (service.status != FgsStatus::kForeground) continue;
      const FgsTypePolicy& policy = PolicyFor(type);
      if (policy.leaves_foreground_when_idle && state.playback != PlaybackState::kPlaying) {
        // Idle since the later of the last stop of playback and the start.
        const absl::Time idle_since = std::max(state.playback_since, service.started_at);
        consider({idle_since + kMediaIdleLimit, type, LifecycleTransitionKind::kLeftForeground});
      }
      if (policy.runtime_budgeted) {
        const Budget& budget = state.budgets.at(type);
        if (budget.charging_since) {
          consider({*budget.charging_since + (kFgsRuntimeBudget - budget.used), type,
                    LifecycleTransitionKind::kTimedOut});
        }
      }
    }
    if (!next || next->at > to) return;

    ForegroundServiceState& service = state.services.at(next->type);
    service.status_since = next->at;
    if (next->kind == LifecycleTransitionKind::kLeftForeground) {
      service.status = FgsStatus::kLeftForeground;
      service.idle_state = state.playback;
    } else {
      Budget& budget = state.budgets.at(next->type);
      budget.used = kFgsRuntimeBudget;
      budget.charging_since.reset();
      budget.exhausted = true;
      service.status = FgsStatus::kTimedOut;
    }
    if (transitions != nullptr) {
      transitions->push_back(LifecycleTransition{
          .at = next->at,
          .app = app,
          .fgs_type = next->type,
          .kind = next->kind,
          .reason = NotCountingReason(service),
          .app_valid_after = Verdict(state).valid,
      });
    }
  }
}

void AppLifecycle::UpdateCharging(AppState& state, absl::Time now) {
  for (auto& [type, budget] : state.budgets) {
    auto service = state.services.find(type);
    const bool charge = service != state.services.end() &&
                        service->second.status == FgsStatus::kForeground &&
                        state.visibility != Visibility::kVisible;
    if (charge && !budget.charging_since) {
      // The window rule in the header: open one, or start afresh when the
      // open one is kFgsBudgetWindow old.
      if (!budget.window_start || now - *budget.window_start >= kFgsBudgetWindow) {
        budget.used = absl::ZeroDuration();
        budget.window_start = now;
      }
      budget.charging_since = now;
    } else if (!charge && budget.charging_since) {
      budget.used += now - *budget.charging_since;
      budget.charging_since.reset();
    }
  }
}

void AppLifecycle::ResetBudgets(AppState& state, absl::Time now) {
  for (auto& [type, budget] : state.budgets) budget = Budget{};
  UpdateCharging(state, now);
}

std::vector<LifecycleTransition> AppLifecycle::AdvanceTo(absl::Time now) {
  std::vector<LifecycleTransition> transitions;
  if (now <= now_ || now == absl::InfiniteFuture()) return transitions;
  for (auto& [app, state] : apps_) Advance(state, app, now, &transitions);
  // Apps were visited in key order and each app's transitions are in time
  // order, so a stable sort by time gives (time, app, type) order.
  std::stable_sort(transitions.begin(), transitions.end(),
                   [](const LifecycleTransition& a, const LifecycleTransition& b) {
                     return a.at < b.at;
                   });
  now_ = now;
  return transitions;
}

std::optional<absl::Time> AppLifecycle::NextDeadline() const {
  std::optional<absl::Time> earliest;
  for (const auto& [app, state] : apps_) {
    // Advancing a copy to the end of time fires its next rule first; its
    // first transition is that app's deadline.
    AppState copy = state;
    std::vector<LifecycleTransition> transitions;
    Advance(copy, app, absl::InfiniteFuture(), &transitions);
    if (!transitions.empty() && (!earliest || transitions.front().at < *earliest)) {
      earliest = transitions.front().at;
    }
  }
  return earliest;
}

// ---------------------------------------------------------------------------
// Queries.

AppLifecycle::AppState AppLifecycle::NewAppState() {
  AppState state;
  for (const FgsTypePolicy& policy : AllFgsTypePolicies()) {
    if (policy.runtime_budgeted) state.budgets[policy.type] = Budget{};
  }
  return state;
}

LifecycleVerdict AppLifecycle::Verdict(const AppState& state) {
  if (state.visibility == Visibility::kVisible) {
    return {true, LifecycleBasis::kVisibleActivity, "visible activity"};
  }
  if (state.visibility == Visibility::kPictureInPicture) {
    return {true, LifecycleBasis::kPictureInPicture, "picture-in-picture activity"};
  }
  for (const auto& [type, service] : state.services) {
    if (GivesValidLifecycle(service)) {
      return {true, LifecycleBasis::kForegroundService,
              absl::StrCat(FgsTypeName(type), " FGS ", PolicyFor(service.origin).phrase,
                           " has while-in-use capability")};
    }
  }
  if (state.services.empty()) {
    return {false, LifecycleBasis::kNone, "background, no foreground service"};
  }
  std::vector<std::string> reasons;
  for (const auto& [type, service] : state.services) reasons.push_back(NotCountingReason(service));
  return {false, LifecycleBasis::kNone, absl::StrJoin(reasons, "; ")};
}

LifecycleVerdict AppLifecycle::Evaluate(const AppKey& app, absl::Time now) const {
  auto found = apps_.find(app);
  if (found == apps_.end()) {
    return {false, LifecycleBasis::kNone, std::string(kNeverReported)};
  }
  AppState state = found->second;
  Advance(state, app, std::max(now, now_), nullptr);
  return Verdict(state);
}

absl::StatusOr<AppSnapshot> AppLifecycle::Snapshot(const AppKey& app, absl::Time now) const {
  if (absl::Status valid = ValidateAppKey(app); !valid.ok()) return valid;
  auto found = apps_.find(app);
  if (found == apps_.end()) {
    return absl::NotFoundError(absl::StrCat(AppKeyText(app), " has never been reported"));
  }
  const absl::Time at = std::max(now, now_);
  AppState state = found->second;
  Advance(state, app, at, nullptr);

  AppSnapshot snapshot;
  snapshot.app = app;
  snapshot.visibility = state.visibility;
  snapshot.playback = state.playback;
  snapshot.playback_since = state.playback_since;
  for (const auto& [type, service] : state.services) snapshot.services.push_back(service);
  for (const auto& [type, budget] : state.budgets) {
    FgsBudgetState account;
    account.type = type;
    account.used = budget.used;
    if (budget.charging_since) account.used += at - *budget.charging_since;
    account.window_start = budget.window_start;
    account.charging = budget.charging_since.has_value();
    account.exhausted = budget.exhausted;
    snapshot.budgets.push_back(account);
  }
  snapshot.verdict = Verdict(state);
  return snapshot;
}

std::vector<AppKey> AppLifecycle::Apps() const {
  std::vector<AppKey> keys;
  keys.reserve(apps_.size());
  for (const auto& [app, state] : apps_) keys.push_back(app);
  return keys;
}

}  // namespace caraudio
