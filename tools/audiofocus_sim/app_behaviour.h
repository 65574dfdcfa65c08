// AppBehaviour: what one simulated app does with audio focus, as a pure state
// machine. Inputs are what happens to the app (the scenario tells it to play
// or stop, its playback ends, the service answers a request or changes its
// focus); outputs are the actions the app takes (request or abandon focus,
// start, pause, lower, restore or stop its player, change its group volume).
// The runner (scenario_runner.h) performs the actions; nothing here does I/O,
// so every profile is tested cell by cell (tests/sim/app_behaviour_test.cc).
//
// The profiles are caraudio.sim.v1.Behaviour (scenario.proto says what each
// one breaks). The well-behaved app follows seeds.md §4:
//   play       request focus at once; start playing only on REQUEST_GRANTED;
//              after REQUEST_DELAYED wait for GAIN; after REQUEST_FAILED do
//              nothing;
//   LOSS_TRANSIENT           pause (gain 0);
//   LOSS_TRANSIENT_CAN_DUCK  lower itself to kDuckGain (35 %), or pause when
//                            it asked for pause_when_ducked;
//   GAIN       restore full volume;
//   LOSS       stop and abandon (never expects GAIN back);
//   stop / end of playback   stop and abandon right away.
// Every other profile changes exactly the cells its comment in scenario.proto
// names. Focus events of a client id the app is not listening to (an earlier
// request, or REQUESTS_TWICE's first one) change nothing.
//
// Client ids: the app's package name; REQUESTS_TWICE's second request uses
// package name + kSecondClientSuffix.
//
// Playback duration: a play input with a duration makes the app ask for a
// timer (ScheduleEnd) when its player starts; the runner feeds
// PlaybackFinished with the same generation when it fires. A generation that
// is no longer current (the app stopped meanwhile) is ignored. The duration
// is wall time from the start: pauses do not extend it.
//
// Not thread-safe: the runner feeds one app from one thread.

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_APP_BEHAVIOUR_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_APP_BEHAVIOUR_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"
#include "caraudio/sim/v1/scenario.pb.h"
#include "caraudio/v1/common.pb.h"

