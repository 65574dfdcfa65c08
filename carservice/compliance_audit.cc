#include "carservice/compliance_audit.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace caraudio {

const char* FindingKindName(FindingKind kind) {
  switch (kind) {
    case FindingKind::kPlayedWithoutFocus:
      return "played-without-focus";
    case FindingKind::kAudibleAfterLoss:
      return "audible-after-loss";
    case FindingKind::kAudibleDuringTransientLoss:
      return "audible-during-transient-loss";
    case FindingKind::kNotLoweredAfterCanDuck:
      return "not-lowered-after-can-duck";
    case FindingKind::kHeldFocusWhileSilent:
      return "held-focus-while-silent";
    case FindingKind::kMultipleStackEntries:
      return "multiple-stack-entries";
    case FindingKind::kChangedVolumeItself:
      return "changed-volume-itself";
  }
  return "unknown";
}

namespace {

std::string Millis(absl::Duration duration) {
  return absl::StrCat(absl::ToInt64Milliseconds(duration), " ms");
}

std::string Db(double value) { return absl::StrFormat("%.1f dBFS", value); }

}  // namespace

ComplianceAudit::ComplianceAudit(AuditSettings settings, size_t capacity)
    : settings_(settings), capacity_(capacity) {}

void ComplianceAudit::ObserveFocus(const FocusEngine& engine, absl::Time now) {
  struct Seen {
    Standing standing = Standing::kNone;
    std::string client_id;
    std::vector<std::string> clients;
  };
  // Lower value = more right to play; the app's best entry decides.
  auto rank = [](Standing standing) {
    switch (standing) {
      case Standing::kHolding:
        return 0;
      case Standing::kDucked:
        return 1;
      case Standing::kTransientLoss:
        return 2;
      case Standing::kDelayed:
        return 3;
      case Standing::kNone:
        break;
    }
    return 4;
  };
  std::map<Key, Seen> seen;
  auto add = [&](int32_t zone_id, const FocusRequest& request, Standing standing) {
    if (request.package_name.empty()) return;
    Seen& app = seen[Key{AppKey{request.package_name, request.uid}, zone_id}];
    app.clients.push_back(request.client_id);
    if (app.clients.size() == 1 || rank(standing) < rank(app.standing)) {
      app.standing = standing;
      app.client_id = request.client_id;
    }
  };
  for (const auto& [zone_id, zone] : engine.zones()) {
    for (const FocusEntry& entry : zone.holders()) {
      add(zone_id, entry.request, entry.ducked ? Standing::kDucked : Standing::kHolding);
    }
    for (const FocusEntry& entry : zone.losers()) {
      add(zone_id, entry.request, entry.ducked ? Standing::kDucked : Standing::kTransientLoss);
    }
    if (zone.delayed_request()) add(zone_id, *zone.delayed_request(), Standing::kDelayed);
  }

  clients_.clear();
  for (const auto& [key, app] : seen) {
    State(key);  // every seen app has a state
    for (const std::string& client : app.clients) clients_[{key.second, client}] = key.first;
  }
  for (auto& [key, state] : apps_) {
    auto it = seen.find(key);
    const Seen app = it == seen.end() ? Seen{} : it->second;
    state.entries = static_cast<int>(app.clients.size());
    if (app.standing != state.standing ||
        (app.standing != Standing::kNone && app.client_id != state.client_id)) {
      if (app.standing == Standing::kDucked && state.standing != Standing::kDucked) {
        state.duck_reference_dbfs =
            state.last_rms_dbfs && *state.last_rms_dbfs > settings_.audible_threshold_dbfs
                ? state.last_rms_dbfs
                : std::nullopt;
      }
      state.standing = app.standing;
      if (app.standing != Standing::kNone) state.client_id = app.client_id;
      state.standing_since = now;
      if (app.standing == Standing::kHolding || app.standing == Standing::kDucked) {
        state.lost = false;
      }
      // A new episode for every audio rule.
      for (FindingKind kind :
           {FindingKind::kPlayedWithoutFocus, FindingKind::kAudibleAfterLoss,
            FindingKind::kAudibleDuringTransientLoss, FindingKind::kNotLoweredAfterCanDuck,
            FindingKind::kHeldFocusWhileSilent}) {
        state.reported.erase(kind);
      }
    }
    if (state.entries < 2) {
      state.reported.erase(FindingKind::kMultipleStackEntries);
    } else if (!state.reported.count(FindingKind::kMultipleStackEntries)) {
      Record(key, FindingKind::kMultipleStackEntries, now, now,
             absl::StrCat(state.entries, " entries in zone ", key.second,
                          "'s focus stack (clients ", absl::StrJoin(app.clients, ", "), ")"));
    }
  }
}

