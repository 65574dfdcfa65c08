// Level analysis of recorded audio, as pure functions over SignalBlocks (the
// SignalRecorder's output) so they can be unit-tested with synthetic data.
//
// Conventions:
//  * Times are steady_clock nanoseconds (int64_t, names end in _ns), the
//    same clock as std::chrono::steady_clock::now() in the test.
//  * Levels are dBFS of the RMS over both channels together:
//    20*log10(sqrt((sum L^2 + sum R^2) / (2 * frames))). A full-scale sine
//    is -3.01 dBFS; a sine of amplitude 0.5 is -9.03 dBFS. Digital silence
//    is kSilenceDb rather than -infinity, so differences stay finite.

#ifndef CARAUDIO_TESTS_PIPEWIRE_SIGNAL_ANALYSIS_H_
#define CARAUDIO_TESTS_PIPEWIRE_SIGNAL_ANALYSIS_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "absl/time/time.h"

namespace caraudio::testing {

inline constexpr double kSilenceDb = -200.0;

// Statistics of a short run of consecutive stereo frames (the recorder makes
// one per 32 frames = 0.67 ms at 48 kHz; see signal_recorder.h).
struct SignalBlock {
  // steady_clock time of the process callback that delivered the frames.
  int64_t callback_time_ns = 0;
  // callback_time_ns plus the block's offset in that buffer (frames / rate):
  // the block's place on a continuous timeline. The graph's latency (about
  // one or two quanta) is not subtracted.
  int64_t time_ns = 0;
  // The first callback's time plus the frames recorded before the block /
  // rate: the signal's own timeline. Durations measured on it (ramps) are
  // immune to callback scheduling jitter on a loaded machine; it lags
  // steady_clock by any frames the graph dropped. SampleTimeline() below.
  int64_t sample_time_ns = 0;
  int32_t frames = 0;
  float rms_left = 0.0f;
  float rms_right = 0.0f;
  float peak = 0.0f;  // max |sample| over both channels
};

// `blocks` with time_ns replaced by sample_time_ns, for duration
// measurements; and the sample time of the first block delivered at or
// after steady_clock time `wall_ns` (nullopt if none), to translate a
// moment measured on steady_clock onto that timeline.
std::vector<SignalBlock> SampleTimeline(std::vector<SignalBlock> blocks);
std::optional<int64_t> SampleTimeAt(const std::vector<SignalBlock>& blocks, int64_t wall_ns);

// One window of an envelope: the RMS level of the blocks whose time_ns falls
// in [time_ns - window/2, time_ns + window/2).
struct EnvelopePoint {
  int64_t time_ns = 0;  // window centre
  double db = kSilenceDb;
};

// A half-open time interval [begin_ns, end_ns); the default is everything.
struct TimeRange {
  int64_t begin_ns = std::numeric_limits<int64_t>::min();
  int64_t end_ns = std::numeric_limits<int64_t>::max();
  bool Contains(int64_t time_ns) const { return time_ns >= begin_ns && time_ns < end_ns; }
};

// 20*log10(linear), or kSilenceDb for 0 (and anything below it).
double AmplitudeToDb(double linear);

// RMS level in dBFS of the blocks with time_ns in [begin_ns, end_ns),
// weighted by their frame counts; nullopt when no block falls in the range.
std::optional<double> RmsDbfs(const std::vector<SignalBlock>& blocks, int64_t begin_ns,
                              int64_t end_ns);

// Windowed RMS in dB: consecutive windows of `window` starting at the
// earliest block's time; windows without blocks are left out. Use windows of several
// periods of the test tone (5 ms = 5 periods at 1 kHz, 2.2 at 440 Hz) or the
// partial periods show as ripple of a few tenths of a dB.
std::vector<EnvelopePoint> Envelope(const std::vector<SignalBlock>& blocks,
                                    absl::Duration window = absl::Milliseconds(5));

// The 10 %-90 % transition time of a level change from `from_db` to
// `to_db` (either direction), measured in dB: the time between the envelope
// first reaching from + 0.1*(to - from) and then first reaching
// from + 0.9*(to - from), both interpolated linearly between envelope
// points. Only points at or after `after_ns` count, and the first of them
// must still be on the `from` side of the 10 % level; nullopt otherwise or
// if a level is never reached.
// A ramp that is linear in dB and lasts D yields 0.8*D: divide by 0.8 to
// estimate the whole ramp. A hard step yields about one envelope window.
std::optional<absl::Duration> RampDuration(const std::vector<EnvelopePoint>& envelope,
                                           double from_db, double to_db,
                                           int64_t after_ns = std::numeric_limits<int64_t>::min());

// Time of the first envelope point at or after `after_ns` whose level is
// below `db`; nullopt if none.
std::optional<int64_t> FirstTimeBelow(const std::vector<EnvelopePoint>& envelope, double db,
                                      int64_t after_ns = std::numeric_limits<int64_t>::min());

// The largest |level change| in dB between consecutive envelope points that
// both lie in `range`; 0 with fewer than two such points. For a smoothness
// check: a ramp in 5 ms windows of S dB total over D ms steps about
// S * 5 / D dB per window, a hard step shows its whole size.
double MaxStepDb(const std::vector<EnvelopePoint>& envelope, const TimeRange& range = {});

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_PIPEWIRE_SIGNAL_ANALYSIS_H_
