// Structured logging for audiocontrold: one line per record, logfmt style,
// written to stderr in one write() each.
//
//   2026-11-23T19:40:01.123Z level=info component=carservice msg="ready: ..." zones=3
//
// When stderr is the systemd journal (JOURNAL_STREAM names stderr's device
// and inode) the timestamp is dropped — the journal has its own — and each
// record starts with its syslog priority, `<6>level=info component=...`, which
// journald turns into the entry's PRIORITY.
//
// Values that are empty or contain a space, '=', '"', '\' or a control
// character are quoted; inside quotes '"' and '\' are escaped with '\' and
// newlines, tabs and returns are written as \n, \t, \r, so a record is always
// one line. ParseLogRecord() reads a record back (tests, tools).
//
// The sink is process-wide (stderr is): it is created on first use from the
// environment and never changes afterwards. Thread-safe.

#ifndef CARAUDIO_COMMON_LOG_H_
#define CARAUDIO_COMMON_LOG_H_

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace caraudio {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

// One key=value pair after the message. Keys are short identifiers
// (letters, digits, '_', '.', '-'); values are any text or number.
struct LogField {
  LogField(std::string_view field_key, const absl::AlphaNum& field_value)
      : key(field_key), value(field_value.data(), field_value.size()) {}

  std::string key;
  std::string value;
};

// Writes one record: level, component (carservice, hal, bridge, ...), the
// message and the fields, in that order.
void Log(LogLevel level, std::string_view component, std::string_view message,
         std::initializer_list<LogField> fields = {});

inline void LogInfo(std::string_view component, std::string_view message,
                    std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kInfo, component, message, fields);
}
inline void LogWarning(std::string_view component, std::string_view message,
                       std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kWarning, component, message, fields);
}
inline void LogError(std::string_view component, std::string_view message,
                     std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kError, component, message, fields);
}

// The part of a record after the level:
// `component=COMPONENT msg="MESSAGE" key=value ...`.
std::string FormatLogFields(std::string_view component, std::string_view message,
                            std::initializer_list<LogField> fields);

// Where records go and how they start.
enum class LogDestination {
  kStderr,   // `2026-11-23T19:40:01.123Z level=info ...`
  kJournal,  // `<6>level=info ...`
};

// kJournal when $JOURNAL_STREAM ("DEVICE:INODE") is stderr's device and
// inode, as sd_journal_stream_fd documents; kStderr otherwise (also when
// stderr was redirected by a child of a journald-connected process).
LogDestination DetectLogDestination();

// The syslog priority journald gets for `level` (<7> debug .. <3> error).
int SyslogPriority(LogLevel level);

// Parses one record into its keys and unescaped values. A leading
// `<N>` priority and a leading timestamp (a first token without '=') are
// returned as keys "priority" and "time". InvalidArgument for a malformed
// line (an unterminated quote, a token without '=').
absl::StatusOr<std::map<std::string, std::string>> ParseLogRecord(std::string_view line);

}  // namespace caraudio

#endif  // CARAUDIO_COMMON_LOG_H_
