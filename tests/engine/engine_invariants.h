// The engine's randomised-operation harness, shared by the invariant test
// (fixed seeds) and the engine fuzzer (operations decoded from fuzz input):
// the operations, how to apply one to a FocusEngine, the structural
// invariants of focus-rules.md §3 / §4.1 checked after every step (as
// GoogleTest expectations, so a failure names the step and its history),
// and deterministic replay.
//
// Outside a running test (the fuzzer) failures are ad hoc GoogleTest
// failures; FailureCount() counts them either way.

#ifndef CARAUDIO_TESTS_ENGINE_ENGINE_INVARIANTS_H_
#define CARAUDIO_TESTS_ENGINE_ENGINE_INVARIANTS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "carservice/focus_engine.h"
#include "tests/engine/focus_test_util.h"

namespace caraudio::engine_test {

inline constexpr int32_t kZones[] = {0, 1, 2};
inline constexpr int kClientCount = 20;
inline constexpr int kUidCount = 8;

// Every known usage plus a few unknown ones (INVALID context).
inline constexpr int32_t kUsagePool[] = {0,  1,  2,  3,    4,    5,    6,    7,    8,  9,   10, 11, 12,
                                  13, 14, 15, 16,   17,   1000, 1001, 1002, 1003, 18, 999, -1};

// The client ids operations use: "client0".."client18" and the telephony
// client last.
std::string ClientName(int index);
// The uids operations use: 10000 + index.
inline int32_t UidAt(int index) { return 10000 + index; }

struct Op {
  enum class Kind { kRequest, kAbandon, kRestrict, kNavSetting, kSetUidZone, kClearUidZone };
  Kind kind = Kind::kRequest;
  FocusRequest request;                 // kRequest
  std::string client_id;                // kAbandon
  std::optional<int32_t> zone_id;       // kAbandon (optional), kNavSetting, kSetUidZone
  bool flag = false;                    // kRestrict, kNavSetting
  int32_t uid = 0;                      // kSetUidZone, kClearUidZone
};

std::string Describe(const Op& op);

// Everything an operation returns.
struct Output {
  std::optional<FocusDecision> decision;
  std::optional<FocusChanges> changes;
  absl::StatusCode status = absl::StatusCode::kOk;

  friend bool operator==(const Output&, const Output&) = default;

  const std::vector<FocusCallback>& callbacks() const {
    static const std::vector<FocusCallback> kNone;
    if (decision) return decision->callbacks;
    if (changes) return changes->callbacks;
    return kNone;
  }
};

Output Apply(FocusEngine& engine, const Op& op);

// The next operation for an engine whose restricted flag is `restricted`;
// nullopt ends the run.
using OpSource = std::function<std::optional<Op>(bool restricted)>;
// Random operations from a seeded generator (restricted mode is turned off
// again soon after it is turned on, so runs keep moving).
OpSource RandomOps(uint64_t seed);

struct Stats {
  std::map<RequestResult, int> results;
  std::map<FocusChange, int> changes;
  int moves_with_callbacks = 0;
  int rejected_invalid_zone = 0;
};

struct RunResult {
  std::vector<Op> ops;
  std::vector<Output> outputs;
  std::map<int32_t, ZoneSnapshot> final_state;
  Stats stats;
};

// Applies up to `steps` operations from `next` to a fresh three-zone engine,
// checking every invariant after each; `label` starts each failure's trace.
// Stops early after 5 failing steps.
RunResult RunOps(const OpSource& next, int steps, const std::string& label);
// Replays `run.ops` on a fresh engine: identical outputs and final state.
void ReplayAndCompare(const RunResult& run);
// Every result and focus change happened at least once (for long random runs).
void ExpectCoverage(const Stats& stats);
// GoogleTest failures so far: the current test's, or the ad hoc ones.
int FailureCount();

}  // namespace caraudio::engine_test

#endif  // CARAUDIO_TESTS_ENGINE_ENGINE_INVARIANTS_H_
