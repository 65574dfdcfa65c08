// LatencyHistogram: durations counted in logarithmic buckets (four per
// octave of microseconds, so a percentile is within 19 % of the truth),
// lock-free, for figures like "RequestFocus -> result p99" from many
// threads at once. Thread-safe.

#ifndef CARAUDIO_TESTS_SOAK_LATENCY_HISTOGRAM_H_
#define CARAUDIO_TESTS_SOAK_LATENCY_HISTOGRAM_H_

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>

#include "absl/time/time.h"

namespace caraudio::testing {

class LatencyHistogram {
 public:
  void Add(absl::Duration latency) {
    const double us = std::max(1.0, absl::ToDoubleMicroseconds(latency));
    const int bucket = std::min(kBuckets - 1, static_cast<int>(std::log2(us) * kPerOctave));
    buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  }

  int64_t count() const {
    int64_t total = 0;
    for (const std::atomic<int64_t>& bucket : buckets_) total += bucket.load();
    return total;
  }

  // The upper edge of the bucket holding the `fraction` quantile (0.5, 0.99);
  // zero when empty.
  absl::Duration Quantile(double fraction) const {
    const int64_t total = count();
    if (total == 0) return absl::ZeroDuration();
    const double wanted = fraction * static_cast<double>(total);
    int64_t seen = 0;
    for (int bucket = 0; bucket < kBuckets; ++bucket) {
      seen += buckets_[bucket].load();
      if (static_cast<double>(seen) >= wanted) {
        return absl::Microseconds(std::exp2(static_cast<double>(bucket + 1) / kPerOctave));
      }
    }
    return absl::Microseconds(std::exp2(static_cast<double>(kBuckets) / kPerOctave));
  }

 private:
  static constexpr int kPerOctave = 4;
  static constexpr int kBuckets = 30 * kPerOctave;  // up to 2^30 us, about 18 minutes
  std::array<std::atomic<int64_t>, kBuckets> buckets_{};
};

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_SOAK_LATENCY_HISTOGRAM_H_
