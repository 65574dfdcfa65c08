// AppLifecycle: what the head unit reports about each app (key: package name
// + uid) and whether that app is in a *valid lifecycle* for audio — the
// model behind background-audio hardening (seeds.md §1, §2, §5).
//
// State per app: visibility (a visible activity, picture-in-picture, or
// background), its foreground services (one per FgsType, with how each was
// started), its playback state, and the dataSync / mediaProcessing budgets.
// An app is valid while it is visible (PiP counts) or holds a non-shortService
// FGS started with while-in-use capability (the table in foreground_service.h).
// Time takes FGS away: a mediaPlayback FGS leaves the foreground after
// kMediaIdleLimit without playback (§2), and a dataSync / mediaProcessing FGS
// times out when its kFgsRuntimeBudget is spent (§5).
//
// Time. The caller passes `now` into every method; the model has no clock.
// The service passes its monotonic clock, tests a fake one, a replay the
// event timestamps — same inputs and times, same outputs. Each report first
// advances the model to `now` (transitions due at or before `now` happen
// first, then the report applies) and returns those transitions; AdvanceTo
// does only the first half, for timers (NextDeadline says when to call it).
//
// The budget window (§5 says "6 hours in a 24-hour window", tracked per type,
// reset by user interaction). The rule, as AOSP ActiveServices applies it:
// the window opens when the type starts being charged with no window open; a
// charge that starts kFgsBudgetWindow or more after the window opened gets a
// fresh budget and window; a spent budget stays spent until a user
// interaction — an app becoming fully visible, or ReportUserInteraction —
// as §5 says; the window passing alone does not bring it back.
// Runtime is charged while the FGS is in the foreground and the app has no
// fully visible activity (PiP is charged: it is not an interaction).
//
// Errors leave the model unchanged, time included. An AppLifecycle is not
// thread-safe; the service serialises calls.

#ifndef CARAUDIO_CARSERVICE_APP_LIFECYCLE_H_
#define CARAUDIO_CARSERVICE_APP_LIFECYCLE_H_

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "carservice/foreground_service.h"
#include "pipewire-bridge/app_identity.h"  // kMaxPackageNameLength

namespace caraudio {

// The identity of an app: package name and uid (one package may run under
// several uids, e.g. per user).
struct AppKey {
  std::string package_name;
  int32_t uid = 0;

  friend bool operator==(const AppKey&, const AppKey&) = default;
  friend std::strong_ordering operator<=>(const AppKey&, const AppKey&) = default;
};

// "com.example.radio (uid 10057)", for messages.
std::string AppKeyText(const AppKey& app);

// InvalidArgument unless the package name is non-empty, at most
// kMaxPackageNameLength bytes and free of whitespace and control characters
// and the uid is >= 0.
absl::Status ValidateAppKey(const AppKey& app);

enum class Visibility : int32_t {
  kBackground = 0,
  kVisible = 1,           // a fully visible activity: also a user interaction (§5)
  kPictureInPicture = 2,  // counts as visible for the lifecycle (§1)
};

// The app's player, as its MediaSession reports it (seeds.md §2).
enum class PlaybackState : int32_t {
  kPlaying = 0,
  kPaused = 1,
  kStopped = 2,  // also the state of an app that never reported playback
  kFailed = 3,
};

enum class FgsStatus : int32_t {
  kForeground = 0,      // running as an FGS
  kLeftForeground = 1,  // mediaPlayback idle for kMediaIdleLimit (§2)
  kTimedOut = 2,        // dataSync / mediaProcessing budget spent (§5)
};

// Why an app's lifecycle is valid.
enum class LifecycleBasis : int32_t {
  kNone = 0,  // invalid
  kVisibleActivity = 1,
  kPictureInPicture = 2,
  kForegroundService = 3,
};

enum class LifecycleTransitionKind : int32_t {
  kLeftForeground = 0,
  kTimedOut = 1,
};

// "background", "visible", "picture-in-picture".
const char* VisibilityName(Visibility visibility);
// "playing", "paused", "stopped", "failed".
const char* PlaybackStateName(PlaybackState state);
// "foreground", "left-foreground", "timed-out".
const char* FgsStatusName(FgsStatus status);
// "none", "visible-activity", "picture-in-picture", "foreground-service".
const char* LifecycleBasisName(LifecycleBasis basis);
// "left-foreground", "timed-out".
const char* LifecycleTransitionKindName(LifecycleTransitionKind kind);

// The names above in any case and separator style; also "pip" and "bg".
std::optional<Visibility> ParseVisibility(absl::string_view text);
// The names above in any case and separator style.
std::optional<PlaybackState> ParsePlaybackState(absl::string_view text);

// The answer to "may this app use audio now?".
struct LifecycleVerdict {
  bool valid = false;
  LifecycleBasis basis = LifecycleBasis::kNone;
  // Why, for logs and explanations: "visible activity", "background, no
  // foreground service", "mediaPlayback FGS started from BOOT_COMPLETED has
  // no while-in-use capability", ... When several services are involved,
  // their reasons in FgsType order joined with "; ".
  std::string reason;

  friend bool operator==(const LifecycleVerdict&, const LifecycleVerdict&) = default;
};

// Something time did to an app's FGS.
struct LifecycleTransition {
  absl::Time at;  // when the rule fired, not when it was noticed
  AppKey app;
  FgsType fgs_type = FgsType::kOther;
  LifecycleTransitionKind kind = LifecycleTransitionKind::kLeftForeground;
  std::string reason;            // as in the verdict: "dataSync FGS timed out: ..."
  bool app_valid_after = false;  // the app's verdict right after this transition

