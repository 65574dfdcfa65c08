#include "tests/soak/leftovers.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace caraudio::testing {

int Leftovers::total() const {
  return holders + losers + delayed + hal_requests + ducked + muted + hal_vehicle_requests +
         hal_holds + hal_sounds + hal_ducked + hal_muted;
}

std::string Leftovers::ToString() const {
  return absl::StrCat("holders ", holders, " losers ", losers, " delayed ", delayed,
                      " hal_requests ", hal_requests, " ducked ", ducked, " muted ", muted,
                      " | HAL: vehicle_requests ", hal_vehicle_requests, " holds ", hal_holds,
                      " sounds ", hal_sounds, " ducked ", hal_ducked, " muted ", hal_muted);
}

Leftovers CountLeftovers(const v1::CarAudioState& carservice, const v1::HalState& hal) {
  Leftovers left;
  for (const v1::ZoneState& zone : carservice.zones()) {
    left.holders += zone.holders_size();
    left.losers += zone.losers_size();
    left.delayed += zone.has_delayed() ? 1 : 0;
    left.hal_requests += zone.hal_requests_size();
    left.ducked += zone.ducked_device_addresses_size();
    left.muted += zone.muted_device_addresses_size();
  }
  left.hal_vehicle_requests = hal.vehicle_focus_requests_size();
  left.hal_holds = hal.holds_size();
  left.hal_sounds = hal.sounds_size();
  for (const v1::HalZoneDevices& zone : hal.zones()) {
    left.hal_ducked += zone.ducked_device_addresses_size();
    left.hal_muted += zone.muted_device_addresses_size();
  }
  return left;
}

absl::StatusOr<Leftovers> AwaitNoLeftovers(Client& carservice, Client& hal,
                                           absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    // A daemon still working through a backlog may miss a call's deadline,
    // and a connection may drop (UNAVAILABLE; the channel reconnects): both
    // are asked again until the timeout.
    absl::StatusOr<v1::CarAudioState> state = carservice.GetState();
    absl::StatusOr<v1::HalState> hal_state =
        state.ok() ? hal.GetHalState() : absl::StatusOr<v1::HalState>(state.status());
    if (state.ok() && hal_state.ok()) {
      const Leftovers left = CountLeftovers(*state, *hal_state);
      if (left.total() == 0 || absl::Now() >= deadline) return left;
    } else if ((hal_state.status().code() != absl::StatusCode::kDeadlineExceeded &&
                hal_state.status().code() != absl::StatusCode::kUnavailable) ||
               absl::Now() >= deadline) {
      return hal_state.status();
    }
    absl::SleepFor(absl::Milliseconds(10));  // polling interval
  }
}

}  // namespace caraudio::testing
