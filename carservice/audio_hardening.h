// AudioHardening: Android 17 background-audio hardening for the car
// (seeds.md §1). Per zone a mode — off, warn (Android 16: log only) or
// enforce (Android 17) — and the decisions the service asks for before it
// acts for an app:
//
//   API group       enforce, app outside a valid lifecycle
//   focus request   REQUEST_FAILED, nothing changes for other apps
//   playback        silenced at its stream, no error to the app
//   volume / mute   silently ignored: state unchanged, OK to the caller
//
// In warn mode the app gets its way and the line is logged as what would
// have happened; off decides nothing. A valid lifecycle (AppLifecycle) is
// always allowed. Every logged decision — both modes — starts with
// "AudioHardening <package>" and is kept, with its time, in a bounded ring
// for the admin API (oldest dropped first).
//
// Default mode: enforce, the Android 17 behaviour seeds.md §1 specifies.
// Apps the head unit never reported are outside a valid lifecycle, so a
// service that does not report lifecycles must choose warn or off.
//
// Reads the AppLifecycle it is given (not owned; must outlive this object).
// Pure: no I/O, no clock — `now` comes from the caller. Not thread-safe; the
// service serialises calls.

#ifndef CARAUDIO_CARSERVICE_AUDIO_HARDENING_H_
#define CARAUDIO_CARSERVICE_AUDIO_HARDENING_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "carservice/app_lifecycle.h"

namespace caraudio {

enum class HardeningMode : int32_t {
  kOff = 0,
  kWarn = 1,     // Android 16
  kEnforce = 2,  // Android 17
};

inline constexpr HardeningMode kDefaultHardeningMode = HardeningMode::kEnforce;

enum class HardeningAction : int32_t {
  kAllow = 0,        // go ahead, nothing logged
  kAllowButLog = 1,  // go ahead and log the line (warn mode)
  kDeny = 2,         // fail the request / silence / ignore, and log the line
};

// The rows of seeds.md §1's table.
enum class AudioApiGroup : int32_t {
  kFocusRequest = 0,
  kPlayback = 1,
  kVolume = 2,
};

// The volume and mute calls of seeds.md §1 that enforce ignores.
enum class VolumeCall : int32_t {
  kSetStreamVolume = 0,
  kSetStreamMute = 1,
  kAdjustStreamVolume = 2,
  kAdjustVolume = 3,
  kAdjustSuggestedStreamVolume = 4,
  kSetRingerMode = 5,
};

// "off", "warn", "enforce".
const char* HardeningModeName(HardeningMode mode);
// "allow", "allow_but_log", "deny".
const char* HardeningActionName(HardeningAction action);
// "focus-request", "playback", "volume".
const char* AudioApiGroupName(AudioApiGroup group);
// The AudioManager method name: "setStreamVolume", ..., "setRingerMode".
const char* VolumeCallName(VolumeCall call);

// The names in any case and separator style, and the values of
// `cmd audio set-enable-hardening`: "1" (and "on") enforce, "0" off.
std::optional<HardeningMode> ParseHardeningMode(absl::string_view text);
// The method names in any case and separator style.
std::optional<VolumeCall> ParseVolumeCall(absl::string_view text);

struct HardeningDecision {
  HardeningAction action = HardeningAction::kAllow;
  HardeningMode mode = HardeningMode::kOff;  // the zone's mode that decided
  LifecycleVerdict verdict;  // the app's lifecycle at `now`, in every mode
  // kAllowButLog and kDeny: the line to log, e.g. "AudioHardening
  // com.example.radio uid=10057 zone=0 requestAudioFocus: REQUEST_FAILED:
  // background, no foreground service". Empty for kAllow.
  std::string log_line;
  // CheckFocusRequest with kDeny: the REQUEST_FAILED explanation,
  // "hardening: <lifecycle reason>". Empty otherwise.
  std::string focus_explanation;

  bool allowed() const { return action != HardeningAction::kDeny; }