  friend bool operator==(const LifecycleTransition&, const LifecycleTransition&) = default;
};

struct ForegroundServiceState {
  FgsType type = FgsType::kOther;
  FgsStartOrigin origin = FgsStartOrigin::kBackground;
  absl::Time started_at;
  FgsStatus status = FgsStatus::kForeground;
  absl::Time status_since;  // started_at while kForeground
  // For kLeftForeground: the playback state it idled in.
  PlaybackState idle_state = PlaybackState::kStopped;

  friend bool operator==(const ForegroundServiceState&, const ForegroundServiceState&) = default;
};

// One budgeted type's account (seeds.md §5).
struct FgsBudgetState {
  FgsType type = FgsType::kDataSync;
  absl::Duration used;                    // charged so far in this window
  std::optional<absl::Time> window_start;  // nullopt: no window open
  bool charging = false;
  bool exhausted = false;  // spent: no new FGS of the type until an interaction

  absl::Duration remaining() const { return kFgsRuntimeBudget - used; }

  friend bool operator==(const FgsBudgetState&, const FgsBudgetState&) = default;
};

// An app's state at one time, for the admin API and tests.
struct AppSnapshot {
  AppKey app;
  Visibility visibility = Visibility::kBackground;
  PlaybackState playback = PlaybackState::kStopped;
  absl::Time playback_since;  // last switch between playing and not playing
  std::vector<ForegroundServiceState> services;  // FgsType order
  std::vector<FgsBudgetState> budgets;  // every budgeted type, FgsType order
  LifecycleVerdict verdict;

  friend bool operator==(const AppSnapshot&, const AppSnapshot&) = default;
};

class AppLifecycle {
 public:
  AppLifecycle() = default;

  // Reports. Each returns the transitions due up to `now` (all apps, in time
  // order), then applies. Common errors: InvalidArgument for a bad AppKey or
  // a `now` earlier than now().

  // The app's activity is now fully visible, in PiP, or gone. Becoming fully
  // visible is a user interaction: it resets the FGS budgets (§5).
  absl::StatusOr<std::vector<LifecycleTransition>> SetVisibility(const AppKey& app,
                                                                 Visibility visibility,
                                                                 absl::Time now);

  // The app started an FGS of `type`. FailedPrecondition when it already
  // runs one of that type in the foreground, when `origin` is kWhileVisible
  // but the app has no visible activity, or when the type's budget is spent
  // (§5: no new FGS of the type before a user interaction). An FGS of that
  // type that left the foreground or timed out is replaced.
  absl::StatusOr<std::vector<LifecycleTransition>> StartForegroundService(const AppKey& app,
                                                                          FgsType type,
                                                                          FgsStartOrigin origin,
                                                                          absl::Time now);

  // The app stopped its FGS of `type`, in whatever status.
  // FailedPrecondition when it has none.
  absl::StatusOr<std::vector<LifecycleTransition>> StopForegroundService(const AppKey& app,
                                                                         FgsType type,
                                                                         absl::Time now);

  // The app's player state. Switching between playing and not playing
  // restarts the idle clock of §2; a mediaPlayback FGS that already left the
  // foreground stays out (§1: only a user resume starts a new FGS).
  absl::StatusOr<std::vector<LifecycleTransition>> SetPlaybackState(const AppKey& app,
                                                                    PlaybackState state,
                                                                    absl::Time now);

  // The user interacted with the app without making it visible
  // (notification action, media key, ...): resets its FGS budgets (§5).
  absl::StatusOr<std::vector<LifecycleTransition>> ReportUserInteraction(const AppKey& app,
                                                                         absl::Time now);

  // Applies every transition due at or before `now` and returns them in time
  // order (ties: app, then FgsType order). A `now` earlier than now() is a
  // no-op: a late timer is harmless.
  std::vector<LifecycleTransition> AdvanceTo(absl::Time now);

  // The verdict at `now` (not before now()), as if AdvanceTo(now) had run.
  // Apps never reported — and malformed keys — are invalid: "background, no
  // foreground service (no lifecycle reported)".
  LifecycleVerdict Evaluate(const AppKey& app, absl::Time now) const;

  // The app's state at `now` (not before now()). InvalidArgument for a bad
  // key, NotFound for an app never reported.
  absl::StatusOr<AppSnapshot> Snapshot(const AppKey& app, absl::Time now) const;

  // The earliest time a transition is due, if any: when to call AdvanceTo.
  std::optional<absl::Time> NextDeadline() const;

  // Every reported app, in key order.
  std::vector<AppKey> Apps() const;
  // The time of the last accepted input; InfinitePast before the first.
  absl::Time now() const { return now_; }

 private:
  struct Budget {
    absl::Duration used;
    std::optional<absl::Time> charging_since;
    std::optional<absl::Time> window_start;
    bool exhausted = false;
  };
  struct AppState {
    Visibility visibility = Visibility::kBackground;
    PlaybackState playback = PlaybackState::kStopped;
    absl::Time playback_since = absl::InfinitePast();
    std::map<FgsType, ForegroundServiceState> services;
    std::map<FgsType, Budget> budgets;  // every budgeted type
  };

  // Validates, advances a copy of the app's state to `now`, lets `change`
  // edit it, and commits only if `change` succeeds.
  absl::StatusOr<std::vector<LifecycleTransition>> Report(
      const AppKey& app, absl::Time now, absl::FunctionRef<absl::Status(AppState&)> change);

  static AppState NewAppState();
  static void Advance(AppState& state, const AppKey& app, absl::Time to,
                      std::vector<LifecycleTransition>* transitions);
  static void UpdateCharging(AppState& state, absl::Time now);
  static void ResetBudgets(AppState& state, absl::Time now);
  static LifecycleVerdict Verdict(const AppState& state);

  std::map<AppKey, AppState> apps_;
  absl::Time now_ = absl::InfinitePast();
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_APP_LIFECYCLE_H_
