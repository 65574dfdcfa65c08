// SourceLocations: field paths to line and column, from protobuf's text-format
// ParseInfoTree and from JSON text; and the JSON syntax checker.

#include "tools/audiofocus_sim/source_locations.h"

#include <optional>
#include <string>

#include "caraudio/sim/v1/scenario.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace caraudio::sim {
namespace {

using google::protobuf::FieldDescriptor;

const FieldDescriptor* ScenarioField(const char* name) {
  return v1::Scenario::descriptor()->FindFieldByName(name);
}
const FieldDescriptor* StepField(const char* name) {
  return v1::Step::descriptor()->FindFieldByName(name);
}
const FieldDescriptor* AppPlayField(const char* name) {
  return v1::AppPlay::descriptor()->FindFieldByName(name);
}

// timeline[index].app_play.app
FieldPath PlayedApp(int index) {
  return {{ScenarioField("timeline"), index}, {StepField("app_play")}, {AppPlayField("app")}};
}

SourceLocations FromText(const std::string& text) {
  google::protobuf::TextFormat::Parser parser;
  google::protobuf::TextFormat::ParseInfoTree tree;
  parser.WriteLocationsTo(&tree);
  v1::Scenario scenario;
  EXPECT_TRUE(parser.ParseFromString(text, &scenario));
  return SourceLocations::FromParseInfoTree(scenario, tree);
}

TEST(FieldPathTest, Text) {
  EXPECT_EQ(FieldPathText({}), "");
  EXPECT_EQ(FieldPathText(PlayedApp(3)), "timeline[3].app_play.app");
  EXPECT_EQ(FieldPathText(Append({{ScenarioField("apps"), 0}}, ScenarioField("name"))),
            "apps[0].name");
}

TEST(TextFormatLocationsTest, FieldsAndElements) {
  const SourceLocations locations = FromText(
      "name: \"x\"\n"
      "timeline { at_ms: 1 app_play { app: \"a\" } }\n"
      "timeline {\n"
      "\tapp_play { duration_ms: 5 }\n"
      "}\n");
  EXPECT_EQ(locations.Find({{ScenarioField("name")}}), (SourceLocation{1, 1}));
  EXPECT_EQ(locations.Find(PlayedApp(0)), (SourceLocation{2, 32}));
  // Not written: the nearest written ancestor (app_play). A tab counts to
  // column 9, as protobuf's tokenizer counts it.
  EXPECT_EQ(locations.Find(PlayedApp(1)), (SourceLocation{4, 9}));
  EXPECT_EQ(locations.Find({{ScenarioField("timeline"), 1}}), (SourceLocation{3, 1}));
  EXPECT_EQ(locations.Find({{ScenarioField("zone")}}), std::nullopt);
  EXPECT_EQ(locations.Find({}), std::nullopt);
}

TEST(TextFormatLocationsTest, ListSyntaxAndBlocksMixed) {
  const SourceLocations locations = FromText(
      "timeline { at_ms: 0 }\n"
      "timeline: [ { at_ms: 1 },\n"
      "            { app_play { app: \"b\" } } ]\n"
      "timeline { at_ms: 3 }\n");
  EXPECT_EQ(locations.Find({{ScenarioField("timeline"), 0}}), (SourceLocation{1, 1}));
  EXPECT_EQ(locations.Find({{ScenarioField("timeline"), 1}}), (SourceLocation{2, 15}));
  EXPECT_EQ(locations.Find(PlayedApp(2)), (SourceLocation{3, 26}));
  EXPECT_EQ(locations.Find({{ScenarioField("timeline"), 3}}), (SourceLocation{4, 1}));
}

TEST(JsonLocationsTest, KeysByEitherNameAndElementsByValue) {
  const SourceLocations locations = SourceLocations::FromJson(
      "{\"name\": \"x\",\n"
      " \"timeline\": [ {\"atMs\": 1, \"appPlay\": {\"app\": \"a\"}},\n"
      "   {\"unknown\": {\"app\": 1}, \"app_play\": {\"durationMs\": 5}}]}",
      v1::Scenario::descriptor());
  EXPECT_EQ(locations.Find({{ScenarioField("name")}}), (SourceLocation{1, 2}));
  EXPECT_EQ(locations.Find({{ScenarioField("timeline"), 0}}), (SourceLocation{2, 16}));
  EXPECT_EQ(locations.Find(PlayedApp(0)), (SourceLocation{2, 40}));
  EXPECT_EQ(locations.Find(PlayedApp(1)), (SourceLocation{3, 28}));
  EXPECT_EQ(locations.size(),
            9);  // name, timeline, 2 elements, at_ms, 2 app_play, app, duration_ms
}

TEST(JsonSyntaxTest, WellFormed) {
  for (const char* json : {"{}", " [1, -2.5e+3, 0, \"a\\u00e9\\n\", true, false, null] ",
                           "{\"a\": {\"b\": [[], {}]}}", "\"s\"", "0.5"}) {
    EXPECT_EQ(FirstJsonSyntaxError(json), std::nullopt) << json;
  }
}

TEST(JsonSyntaxTest, FirstErrorPosition) {
  EXPECT_EQ(FirstJsonSyntaxError(""), (SourceLocation{1, 1}));
  EXPECT_EQ(FirstJsonSyntaxError("{\"a\": 1,}"), (SourceLocation{1, 9}));
  EXPECT_EQ(FirstJsonSyntaxError("{\n  \"a\" 1}"), (SourceLocation{2, 7}));
  EXPECT_EQ(FirstJsonSyntaxError("[01]"), (SourceLocation{1, 3}));
  EXPECT_EQ(FirstJsonSyntaxError("[tru]"), (SourceLocation{1, 5}));
  EXPECT_EQ(FirstJsonSyntaxError("\"a\nb\""), (SourceLocation{1, 3}));
  EXPECT_EQ(FirstJsonSyntaxError("{} {}"), (SourceLocation{1, 4}));
  EXPECT_EQ(FirstJsonSyntaxError(std::string(300, '[') + std::string(300, ']')).has_value(), true);
}

}  // namespace
}  // namespace caraudio::sim
