// Helpers shared by the lifecycle tests: a fake clock, app keys, readable
// printers and a way to run reports that must succeed.
//
// Expectations in the tests come from seeds.md (§1, §2, §5), written out in
// the tests themselves, never read back from the implementation's tables.

#ifndef CARAUDIO_TESTS_LIFECYCLE_LIFECYCLE_TEST_UTIL_H_
#define CARAUDIO_TESTS_LIFECYCLE_LIFECYCLE_TEST_UTIL_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "carservice/app_lifecycle.h"
#include "carservice/audio_hardening.h"
#include "carservice/foreground_service.h"

namespace caraudio {

// gtest printers, found by ADL, so failures read "mediaPlayback", not 2.
inline void PrintTo(FgsType type, std::ostream* os) { *os << FgsTypeName(type); }
inline void PrintTo(FgsStartOrigin origin, std::ostream* os) { *os << FgsStartOriginName(origin); }
inline void PrintTo(Visibility visibility, std::ostream* os) { *os << VisibilityName(visibility); }
inline void PrintTo(PlaybackState state, std::ostream* os) { *os << PlaybackStateName(state); }
inline void PrintTo(FgsStatus status, std::ostream* os) { *os << FgsStatusName(status); }
inline void PrintTo(LifecycleBasis basis, std::ostream* os) { *os << LifecycleBasisName(basis); }
inline void PrintTo(LifecycleTransitionKind kind, std::ostream* os) {
  *os << LifecycleTransitionKindName(kind);
}
inline void PrintTo(HardeningMode mode, std::ostream* os) { *os << HardeningModeName(mode); }
inline void PrintTo(HardeningAction action, std::ostream* os) { *os << HardeningActionName(action); }
inline void PrintTo(AudioApiGroup group, std::ostream* os) { *os << AudioApiGroupName(group); }
inline void PrintTo(VolumeCall call, std::ostream* os) { *os << VolumeCallName(call); }
inline void PrintTo(const AppKey& app, std::ostream* os) { *os << AppKeyText(app); }
inline void PrintTo(const LifecycleVerdict& verdict, std::ostream* os) {
  *os << "{" << (verdict.valid ? "valid" : "invalid") << ", " << LifecycleBasisName(verdict.basis)
      << ", \"" << verdict.reason << "\"}";
}
inline void PrintTo(const LifecycleTransition& t, std::ostream* os) {
  *os << "{" << absl::FormatTime(t.at) << ", " << AppKeyText(t.app) << ", "
      << FgsTypeName(t.fgs_type) << ", " << LifecycleTransitionKindName(t.kind) << ", \""
      << t.reason << "\", valid_after=" << t.app_valid_after << "}";
}

namespace lifecycle_test {

// Time for the model. Starts at a fixed instant; only tests move it.
class FakeClock {
 public:
  static constexpr absl::Time kStart = absl::FromUnixSeconds(1'700'000'000);

  absl::Time Now() const { return now_; }
  // Moves forward by `d` and returns the new time.
  absl::Time Advance(absl::Duration d) {
    now_ += d;
    return now_;
  }
  // Sets the time to kStart + `since_start` (forward only in practice).
  absl::Time SetTo(absl::Duration since_start) {
    now_ = kStart + since_start;
    return now_;
  }
  static absl::Time At(absl::Duration since_start) { return kStart + since_start; }

 private:
  absl::Time now_ = kStart;
};

inline AppKey App(absl::string_view package = "com.example.radio", int32_t uid = 10057) {
  return AppKey{std::string(package), uid};
}

// Unwraps a report that must succeed; a failure is reported at the caller's
// line through the status text.
inline std::vector<LifecycleTransition> Ok(
    absl::StatusOr<std::vector<LifecycleTransition>> result) {
  EXPECT_TRUE(result.ok()) << result.status();
  if (!result.ok()) return {};
  return *std::move(result);
}

inline HardeningDecision Ok(absl::StatusOr<HardeningDecision> result) {
  EXPECT_TRUE(result.ok()) << result.status();
  if (!result.ok()) return {};
  return *std::move(result);
}

inline AppSnapshot Ok(absl::StatusOr<AppSnapshot> result) {
  EXPECT_TRUE(result.ok()) << result.status();
  if (!result.ok()) return {};
  return *std::move(result);
}

// A model and a clock, with one-line reports at the clock's time.
class LifecycleTest : public ::testing::Test {
 protected:
  std::vector<LifecycleTransition> SetVisibility(const AppKey& app, Visibility visibility) {
    return Ok(lifecycle_.SetVisibility(app, visibility, clock_.Now()));
  }
  std::vector<LifecycleTransition> Start(const AppKey& app, FgsType type, FgsStartOrigin origin) {
    return Ok(lifecycle_.StartForegroundService(app, type, origin, clock_.Now()));
  }
  std::vector<LifecycleTransition> Stop(const AppKey& app, FgsType type) {
    return Ok(lifecycle_.StopForegroundService(app, type, clock_.Now()));
  }
  std::vector<LifecycleTransition> Playback(const AppKey& app, PlaybackState state) {
    return Ok(lifecycle_.SetPlaybackState(app, state, clock_.Now()));
  }
  std::vector<LifecycleTransition> Interact(const AppKey& app) {
    return Ok(lifecycle_.ReportUserInteraction(app, clock_.Now()));
  }
  // Moves the clock and the model.
  std::vector<LifecycleTransition> AdvanceBy(absl::Duration d) {
    return lifecycle_.AdvanceTo(clock_.Advance(d));
  }
  LifecycleVerdict Verdict(const AppKey& app) const { return lifecycle_.Evaluate(app, clock_.Now()); }
  bool Valid(const AppKey& app) const { return Verdict(app).valid; }
  AppSnapshot Snap(const AppKey& app) const { return Ok(lifecycle_.Snapshot(app, clock_.Now())); }
  // By value: callers often pass a temporary snapshot.
  FgsBudgetState Budget(const AppSnapshot& snapshot, FgsType type) const {
    for (const FgsBudgetState& budget : snapshot.budgets) {
      if (budget.type == type) return budget;
    }
    ADD_FAILURE() << "no budget for " << FgsTypeName(type);
    return {};
  }

  FakeClock clock_;
  AppLifecycle lifecycle_;
};

}  // namespace lifecycle_test
}  // namespace caraudio

#endif  // CARAUDIO_TESTS_LIFECYCLE_LIFECYCLE_TEST_UTIL_H_
