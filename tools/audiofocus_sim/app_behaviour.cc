#include "tools/audiofocus_sim/app_behaviour.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace caraudio::sim {
namespace {

// Appends `more` to `actions`.
void Append(std::vector<AppAction>& actions, std::vector<AppAction> more) {
  for (AppAction& action : more) actions.push_back(std::move(action));
}

}  // namespace

absl::string_view AppStateName(AppState state) {
  switch (state) {
    case AppState::kIdle:
      return "idle";
    case AppState::kRequesting:
      return "requesting";
    case AppState::kWaitingForGain:
      return "waiting-for-gain";
    case AppState::kPlaying:
      return "playing";
    case AppState::kDucked:
      return "ducked";
    case AppState::kPaused:
      return "paused";
    case AppState::kHoldingSilent:
      return "holding-silent";
  }
  return "unknown";
}

AppBehaviour::AppBehaviour(v1::Behaviour profile, std::string package_name, bool pause_when_ducked)
    : profile_(profile),
      package_name_(std::move(package_name)),
      pause_when_ducked_(pause_when_ducked) {}

std::string AppBehaviour::listened_client_id() const {
  // The bug REQUESTS_TWICE models: a second session replaces the first in
  // the app's own bookkeeping, so only the second one's events are heard.
  if (profile_ == v1::BEHAVIOUR_REQUESTS_TWICE) {
    return absl::StrCat(package_name_, kSecondClientSuffix);
  }
  return package_name_;
}

std::vector<AppAction> AppBehaviour::Handle(const AppInput& input) {
  if (const auto* play = std::get_if<PlayInput>(&input)) return OnPlay(*play);
  if (std::holds_alternative<StopInput>(input)) return OnEndOfPlayback();
  if (const auto* finished = std::get_if<PlaybackFinishedInput>(&input)) {
    if (finished->generation != generation_ || !PlayerOpen()) return {};
    return OnEndOfPlayback();
  }
  if (const auto* result = std::get_if<FocusResultInput>(&input)) return OnResult(*result);
  return OnChange(std::get<FocusChangeInput>(input));
}

bool AppBehaviour::PlayerOpen() const {
  return state_ == AppState::kPlaying || state_ == AppState::kDucked || state_ == AppState::kPaused;
}

bool AppBehaviour::PlaysWhateverTheAnswer() const {
  return profile_ == v1::BEHAVIOUR_STARTS_FROM_BOOT_COMPLETED ||
         profile_ == v1::BEHAVIOUR_BACKGROUND_WITHOUT_FGS;
}

std::vector<AppAction> AppBehaviour::OnPlay(const PlayInput& input) {
  if (profile_ == v1::BEHAVIOUR_PLAYS_WITHOUT_FOCUS) {
    if (state_ != AppState::kIdle) return {};
    duration_ms_ = input.duration_ms;
    return StartPlaying();
  }
  // Already asking or playing: a second "play" changes nothing.
  if (state_ != AppState::kIdle && state_ != AppState::kHoldingSilent) return {};
  duration_ms_ = input.duration_ms;
  state_ = AppState::kRequesting;
  std::vector<AppAction> actions = {RequestFocusAction{package_name_}};
  if (profile_ == v1::BEHAVIOUR_REQUESTS_TWICE) {
    actions.push_back(RequestFocusAction{absl::StrCat(package_name_, kSecondClientSuffix)});
  }
  return actions;
}

std::vector<AppAction> AppBehaviour::StartPlaying() {
  ++generation_;
  state_ = AppState::kPlaying;
  // Reserved up front: GCC 12 warns (falsely) about the variants moved when
  // the vector grows.
  std::vector<AppAction> actions;
  actions.reserve(3);
  actions.emplace_back(StartToneAction{});
  if (profile_ == v1::BEHAVIOUR_CHANGES_VOLUME_ITSELF)
    actions.emplace_back(ChangeOwnVolumeAction{});
  if (duration_ms_) actions.emplace_back(ScheduleEndAction{*duration_ms_, generation_});
  return actions;
}

std::vector<AppAction> AppBehaviour::AbandonAll() {
  if (profile_ == v1::BEHAVIOUR_NEVER_ABANDONS) return {};
  std::vector<AppAction> actions;
  for (const std::string& client_id : live_requests_)
    actions.push_back(AbandonFocusAction{client_id});
  live_requests_.clear();
  return actions;
}

