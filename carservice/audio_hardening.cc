#include "carservice/audio_hardening.h"

#include "absl/strings/str_cat.h"
#include "carservice/name_matching.h"

namespace caraudio {
namespace {

// What each mode does to an app outside a valid lifecycle (seeds.md §1:
// "Android 16 only warns; Android 17 enforces").
struct ModeRow {
  HardeningMode mode;
  const char* name;
  HardeningAction when_invalid;
};
constexpr ModeRow kModeTable[] = {
    {HardeningMode::kOff, "off", HardeningAction::kAllow},
    {HardeningMode::kWarn, "warn", HardeningAction::kAllowButLog},
    {HardeningMode::kEnforce, "enforce", HardeningAction::kDeny},
};

// seeds.md §1's table: what enforcement does per API group, and how the log
// line says it in each mode.
struct ApiGroupRow {
  AudioApiGroup group;
  const char* name;
  const char* enforced;  // the outcome under enforce
  const char* warned;    // the outcome under warn: what would have happened
};
constexpr ApiGroupRow kApiGroupTable[] = {
    {AudioApiGroup::kFocusRequest, "focus-request", "REQUEST_FAILED",
     "would fail with REQUEST_FAILED (warn only)"},
    {AudioApiGroup::kPlayback, "playback", "silenced", "would be silenced (warn only)"},
    {AudioApiGroup::kVolume, "volume", "ignored", "would be ignored (warn only)"},
};

struct VolumeCallRow {
  VolumeCall call;
  const char* name;
};
constexpr VolumeCallRow kVolumeCallTable[] = {
    {VolumeCall::kSetStreamVolume, "setStreamVolume"},
    {VolumeCall::kSetStreamMute, "setStreamMute"},
    {VolumeCall::kAdjustStreamVolume, "adjustStreamVolume"},
    {VolumeCall::kAdjustVolume, "adjustVolume"},
    {VolumeCall::kAdjustSuggestedStreamVolume, "adjustSuggestedStreamVolume"},
    {VolumeCall::kSetRingerMode, "setRingerMode"},
};

const ModeRow* FindMode(HardeningMode mode) {
  for (const ModeRow& row : kModeTable) {
    if (row.mode == mode) return &row;
  }
  return nullptr;
}

const ApiGroupRow& RowFor(AudioApiGroup group) {
  for (const ApiGroupRow& row : kApiGroupTable) {
    if (row.group == group) return row;
  }
  return kApiGroupTable[0];
}

const VolumeCallRow* FindVolumeCall(VolumeCall call) {
  for (const VolumeCallRow& row : kVolumeCallTable) {
    if (row.call == call) return &row;
  }
  return nullptr;
}

absl::Status ValidateZone(int32_t zone_id) {
  if (zone_id < 0) {
    return absl::InvalidArgumentError(absl::StrCat("zone id ", zone_id, " is negative"));
  }
  return absl::OkStatus();
}

}  // namespace

const char* HardeningModeName(HardeningMode mode) {
  const ModeRow* row = FindMode(mode);
  return row != nullptr ? row->name : "mode-?";
}

const char* HardeningActionName(HardeningAction action) {
  switch (action) {
    case HardeningAction::kAllow:
      return "allow";
    case HardeningAction::kAllowButLog:
      return "allow_but_log";
    case HardeningAction::kDeny:
      return "deny";
  }
  return "action-?";
}

const char* AudioApiGroupName(AudioApiGroup group) { return RowFor(group).name; }

const char* VolumeCallName(VolumeCall call) {
  const VolumeCallRow* row = FindVolumeCall(call);
  return row != nullptr ? row->name : "volumeCall?";
}

std::optional<HardeningMode> ParseHardeningMode(absl::string_view text) {
  const std::string key = NormalizedName(text);
  // `cmd audio set-enable-hardening 1|0`.
  if (key == "1" || key == "on") return HardeningMode::kEnforce;
  if (key == "0") return HardeningMode::kOff;
  if (key == "warnonly") return HardeningMode::kWarn;
  for (const ModeRow& row : kModeTable) {
    if (key == row.name) return row.mode;
  }
  return std::nullopt;
}

std::optional<VolumeCall> ParseVolumeCall(absl::string_view text) {
  const std::string key = NormalizedName(text);
  for (const VolumeCallRow& row : kVolumeCallTable) {
    if (key == NormalizedName(row.name)) return row.call;
  }
  return std::nullopt;
}

AudioHardening::AudioHardening(const AppLifecycle* lifecycle, HardeningMode default_mode,
                               size_t log_capacity)
    : lifecycle_(lifecycle),
      // A value outside the enum cannot be refused here; take the strict one.
      default_mode_(FindMode(default_mode) != nullptr ? default_mode : HardeningMode::kEnforce),
      log_capacity_(log_capacity) {}

absl::Status AudioHardening::SetMode(int32_t zone_id, HardeningMode mode) {
  if (absl::Status zone = ValidateZone(zone_id); !zone.ok()) return zone;
  if (FindMode(mode) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown hardening mode ", static_cast<int32_t>(mode)));
  }
  zone_modes_[zone_id] = mode;
  return absl::OkStatus();
}

absl::Status AudioHardening::SetDefaultMode(HardeningMode mode) {
  if (FindMode(mode) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown hardening mode ", static_cast<int32_t>(mode)));
  }
  default_mode_ = mode;
  return absl::OkStatus();
}

HardeningMode AudioHardening::mode(int32_t zone_id) const {
  auto found = zone_modes_.find(zone_id);
  return found != zone_modes_.end() ? found->second : default_mode_;
}

absl::StatusOr<HardeningDecision> AudioHardening::CheckFocusRequest(int32_t zone_id,
                                                                    const AppKey& app,
                                                                    absl::Time now) {
  absl::StatusOr<HardeningDecision> decision =
      Decide(zone_id, app, AudioApiGroup::kFocusRequest, "requestAudioFocus", now);
  if (!decision.ok()) return decision;
  if (decision->action == HardeningAction::kDeny) {
    decision->focus_explanation = absl::StrCat("hardening: ", decision->verdict.reason);
  }
  Record(zone_id, app, AudioApiGroup::kFocusRequest, "requestAudioFocus", *decision, now);
  return decision;
}

absl::StatusOr<HardeningDecision> AudioHardening::ShouldSilencePlayback(int32_t zone_id,
                                                                        const AppKey& app,
                                                                        absl::Time now) {
  absl::StatusOr<HardeningDecision> decision =
      Decide(zone_id, app, AudioApiGroup::kPlayback, "playback", now);
  if (!decision.ok()) return decision;
  const auto episode_key = std::make_pair(zone_id, app);
  if (decision->action == HardeningAction::kAllow) {
    playback_episodes_.erase(episode_key);
    return decision;
  }
  // A silenced stream is one suppression, however often the service asks.
  auto [episode, started] = playback_episodes_.try_emplace(episode_key, decision->action);
  if (started || episode->second != decision->action) {
    episode->second = decision->action;
    Record(zone_id, app, AudioApiGroup::kPlayback, "playback", *decision, now);
  }
  return decision;
}

void AudioHardening::PlaybackEnded(int32_t zone_id, const AppKey& app) {
  playback_episodes_.erase(std::make_pair(zone_id, app));
}

absl::StatusOr<HardeningDecision> AudioHardening::CheckVolumeCall(int32_t zone_id,
                                                                  const AppKey& app,
                                                                  VolumeCall call,
                                                                  absl::Time now) {
  const VolumeCallRow* row = FindVolumeCall(call);
  if (row == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown volume call ", static_cast<int32_t>(call)));
  }
  absl::StatusOr<HardeningDecision> decision =
      Decide(zone_id, app, AudioApiGroup::kVolume, row->name, now);
  if (!decision.ok()) return decision;
  Record(zone_id, app, AudioApiGroup::kVolume, row->name, *decision, now);
  return decision;
}

absl::StatusOr<HardeningDecision> AudioHardening::Decide(int32_t zone_id, const AppKey& app,
                                                         AudioApiGroup group,
                                                         absl::string_view api,
                                                         absl::Time now) const {
  if (absl::Status zone = ValidateZone(zone_id); !zone.ok()) return zone;
  if (absl::Status key = ValidateAppKey(app); !key.ok()) return key;

  HardeningDecision decision;
  decision.mode = mode(zone_id);
  decision.verdict = lifecycle_->Evaluate(app, now);
  if (decision.verdict.valid) return decision;

  decision.action = FindMode(decision.mode)->when_invalid;
  if (decision.action == HardeningAction::kAllow) return decision;
  const ApiGroupRow& row = RowFor(group);
  const char* outcome = decision.action == HardeningAction::kDeny ? row.enforced : row.warned;
  // seeds.md §1: every suppressed call logs a line prefixed AudioHardening
  // with the package name.
  decision.log_line = absl::StrCat("AudioHardening ", app.package_name, " uid=", app.uid,
                                   " zone=", zone_id, " ", api, ": ", outcome, ": ",
                                   decision.verdict.reason);
  return decision;
}

void AudioHardening::Record(int32_t zone_id, const AppKey& app, AudioApiGroup group,
                            absl::string_view api, const HardeningDecision& decision,
                            absl::Time now) {
  if (decision.action == HardeningAction::kAllow) return;
  ++suppressed_total_;
  if (log_capacity_ == 0) return;
  while (log_.size() >= log_capacity_) log_.pop_front();
  log_.push_back(SuppressedCall{
      .at = now,
      .zone_id = zone_id,
      .app = app,
      .group = group,
      .api = std::string(api),
      .mode = decision.mode,
      .action = decision.action,
      .log_line = decision.log_line,
  });
}

}  // namespace caraudio