void ComplianceAudit::ObserveRequest(const FocusRequest& request, const FocusDecision& decision,
                                     const std::vector<FocusCallback>& callbacks,
                                     absl::Time now) {
  if (request.package_name.empty()) return;
  const Key key{AppKey{request.package_name, request.uid}, decision.zone_id};
  for (const FocusCallback& callback : callbacks) {
    if (callback.client_id == request.client_id) continue;
    auto other = clients_.find({callback.zone_id, callback.client_id});
    if (other == clients_.end() || other->second != key.first ||
        callback.zone_id != decision.zone_id) {
      continue;
    }
    if (State(key).reported.count(FindingKind::kMultipleStackEntries)) return;
    Record(key, FindingKind::kMultipleStackEntries, now, now,
           absl::StrCat("second session ", request.client_id, " took focus from its own ",
                        callback.client_id, " (", FocusChangeName(callback.change), ") in zone ",
                        key.second));
    return;
  }
}

void ComplianceAudit::ObserveCallback(const FocusCallback& callback, absl::Time now) {
  if (callback.change != FocusChange::kLoss) return;
  for (auto& [key, state] : apps_) {
    if (key.second == callback.zone_id && state.client_id == callback.client_id) {
      state.lost = true;
      state.standing_since = now;
    }
  }
}

void ComplianceAudit::ObserveVolumeCall(const AppKey& app, int32_t zone_id, absl::string_view api,
                                        absl::Time now) {
  Record(Key{app, zone_id}, FindingKind::kChangedVolumeItself, now, now,
         absl::StrCat("called ", api, " on its own"));
}

void ComplianceAudit::ObserveLevels(const std::vector<StreamLevelSample>& streams,
                                    absl::Time now) {
  if (!levels_available_) {
    levels_available_ = true;
    levels_since_ = now;
  }
  std::map<Key, double> loudest;
  for (const StreamLevelSample& stream : streams) {
    if (stream.app.package_name.empty()) continue;
    const Key key{stream.app, stream.zone_id};
    auto [it, inserted] = loudest.emplace(key, stream.rms_dbfs);
    if (!inserted) it->second = std::max(it->second, stream.rms_dbfs);
  }
  for (const auto& [key, rms] : loudest) State(key);
  for (auto it = apps_.begin(); it != apps_.end();) {
    auto level = loudest.find(it->first);
    JudgeLevel(it->first, it->second, level == loudest.end() ? -120.0 : level->second, now);
    const AppState& state = it->second;
    // Forget apps that have nothing left to judge.
    if (state.standing == Standing::kNone && !state.lost && level == loudest.end() &&
        state.entries == 0) {
      it = apps_.erase(it);
    } else {
      ++it;
    }
  }
  last_levels_ = streams;
}

void ComplianceAudit::LevelsLost() {
  levels_available_ = false;
  last_levels_.clear();
  for (auto& [key, state] : apps_) {
    state.last_rms_dbfs.reset();
    state.audible_since = absl::InfiniteFuture();
  }
}

