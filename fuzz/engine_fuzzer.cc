// Fuzzes the focus engine with a sequence of operations decoded from the
// input — requests (any client, usage, gain, flags and zone override),
// abandons, restricted mode, the nav-during-call setting, and uid -> zone
// moves, in the vocabulary of tests/engine/engine_invariants.h — and checks
// the engine tests' invariants after every step, then that replaying the
// operations gives identical outputs. A broken invariant prints the failing
// step with its history (GoogleTest's message) and aborts.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "tests/engine/engine_invariants.h"

namespace caraudio::engine_test {
namespace {

constexpr int kMaxSteps = 4000;

Op DecodeOp(FuzzedDataProvider& input) {
  Op op;
  switch (input.ConsumeIntegralInRange<int>(0, 15)) {
    case 0:
      op.kind = Op::Kind::kRestrict;
      op.flag = input.ConsumeBool();
      return op;
    case 1:
      op.kind = Op::Kind::kNavSetting;
      op.zone_id = input.ConsumeIntegralInRange<int32_t>(0, 4);  // 3, 4: no such zone
      op.flag = input.ConsumeBool();
      return op;
    case 2:
      op.kind = Op::Kind::kSetUidZone;
      op.uid = UidAt(input.ConsumeIntegralInRange<int>(0, kUidCount - 1));
      op.zone_id = input.ConsumeIntegralInRange<int32_t>(0, 3);
      return op;
    case 3:
      op.kind = Op::Kind::kClearUidZone;
      op.uid = UidAt(input.ConsumeIntegralInRange<int>(0, kUidCount - 1));
      return op;
    case 4:
    case 5:
    case 6:
      op.kind = Op::Kind::kAbandon;
      op.client_id = ClientName(input.ConsumeIntegralInRange<int>(0, kClientCount - 1));
      if (input.ConsumeBool()) op.zone_id = input.PickValueInArray(kZones);
      return op;
    default:
      break;
  }
  op.kind = Op::Kind::kRequest;
  FocusRequest& request = op.request;
  const int client = input.ConsumeIntegralInRange<int>(0, kClientCount - 1);
  request.client_id = ClientName(client);
  request.package_name = "pkg." + request.client_id;
  request.uid = UidAt(input.ConsumeIntegralInRange<int>(0, kUidCount - 1));
  request.usage = input.PickValueInArray(kUsagePool);
  request.content_type = input.ConsumeIntegralInRange<int32_t>(0, 4);
  request.gain = static_cast<FocusGain>(input.ConsumeIntegralInRange<int>(1, 4));
  request.delay_ok = input.ConsumeBool();
  request.pause_when_ducked = input.ConsumeBool();
  request.receives_ducking_events = input.ConsumeBool();
  if (input.ConsumeBool()) {
    constexpr int32_t kRequestedZones[] = {0, 1, 2, 5, -1};
    request.requested_zone_id = input.PickValueInArray(kRequestedZones);
  }
  return op;
}

}  // namespace
}  // namespace caraudio::engine_test

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caraudio::engine_test;
  FuzzedDataProvider input(data, size);
  const RunResult run = RunOps(
      [&input](bool /*restricted*/) -> std::optional<Op> {
        if (input.remaining_bytes() == 0) return std::nullopt;
        return DecodeOp(input);
      },
      kMaxSteps, "fuzz input");
  if (FailureCount() == 0) ReplayAndCompare(run);
  if (FailureCount() != 0) std::abort();
  return 0;
}
