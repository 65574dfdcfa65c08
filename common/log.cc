#include "common/log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace caraudio {
namespace {

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

// The process's stderr as a record sink. Each record goes out in one write(),
// under a lock, so records of different threads never interleave, and it is
// never buffered: the last record before a crash is in the log.
class StderrSink {
 public:
  StderrSink() : destination_(DetectLogDestination()) {}

  void Write(LogLevel level, std::string_view text) {
    std::string line;
    line.reserve(text.size() + 48);
    if (destination_ == LogDestination::kJournal) {
      absl::StrAppend(&line, "<", SyslogPriority(level), ">");
    } else {
      absl::StrAppend(&line, absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                              absl::UTCTimeZone()),
                      " ");
    }
    line.append("level=").append(LevelName(level)).append(" ").append(text).append("\n");
    std::lock_guard lock(mutex_);
    std::string_view rest = line;
    while (!rest.empty()) {
      const ssize_t written = ::write(STDERR_FILENO, rest.data(), rest.size());
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) return;  // stderr is gone; nothing else can report it
      rest.remove_prefix(static_cast<size_t>(written));
    }
  }

 private:
  const LogDestination destination_;
  std::mutex mutex_;
};

StderrSink& Sink() {
  // Never destroyed: threads may still log while the process exits.
  static StderrSink* const sink = std::make_unique<StderrSink>().release();
  return *sink;
}

bool NeedsQuotes(std::string_view value) {
  if (value.empty()) return true;
  for (const char c : value) {
    if (c == ' ' || c == '=' || c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 ||
        c == 0x7f) {
      return true;
    }
  }
  return false;
}

void AppendValue(std::string& out, std::string_view value) {
  if (!NeedsQuotes(value)) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (const char c : value) {
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
    }
  }
  out.push_back('"');
}

void AppendField(std::string& out, std::string_view key, std::string_view value) {
  if (!out.empty()) out.push_back(' ');
  out.append(key);
  out.push_back('=');
  AppendValue(out, value);
}

}  // namespace

int SyslogPriority(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return 7;
    case LogLevel::kInfo:
      return 6;
    case LogLevel::kWarning:
      return 4;
    case LogLevel::kError:
      return 3;
  }
  return 6;
}

LogDestination DetectLogDestination() {
  const char* journal_stream = std::getenv("JOURNAL_STREAM");
  if (journal_stream == nullptr) return LogDestination::kStderr;
  const std::pair<std::string, std::string> parts = absl::StrSplit(journal_stream, ':');
  uint64_t device = 0;
  uint64_t inode = 0;
  if (!absl::SimpleAtoi(parts.first, &device) || !absl::SimpleAtoi(parts.second, &inode)) {
    return LogDestination::kStderr;
  }
  struct stat info {};
  if (::fstat(STDERR_FILENO, &info) != 0) return LogDestination::kStderr;
  return info.st_dev == device && info.st_ino == inode ? LogDestination::kJournal
                                                        : LogDestination::kStderr;
}

std::string FormatLogFields(std::string_view component, std::string_view message,
                            std::initializer_list<LogField> fields) {
  std::string out;
  AppendField(out, "component", component);
  AppendField(out, "msg", message);
  for (const LogField& field : fields) AppendField(out, field.key, field.value);
  return out;
}

void Log(LogLevel level, std::string_view component, std::string_view message,
         std::initializer_list<LogField> fields) {
  Sink().Write(level, FormatLogFields(component, message, fields));
}

absl::StatusOr<std::map<std::string, std::string>> ParseLogRecord(std::string_view line) {
  std::map<std::string, std::string> record;
  size_t i = 0;
  auto malformed = [&line](const char* why) {
    return absl::InvalidArgumentError(absl::StrCat("not a log record (", why, "): ",
                                                   std::string(line)));
  };
  if (!line.empty() && line.front() == '<') {
    const size_t close = line.find('>');
    if (close == std::string_view::npos) return malformed("unterminated priority");
    record["priority"] = std::string(line.substr(1, close - 1));
    i = close + 1;
  }
  bool first = true;
  while (i < line.size()) {
    if (line[i] == ' ') {
      ++i;
      continue;
    }
    const size_t token_end = std::min(line.find(' ', i), line.size());
    const size_t equals = line.find('=', i);
    if (equals == std::string_view::npos || equals > token_end) {
      if (!first) return malformed("a token without '='");
      record["time"] = std::string(line.substr(i, token_end - i));
      i = token_end;
      first = false;
      continue;
    }
    first = false;
    std::string key(line.substr(i, equals - i));
    if (key.empty()) return malformed("an empty key");
    i = equals + 1;
    std::string value;
    if (i < line.size() && line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        const char c = line[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c != '\\' || i == line.size()) {
          value.push_back(c);
          continue;
        }
        const char escaped = line[i++];
        value.push_back(escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped == 'r' ? '\r'
                                                                                         : escaped);
      }
      if (!closed) return malformed("an unterminated quote");
    } else {
      const size_t end = std::min(line.find(' ', i), line.size());
      value = std::string(line.substr(i, end - i));
      i = end;
    }
    record[std::move(key)] = std::move(value);
  }
  return record;
}

}  // namespace caraudio
