#include "tools/audiofocus_sim/source_locations.h"

#include <cstddef>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace caraudio::sim {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::TextFormat;

FieldPath Append(FieldPath path, const FieldDescriptor* field, int index) {
  path.push_back(FieldPathStep{field, index});
  return path;
}

std::string FieldPathText(const FieldPath& path) {
  std::string text;
  for (const FieldPathStep& step : path) {
    if (!text.empty()) text += '.';
    text += step.field == nullptr ? "?" : step.field->name();
    if (step.index >= 0) absl::StrAppend(&text, "[", step.index, "]");
  }
  return text;
}

std::optional<SourceLocation> SourceLocations::Find(const FieldPath& path) const {
  for (size_t length = path.size(); length > 0; --length) {
    FieldPath prefix(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(length));
    auto it = by_path_.find(FieldPathText(prefix));
    if (it != by_path_.end()) return it->second;
  }
  return std::nullopt;
}

namespace {

bool Before(const SourceLocation& a, const SourceLocation& b) {
  return a.line < b.line || (a.line == b.line && a.column < b.column);
}

// Keeps the earlier of `*earliest` and `location`.
void KeepEarliest(std::optional<SourceLocation>* earliest, const SourceLocation& location) {
  if (!earliest->has_value() || Before(location, **earliest)) *earliest = location;
}

std::string Join(const std::string& prefix, absl::string_view name) {
  return prefix.empty() ? std::string(name) : absl::StrCat(prefix, ".", name);
}

}  // namespace

// Walks a parsed message alongside its ParseInfoTree.
class TextFormatLocationWalker {
 public:
  explicit TextFormatLocationWalker(SourceLocations* out) : out_(out) {}

  // Records the fields of `message` under `prefix`; returns the earliest
  // location found in it.
  std::optional<SourceLocation> Walk(const Message& message, const TextFormat::ParseInfoTree& tree,
                                     const std::string& prefix) {
    std::optional<SourceLocation> earliest;
    const Descriptor* type = message.GetDescriptor();
    const Reflection* reflection = message.GetReflection();
    for (int f = 0; f < type->field_count(); ++f) {
      const FieldDescriptor* field = type->field(f);
      const std::string path = Join(prefix, field->name());
      const bool is_message = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
      if (!field->is_repeated()) {
        std::optional<SourceLocation> own = Location(tree, field, -1);
        if (own) {
          Record(path, *own);
          KeepEarliest(&earliest, *own);
        }
        const TextFormat::ParseInfoTree* nested =
            is_message ? tree.GetTreeForNested(field, -1) : nullptr;
        if (nested != nullptr) Walk(reflection->GetMessage(message, field), *nested, path);
        continue;
      }
      const int size = reflection->FieldSize(message, field);
      std::vector<std::optional<SourceLocation>> inner(static_cast<size_t>(size));
      for (int i = 0; i < size; ++i) {
        const TextFormat::ParseInfoTree* nested =
            is_message ? tree.GetTreeForNested(field, i) : nullptr;
        if (nested != nullptr) {
          inner[static_cast<size_t>(i)] =
              Walk(reflection->GetRepeatedMessage(message, field, i), *nested, Element(path, i));
        }
      }
      const std::vector<TextFormat::ParseLocationRange> ranges = Ranges(tree, field);
      for (int i = 0; i < size; ++i) {
        std::optional<SourceLocation> own = ElementLocation(ranges, inner, i);
        if (own) {
          Record(Element(path, i), *own);
          KeepEarliest(&earliest, *own);
        }
      }
    }
    return earliest;
  }

 private:
  static std::string Element(const std::string& path, int index) {
    return absl::StrCat(path, "[", index, "]");
  }

  // Every location recorded for a repeated field, in order.
  static std::vector<TextFormat::ParseLocationRange> Ranges(const TextFormat::ParseInfoTree& tree,
                                                            const FieldDescriptor* field) {
    std::vector<TextFormat::ParseLocationRange> ranges;
    for (int k = 0;; ++k) {
      TextFormat::ParseLocationRange range = tree.GetLocationRange(field, k);
      if (range.start.line < 0) return ranges;
      ranges.push_back(range);
    }
  }

