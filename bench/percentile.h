// Percentile(values, q): the value at rank q (0 = smallest, 1 = largest) of
// `values`, the one at index q * (n - 1) once sorted. Sorts `values` in place
// (repeated calls on the same vector then cost no more sorting). `values`
// must not be empty. The one definition every benchmark here reports with.

#ifndef CARAUDIO_BENCH_PERCENTILE_H_
#define CARAUDIO_BENCH_PERCENTILE_H_

#include <algorithm>
#include <cstddef>
#include <vector>

namespace caraudio {

inline double Percentile(std::vector<double>& values, double q) {
  if (!std::is_sorted(values.begin(), values.end())) std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(q * (values.size() - 1))];
}

}  // namespace caraudio

#endif  // CARAUDIO_BENCH_PERCENTILE_H_
