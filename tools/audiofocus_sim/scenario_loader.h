// Loading audiofocus-sim scenarios (caraudio.sim.v1.Scenario, see
// proto/caraudio/sim/v1/scenario.proto): read the file, parse it with
// protobuf's own parser for its format, and validate it against the car it
// will run in (the rules are listed in scenario_validation.h).
//
// Formats, chosen by the file name's extension:
//   .textproto, .pbtxt, .txtpb   protobuf text format (TextFormat::Parser);
//   .json                        proto3 JSON (util::JsonStringToMessage):
//                                field names as in the .proto or
//                                lowerCamelCase, enums by name or number,
//                                unknown fields rejected.
//
// Errors are InvalidArgument, one per line, each starting with the source
// name and, whenever the place is known, the 1-based line and column:
//
//   scenario.textproto:14:5: timeline[3]: app "com.nav" is not declared in apps
//   scenario.textproto:2:9: apps[0]: uid -4 is not positive
//   scenario.textproto: no apps declared (a scenario needs at least one app)
//
// A syntax error stops parsing, so it is reported alone. Text format:
// protobuf's message and position (which, for an unknown field or enum
// value, is that of the token after it). JSON: the first line of protobuf's
// message, with the position of the first syntax error when the text is not
// well-formed JSON (protobuf 3.21's JSON errors carry none); schema errors
// such as unknown fields have no position but name the field. Validation reports
// every problem it finds, in rule order, the first kMaxReportedProblems of
// them followed by a line "... and N more problems". Validation errors point
// at the offending field, or, for a missing one, at the element that lacks
// it.
//
// Nothing is half-loaded: either the whole valid scenario or an error. All
// functions are thread-safe.

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SCENARIO_LOADER_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SCENARIO_LOADER_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "caraudio/sim/v1/scenario.pb.h"
#include "zones/car_audio_config.h"

namespace caraudio::sim {

enum class ScenarioFormat : int {
  kTextFormat = 0,
  kJson = 1,
};

// At most this many validation problems are listed in one error.
inline constexpr int kMaxReportedProblems = 20;

// Source name for scenarios that did not come from a file.
inline constexpr absl::string_view kScenarioStringSource = "<scenario>";

// The format for a file name, by its extension (case-sensitive, as listed
// above); nullopt for any other.
std::optional<ScenarioFormat> ScenarioFormatForPath(absl::string_view path);

// Parses `text` in `format` and validates the result against `car`.
// `source_name` starts every error line.
absl::StatusOr<v1::Scenario> ParseScenario(absl::string_view text, ScenarioFormat format,
                                           const CarAudioConfig& car,
                                           absl::string_view source_name = kScenarioStringSource);

// Reads the file at `path` and parses it as ParseScenario does, in the format
// of its extension; errors name `path` as given. An unknown extension is
// InvalidArgument; a missing file NotFound, an unreadable one
// PermissionDenied, a directory InvalidArgument, other I/O errors
// Unavailable.
absl::StatusOr<v1::Scenario> LoadScenarioFile(const std::string& path, const CarAudioConfig& car);

// Validation alone, for scenarios built in code: OK, or InvalidArgument as
// above, without line numbers.
absl::Status ValidateScenario(const v1::Scenario& scenario, const CarAudioConfig& car,
                              absl::string_view source_name = kScenarioStringSource);

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SCENARIO_LOADER_H_
