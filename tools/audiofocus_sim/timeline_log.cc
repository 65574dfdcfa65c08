#include "tools/audiofocus_sim/timeline_log.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace caraudio::sim {

TimelineLog::TimelineLog(std::FILE* out, bool quiet, size_t who_width)
    : out_(out), quiet_(quiet), who_width_(std::max<size_t>(who_width, 8)) {}

void TimelineLog::StartTimeline(Clock::time_point start) { start_ = start; }

std::string TimelineLog::TimeColumn(Clock::time_point at) const {
  if (!start_) return "  setup";
  const double seconds = std::chrono::duration<double>(at - *start_).count();
  return absl::StrFormat("%7.3f", seconds);
}

void TimelineLog::Line(Clock::time_point at, absl::string_view who, absl::string_view text) {
  const std::string line =
      absl::StrFormat("%s  %-*s  %s\n", TimeColumn(at), static_cast<int>(who_width_), who, text);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

void TimelineLog::Event(Clock::time_point at, absl::string_view who, absl::string_view text) {
  if (!quiet_) Line(at, who, text);
}

void TimelineLog::Check(Clock::time_point at, bool passed, absl::string_view text) {
  if (passed && quiet_) return;
  Line(at, "check", absl::StrCat(passed ? "PASS " : "FAIL ", text));
}

void TimelineLog::Error(Clock::time_point at, absl::string_view who, absl::string_view text) {
  Line(at, who, absl::StrCat("ERROR ", text));
}

void TimelineLog::Plain(absl::string_view text) {
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fputc('\n', out_);
  std::fflush(out_);
}

}  // namespace caraudio::sim
