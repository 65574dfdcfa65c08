// PipeWireAudioBackend: the HAL's AudioBackend on a PipeWireBridge. Duck,
// mute and gain calls become ramped gain targets on the device filter nodes;
// vehicle sounds become generated streams routed into the zone's device for
// their usage. Silenced apps and stream levels are the bridge's (Props mute
// on the app's stream nodes; its stream meter). Balance and fade are
// recorded only (the bridge has no speaker layout yet) and logged once.

#ifndef CARAUDIO_HAL_PIPEWIRE_AUDIO_BACKEND_H_
#define CARAUDIO_HAL_PIPEWIRE_AUDIO_BACKEND_H_

#include <memory>

#include "hal/audio_backend.h"
#include "pipewire-bridge/pipewire_bridge.h"

namespace caraudio {

class PipeWireAudioBackend : public AudioBackend {
 public:
  // `bridge` is not owned and must outlive this backend.
  explicit PipeWireAudioBackend(PipeWireBridge* bridge) : bridge_(bridge) {}

  void SetDucked(int32_t zone_id, const std::string& address, bool ducked) override;
  void SetMuted(int32_t zone_id, const std::string& address, bool muted) override;
  void SetBalance(float balance) override;
  void SetFade(float fade) override;
  void SetDeviceGain(int32_t zone_id, const std::string& address, int32_t gain_mb) override;
  absl::StatusOr<uint64_t> StartSound(const Sound& sound) override;
  void StopSound(uint64_t id) override;
  void SetMutedForSound(int32_t zone_id, const std::string& address, bool muted) override;
  void SetSilencedApps(const std::set<AppIdentity>& apps) override;
  std::vector<MeteredStream> StreamLevels() override;
  bool MeasuresLevels() const override { return true; }

 private:
  PipeWireBridge* const bridge_;
};

}  // namespace caraudio

#endif  // CARAUDIO_HAL_PIPEWIRE_AUDIO_BACKEND_H_
