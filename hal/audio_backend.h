// AudioBackend: what the HAL drives when the car service changes duck and
// mute sets — per device address, as IAudioControl's DuckingInfo and
// MutingInfo name them. The PipeWire bridge implements it with ramped gain on
// real nodes; InMemoryAudioBackend records the state for tests and GetState.
//
// Calls come from the HAL's serialised state thread; implementations must
// return quickly (the unary HAL calls are "oneway") and do slow work on their
// own thread.

#ifndef CARAUDIO_HAL_AUDIO_BACKEND_H_
#define CARAUDIO_HAL_AUDIO_BACKEND_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "absl/synchronization/mutex.h"

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
};

// Keeps the last state; thread-safe so tests and GetState may read it.
class InMemoryAudioBackend : public AudioBackend {
 public:
  struct Snapshot {
    std::map<int32_t, std::set<std::string>> ducked;  // zone -> addresses
    std::map<int32_t, std::set<std::string>> muted;
    float balance = 0;
    float fade = 0;
  };

  void SetDucked(int32_t zone_id, const std::string& address, bool ducked) override;
  void SetMuted(int32_t zone_id, const std::string& address, bool muted) override;
  void SetBalance(float balance) override;
  void SetFade(float fade) override;

  Snapshot snapshot() const;

 private:
  mutable absl::Mutex mutex_;
  Snapshot state_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace caraudio

#endif  // CARAUDIO_HAL_AUDIO_BACKEND_H_
