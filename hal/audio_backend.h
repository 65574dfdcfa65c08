// AudioBackend: what the HAL drives when the car service changes duck and
// mute sets — per device address, as IAudioControl's DuckingInfo and
// MutingInfo name them — plus the HAL's own vehicle sounds (safety chimes),
// which mute a zone's Android devices while they play. The PipeWire bridge
// implements it with ramped gain on real nodes (hal/pipewire_audio_backend.h);
// InMemoryAudioBackend records the state for tests and GetState.
//
// The two mute sources are independent: a device is silent while the car
// service's mute set or any vehicle sound holds it.
//
// Per app, below the devices: the apps whose streams must stay silent
// (SetSilencedApps, Android 17 background-audio hardening), and the level
// of every routed app stream as measured on the stream's own output
// (StreamLevels, cumulative readings: pipewire-bridge/stream_level.h).
//
// Calls come from the HAL's serialised state thread; implementations must
// return quickly (the unary HAL calls are "oneway") and do slow work on their
// own thread.

#ifndef CARAUDIO_HAL_AUDIO_BACKEND_H_
#define CARAUDIO_HAL_AUDIO_BACKEND_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pipewire-bridge/app_identity.h"
#include "pipewire-bridge/stream_level.h"

namespace caraudio {

class AudioBackend {
 public:
  virtual ~AudioBackend() = default;

  // The device at `address` in `zone_id` should (not) be ducked.
  virtual void SetDucked(int32_t zone_id, const std::string& address, bool ducked) = 0;
  // The device at `address` in `zone_id` should (not) be muted.
  virtual void SetMuted(int32_t zone_id, const std::string& address, bool muted) = 0;
  // Balance (-1 left .. 1 right) and fade (-1 rear .. 1 front), already clamped.
  virtual void SetBalance(float balance) = 0;
  virtual void SetFade(float fade) = 0;
  // The device's gain from its volume group, in millibel.
  virtual void SetDeviceGain(int32_t zone_id, const std::string& address, int32_t gain_mb) = 0;

  // A generated vehicle sound for `usage` in `zone_id`, played into the
  // device the zone routes that usage to. It starts before this returns
  // (or fails) and stops by itself after `duration`, or at StopSound.
  struct Sound {
    int32_t zone_id = 0;
    int32_t usage = 0;
    std::string tone;  // "chime", "beep" or "sine"
    absl::Duration duration;
  };
  virtual absl::StatusOr<uint64_t> StartSound(const Sound& sound) = 0;
  virtual void StopSound(uint64_t id) = 0;
  // Mutes (or releases) the device on behalf of a playing vehicle sound.
  virtual void SetMutedForSound(int32_t zone_id, const std::string& address, bool muted) = 0;

  // The apps whose streams must stay silent, now and when they appear
  // later: the whole set, replacing the previous one. Already validated
  // (package names not empty, uids >= 0).
  virtual void SetSilencedApps(const std::set<AppIdentity>& apps) = 0;
  // Every routed app stream with its cumulative meter reading, by node id.
  // Called once per report of every level watcher: must be quick.
  virtual std::vector<MeteredStream> StreamLevels() = 0;
  // Whether StreamLevels() reflects real audio (reported as
  // StreamLevelsReport.measured).
  virtual bool MeasuresLevels() const = 0;
};

// Keeps the last state; thread-safe so tests and GetState may read it. It
// plays no audio, so it has no streams to meter: StreamLevels() returns
// what SetStreamLevels() injected (nothing unless a test does), and it
// measures levels only once a test injected some.
class InMemoryAudioBackend : public AudioBackend {
 public:
  struct Snapshot {
    std::map<int32_t, std::set<std::string>> ducked;  // zone -> addresses
    std::map<int32_t, std::set<std::string>> muted;
    float balance = 0;
    float fade = 0;
    std::map<int32_t, std::map<std::string, int32_t>> gains_mb;  // zone -> address -> gain
    std::map<uint64_t, Sound> sounds;                             // playing, by id
    std::map<int32_t, std::map<std::string, int>> sound_mutes;   // zone -> address -> holders
    std::set<AppIdentity> silenced_apps;
  };

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
  bool MeasuresLevels() const override;

  // For tests: what StreamLevels() returns from now on.
  void SetStreamLevels(std::vector<MeteredStream> streams);
  Snapshot snapshot() const;

 private:
  mutable std::mutex mutex_;
  Snapshot state_ ABSL_GUARDED_BY(mutex_);
  uint64_t last_sound_id_ ABSL_GUARDED_BY(mutex_) = 0;
  bool levels_injected_ ABSL_GUARDED_BY(mutex_) = false;
  std::vector<MeteredStream> stream_levels_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace caraudio

#endif  // CARAUDIO_HAL_AUDIO_BACKEND_H_
