#include "tests/pipewire/signal_analysis.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace caraudio::testing {
namespace {

// Sum of squares over both channels, from a block's per-channel RMS.
double SumOfSquares(const SignalBlock& block) {
  const double left = block.rms_left;
  const double right = block.rms_right;
  return (left * left + right * right) * block.frames;
}

double PowerToDb(double sum_of_squares, int64_t samples) {
  if (samples <= 0) return kSilenceDb;
  return AmplitudeToDb(std::sqrt(sum_of_squares / static_cast<double>(samples)));
}

// Time at which the straight line through `a` and `b` has level `db`.
double InterpolateTime(const EnvelopePoint& a, const EnvelopePoint& b, double db) {
  if (b.db == a.db) return static_cast<double>(b.time_ns);
  const double fraction = (db - a.db) / (b.db - a.db);
  return static_cast<double>(a.time_ns) +
         std::clamp(fraction, 0.0, 1.0) * static_cast<double>(b.time_ns - a.time_ns);
}

}  // namespace

double AmplitudeToDb(double linear) {
  if (!(linear > 0.0)) return kSilenceDb;
  return std::max(20.0 * std::log10(linear), kSilenceDb);
}

std::optional<double> RmsDbfs(const std::vector<SignalBlock>& blocks, int64_t begin_ns,
                              int64_t end_ns) {
  double sum_of_squares = 0.0;
  int64_t frames = 0;
  for (const SignalBlock& block : blocks) {
    if (block.time_ns < begin_ns || block.time_ns >= end_ns) continue;
    sum_of_squares += SumOfSquares(block);
    frames += block.frames;
  }
  if (frames == 0) return std::nullopt;
  return PowerToDb(sum_of_squares, 2 * frames);
}

std::vector<EnvelopePoint> Envelope(const std::vector<SignalBlock>& blocks, absl::Duration window) {
  std::vector<EnvelopePoint> envelope;
  const int64_t window_ns = absl::ToInt64Nanoseconds(window);
  if (blocks.empty() || window_ns <= 0) return envelope;
  // Callback jitter can make time_ns step back a little from one buffer to
  // the next, so blocks are binned by index rather than assumed in order.
  int64_t start_ns = blocks.front().time_ns;
  int64_t end_ns = start_ns;
  for (const SignalBlock& block : blocks) {
    start_ns = std::min(start_ns, block.time_ns);
    end_ns = std::max(end_ns, block.time_ns);
  }
  struct Bin {
    double sum_of_squares = 0.0;
    int64_t frames = 0;
  };
  std::vector<Bin> bins(static_cast<size_t>((end_ns - start_ns) / window_ns + 1));
  for (const SignalBlock& block : blocks) {
    Bin& bin = bins[static_cast<size_t>((block.time_ns - start_ns) / window_ns)];
    bin.sum_of_squares += SumOfSquares(block);
    bin.frames += block.frames;
  }
  for (size_t i = 0; i < bins.size(); ++i) {
    if (bins[i].frames == 0) continue;
    envelope.push_back({start_ns + static_cast<int64_t>(i) * window_ns + window_ns / 2,
                        PowerToDb(bins[i].sum_of_squares, 2 * bins[i].frames)});
  }
  return envelope;
}

std::optional<absl::Duration> RampDuration(const std::vector<EnvelopePoint>& envelope,
                                           double from_db, double to_db, int64_t after_ns) {
  if (from_db == to_db) return std::nullopt;
  const bool falling = to_db < from_db;
  const double level10 = from_db + 0.1 * (to_db - from_db);
  const double level90 = from_db + 0.9 * (to_db - from_db);
  auto reached = [falling](double db, double level) { return falling ? db <= level : db >= level; };

  size_t first = 0;
  while (first < envelope.size() && envelope[first].time_ns < after_ns) ++first;
  if (first >= envelope.size() || reached(envelope[first].db, level10)) return std::nullopt;

  size_t i = first + 1;
  while (i < envelope.size() && !reached(envelope[i].db, level10)) ++i;
  if (i >= envelope.size()) return std::nullopt;
  const double time10 = InterpolateTime(envelope[i - 1], envelope[i], level10);

  size_t j = i;
  while (j < envelope.size() && !reached(envelope[j].db, level90)) ++j;
  if (j >= envelope.size()) return std::nullopt;
  const double time90 = InterpolateTime(envelope[j - 1], envelope[j], level90);

  return absl::Nanoseconds(static_cast<int64_t>(std::llround(time90 - time10)));
}

std::optional<int64_t> FirstTimeBelow(const std::vector<EnvelopePoint>& envelope, double db,
                                      int64_t after_ns) {
  for (const EnvelopePoint& point : envelope) {
    if (point.time_ns >= after_ns && point.db < db) return point.time_ns;
  }
  return std::nullopt;
}

double MaxStepDb(const std::vector<EnvelopePoint>& envelope, const TimeRange& range) {
  double max_step = 0.0;
  for (size_t i = 1; i < envelope.size(); ++i) {
    if (!range.Contains(envelope[i - 1].time_ns) || !range.Contains(envelope[i].time_ns)) continue;
    max_step = std::max(max_step, std::abs(envelope[i].db - envelope[i - 1].db));
  }
  return max_step;
}

std::vector<SignalBlock> SampleTimeline(std::vector<SignalBlock> blocks) {
  for (SignalBlock& block : blocks) block.time_ns = block.sample_time_ns;
  return blocks;
}

std::optional<int64_t> SampleTimeAt(const std::vector<SignalBlock>& blocks, int64_t wall_ns) {
  for (const SignalBlock& block : blocks) {
    if (block.time_ns >= wall_ns) return block.sample_time_ns;
  }
  return std::nullopt;
}

}  // namespace caraudio::testing