void ComplianceAudit::JudgeLevel(const Key& key, AppState& state, double rms_dbfs,
                                 absl::Time now) {
  const bool audible = rms_dbfs > settings_.audible_threshold_dbfs;
  state.last_rms_dbfs = rms_dbfs;
  if (!audible) {
    state.audible_since = absl::InfiniteFuture();
  } else {
    state.last_audible = now;
    if (state.audible_since == absl::InfiniteFuture()) state.audible_since = now;
  }
  // Audio is judged from `reaction` after the later of the state change and
  // the first report.
  const absl::Time changed = std::max(state.standing_since, levels_since_);
  switch (state.standing) {
    case Standing::kHolding: {
      if (audible) {
        state.reported.erase(FindingKind::kHeldFocusWhileSilent);
        return;
      }
      const absl::Time silent_since = std::max(changed, state.last_audible);
      if (now - silent_since >= settings_.idle_focus &&
          !state.reported.count(FindingKind::kHeldFocusWhileSilent)) {
        Record(key, FindingKind::kHeldFocusWhileSilent, silent_since, now,
               absl::StrCat("held focus silent for ", Millis(now - silent_since),
                            " without abandoning (limit ", Millis(settings_.idle_focus), ")"));
      }
      return;
    }
    case Standing::kDucked: {
      if (!audible || !state.duck_reference_dbfs || now - changed < settings_.reaction ||
          state.reported.count(FindingKind::kNotLoweredAfterCanDuck)) {
        return;
      }
      const double lowered = *state.duck_reference_dbfs - rms_dbfs;
      if (lowered < settings_.duck_lowering_db) {
        Record(key, FindingKind::kNotLoweredAfterCanDuck, changed, now,
               absl::StrFormat("still at %s %s after AUDIOFOCUS_LOSS_TRANSIENT_CAN_DUCK, %.1f dB "
                               "below its %s before (at least %.1f dB expected)",
                               Db(rms_dbfs), Millis(now - changed), lowered,
                               Db(*state.duck_reference_dbfs), settings_.duck_lowering_db));
      }
      return;
    }
    case Standing::kTransientLoss:
    case Standing::kDelayed:
    case Standing::kNone:
      break;
  }
  if (!audible) return;
  const absl::Time since = std::max(changed, state.audible_since);
  if (now - since < settings_.reaction) return;
  FindingKind kind = FindingKind::kPlayedWithoutFocus;
  std::string after = "without holding focus";
  if (state.standing == Standing::kTransientLoss) {
    kind = FindingKind::kAudibleDuringTransientLoss;
    after = "during AUDIOFOCUS_LOSS_TRANSIENT";
  } else if (state.lost) {
    kind = FindingKind::kAudibleAfterLoss;
    after = "after AUDIOFOCUS_LOSS";
  } else if (state.standing == Standing::kDelayed) {
    after = "while its request was delayed";
  }
  if (state.reported.count(kind)) return;
  Record(key, kind, since, now,
         absl::StrCat("audible at ", Db(rms_dbfs), " for ", Millis(now - since), " ", after,
                      " in zone ", key.second));
}

void ComplianceAudit::Record(const Key& key, FindingKind kind, absl::Time since, absl::Time now,
                             std::string detail) {
  AppState& state = State(key);
  if (kind != FindingKind::kChangedVolumeItself) state.reported.insert(kind);
  AuditFinding finding;
  finding.at = now;
  finding.since = since;
  finding.kind = kind;
  finding.zone_id = key.second;
  finding.app = key.first;
  if (kind != FindingKind::kPlayedWithoutFocus && kind != FindingKind::kChangedVolumeItself) {
    finding.client_id = state.client_id;
  }
  finding.detail = std::move(detail);
  new_findings_.push_back(finding);
  findings_.push_back(std::move(finding));
  while (findings_.size() > capacity_) findings_.pop_front();
}

std::vector<AuditFinding> ComplianceAudit::TakeNewFindings() {
  return std::exchange(new_findings_, {});
}

}  // namespace caraudio
