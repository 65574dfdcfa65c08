#include "common/log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <utility>

#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace caraudio {
namespace {

spdlog::level::level_enum SpdlogLevel(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarning:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

LogLevel FromSpdlogLevel(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return LogLevel::kDebug;
    case spdlog::level::info:
      return LogLevel::kInfo;
    case spdlog::level::warn:
      return LogLevel::kWarning;
    default:
      return LogLevel::kError;
  }
}

// `%*` in the journal pattern: the record's syslog priority.
class SyslogPriorityFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm& /*time*/,
              spdlog::memory_buf_t& destination) override {
    const std::string priority = absl::StrCat(SyslogPriority(FromSpdlogLevel(message.level)));
    destination.append(priority.data(), priority.data() + priority.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<SyslogPriorityFlag>();
  }
};

std::unique_ptr<spdlog::logger> MakeLogger() {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  if (DetectLogDestination() == LogDestination::kJournal) {
    formatter->add_flag<SyslogPriorityFlag>('*').set_pattern("<%*>level=%l %v");
  } else {
    formatter = std::make_unique<spdlog::pattern_formatter>(
        "%Y-%m-%dT%H:%M:%S.%eZ level=%l %v", spdlog::pattern_time_type::utc);
  }
  sink->set_formatter(std::move(formatter));
  auto logger = std::make_unique<spdlog::logger>("caraudio", std::move(sink));
  logger->set_level(spdlog::level::debug);
  logger->flush_on(spdlog::level::debug);
  return logger;
}

spdlog::logger& Logger() {
  static spdlog::logger* const logger = MakeLogger().release();  // lives until exit
  return *logger;
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
  const std::string text = FormatLogFields(component, message, fields);
  Logger().log(SpdlogLevel(level), spdlog::string_view_t(text.data(), text.size()));
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
