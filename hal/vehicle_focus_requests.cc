#include "hal/vehicle_focus_requests.h"

namespace caraudio {

bool VehicleFocusRequests::Acquire(int32_t usage, int32_t zone_id, int32_t gain) {
  auto [it, inserted] = active_.try_emplace({zone_id, usage});
  Active& active = it->second;
  if (inserted) {
    active.usage = usage;
    active.zone_id = zone_id;
    active.gain = gain;
  }
  ++active.holders;
  return inserted;
}

bool VehicleFocusRequests::Release(int32_t usage, int32_t zone_id) {
  auto it = active_.find({zone_id, usage});
  if (it == active_.end()) return false;
  if (--it->second.holders > 0) return false;
  active_.erase(it);
  return true;
}

int VehicleFocusRequests::Forget(int32_t usage, int32_t zone_id) {
  auto it = active_.find({zone_id, usage});
  if (it == active_.end()) return 0;
  const int holders = it->second.holders;
  active_.erase(it);
  return holders;
}

void VehicleFocusRequests::OnFocusChange(int32_t usage, int32_t zone_id, int32_t focus_change) {
  auto it = active_.find({zone_id, usage});
  if (it != active_.end()) it->second.status = focus_change;
}

void VehicleFocusRequests::ClearStatuses() {
  for (auto& [key, active] : active_) active.status.reset();
}

const VehicleFocusRequests::Active* VehicleFocusRequests::Find(int32_t usage,
                                                               int32_t zone_id) const {
  auto it = active_.find({zone_id, usage});
  return it == active_.end() ? nullptr : &it->second;
}

std::vector<VehicleFocusRequests::Active> VehicleFocusRequests::ActiveRequests() const {
  std::vector<Active> result;
  result.reserve(active_.size());
  for (const auto& [key, active] : active_) result.push_back(active);
  return result;
}

}  // namespace caraudio
