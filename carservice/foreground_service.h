// Foreground services as the lifecycle policy sees them: the FGS type (with
// android.content.pm.ServiceInfo FOREGROUND_SERVICE_TYPE_* values), how the
// FGS was started, and the two policy tables that drive AppLifecycle:
//
//   - start origin -> while-in-use (WIU) capability (seeds.md §1);
//   - FGS type -> counts for the lifecycle / leaves the foreground when
//     playback idles (seeds.md §2) / runs on a 6 h per 24 h budget (§5).
//
// Pure functions over constants; thread-compatible.

#ifndef CARAUDIO_CARSERVICE_FOREGROUND_SERVICE_H_
#define CARAUDIO_CARSERVICE_FOREGROUND_SERVICE_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace caraudio {

// The types the policy distinguishes, with Android's bit values. Types the
// policy treats alike (health, remoteMessaging, ...) are reported as kOther,
// which also stands for FOREGROUND_SERVICE_TYPE_NONE (0).
enum class FgsType : int32_t {
  kOther = 0,
  kDataSync = 1,
  kMediaPlayback = 2,
  kPhoneCall = 4,
  kLocation = 8,
  kConnectedDevice = 16,
  kCamera = 64,
  kMicrophone = 128,
  kShortService = 2048,
  kMediaProcessing = 8192,
  kSpecialUse = 0x40000000,
};

// How the FGS was started: the head unit's report, decisive for WIU.
enum class FgsStartOrigin : int32_t {
  kWhileVisible = 0,       // the app had a visible activity (PiP included)
  kMediaSessionEvent = 1,  // in response to a MediaSession event / callback
  kUserInteraction = 2,    // notification click, widget, media key (external device)
  kSystemDelegation = 3,   // system-server delegation, e.g. telecom
  kBootCompleted = 4,      // from a BOOT_COMPLETED receiver
  kBackground = 5,         // any other start from the background
};

// One row of the per-type policy table.
struct FgsTypePolicy {
  FgsType type;
  const char* name;  // the manifest spelling: "mediaPlayback"
  // seeds.md §1: a SHORT_SERVICE FGS never makes a valid lifecycle.
  bool counts_for_lifecycle;
  // seeds.md §2: leaves the foreground after kMediaIdleLimit not playing.
  bool leaves_foreground_when_idle;
  // seeds.md §5: kFgsRuntimeBudget per kFgsBudgetWindow, per type.
  bool runtime_budgeted;
};

// One row of the start-origin table.
struct FgsStartOriginPolicy {
  FgsStartOrigin origin;
  const char* name;    // "boot-completed"
  const char* phrase;  // completes "<type> FGS ...": "started from BOOT_COMPLETED"
  bool grants_while_in_use;  // seeds.md §1
};

// seeds.md §2: paused / stopped / failed this long, a mediaPlayback FGS
// leaves the foreground. media3 fires its timer at exactly 10 min, so the
// FGS is gone at idle >= kMediaIdleLimit.
inline constexpr absl::Duration kMediaIdleLimit = absl::Minutes(10);
// seeds.md §5: dataSync and mediaProcessing may each run this long ...
inline constexpr absl::Duration kFgsRuntimeBudget = absl::Hours(6);
// ... in a window this long (see AppLifecycle for the window rule).
inline constexpr absl::Duration kFgsBudgetWindow = absl::Hours(24);

// The tables themselves, one row per enum value, in enum order.
absl::Span<const FgsTypePolicy> AllFgsTypePolicies();
absl::Span<const FgsStartOriginPolicy> AllFgsStartOriginPolicies();

// One row. A value outside the enum gets kOther's row for a type and
// kBackground's (no WIU) for an origin.
const FgsTypePolicy& PolicyFor(FgsType type);
const FgsStartOriginPolicy& PolicyFor(FgsStartOrigin origin);

inline bool GrantsWhileInUse(FgsStartOrigin origin) {
  return PolicyFor(origin).grants_while_in_use;
}

// "mediaPlayback", "dataSync", "shortService", ..., "other".
const char* FgsTypeName(FgsType type);
// "while-visible", "media-session-event", "user-interaction",
// "system-delegation", "boot-completed", "background".
const char* FgsStartOriginName(FgsStartOrigin origin);

// Accepts the manifest spelling in any case and with '-', '_' or ' ' between
// words ("mediaPlayback", "media-playback", "MEDIA_PLAYBACK"), the constant
// names ("FOREGROUND_SERVICE_TYPE_DATA_SYNC") and the decimal values of the
// enum. nullopt otherwise.
std::optional<FgsType> ParseFgsType(absl::string_view text);

// Accepts the names above in any case and separator style, and the aliases
// "visible", "media-session", "notification", "widget", "media-key",
// "media-button", "system", "telecom", "boot", "boot-complete". nullopt
// otherwise.
std::optional<FgsStartOrigin> ParseFgsStartOrigin(absl::string_view text);

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_FOREGROUND_SERVICE_H_