namespace caraudio::sim {

// The level a well-behaved app lowers itself to on LOSS_TRANSIENT_CAN_DUCK
// (seeds.md §4: about 30-40 %); -9.1 dB.
inline constexpr double kDuckGain = 0.35;
inline constexpr absl::string_view kSecondClientSuffix = "#2";

// --- Inputs -------------------------------------------------------------------

// The scenario's app_play: the app wants to play, for duration_ms if given.
struct PlayInput {
  std::optional<int32_t> duration_ms;
};
// The scenario's app_stop: the app's playback ends.
struct StopInput {};
// The duration of a play ran out (a ScheduleEnd timer fired).
struct PlaybackFinishedInput {
  uint64_t generation = 0;
};
// The first event of a RequestFocus stream.
struct FocusResultInput {
  std::string client_id;
  caraudio::v1::RequestResult result = caraudio::v1::REQUEST_FAILED;
};
// A later focus_change of a RequestFocus stream.
struct FocusChangeInput {
  std::string client_id;
  caraudio::v1::FocusChange change = caraudio::v1::FOCUS_CHANGE_NONE;
};

using AppInput =
    std::variant<PlayInput, StopInput, PlaybackFinishedInput, FocusResultInput, FocusChangeInput>;

// --- Actions ------------------------------------------------------------------

// RequestFocus with the app's usage, gain, flags and zone as this client id.
struct RequestFocusAction {
  std::string client_id;
  friend bool operator==(const RequestFocusAction&, const RequestFocusAction&) = default;
};
// AbandonFocus of this client id.
struct AbandonFocusAction {
  std::string client_id;
  friend bool operator==(const AbandonFocusAction&, const AbandonFocusAction&) = default;
};
// The player starts (full volume).
struct StartToneAction {
  friend bool operator==(const StartToneAction&, const StartToneAction&) = default;
};
// The player pauses (silent, still open).
struct PauseToneAction {
  friend bool operator==(const PauseToneAction&, const PauseToneAction&) = default;
};
// The player lowers itself to kDuckGain.
struct DuckToneAction {
  friend bool operator==(const DuckToneAction&, const DuckToneAction&) = default;
};
// The player resumes or returns to full volume.
struct RestoreToneAction {
  friend bool operator==(const RestoreToneAction&, const RestoreToneAction&) = default;
};
// The player stops (silent).
struct StopToneAction {
  friend bool operator==(const StopToneAction&, const StopToneAction&) = default;
};
// Ask for PlaybackFinishedInput{generation} after duration_ms.
struct ScheduleEndAction {
  int32_t duration_ms = 0;
  uint64_t generation = 0;
  friend bool operator==(const ScheduleEndAction&, const ScheduleEndAction&) = default;
};
// The app sets its own volume group's volume (SetGroupVolume with its
// package name and uid), as CHANGES_VOLUME_ITSELF does when it starts.
struct ChangeOwnVolumeAction {
  friend bool operator==(const ChangeOwnVolumeAction&, const ChangeOwnVolumeAction&) = default;
};

using AppAction = std::variant<RequestFocusAction, AbandonFocusAction, StartToneAction,
                               PauseToneAction, DuckToneAction, RestoreToneAction, StopToneAction,
                               ScheduleEndAction, ChangeOwnVolumeAction>;

// --- The machine -------------------------------------------------------------

enum class AppState {
  kIdle,            // not playing, no request it cares about
  kRequesting,      // asked for focus, waiting for the answer
  kWaitingForGain,  // REQUEST_DELAYED: waiting for GAIN before playing
  kPlaying,         // playing at full volume
  kDucked,          // playing at kDuckGain (LOSS_TRANSIENT_CAN_DUCK)
  kPaused,          // paused by a transient loss
  kHoldingSilent,   // stopped playing but kept its focus (NEVER_ABANDONS)
};

// "idle", "requesting", "waiting-for-gain", "playing", "ducked", "paused",
// "holding-silent".
absl::string_view AppStateName(AppState state);

class AppBehaviour {
 public:
  // `profile` must be a listed Behaviour (the scenario is validated).
  AppBehaviour(v1::Behaviour profile, std::string package_name, bool pause_when_ducked);

  // Feeds one input; returns the actions to take, in order (often none).
  std::vector<AppAction> Handle(const AppInput& input);

  AppState state() const { return state_; }
  v1::Behaviour profile() const { return profile_; }
  // The client id of the app's (first) request.
  const std::string& client_id() const { return package_name_; }
  // The client id whose focus events the app reacts to.
  std::string listened_client_id() const;

 private:
  std::vector<AppAction> OnPlay(const PlayInput& input);
  std::vector<AppAction> OnEndOfPlayback();
  std::vector<AppAction> OnResult(const FocusResultInput& input);
  std::vector<AppAction> OnChange(const FocusChangeInput& input);
  std::vector<AppAction> OnLoss();
  // StartTone (+ ChangeOwnVolume, + ScheduleEnd); state kPlaying.
  std::vector<AppAction> StartPlaying();
  // An abandon for every request still alive; empty for NEVER_ABANDONS.
  std::vector<AppAction> AbandonAll();
  // Whether the player is producing sound or paused mid-play (not stopped).
  bool PlayerOpen() const;
  // Whether this profile starts its player whatever the focus answer.
  bool PlaysWhateverTheAnswer() const;

  const v1::Behaviour profile_;
  const std::string package_name_;
  const bool pause_when_ducked_;

  AppState state_ = AppState::kIdle;
  // The duration of the play being started or played.
  std::optional<int32_t> duration_ms_;
  // Increases at every start and end of playback; see PlaybackFinishedInput.
  uint64_t generation_ = 0;
  // Client ids whose request is granted or delayed and not yet lost or
  // abandoned, i.e. what an abandon would remove.
  std::set<std::string> live_requests_;
};

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_APP_BEHAVIOUR_H_