  friend bool operator==(const HardeningDecision&, const HardeningDecision&) = default;
};

// One logged decision (a suppressed call, or in warn mode one that would
// have been).
struct SuppressedCall {
  absl::Time at;
  int32_t zone_id = 0;
  AppKey app;
  AudioApiGroup group = AudioApiGroup::kFocusRequest;
  std::string api;  // "requestAudioFocus", "playback", "setStreamVolume", ...
  HardeningMode mode = HardeningMode::kEnforce;
  HardeningAction action = HardeningAction::kDeny;
  std::string log_line;

  friend bool operator==(const SuppressedCall&, const SuppressedCall&) = default;
};

class AudioHardening {
 public:
  static constexpr size_t kDefaultLogCapacity = 256;

  // `lifecycle` must outlive this object. A capacity of 0 keeps no entries
  // (suppressed_total() still counts).
  explicit AudioHardening(const AppLifecycle* lifecycle,
                          HardeningMode default_mode = kDefaultHardeningMode,
                          size_t log_capacity = kDefaultLogCapacity);

  // The mode of one zone; zones never set follow the default mode.
  // InvalidArgument for a negative zone id or a value outside the enum.
  absl::Status SetMode(int32_t zone_id, HardeningMode mode);
  // The mode of zones never given one. InvalidArgument outside the enum.
  absl::Status SetDefaultMode(HardeningMode mode);
  HardeningMode mode(int32_t zone_id) const;
  HardeningMode default_mode() const { return default_mode_; }
  const std::map<int32_t, HardeningMode>& zone_modes() const { return zone_modes_; }

  // Decisions. InvalidArgument for a negative zone id or a bad AppKey (then
  // nothing is logged). kDeny / kAllowButLog decisions are logged.

  // Before RequestFocus: kDeny means answer REQUEST_FAILED with
  // `focus_explanation` and leave the stack alone.
  absl::StatusOr<HardeningDecision> CheckFocusRequest(int32_t zone_id, const AppKey& app,
                                                      absl::Time now);

  // Whether the app's stream in the zone must be silenced (kDeny) — ask on
  // every lifecycle or mode change; kAllow/kAllowButLog means un-silence.
  // Logs once per episode: when the app enters kDeny or kAllowButLog (or
  // moves between them), not again while it stays there.
  absl::StatusOr<HardeningDecision> ShouldSilencePlayback(int32_t zone_id, const AppKey& app,
                                                          absl::Time now);
  // The app's stream in the zone is gone: its next playback is a new
  // episode.
  void PlaybackEnded(int32_t zone_id, const AppKey& app);

  // Before a volume or mute call: kDeny means do nothing and answer OK.
  // InvalidArgument also for a `call` outside the enum.
  absl::StatusOr<HardeningDecision> CheckVolumeCall(int32_t zone_id, const AppKey& app,
                                                    VolumeCall call, absl::Time now);

  // The logged decisions still kept, oldest first.
  const std::deque<SuppressedCall>& suppressed_calls() const { return log_; }
  // Every logged decision since construction, dropped ones included.
  uint64_t suppressed_total() const { return suppressed_total_; }
  size_t log_capacity() const { return log_capacity_; }

 private:
  absl::StatusOr<HardeningDecision> Decide(int32_t zone_id, const AppKey& app,
                                           AudioApiGroup group, absl::string_view api,
                                           absl::Time now) const;
  void Record(int32_t zone_id, const AppKey& app, AudioApiGroup group, absl::string_view api,
              const HardeningDecision& decision, absl::Time now);

  const AppLifecycle* lifecycle_;
  HardeningMode default_mode_;
  size_t log_capacity_;
  std::map<int32_t, HardeningMode> zone_modes_;
  // (zone, app) -> the non-allow action last logged for its playback.
  std::map<std::pair<int32_t, AppKey>, HardeningAction> playback_episodes_;
  std::deque<SuppressedCall> log_;
  uint64_t suppressed_total_ = 0;
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_AUDIO_HARDENING_H_
