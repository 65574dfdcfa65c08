// SourceLocations: where each field of a parsed protobuf message was written
// in its source text, so that problems found after parsing (scenario
// validation) can name a line and a column like the parser's own errors.
//
// Built from protobuf's text-format ParseInfoTree, or by scanning the JSON
// text that protobuf's JSON parser accepted. Fields are addressed by a
// FieldPath (field descriptors and element indices), printed as
// "timeline[3].app_play.app".
//
// A SourceLocations is a plain value that owns its data (it keeps no pointer
// into the text, the tree or the message). Thread-compatible.

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SOURCE_LOCATIONS_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SOURCE_LOCATIONS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"

namespace caraudio::sim {

// A place in a source text. Both 1-based. Columns count bytes, except that
// in text format a tab advances to the next multiple of 8 (protobuf's
// tokenizer rule, so these agree with the parser's own errors).
struct SourceLocation {
  int line = 0;
  int column = 0;

  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

// One step into a message: a field and, for a repeated field, the element
// index; -1 for a singular field.
struct FieldPathStep {
  const google::protobuf::FieldDescriptor* field = nullptr;
  int index = -1;

  friend bool operator==(const FieldPathStep&, const FieldPathStep&) = default;
};

// A field inside a message, from the top-level message down.
using FieldPath = std::vector<FieldPathStep>;

// `path` with one more step.
FieldPath Append(FieldPath path, const google::protobuf::FieldDescriptor* field, int index = -1);

// "timeline[3].app_play.app" (proto field names); "" for the empty path.
std::string FieldPathText(const FieldPath& path);

class SourceLocations {
 public:
  // Knows no location: Find always returns nullopt.
  SourceLocations() = default;

  // From a tree that TextFormat::Parser::WriteLocationsTo filled while
  // parsing `message`. Elements of a list with several elements
  // (`timeline: [{...}, {...}]`) get the location of their first field, as
  // protobuf records one location for the whole list (an empty element of
  // such a list gets none).
  static SourceLocations FromParseInfoTree(const google::protobuf::Message& message,
                                           const google::protobuf::TextFormat::ParseInfoTree& tree);

  // From proto3 JSON text of a message of type `type`: each member's
  // location is that of its key, each array element's that of its value.
  // Keys may be proto field names or JSON (lowerCamelCase) names; unknown
  // keys are skipped. Text that is not well-formed JSON yields the locations
  // found before the first syntax error.
  static SourceLocations FromJson(absl::string_view json, const google::protobuf::Descriptor* type);

  // Where the field at `path` was written; when it was not written (a
  // missing required field), where its nearest written ancestor was; nullopt
  // when none was.
  std::optional<SourceLocation> Find(const FieldPath& path) const;

  // The number of fields and elements with a location.
  int size() const { return static_cast<int>(by_path_.size()); }

 private:
  friend class TextFormatLocationWalker;
  friend class JsonLocationScanner;

  std::map<std::string, SourceLocation> by_path_;  // key: FieldPathText
};

// The location of the first syntax error in `json` (RFC 8259: one value,
// surrounded by optional whitespace), or nullopt when it is well-formed.
// Used to give protobuf's JSON syntax errors, which carry no line number, a
// line and column.
std::optional<SourceLocation> FirstJsonSyntaxError(absl::string_view json);

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SOURCE_LOCATIONS_H_