std::vector<AppAction> AppBehaviour::OnEndOfPlayback() {
  std::vector<AppAction> actions;
  switch (state_) {
    case AppState::kIdle:
    case AppState::kHoldingSilent:
      return actions;  // nothing is playing
    case AppState::kPlaying:
    case AppState::kDucked:
    case AppState::kPaused:
      actions.push_back(StopToneAction{});
      break;
    case AppState::kRequesting:
    case AppState::kWaitingForGain:
      break;  // never started: only the request goes
  }
  ++generation_;
  if (profile_ == v1::BEHAVIOUR_NEVER_ABANDONS) {
    state_ = live_requests_.empty() ? AppState::kIdle : AppState::kHoldingSilent;
    return actions;
  }
  // A request still unanswered is abandoned when its answer comes (OnResult
  // in kIdle).
  Append(actions, AbandonAll());
  state_ = AppState::kIdle;
  return actions;
}

std::vector<AppAction> AppBehaviour::OnResult(const FocusResultInput& input) {
  const bool holds = input.result == caraudio::v1::REQUEST_GRANTED ||
                     input.result == caraudio::v1::REQUEST_DELAYED;
  if (holds) live_requests_.insert(input.client_id);
  if (state_ == AppState::kIdle || state_ == AppState::kHoldingSilent) {
    // The app stopped before the answer came: it does not want the focus.
    if (!holds) return {};
    if (profile_ == v1::BEHAVIOUR_NEVER_ABANDONS) {
      state_ = AppState::kHoldingSilent;
      return {};
    }
    live_requests_.erase(input.client_id);
    return {AbandonFocusAction{input.client_id}};
  }
  if (input.client_id != listened_client_id() || state_ != AppState::kRequesting) return {};
  switch (input.result) {
    case caraudio::v1::REQUEST_GRANTED:
      return StartPlaying();
    case caraudio::v1::REQUEST_DELAYED:
      if (PlaysWhateverTheAnswer()) return StartPlaying();
      state_ = AppState::kWaitingForGain;
      return {};
    default:  // REQUEST_FAILED
      if (PlaysWhateverTheAnswer()) return StartPlaying();
      state_ = AppState::kIdle;
      return {};
  }
}

std::vector<AppAction> AppBehaviour::OnChange(const FocusChangeInput& input) {
  if (input.change == caraudio::v1::FOCUS_CHANGE_LOSS) live_requests_.erase(input.client_id);
  if (input.client_id != listened_client_id()) return {};
  switch (input.change) {
    case caraudio::v1::FOCUS_CHANGE_GAIN:
      if (state_ == AppState::kWaitingForGain) return StartPlaying();
      if (state_ == AppState::kPaused || state_ == AppState::kDucked) {
        state_ = AppState::kPlaying;
        return {RestoreToneAction{}};
      }
      return {};
    case caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT:
      if (state_ != AppState::kPlaying && state_ != AppState::kDucked) return {};
      if (profile_ == v1::BEHAVIOUR_KEEPS_PLAYING_AFTER_LOSS) return {};
      state_ = AppState::kPaused;
      return {PauseToneAction{}};
    case caraudio::v1::FOCUS_CHANGE_LOSS_TRANSIENT_CAN_DUCK:
      if (state_ != AppState::kPlaying && state_ != AppState::kPaused) return {};
      if (profile_ == v1::BEHAVIOUR_IGNORES_CAN_DUCK) {
        // Plays on at full volume (resuming if a transient loss paused it).
        if (state_ == AppState::kPlaying) return {};
        state_ = AppState::kPlaying;
        return {RestoreToneAction{}};
      }
      if (pause_when_ducked_) {
        if (state_ == AppState::kPaused) return {};
        state_ = AppState::kPaused;
        return {PauseToneAction{}};
      }
      state_ = AppState::kDucked;
      return {DuckToneAction{}};
    case caraudio::v1::FOCUS_CHANGE_LOSS:
      return OnLoss();
    default:
      return {};  // the gains 2..4 are reported to the HAL, never to apps
  }
}

std::vector<AppAction> AppBehaviour::OnLoss() {
  if (profile_ == v1::BEHAVIOUR_KEEPS_PLAYING_AFTER_LOSS && PlayerOpen()) return {};
  std::vector<AppAction> actions;
  if (PlayerOpen()) actions.push_back(StopToneAction{});
  if (state_ == AppState::kIdle) return actions;
  ++generation_;
  state_ = AppState::kIdle;
  if (profile_ == v1::BEHAVIOUR_NEVER_ABANDONS) return actions;
  // Fire TV: stop, release and abandon. The lost request is gone already
  // (AbandonFocus then is a successful no-op); the app abandons it anyway,
  // and any other request it still has.
  live_requests_.insert(listened_client_id());
  Append(actions, AbandonAll());
  return actions;
}

}  // namespace caraudio::sim
