// FocusInteraction: the AAOS 13x13 interaction matrix (focus-rules.md §1.2)
// as constexpr data, plus the one dynamic cell.
//
// Rows are the context of an entry already in the stack (holder or waiting
// loser), columns the context of the incoming request. Every cell is fixed
// except CALL -> NAVIGATION, which follows the zone's "navigation rejected
// during call" setting (AAOS KEY_AUDIO_FOCUS_NAVIGATION_REJECTED_DURING_CALL).
// Each zone owns its own FocusInteraction, so the setting is per zone (AAOS 14+
// shares rows across zones by accident; we do not copy that).
// A FocusInteraction is a small value type; not thread-safe.

#ifndef CARAUDIO_CARSERVICE_FOCUS_INTERACTION_H_
#define CARAUDIO_CARSERVICE_FOCUS_INTERACTION_H_

#include <array>
#include <string>

#include "carservice/audio_context.h"

namespace caraudio {

// INTERACTION_REJECT / _EXCLUSIVE / _CONCURRENT with AAOS's values.
enum class Interaction : int {
  kReject = 0,
  kExclusive = 1,
  kConcurrent = 2,
};

// "REJECT", "EXCLUSIVE", "CONCURRENT".
const char* InteractionName(Interaction interaction);
// 'R', 'E', 'C' as printed in the matrix.
char InteractionLetter(Interaction interaction);

using InteractionMatrix =
    std::array<std::array<Interaction, kAudioContextCount>, kAudioContextCount>;

namespace interaction_matrix_internal {
inline constexpr Interaction R = Interaction::kReject;
inline constexpr Interaction E = Interaction::kExclusive;
inline constexpr Interaction C = Interaction::kConcurrent;
}  // namespace interaction_matrix_internal

// The static matrix, printed so it can be checked against focus-rules.md §1.2
// cell by cell. kDefaultInteractionMatrix[holder][request].
inline constexpr InteractionMatrix kDefaultInteractionMatrix = [] {
  using namespace interaction_matrix_internal;
  return InteractionMatrix{{
      //                 INV MUS NAV VOI RING CALL ALRM NOTI SYS EMER SAFE VEH ANN
      /* INVALID      */ {R, R, R, R, R, R, R, R, R, E, E, R, R},
      /* MUSIC        */ {R, E, C, E, E, E, E, C, C, E, C, C, E},
      /* NAVIGATION   */ {R, C, C, E, C, E, C, C, C, E, C, C, C},
      /* VOICE_COMMAND*/ {R, C, R, C, E, E, R, R, R, E, C, C, R},
      /* CALL_RING    */ {R, R, C, C, C, C, R, R, C, E, C, C, R},
      /* CALL         */ {R, R, C, R, C, C, C, C, R, C, C, C, R},  // NAV cell: setting
      /* ALARM        */ {R, C, C, E, E, E, C, C, C, E, C, C, R},
      /* NOTIFICATION */ {R, C, C, E, E, E, C, C, C, E, C, C, C},
      /* SYSTEM_SOUND */ {R, C, C, E, E, E, C, C, C, E, C, C, C},
      /* EMERGENCY    */ {R, R, R, R, R, C, R, R, R, C, C, R, R},
      /* SAFETY       */ {R, C, C, C, C, C, C, C, C, C, C, C, C},
      /* VEHICLE_STAT */ {R, C, C, C, C, C, C, C, C, E, C, C, C},
      /* ANNOUNCEMENT */ {R, E, C, E, E, E, E, C, C, E, C, C, E},
  }};
}();

class FocusInteraction {
 public:
  FocusInteraction() = default;

  // The interaction between an existing entry of `holder` context and a new
  // request of `request` context in this zone.
  Interaction Evaluate(AudioContext holder, AudioContext request) const {
    if (holder == AudioContext::kCall && request == AudioContext::kNavigation) {
      return navigation_rejected_during_call_ ? Interaction::kReject : Interaction::kConcurrent;
    }
    return kDefaultInteractionMatrix[ContextIndex(holder)][ContextIndex(request)];
  }

  bool navigation_rejected_during_call() const { return navigation_rejected_during_call_; }
  void set_navigation_rejected_during_call(bool rejected) {
    navigation_rejected_during_call_ = rejected;
  }

 private:
  bool navigation_rejected_during_call_ = false;  // AAOS default: 0 = allowed
};

// The matrix as this zone sees it, one row per holder context, as text:
// the one place it is printed (audioctl, dumps, docs).
std::string FormatInteractionMatrix(const FocusInteraction& interaction);

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_FOCUS_INTERACTION_H_
