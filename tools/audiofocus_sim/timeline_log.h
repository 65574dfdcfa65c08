// TimelineLog: how audiofocus-sim prints a run, one line per thing that
// happened, with its time in seconds from the start of the timeline and who
// it concerns:
//
//      2.300  com.example.music   <- LOSS_TRANSIENT_CAN_DUCK
//      2.300  com.example.music   lowers itself to 35 %
//      2.600  check               PASS expect_audible com.example.music ...
//
// Lines before the timeline starts (setting up) show "setup" instead of a
// time. Quiet mode prints only failures, errors and the summary. Lines go to
// one FILE (stdout), flushed each, so a pipe sees the run live.
//
// Not thread-safe: the runner prints from its own thread.

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_TIMELINE_LOG_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_TIMELINE_LOG_H_

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace caraudio::sim {

class TimelineLog {
 public:
  using Clock = std::chrono::steady_clock;

  // `who_width`: the width of the "who" column (the longest package name).
  TimelineLog(std::FILE* out, bool quiet, size_t who_width);

  // Times printed from now on are relative to `start`.
  void StartTimeline(Clock::time_point start);

  // Something that happened (hidden when quiet).
  void Event(Clock::time_point at, absl::string_view who, absl::string_view text);
  // An expectation's outcome: "PASS ..." (hidden when quiet) or "FAIL ...".
  void Check(Clock::time_point at, bool passed, absl::string_view text);
  // Something that went wrong (always printed).
  void Error(Clock::time_point at, absl::string_view who, absl::string_view text);
  // A line as it is (always printed), e.g. the summary.
  void Plain(absl::string_view text);

  // "  2.300" or "  setup" for `at`.
  std::string TimeColumn(Clock::time_point at) const;

 private:
  void Line(Clock::time_point at, absl::string_view who, absl::string_view text);

  std::FILE* const out_;
  const bool quiet_;
  const size_t who_width_;
  std::optional<Clock::time_point> start_;
};

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_TIMELINE_LOG_H_
