// GainRamp: one gain factor that moves toward its target sample by sample at
// a fixed speed, so a change never steps. It is the arithmetic of the device
// filter's process callback: no allocation, no locks, no clock.
//
// Two shapes, because ears and silence differ:
//  - kDecibel ramps linearly in dB (a constant per-sample multiplier), used
//    for duck and volume: a 10 dB duck over 100 ms falls 1 dB every 10 ms.
//    Its floor is kDecibelFloor; targets below it are clamped.
//  - kLinear ramps the amplitude linearly, used for mute: dB cannot reach 0.
// Speeds are given as the time a full swing takes (the duck level, or 1→0 for
// a mute), so a ramp reversed mid-way takes the proportional time back: it
// always starts from the current value.

#ifndef CARAUDIO_PIPEWIRE_BRIDGE_GAIN_RAMP_H_
#define CARAUDIO_PIPEWIRE_BRIDGE_GAIN_RAMP_H_

#include <cstdint>

namespace caraudio {

inline constexpr float kDecibelFloor = -96.0f;

float DecibelsToLinear(float decibels);
float LinearToDecibels(float linear);

class GainRamp {
 public:
  enum class Shape { kDecibel, kLinear };

  // `down_seconds_per_unit` / `up_seconds_per_unit`: for kDecibel, seconds per
  // dB of fall / rise; for kLinear, seconds for a full 1→0 / 0→1 swing. Zero
  // means "jump".
  GainRamp(Shape shape, float initial, float down_seconds_per_unit, float up_seconds_per_unit,
           float sample_rate);

  // Sets where the ramp goes (linear gain). Cheap; call once per cycle.
  void SetTarget(float target);
  // Jumps to `value` with no ramp (used when a node is recreated).
  void Reset(float value);

  // Advances one sample and returns the gain to apply to it.
  float Next() {
    if (value_ == target_) return value_;
    return Step();
  }
  bool settled() const { return value_ == target_; }
  float value() const { return value_; }
  float target() const { return target_; }

 private:
  float Step();
  void UpdateSteps();

  Shape shape_;
  float value_;
  float target_;
  float down_seconds_per_unit_;
  float up_seconds_per_unit_;
  float sample_rate_;
  // Per-sample step: a multiplier (kDecibel) or an increment (kLinear).
  float down_step_ = 0;
  float up_step_ = 0;
};

}  // namespace caraudio

#endif  // CARAUDIO_PIPEWIRE_BRIDGE_GAIN_RAMP_H_
