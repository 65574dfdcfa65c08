#include "tools/audiofocus_sim/tone_level.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace caraudio::sim {

namespace {

// The mean power (amplitude^2 / 2) of a sine at `frequency_hz` in `samples`.
double TonePower(std::span<const float> samples, double sample_rate, double frequency_hz) {
  const size_t n = samples.size();
  // Goertzel at an arbitrary frequency: the recurrence runs on the windowed
  // samples; the last two states give the DFT value at omega.
  const double omega = 2.0 * std::numbers::pi * frequency_hz / sample_rate;
  const double coefficient = 2.0 * std::cos(omega);
  double s1 = 0.0;
  double s2 = 0.0;
  double window_sum = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const double window =
        0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) / (n - 1));
    window_sum += window;
    const double s0 = window * samples[i] + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double real = s1 - s2 * std::cos(omega);
  const double imaginary = s2 * std::sin(omega);
  const double amplitude = 2.0 * std::hypot(real, imaginary) / window_sum;
  return amplitude * amplitude / 2.0;
}

double PowerToDbfs(double power) {
  if (!(power > 0.0)) return kToneSilenceDbfs;
  return std::max(10.0 * std::log10(power), kToneSilenceDbfs);
}

}  // namespace

double ToneLevelDbfs(std::span<const float> samples, double sample_rate, double frequency_hz) {
  if (samples.size() < 2) return kToneSilenceDbfs;
  return PowerToDbfs(TonePower(samples, sample_rate, frequency_hz));
}

double ToneLevelAboveFloorDbfs(std::span<const float> samples, double sample_rate,
                               double frequency_hz) {
  if (samples.size() < 2) return kToneSilenceDbfs;
  const double three_bins = 3.0 * sample_rate / static_cast<double>(samples.size());
  const double floor = 0.5 * (TonePower(samples, sample_rate, frequency_hz - three_bins) +
                              TonePower(samples, sample_rate, frequency_hz + three_bins));
  return PowerToDbfs(TonePower(samples, sample_rate, frequency_hz) - floor);
}

}  // namespace caraudio::sim
