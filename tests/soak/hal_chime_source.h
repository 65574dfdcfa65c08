// HalChimeSource: the soak's vehicle sound source. On its own thread it
// holds focus for a random vehicle usage and zone (HalFocus.HoldFocus) for
// 50..300 ms, lets go (cancels the stream), pauses as long, and every fifth
// time also plays a 200 ms chime (HalFocus.PlaySound), so HAL focus
// requests, the ducks and pauses they cause and the HAL's own mutes come and
// go all through the soak. Streams that end other than OK or CANCELLED are
// counted as errors.
//
// Thread-safe; Stop() (or the destructor) ends every stream and joins.

#ifndef CARAUDIO_TESTS_SOAK_HAL_CHIME_SOURCE_H_
#define CARAUDIO_TESTS_SOAK_HAL_CHIME_SOURCE_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "caraudio/v1/hal_focus.grpc.pb.h"
#include "tests/soak/soak_counters.h"

namespace caraudio::testing {

class HalChimeSource {
 public:
  // Starts at once; uses zones 0..zones-1 of the HAL behind `channel`.
  HalChimeSource(std::shared_ptr<grpc::Channel> channel, int zones, uint64_t seed,
                 SoakCounters* counters);
  ~HalChimeSource();  // Stop()

  HalChimeSource(const HalChimeSource&) = delete;
  HalChimeSource& operator=(const HalChimeSource&) = delete;

  void Stop();

 private:
  void Run(uint64_t seed);
  // Sleeps `wait` unless stopped first; false when stopped.
  bool SleepUnlessStopped(absl::Duration wait);

  const int zones_;
  std::unique_ptr<v1::HalFocus::Stub> stub_;
  SoakCounters* const counters_;
  absl::Mutex mutex_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread thread_;  // last: started when everything above exists
};

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_SOAK_HAL_CHIME_SOURCE_H_
