// ComplianceAudit: checks apps against the well-behaved-app rules of
// seeds.md §4 (the Fire TV focus requirements) from what the car service
// itself sees — the focus stacks after every operation, the focus changes it
// dispatched, the apps' volume calls, and the level of every app stream the
// HAL measures (AudioControl.WatchStreamLevels) — and keeps the findings,
// each with its time.
//
// An app is (package, uid) in a zone; its streams are the level reports
// whose package and uid name it, in the zone they are routed in. It is
// audible when its loudest stream's RMS exceeds the threshold. The rules:
//
//   PLAYED_WITHOUT_FOCUS          audible without a focus entry in the zone
//                                 that lets it play (holder, or ducked);
//   AUDIBLE_AFTER_LOSS            the same, after it got AUDIOFOCUS_LOSS;
//   AUDIBLE_DURING_TRANSIENT_LOSS the same, while it waits after
//                                 AUDIOFOCUS_LOSS_TRANSIENT;
//   NOT_LOWERED_AFTER_CAN_DUCK    after LOSS_TRANSIENT_CAN_DUCK, still audible
//                                 and not at least duck_lowering_db below
//                                 its level at the change;
//   HELD_FOCUS_WHILE_SILENT       a holder silent for idle_focus (it did not
//                                 abandon after playback);
//   MULTIPLE_STACK_ENTRIES        two or more entries in one zone's stack,
//                                 or a request that takes focus from the
//                                 app's own other entry;
//   CHANGED_VOLUME_ITSELF         each volume or mute call the app made.
//
// Precision over recall, so a well-behaved app is never flagged: every audio
// rule gives the app `reaction` to react (a level report is judged only when
// it ends at least that long after the state change, so a report window
// that straddles a pause does not count), and each finding is made once per
// episode (until the app is allowed again, regains, or its state changes).
// Audio rules are judged only while level reports arrive.
//
// Pure: no I/O, no clock (`now` comes from the caller), replayable. Not
// thread-safe; the service calls it on its executor.

#ifndef CARAUDIO_CARSERVICE_COMPLIANCE_AUDIT_H_
#define CARAUDIO_CARSERVICE_COMPLIANCE_AUDIT_H_

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "carservice/app_lifecycle.h"
#include "carservice/focus_decision.h"
#include "carservice/focus_engine.h"

namespace caraudio {

// The rules, numbered as caraudio.v1.FindingKind.
enum class FindingKind : int32_t {
  kPlayedWithoutFocus = 1,
  kAudibleAfterLoss = 2,
  kAudibleDuringTransientLoss = 3,
  kNotLoweredAfterCanDuck = 4,
  kHeldFocusWhileSilent = 5,
  kMultipleStackEntries = 6,
  kChangedVolumeItself = 7,
};

// "played-without-focus", ... (the proto name without prefix, kebab case).
const char* FindingKindName(FindingKind kind);

struct AuditSettings {
  // Audible: RMS above this (dBFS). A tone at 35 % of -9 dBFS is -18 dBFS.
  double audible_threshold_dbfs = -60.0;
  // Time an app gets to start, stop, pause or lower itself.
  absl::Duration reaction = absl::Milliseconds(300);
  // Time a holder may stay silent before it should have abandoned.
  absl::Duration idle_focus = absl::Seconds(5);
  // How far below its level an app must go after CAN_DUCK (35 % = 9.1 dB).
  double duck_lowering_db = 6.0;
};

// One app stream's level over a report period (from StreamLevelsReport).
struct StreamLevelSample {
  AppKey app;  // empty package: a stream that did not say; not audited
  int32_t zone_id = 0;
  std::string client_id;
  std::string node_name;
  double rms_dbfs = -120.0;
  double peak_dbfs = -120.0;
  bool silenced = false;
};

struct AuditFinding {
  absl::Time at;     // when the finding was made
  absl::Time since;  // when the offending condition began
  FindingKind kind = FindingKind::kPlayedWithoutFocus;
  int32_t zone_id = 0;
  AppKey app;
  std::string client_id;  // "" when no focus entry is involved
  std::string detail;     // one sentence with the measured figures