  // Where element `i` of a repeated field starts. Protobuf records one range
  // per `field { ... }` block but only one for a whole `field: [...]` list,
  // so when the counts differ each element is matched to the recorded range
  // around its first field (`inner`): alone in its range, it was a block and
  // starts at the field name; sharing a list, it is placed at its first
  // field.
  static std::optional<SourceLocation> ElementLocation(
      const std::vector<TextFormat::ParseLocationRange>& ranges,
      const std::vector<std::optional<SourceLocation>>& inner, int i) {
    if (ranges.size() == inner.size()) return Start(ranges[static_cast<size_t>(i)]);
    const std::optional<SourceLocation>& first_field = inner[static_cast<size_t>(i)];
    if (!first_field) return std::nullopt;
    for (const TextFormat::ParseLocationRange& range : ranges) {
      if (!Inside(*first_field, range)) continue;
      int elements_inside = 0;
      for (const std::optional<SourceLocation>& other : inner) {
        elements_inside += other.has_value() && Inside(*other, range);
      }
      return elements_inside == 1 ? Start(range) : first_field;
    }
    return first_field;
  }

  static SourceLocation Start(const TextFormat::ParseLocationRange& range) {
    return SourceLocation{range.start.line + 1, range.start.column + 1};
  }

  static bool Inside(const SourceLocation& location, const TextFormat::ParseLocationRange& range) {
    const SourceLocation start = Start(range);
    const SourceLocation end{range.end.line + 1, range.end.column + 1};
    return !Before(location, start) && Before(location, end);
  }

  static std::optional<SourceLocation> Location(const TextFormat::ParseInfoTree& tree,
                                                const FieldDescriptor* field, int index) {
    TextFormat::ParseLocation location = tree.GetLocation(field, index);
    if (location.line < 0) return std::nullopt;
    return SourceLocation{location.line + 1, location.column + 1};
  }

  void Record(const std::string& path, const SourceLocation& location) {
    out_->by_path_.insert_or_assign(path, location);
  }

  SourceLocations* out_;
};

SourceLocations SourceLocations::FromParseInfoTree(const Message& message,
                                                   const TextFormat::ParseInfoTree& tree) {
  SourceLocations locations;
  TextFormatLocationWalker(&locations).Walk(message, tree, "");
  return locations;
}

// A strict RFC 8259 recursive-descent scanner that tracks line and column.
// With a message type it records where each known field and element was
// written; without one it only checks syntax.
class JsonLocationScanner {
 public:
  JsonLocationScanner(absl::string_view text, SourceLocations* out) : text_(text), out_(out) {}

  // Scans the whole text as one value. False on a syntax error, whose
  // location error() then gives.
  bool ScanDocument(const Descriptor* type) {
    SkipWhitespace();
    if (!Value(type, "", 0)) return false;
    SkipWhitespace();
    if (pos_ != text_.size()) return Fail();
    return true;
  }

  SourceLocation error() const { return error_; }

 private:
  // Deeper nesting is a syntax error here (protobuf's own limit is 100).
  static constexpr int kMaxDepth = 200;

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  SourceLocation Here() const { return SourceLocation{line_, column_}; }

