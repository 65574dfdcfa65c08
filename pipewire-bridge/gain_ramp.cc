#include "pipewire-bridge/gain_ramp.h"

#include <algorithm>
#include <cmath>

namespace caraudio {

namespace {
const float kFloorLinear = std::pow(10.0f, kDecibelFloor / 20.0f);
}  // namespace

float DecibelsToLinear(float decibels) { return std::pow(10.0f, decibels / 20.0f); }

float LinearToDecibels(float linear) {
  if (linear <= kFloorLinear) return kDecibelFloor;
  return 20.0f * std::log10(linear);
}

GainRamp::GainRamp(Shape shape, float initial, float down_seconds_per_unit,
                   float up_seconds_per_unit, float sample_rate)
    : shape_(shape),
      value_(initial),
      target_(initial),
      down_seconds_per_unit_(down_seconds_per_unit),
      up_seconds_per_unit_(up_seconds_per_unit),
      sample_rate_(sample_rate) {
  UpdateSteps();
}

void GainRamp::UpdateSteps() {
  if (shape_ == Shape::kDecibel) {
    // 1 dB per (seconds_per_unit * rate) samples, as a multiplier per sample.
    auto multiplier = [this](float seconds_per_db) {
      if (seconds_per_db <= 0) return 0.0f;
      return std::pow(10.0f, 1.0f / (20.0f * seconds_per_db * sample_rate_));
    };
    down_step_ = multiplier(down_seconds_per_unit_);
    up_step_ = multiplier(up_seconds_per_unit_);
  } else {
    auto increment = [this](float seconds_per_swing) {
      if (seconds_per_swing <= 0) return 0.0f;
      return 1.0f / (seconds_per_swing * sample_rate_);
    };
    down_step_ = increment(down_seconds_per_unit_);
    up_step_ = increment(up_seconds_per_unit_);
  }
}

void GainRamp::SetTarget(float target) {
  if (shape_ == Shape::kDecibel) target = std::max(target, kFloorLinear);
  target_ = std::max(target, 0.0f);
}

void GainRamp::Reset(float value) {
  SetTarget(value);
  value_ = target_;
}

float GainRamp::Step() {
  const bool down = target_ < value_;
  const float step = down ? down_step_ : up_step_;
  if (step == 0.0f) {
    value_ = target_;
    return value_;
  }
  if (shape_ == Shape::kDecibel) {
    // A dB ramp cannot start from silence; begin it at the floor.
    const float from = std::max(value_, kFloorLinear);
    value_ = down ? std::max(from / step, target_) : std::min(from * step, target_);
  } else {
    value_ = down ? std::max(value_ - step, target_) : std::min(value_ + step, target_);
  }
  return value_;
}

}  // namespace caraudio
