#include "hal/audio_backend.h"

#include <utility>

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
  std::lock_guard lock(mutex_);
  SetMember(state_.ducked, zone_id, address, ducked);
}

void InMemoryAudioBackend::SetMuted(int32_t zone_id, const std::string& address, bool muted) {
  std::lock_guard lock(mutex_);
  SetMember(state_.muted, zone_id, address, muted);
}

void InMemoryAudioBackend::SetBalance(float balance) {
  std::lock_guard lock(mutex_);
  state_.balance = balance;
}

void InMemoryAudioBackend::SetFade(float fade) {
  std::lock_guard lock(mutex_);
  state_.fade = fade;
}

void InMemoryAudioBackend::SetDeviceGain(int32_t zone_id, const std::string& address,
                                         int32_t gain_mb) {
  std::lock_guard lock(mutex_);
  state_.gains_mb[zone_id][address] = gain_mb;
}

absl::StatusOr<uint64_t> InMemoryAudioBackend::StartSound(const Sound& sound) {
  std::lock_guard lock(mutex_);
  const uint64_t id = ++last_sound_id_;
  state_.sounds[id] = sound;
  return id;
}

void InMemoryAudioBackend::StopSound(uint64_t id) {
  std::lock_guard lock(mutex_);
  state_.sounds.erase(id);
}

void InMemoryAudioBackend::SetMutedForSound(int32_t zone_id, const std::string& address,
                                            bool muted) {
  std::lock_guard lock(mutex_);
  int& holders = state_.sound_mutes[zone_id][address];
  holders += muted ? 1 : (holders > 0 ? -1 : 0);
  if (holders == 0) {
    state_.sound_mutes[zone_id].erase(address);
    if (state_.sound_mutes[zone_id].empty()) state_.sound_mutes.erase(zone_id);
  }
}

void InMemoryAudioBackend::SetSilencedApps(const std::set<AppIdentity>& apps) {
  std::lock_guard lock(mutex_);
  state_.silenced_apps = apps;
}

std::vector<MeteredStream> InMemoryAudioBackend::StreamLevels() {
  std::lock_guard lock(mutex_);
  return stream_levels_;
}

void InMemoryAudioBackend::SetStreamLevels(std::vector<MeteredStream> streams) {
  std::lock_guard lock(mutex_);
  levels_injected_ = true;
  stream_levels_ = std::move(streams);
}

bool InMemoryAudioBackend::MeasuresLevels() const {
  std::lock_guard lock(mutex_);
  return levels_injected_;
}

InMemoryAudioBackend::Snapshot InMemoryAudioBackend::snapshot() const {
  std::lock_guard lock(mutex_);
  return state_;
}

}  // namespace caraudio
