// VehicleFocusRequests: the HAL's side of IFocusListener — focus wanted by
// vehicle sound sources (chimes, tuner, Linux apps), ref-counted per
// (usage, zone) because the car service tracks at most one request per pair
// (audiocontrol-hal.md §7.2, pitfall 7).
//
// Acquire/Release say when the pair's first holder arrives or its last one
// leaves, i.e. when to send requestAudioFocus / abandonAudioFocus on the
// listener stream. Active() is what a newly registered listener must be sent
// again (pitfall 5: HAL focus silently lost after a car-service restart).
// The last onAudioFocusChange per pair is kept so late holders learn it.
// Not thread-safe; the HAL serialises calls.

#ifndef CARAUDIO_HAL_VEHICLE_FOCUS_REQUESTS_H_
#define CARAUDIO_HAL_VEHICLE_FOCUS_REQUESTS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace caraudio {

class VehicleFocusRequests {
 public:
  struct Active {
    int32_t usage = 0;
    int32_t zone_id = 0;
    int32_t gain = 0;
    int holders = 0;
    // Last onAudioFocusChange for the pair; nullopt until the car service answers.
    std::optional<int32_t> status;

    friend bool operator==(const Active&, const Active&) = default;
  };

  // Adds a holder. True when it is the pair's first, so a request must be sent.
  // Later holders keep the first holder's gain.
  bool Acquire(int32_t usage, int32_t zone_id, int32_t gain);

  // Removes a holder. True when it was the last, so an abandon must be sent.
  // Releasing an unknown pair returns false.
  bool Release(int32_t usage, int32_t zone_id);

  // Drops the pair whatever its holders (the car service's LOSS, a forced
  // release). Returns how many holders it had; 0 for an unknown pair.
  int Forget(int32_t usage, int32_t zone_id);

  // Records the car service's answer. Ignored for pairs nobody holds.
  void OnFocusChange(int32_t usage, int32_t zone_id, int32_t focus_change);

  // Forgets every answer (the car service is gone; its state is unknown).
  void ClearStatuses();

  const Active* Find(int32_t usage, int32_t zone_id) const;
  std::vector<Active> ActiveRequests() const;
  bool empty() const { return active_.empty(); }

 private:
  std::map<std::pair<int32_t, int32_t>, Active> active_;  // (zone, usage)
};

}  // namespace caraudio

#endif  // CARAUDIO_HAL_VEHICLE_FOCUS_REQUESTS_H_
