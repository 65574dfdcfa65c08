#include "tools/audiofocus_sim/scenario_loader.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/stubs/stringpiece.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "tools/audiofocus_sim/scenario_validation.h"
#include "tools/audiofocus_sim/source_locations.h"
#include "zones/text_file.h"

namespace caraudio::sim {
namespace {

// Collects the text-format parser's errors as "SOURCE:LINE:COLUMN: message".
class TextFormatErrors : public google::protobuf::io::ErrorCollector {
 public:
  explicit TextFormatErrors(absl::string_view source) : source_(source) {}

  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (line < 0) {
      lines_.push_back(absl::StrCat(source_, ": ", message));
    } else {
      lines_.push_back(absl::StrCat(source_, ":", line + 1, ":", column + 1, ": ", message));
    }
  }

  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::string source_;
  std::vector<std::string> lines_;
};

std::string ProblemLine(absl::string_view source, const ScenarioProblem& problem,
                        const SourceLocations& locations) {
  std::string line(source);
  if (std::optional<SourceLocation> location = locations.Find(problem.field)) {
    absl::StrAppend(&line, ":", location->line, ":", location->column);
  }
  absl::StrAppend(&line, ": ");
  if (!problem.where.empty()) absl::StrAppend(&line, problem.where, ": ");
  absl::StrAppend(&line, problem.message);
  return line;
}

// OK, or InvalidArgument listing the first kMaxReportedProblems problems.
absl::Status Validate(const v1::Scenario& scenario, const CarAudioConfig& car,
                      absl::string_view source, const SourceLocations& locations) {
  const std::vector<ScenarioProblem> problems = FindScenarioProblems(scenario, car);
  if (problems.empty()) return absl::OkStatus();
  std::vector<std::string> lines;
  for (const ScenarioProblem& problem : problems) {
    if (static_cast<int>(lines.size()) == kMaxReportedProblems) break;
    lines.push_back(ProblemLine(source, problem, locations));
  }
  if (static_cast<int>(problems.size()) > kMaxReportedProblems) {
    lines.push_back(
        absl::StrCat("... and ", problems.size() - kMaxReportedProblems, " more problems"));
  }
  return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
}

absl::StatusOr<v1::Scenario> ParseTextFormat(absl::string_view text, const CarAudioConfig& car,
                                             absl::string_view source) {
  google::protobuf::TextFormat::Parser parser;
  google::protobuf::TextFormat::ParseInfoTree tree;
  TextFormatErrors errors(source);
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  v1::Scenario scenario;
  if (!parser.ParseFromString(std::string(text), &scenario)) {
    if (errors.lines().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(source, ": not a valid text-format Scenario"));
    }
    return absl::InvalidArgumentError(absl::StrJoin(errors.lines(), "\n"));
  }
  absl::Status valid =
      Validate(scenario, car, source, SourceLocations::FromParseInfoTree(scenario, tree));
  if (!valid.ok()) return valid;
  return scenario;
}

absl::StatusOr<v1::Scenario> ParseJson(absl::string_view text, const CarAudioConfig& car,
                                       absl::string_view source) {
  v1::Scenario scenario;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(text.data(), text.size()), &scenario, options);
  if (!parsed.ok()) {
    // protobuf 3.21 adds a snippet of the text and a caret on further lines;
    // the line and column say the same in one line.
    std::string message(parsed.message().data(), parsed.message().size());
    message = message.substr(0, message.find('\n'));
    std::string line(source);
    if (std::optional<SourceLocation> location = FirstJsonSyntaxError(text)) {
      absl::StrAppend(&line, ":", location->line, ":", location->column);
    }
    return absl::InvalidArgumentError(absl::StrCat(line, ": ", message));
  }
  absl::Status valid =
      Validate(scenario, car, source, SourceLocations::FromJson(text, v1::Scenario::descriptor()));
  if (!valid.ok()) return valid;
  return scenario;
}

}  // namespace

std::optional<ScenarioFormat> ScenarioFormatForPath(absl::string_view path) {
  for (absl::string_view extension : {".textproto", ".pbtxt", ".txtpb"}) {
    if (absl::EndsWith(path, extension)) return ScenarioFormat::kTextFormat;
  }
  if (absl::EndsWith(path, ".json")) return ScenarioFormat::kJson;
  return std::nullopt;
}

absl::StatusOr<v1::Scenario> ParseScenario(absl::string_view text, ScenarioFormat format,
                                           const CarAudioConfig& car,
                                           absl::string_view source_name) {
  switch (format) {
    case ScenarioFormat::kTextFormat:
      return ParseTextFormat(text, car, source_name);
    case ScenarioFormat::kJson:
      return ParseJson(text, car, source_name);
  }
  return absl::InvalidArgumentError(absl::StrCat(source_name, ": unknown scenario format"));
}

absl::StatusOr<v1::Scenario> LoadScenarioFile(const std::string& path, const CarAudioConfig& car) {
  std::optional<ScenarioFormat> format = ScenarioFormatForPath(path);
  if (!format) {
    return absl::InvalidArgumentError(
        absl::StrCat(path,
                     ": unknown scenario format: the name must end in .textproto, .pbtxt, "
                     ".txtpb (protobuf text format) or .json"));
  }
  absl::StatusOr<std::string> text = ReadTextFile(path, "scenario");
  if (!text.ok()) return text.status();
  return ParseScenario(*text, *format, car, path);
}

absl::Status ValidateScenario(const v1::Scenario& scenario, const CarAudioConfig& car,
                              absl::string_view source_name) {
  return Validate(scenario, car, source_name, SourceLocations());
}

}  // namespace caraudio::sim