  friend bool operator==(const AuditFinding&, const AuditFinding&) = default;
};

class ComplianceAudit {
 public:
  static constexpr size_t kDefaultCapacity = 1024;

  explicit ComplianceAudit(AuditSettings settings = {}, size_t capacity = kDefaultCapacity);

  // An app's focus request and its decision, before the ObserveFocus that
  // follows it: a request that takes focus from another entry of the same
  // app (a second session) counts as two entries in the stack even though
  // the first one then leaves it.
  // `callbacks` are the app callbacks the request caused (CoreOutput's).
  void ObserveRequest(const FocusRequest& request, const FocusDecision& decision,
                      const std::vector<FocusCallback>& callbacks, absl::Time now);
  // After every focus operation: the stacks as they are now. Entries without
  // a package (the HAL's) are not audited.
  void ObserveFocus(const FocusEngine& engine, absl::Time now);
  // A focus change dispatched to an app client (LOSS marks its app as lost
  // in that zone until it holds focus again).
  void ObserveCallback(const FocusCallback& callback, absl::Time now);
  // A volume or mute call the app made (whatever hardening did with it).
  void ObserveVolumeCall(const AppKey& app, int32_t zone_id, absl::string_view api,
                         absl::Time now);
  // A level report from the HAL: every routed stream at `now`.
  void ObserveLevels(const std::vector<StreamLevelSample>& streams, absl::Time now);
  // The HAL stopped reporting levels: audio rules pause until the next report.
  void LevelsLost();

  // Findings made since the last call, oldest first (the service publishes
  // them as events).
  std::vector<AuditFinding> TakeNewFindings();
  // Every kept finding, oldest first (the newest `capacity`).
  const std::deque<AuditFinding>& findings() const { return findings_; }
  // The last level report.
  const std::vector<StreamLevelSample>& last_levels() const { return last_levels_; }
  bool levels_available() const { return levels_available_; }
  const AuditSettings& settings() const { return settings_; }

 private:
  enum class Standing { kNone, kHolding, kDucked, kTransientLoss, kDelayed };
  using Key = std::pair<AppKey, int32_t>;  // (app, zone)

  struct AppState {
    // From the last ObserveFocus.
    Standing standing = Standing::kNone;
    // The entry that gives the standing (kept after it ends, for findings
    // about what the app did after losing it).
    std::string client_id;
    int entries = 0;
    absl::Time standing_since = absl::InfinitePast();
    bool lost = false;  // got LOSS and holds nothing since
    // From level reports.
    std::optional<double> last_rms_dbfs;
    absl::Time last_audible = absl::InfinitePast();
    // Start of the current run of audible reports; InfiniteFuture when the
    // last report was silent.
    absl::Time audible_since = absl::InfiniteFuture();
    std::optional<double> duck_reference_dbfs;
    // Episode flags: one finding each.
    std::set<FindingKind> reported;
  };

  AppState& State(const Key& key) { return apps_[key]; }
  void Record(const Key& key, FindingKind kind, absl::Time since, absl::Time now,
              std::string detail);
  void JudgeLevel(const Key& key, AppState& state, double rms_dbfs, absl::Time now);

  AuditSettings settings_;
  size_t capacity_;
  std::map<Key, AppState> apps_;
  // (zone, client id) -> app, from the last ObserveFocus.
  std::map<std::pair<int32_t, std::string>, AppKey> clients_;
  std::deque<AuditFinding> findings_;
  std::vector<AuditFinding> new_findings_;
  std::vector<StreamLevelSample> last_levels_;
  bool levels_available_ = false;
  absl::Time levels_since_ = absl::InfinitePast();
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_COMPLIANCE_AUDIT_H_
