// What the soak's clients did and saw, counted across all of them.
// Thread-safe: every field is atomic, bumped from driver and gRPC threads.

#ifndef CARAUDIO_TESTS_SOAK_SOAK_COUNTERS_H_
#define CARAUDIO_TESTS_SOAK_SOAK_COUNTERS_H_

#include <atomic>
#include <cstdint>

#include "tests/soak/latency_histogram.h"

namespace caraudio::testing {

struct SoakCounters {
  // Sent by the clients.
  std::atomic<int64_t> requests{0};       // RequestFocus streams opened
  std::atomic<int64_t> re_requests{0};    // of which: the same client id again in its zone
  std::atomic<int64_t> abandons{0};       // AbandonFocus calls
  std::atomic<int64_t> disconnects{0};    // streams cancelled by the client
  std::atomic<int64_t> hal_holds{0};      // HalFocus.HoldFocus streams opened
  std::atomic<int64_t> hal_sounds{0};     // HalFocus.PlaySound chimes
  // Received.
  std::atomic<int64_t> granted{0};
  std::atomic<int64_t> delayed{0};
  std::atomic<int64_t> failed{0};
  std::atomic<int64_t> gains{0};          // focus_change GAIN
  std::atomic<int64_t> transient_losses{0};  // LOSS_TRANSIENT(_CAN_DUCK)
  std::atomic<int64_t> losses{0};         // focus_change LOSS
  std::atomic<int64_t> replaced{0};
  std::atomic<int64_t> abandoned{0};
  // Anything a healthy daemon never does: a stream or call ending with a
  // status other than OK / CANCELLED, a stream without a result first.
  std::atomic<int64_t> errors{0};
  // RequestFocus sent -> its result received.
  LatencyHistogram result_latency;
};

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_SOAK_SOAK_COUNTERS_H_
