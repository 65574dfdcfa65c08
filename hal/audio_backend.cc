#include "hal/audio_backend.h"

namespace caraudio {
namespace {

void SetMember(std::map<int32_t, std::set<std::string>>& sets, int32_t zone_id,
               const std::string& address, bool member) {
  if (member) {
    sets[zone_id].insert(address);
    return;
  }
  auto it = sets.find(zone_id);
  if (it == sets.end()) return;
  it->second.erase(address);
  if (it->second.empty()) sets.erase(it);
}

}  // namespace

void InMemoryAudioBackend::SetDucked(int32_t zone_id, const std::string& address, bool ducked) {
  absl::MutexLock lock(&mutex_);
  SetMember(state_.ducked, zone_id, address, ducked);
}

void InMemoryAudioBackend::SetMuted(int32_t zone_id, const std::string& address, bool muted) {
  absl::MutexLock lock(&mutex_);
  SetMember(state_.muted, zone_id, address, muted);
}

void InMemoryAudioBackend::SetBalance(float balance) {
  absl::MutexLock lock(&mutex_);
  state_.balance = balance;
}

void InMemoryAudioBackend::SetFade(float fade) {
  absl::MutexLock lock(&mutex_);
  state_.fade = fade;
}

InMemoryAudioBackend::Snapshot InMemoryAudioBackend::snapshot() const {
  absl::MutexLock lock(&mutex_);
  return state_;
}

}  // namespace caraudio
