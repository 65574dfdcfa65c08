// The resident set size of a process, from the VmRSS line of
// /proc/PID/status, in KiB: what the soak watches to catch a daemon that
// keeps memory per request, per stream or per client it has forgotten.

#ifndef CARAUDIO_TESTS_SOAK_PROCESS_RSS_H_
#define CARAUDIO_TESTS_SOAK_PROCESS_RSS_H_

#include <sys/types.h>

#include <cstdint>

#include "absl/status/statusor.h"

namespace caraudio::testing {

// NotFound when the process is gone; Internal when the file has no VmRSS.
absl::StatusOr<int64_t> ResidentSetKib(pid_t pid);

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_SOAK_PROCESS_RSS_H_
