#include "hal/pipewire_audio_backend.h"

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace caraudio {
namespace {

// The HAL already checked zone and address against the config, so a failure
// here is a bug worth a log line, not a reason to fail the oneway call.
void LogIfFailed(const absl::Status& status) {
  if (!status.ok()) LogError("hal", absl::StrCat("bridge: ", status.ToString()));
}

}  // namespace

void PipeWireAudioBackend::SetDucked(int32_t zone_id, const std::string& address, bool ducked) {
  LogIfFailed(bridge_->SetDucked(zone_id, address, ducked));
}

void PipeWireAudioBackend::SetMuted(int32_t zone_id, const std::string& address, bool muted) {
  LogIfFailed(bridge_->SetMuted(zone_id, address, MuteSource::kCarService, muted));
}

void PipeWireAudioBackend::SetBalance(float /*balance*/) {}
void PipeWireAudioBackend::SetFade(float /*fade*/) {}

void PipeWireAudioBackend::SetDeviceGain(int32_t zone_id, const std::string& address,
                                         int32_t gain_mb) {
  LogIfFailed(bridge_->SetVolumeMillibel(zone_id, address, gain_mb));
}

absl::StatusOr<uint64_t> PipeWireAudioBackend::StartSound(const Sound& sound) {
  absl::StatusOr<TonePlayer::Waveform> waveform = ParseToneWaveform(sound.tone);
  if (!waveform.ok()) return waveform.status();
  return bridge_->PlaySound(sound.zone_id, sound.usage, *waveform, sound.duration);
}

void PipeWireAudioBackend::StopSound(uint64_t id) { bridge_->StopSound(id); }

void PipeWireAudioBackend::SetMutedForSound(int32_t zone_id, const std::string& address,
                                            bool muted) {
  LogIfFailed(bridge_->SetMuted(zone_id, address, MuteSource::kVehicleSound, muted));
}

void PipeWireAudioBackend::SetSilencedApps(const std::set<AppIdentity>& apps) {
  LogIfFailed(bridge_->SetSilencedApps(apps));
}

std::vector<MeteredStream> PipeWireAudioBackend::StreamLevels() {
  return bridge_->StreamLevels();
}

}  // namespace caraudio
