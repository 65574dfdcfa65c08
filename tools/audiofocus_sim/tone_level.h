// ToneLevel: how loud one known frequency is in a stretch of recorded audio,
// which is how audiofocus-sim tells which app is audible on a device where
// several apps (each with its own tone frequency) and chimes mix.
//
// The estimate is a Goertzel filter (a single DFT bin, at exactly the given
// frequency rather than the nearest bin) over a Hann-windowed block: the
// amplitude A of a sine at that frequency is 2 |X| / sum(window), and its
// level is reported as the RMS of that sine in dBFS, 20 log10(A / sqrt 2),
// so a full-scale sine reads -3.01 dBFS, as in the rest of the project.
//
// Glitches: on a loaded machine the graph can drop a cycle. The jump that
// leaves in another app's tone spreads over the whole spectrum (measured:
// up to -50 dBFS 300 Hz away from a -15 dBFS tone), which would make a
// silent app look audible. ToneLevelAboveFloorDbfs therefore subtracts the
// local floor: the mean power of the same estimate three bins (3 rate/N, 30
// Hz over 100 ms) below and above the frequency. A sine at the frequency
// leaks nothing there (the Hann window's transform is zero at whole bins
// from the second on), while a spread-out click is as strong there as at
// the frequency, and cancels.
//
// Selectivity: with the Hann window over N samples a tone d Hz away leaks
// less than about -31 dB from 2 rate/N on and falls off 18 dB per octave
// beyond (100 ms at 48 kHz: -31 dB at 20 Hz, below -60 dB from about 60 Hz
// away). Frequencies of apps on one device should be at least
// kMinSeparationHz apart.
//
// Pure functions; thread-safe.

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_TONE_LEVEL_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_TONE_LEVEL_H_

#include <span>

namespace caraudio::sim {

// Returned for silence (and for an empty block) instead of -infinity.
inline constexpr double kToneSilenceDbfs = -200.0;
// Tones this far apart are measured independently over 100 ms (see above;
// also keeps another tone at least three bins away from the floor probes).
inline constexpr double kMinSeparationHz = 60.0;

// The level in dBFS (RMS of the sine) of the component at `frequency_hz` in
// `samples` (mono, at `sample_rate`). `frequency_hz` must be in
// (0, sample_rate / 2).
double ToneLevelDbfs(std::span<const float> samples, double sample_rate, double frequency_hz);

// The level in dBFS of the component at `frequency_hz` above the local
// floor (see Glitches above): kToneSilenceDbfs when the floor is as strong.
double ToneLevelAboveFloorDbfs(std::span<const float> samples, double sample_rate,
                               double frequency_hz);

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_TONE_LEVEL_H_
