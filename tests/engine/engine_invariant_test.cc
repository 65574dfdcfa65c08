// Randomised operations over a three-zone FocusEngine with fixed seeds. After
// every operation the structural guarantees of focus-rules.md §3 / §4.1 are
// checked; at the end the recorded inputs are replayed on a fresh engine and
// must give identical outputs (the engine is deterministic).

#include <cstdint>
#include <string>

#include "gtest/gtest.h"
#include "tests/engine/engine_invariants.h"

namespace caraudio::engine_test {
namespace {

constexpr int kStepsPerSeed = 50000;

class EngineInvariantTest : public ::testing::TestWithParam<uint64_t> {};

TEST_P(EngineInvariantTest, RandomOperationsKeepInvariantsAndReplayIdentically) {
  const RunResult run = RunOps(RandomOps(GetParam()), kStepsPerSeed, "seed " + std::to_string(GetParam()));
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(run.ops.size(), static_cast<size_t>(kStepsPerSeed));
  ExpectCoverage(run.stats);
  ReplayAndCompare(run);
}

// 4 seeds x 50,000 operations = 200,000 random operations.
INSTANTIATE_TEST_SUITE_P(FixedSeeds, EngineInvariantTest,
                         ::testing::Values(uint64_t{1}, uint64_t{42}, uint64_t{2024},
                                           uint64_t{0x5eed}));

}  // namespace
}  // namespace caraudio::engine_test
