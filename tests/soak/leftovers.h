// Leftovers: what is still held after every client, app and vehicle source
// has gone — in the car service's state (holders, losers, delayed requests,
// HAL requests, ducked and muted devices of every zone) and in the HAL's own
// (vehicle focus requests, holds, sounds, duck and mute sets). After a soak
// or a storm of killed clients every count must be zero.

#ifndef CARAUDIO_TESTS_SOAK_LEFTOVERS_H_
#define CARAUDIO_TESTS_SOAK_LEFTOVERS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caraudio/v1/admin.pb.h"
#include "caraudio/v1/audio_control.pb.h"
#include "tests/integration/integration_test_util.h"

namespace caraudio::testing {

struct Leftovers {
  // The car service (CarAudioAdmin.GetState), summed over zones.
  int holders = 0;
  int losers = 0;
  int delayed = 0;
  int hal_requests = 0;
  int ducked = 0;
  int muted = 0;
  // The HAL (AudioControl.GetHalState).
  int hal_vehicle_requests = 0;
  int hal_holds = 0;
  int hal_sounds = 0;
  int hal_ducked = 0;
  int hal_muted = 0;

  int total() const;
  // "holders 0 losers 0 ... hal_muted 0".
  std::string ToString() const;
};

Leftovers CountLeftovers(const v1::CarAudioState& carservice, const v1::HalState& hal);

// Polls both states (the car service through `carservice`, the HAL through
// `hal`: the same daemon with --role=all) until nothing is left or `timeout`
// passed, and returns what was left last. An error when a call failed
// (one that missed its deadline or lost its connection only once the timeout
// passed).
absl::StatusOr<Leftovers> AwaitNoLeftovers(Client& carservice, Client& hal,
                                           absl::Duration timeout);

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_SOAK_LEFTOVERS_H_