  void Advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }

  bool Fail() {
    error_ = Here();
    return false;
  }

  bool Consume(char c) {
    if (Peek() != c || AtEnd()) return false;
    Advance();
    return true;
  }

  void SkipWhitespace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) {
      Advance();
    }
  }

  void Record(const std::string& path, const SourceLocation& location) {
    if (out_ != nullptr && !path.empty()) out_->by_path_.insert_or_assign(path, location);
  }

  // One value. `type` is the message type when the value is a message the
  // caller knows; `path` names it ("" when unknown or not a message field).
  bool Value(const Descriptor* type, const std::string& path, int depth) {
    if (depth > kMaxDepth) return Fail();
    switch (Peek()) {
      case '{':
        return Object(type, path, depth);
      case '[':
        return Array(nullptr, "", depth);
      case '"':
        return String(nullptr);
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        return Number();
    }
  }

  bool Object(const Descriptor* type, const std::string& path, int depth) {
    Advance();  // '{'
    SkipWhitespace();
    if (Consume('}')) return true;
    while (true) {
      SkipWhitespace();
      const SourceLocation key_location = Here();
      if (Peek() != '"') return Fail();
      std::string key;
      if (!String(&key)) return false;
      SkipWhitespace();
      if (!Consume(':')) return Fail();
      SkipWhitespace();
      const FieldDescriptor* field = FindField(type, key);
      if (field == nullptr) {
        if (!Value(nullptr, "", depth + 1)) return false;
      } else {
        const std::string field_path = Join(path, field->name());
        Record(field_path, key_location);
        const bool is_message = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
        if (field->is_repeated() && !field->is_map() && Peek() == '[') {
          if (!Array(field, field_path, depth + 1)) return false;
        } else if (is_message && !field->is_repeated()) {
          if (!Value(field->message_type(), field_path, depth + 1)) return false;
        } else {
          if (!Value(nullptr, "", depth + 1)) return false;
        }
      }
      SkipWhitespace();
      if (Consume('}')) return true;
      if (!Consume(',')) return Fail();
    }
  }

  // An array; the elements of `field` (a repeated field at `path`) when
  // known.
  bool Array(const FieldDescriptor* field, const std::string& path, int depth) {
    Advance();  // '['
    SkipWhitespace();
    if (Consume(']')) return true;
    for (int index = 0;; ++index) {
      SkipWhitespace();
      const Descriptor* element_type = nullptr;
      std::string element_path;
      if (field != nullptr) {
        element_path = absl::StrCat(path, "[", index, "]");
        Record(element_path, Here());
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          element_type = field->message_type();
        }
      }
      if (!Value(element_type, element_path, depth + 1)) return false;
      SkipWhitespace();
      if (Consume(']')) return true;
      if (!Consume(',')) return Fail();
    }
  }

  // A string; its value (escapes decoded for ASCII) into `*value` if given.
  bool String(std::string* value) {
    Advance();  // '"'
    while (true) {
      if (AtEnd()) return Fail();
      const char c = Peek();
      if (c == '"') {
        Advance();
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return Fail();
      if (c != '\\') {
        if (value != nullptr) value->push_back(c);
        Advance();
        continue;
      }
      Advance();  // '\\'
      if (AtEnd()) return Fail();
      const char escape = Peek();
      static constexpr absl::string_view kSimple = "\"\\/bfnrt";
      static constexpr absl::string_view kDecoded = "\"\\/\b\f\n\r\t";
      const size_t simple = kSimple.find(escape);
      if (simple != absl::string_view::npos) {
        if (value != nullptr) value->push_back(kDecoded[simple]);
        Advance();
        continue;
      }
      if (escape != 'u') return Fail();
      Advance();
      int code = 0;
      for (int i = 0; i < 4; ++i) {
        if (AtEnd() || !absl::ascii_isxdigit(static_cast<unsigned char>(Peek()))) return Fail();
        const char digit = Peek();
        code =
            code * 16 + (absl::ascii_isdigit(static_cast<unsigned char>(digit))
                             ? digit - '0'
                             : absl::ascii_tolower(static_cast<unsigned char>(digit)) - 'a' + 10);
        Advance();
      }
      // Field names are ASCII; other characters only need to be skipped.
      if (value != nullptr) value->push_back(code < 0x80 ? static_cast<char>(code) : '?');
    }
  }

  bool Literal(absl::string_view word) {
    for (char c : word) {
      if (!Consume(c)) return Fail();
    }
    return true;
  }

  bool Digits() {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(Peek())) || AtEnd()) return Fail();
    while (!AtEnd() && absl::ascii_isdigit(static_cast<unsigned char>(Peek()))) Advance();
    return true;
  }

  bool Number() {
    Consume('-');
    if (Peek() == '0' && !AtEnd()) {
      Advance();
    } else if (!Digits()) {
      return false;
    }
    if (Consume('.') && !Digits()) return false;
    if (Peek() == 'e' || Peek() == 'E') {
      Advance();
      if (!Consume('+')) Consume('-');
      if (!Digits()) return false;
    }
    return true;
  }

  // A field of `type` by proto name or JSON name; nullptr if none.
  static const FieldDescriptor* FindField(const Descriptor* type, const std::string& key) {
    if (type == nullptr) return nullptr;
    for (int f = 0; f < type->field_count(); ++f) {
      const FieldDescriptor* field = type->field(f);
      if (field->name() == key || field->json_name() == key) return field;
    }
    return nullptr;
  }

  absl::string_view text_;
  SourceLocations* out_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
  SourceLocation error_;
};

SourceLocations SourceLocations::FromJson(absl::string_view json, const Descriptor* type) {
  SourceLocations locations;
  JsonLocationScanner(json, &locations).ScanDocument(type);
  return locations;
}

std::optional<SourceLocation> FirstJsonSyntaxError(absl::string_view json) {
  JsonLocationScanner scanner(json, nullptr);
  if (scanner.ScanDocument(nullptr)) return std::nullopt;
  return scanner.error();
}

}  // namespace caraudio::sim
