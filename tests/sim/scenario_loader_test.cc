// Loading scenario files: the shipped scenarios load and validate; JSON and
// text format give the same message; syntax errors carry line and column in
// both formats; I/O errors and unknown extensions are clear.

#include <filesystem>
#include <optional>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"
#include "tests/sim/scenario_test_util.h"

namespace caraudio::sim {
namespace {

using ::caraudio::sim::testing::Check;
using ::caraudio::sim::testing::DefaultCar;
using ::caraudio::testing::TempDir;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kScenarioDir = CARAUDIO_SCENARIO_DIR;
const std::string kTestdataDir = SIM_TESTDATA_DIR;

// The steps of `scenario` with this action, in order.
int CountSteps(const v1::Scenario& scenario, v1::Step::ActionCase action) {
  int count = 0;
  for (const v1::Step& step : scenario.timeline()) count += step.action_case() == action;
  return count;
}

// A fresh directory, removed at the end.
class ScenarioFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TempDir> dir = TempDir::Create("sim_test");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_.emplace(std::move(*dir));
  }

  std::string Write(const std::string& name, const std::string& text) {
    return dir_->Write(name, text);
  }

  std::optional<TempDir> dir_;
};

// ---- Shipped scenarios ----

TEST(ShippedScenarioTest, WellBehavedMediaAndNavLoads) {
  absl::StatusOr<v1::Scenario> scenario =
      LoadScenarioFile(kScenarioDir + "/well_behaved_media_and_nav.textproto", DefaultCar());
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  EXPECT_EQ(scenario->name(), "well_behaved_media_and_nav");
  ASSERT_EQ(scenario->apps_size(), 2);
  for (const v1::App& app : scenario->apps()) {
    EXPECT_EQ(app.behaviour(), v1::BEHAVIOUR_WELL_BEHAVED) << app.package_name();
  }
  EXPECT_EQ(scenario->apps(1).gain(), caraudio::v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK);
  // Expectations of every kind it promises: results, focus changes, audible
  // and no findings for either app.
  EXPECT_GE(CountSteps(*scenario, v1::Step::kExpectResult), 2);
  EXPECT_GE(CountSteps(*scenario, v1::Step::kExpectFocusChange), 2);
  EXPECT_GE(CountSteps(*scenario, v1::Step::kExpectAudible), 4);
  EXPECT_EQ(CountSteps(*scenario, v1::Step::kExpectNoFindings), 2);
  EXPECT_EQ(CountSteps(*scenario, v1::Step::kExpectFinding), 0);
}

TEST(ShippedScenarioTest, BackgroundHardeningLoads) {
  absl::StatusOr<v1::Scenario> scenario =
      LoadScenarioFile(kScenarioDir + "/background_hardening.textproto", DefaultCar());
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  EXPECT_EQ(scenario->name(), "background_hardening");
  ASSERT_EQ(scenario->apps_size(), 2);
  EXPECT_EQ(scenario->apps(0).initial_lifecycle().visibility(), ::caraudio::v1::APP_VISIBILITY_VISIBLE);
  EXPECT_EQ(scenario->apps(1).behaviour(), v1::BEHAVIOUR_BACKGROUND_WITHOUT_FGS);

  // An ENFORCE phase, then a WARN phase.
  std::vector<int> modes;
  for (const v1::Step& step : scenario->timeline()) {
    if (step.has_set_hardening()) modes.push_back(step.set_hardening().mode());
  }
  EXPECT_THAT(modes, ::testing::ElementsAre(::caraudio::v1::HARDENING_MODE_ENFORCE, ::caraudio::v1::HARDENING_MODE_WARN));

  // Under ENFORCE the background app is refused and silent.
  bool failed = false;
  bool silent = false;
  for (const v1::Step& step : scenario->timeline()) {
    if (step.has_set_hardening() && step.set_hardening().mode() == ::caraudio::v1::HARDENING_MODE_WARN) break;
    if (step.has_expect_result() && step.expect_result().app() == "com.example.podcast") {
      failed = step.expect_result().result() == caraudio::v1::REQUEST_FAILED;
    }
    if (step.has_expect_audible() && step.expect_audible().app() == "com.example.podcast") {
      silent = !step.expect_audible().audible();
    }
  }
  EXPECT_TRUE(failed);
  EXPECT_TRUE(silent);
}

TEST(ShippedScenarioTest, EveryShippedScenarioLoads) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kScenarioDir)) {
    const std::string path = entry.path().string();
    if (!ScenarioFormatForPath(path)) continue;
    ++count;
    absl::StatusOr<v1::Scenario> scenario = LoadScenarioFile(path, DefaultCar());
    EXPECT_TRUE(scenario.ok()) << scenario.status();
  }
  EXPECT_GE(count, 2);
}

TEST(ShippedScenarioTest, EveryBehaviourHasAShippedScenario) {
  std::set<int> shown;
  for (const auto& entry : std::filesystem::directory_iterator(kScenarioDir)) {
    const std::string path = entry.path().string();
    if (!ScenarioFormatForPath(path)) continue;
    absl::StatusOr<v1::Scenario> scenario = LoadScenarioFile(path, DefaultCar());
    ASSERT_TRUE(scenario.ok()) << scenario.status();
    for (const v1::App& app : scenario->apps()) shown.insert(app.behaviour());
  }
  for (int behaviour = 0; behaviour < v1::Behaviour_ARRAYSIZE; ++behaviour) {
    if (!v1::Behaviour_IsValid(behaviour)) continue;
    EXPECT_TRUE(shown.contains(behaviour)) << "no shipped scenario shows "
                                           << v1::Behaviour_Name(behaviour);
  }
}

// ---- JSON ----

TEST(JsonScenarioTest, JsonAndTextFormatGiveTheSameScenario) {
  absl::StatusOr<v1::Scenario> text =
      LoadScenarioFile(kTestdataDir + "/json_equivalent.textproto", DefaultCar());
  ASSERT_TRUE(text.ok()) << text.status();
  absl::StatusOr<v1::Scenario> json =
      LoadScenarioFile(kTestdataDir + "/json_equivalent.json", DefaultCar());
  ASSERT_TRUE(json.ok()) << json.status();
  std::string differences;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(*text, *json)) << differences;
  // Presence survives JSON for fields set to zero.
  EXPECT_TRUE(json->apps(0).has_zone());
  EXPECT_TRUE(json->timeline(0).set_hardening().has_mode());
  EXPECT_TRUE(json->timeline(9).expect_result().has_result());
  EXPECT_TRUE(json->timeline(8).expect_audible().has_audible());
  EXPECT_TRUE(json->timeline(6).lifecycle().has_playback_state());
}

TEST_F(ScenarioFileTest, ShippedScenariosRoundTripThroughJson) {
  for (const char* name : {"well_behaved_media_and_nav", "background_hardening"}) {
    absl::StatusOr<v1::Scenario> text =
        LoadScenarioFile(absl::StrCat(kScenarioDir, "/", name, ".textproto"), DefaultCar());
    ASSERT_TRUE(text.ok()) << text.status();
    std::string json;
    google::protobuf::util::JsonPrintOptions options;
    options.add_whitespace = true;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(*text, &json, options).ok());
    absl::StatusOr<v1::Scenario> parsed =
        LoadScenarioFile(Write(absl::StrCat(name, ".json"), json), DefaultCar());
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_TRUE(MessageDifferencer::Equals(*text, *parsed)) << name;
  }
}

TEST(JsonScenarioTest, ValidationErrorsCarryLineAndColumn) {
  const std::string json =
      "{\n"
      "  \"name\": \"j\",\n"
      "  \"apps\": [\n"
      "    {\"packageName\": \"com.a\", \"uid\": 10100, \"usage\": \"USAGE_MEDIA\",\n"
      "     \"gain\": \"FOCUS_GAIN\", \"frequencyHz\": 20}\n"
      "  ],\n"
      "  \"timeline\": [\n"
      "    {\"atMs\": 0, \"appPlay\": {\"app\": \"com.a\"}},\n"
      "    {\"atMs\": 10,\n"
      "     \"app_stop\": {\"app\": \"com.b\"}}\n"
      "  ]\n"
      "}\n";
  EXPECT_EQ(Check(json, ScenarioFormat::kJson, "scenario.json"),
            "scenario.json:5:28: apps[0]: frequency_hz 20 is outside (20, 20000) Hz\n"
            "scenario.json:10:19: timeline[1]: app \"com.b\" is not declared in apps");
}

TEST(JsonScenarioTest, SyntaxErrorsCarryLineAndColumn) {
  // A stray comma on line 3.
  EXPECT_THAT(Check("{\n  \"name\": \"j\",\n  \"apps\": [,]\n}\n", ScenarioFormat::kJson, "s.json"),
              StartsWith("s.json:3:12: "));
  // An unterminated object.
  EXPECT_THAT(Check("{\n  \"name\": \"j\"\n", ScenarioFormat::kJson, "s.json"),
              StartsWith("s.json:3:1: "));
  // One line only: protobuf's snippet and caret lines are dropped.
  EXPECT_EQ(Check("{\"name\": }", ScenarioFormat::kJson, "s.json").find('\n'), std::string::npos);
}

TEST(JsonScenarioTest, SchemaErrorsNameTheProblem) {
  EXPECT_THAT(Check("{\"nmae\": \"x\"}", ScenarioFormat::kJson, "s.json"),
              ::testing::AllOf(StartsWith("s.json: "), HasSubstr("nmae")));
  EXPECT_THAT(
      Check("{\"apps\": [{\"behaviour\": \"BEHAVIOUR_SLEEPY\"}]}", ScenarioFormat::kJson, "s.json"),
      ::testing::AllOf(StartsWith("s.json: "), HasSubstr("BEHAVIOUR_SLEEPY")));
  EXPECT_THAT(Check("{\"timeline\": [{\"appPlay\": {}, \"appStop\": {}}]}", ScenarioFormat::kJson,
                    "s.json"),
              ::testing::AllOf(StartsWith("s.json: "), HasSubstr("oneof")));
}

// ---- Text-format syntax ----

TEST(TextFormatSyntaxTest, ErrorsCarryLineAndColumn) {
  // Protobuf's own messages and positions, behind "SOURCE:LINE:COLUMN: ".
  // Protobuf places some errors at the token after the offending one: the
  // ':' after an unknown field name, the '}' after an unknown enum value.
  EXPECT_EQ(Check("name: \"x\"\napps {\n  package_nme: \"com.a\"\n}\n"),
            "scenario.textproto:3:14: Message type \"caraudio.sim.v1.App\" has no field named "
            "\"package_nme\".");
  EXPECT_EQ(Check("name: \"x\"\napps { usage: USAGE_MEDIUM }\n"),
            "scenario.textproto:2:28: Unknown enumeration value of \"USAGE_MEDIUM\" for field "
            "\"usage\".");
  EXPECT_EQ(Check("name: \"x\"\ntimeline { at_ms: 1\n"),
            "scenario.textproto:3:1: Expected identifier, got: ");
  EXPECT_EQ(Check("name: \"x\"\napps { uid: \"many\" }\n"),
            "scenario.textproto:2:13: Expected integer, got: \"many\"");
}

TEST(TextFormatSyntaxTest, TwoActionsInOneStepAreRejectedByTheParser) {
  EXPECT_EQ(
      Check("name: \"x\"\ntimeline {\n  app_play { app: \"a\" }\n  app_stop { app: \"a\" }\n}\n"),
      "scenario.textproto:4:12: Field \"app_stop\" is specified along with field "
      "\"app_play\", another member of oneof \"action\".");
}

TEST(TextFormatSyntaxTest, ListSyntaxElementsGetLineNumbersToo) {
  // Protobuf records one location for a whole `[...]` list; each element
  // still gets the line of its own first field.
  const std::string text =
      "name: \"x\"\n"
      "apps { package_name: \"com.a\" uid: 10100 usage: USAGE_MEDIA gain: FOCUS_GAIN "
      "frequency_hz: 440 }\n"
      "timeline: [\n"
      "  { at_ms: 0 app_play { app: \"com.a\" } },\n"
      "  { at_ms: 5\n"
      "    app_stop { app: \"com.b\" } }\n"
      "]\n"
      "timeline { at_ms: 1 }\n";
  EXPECT_EQ(
      Check(text),
      "scenario.textproto:6:16: timeline[1]: app \"com.b\" is not declared in apps\n"
      "scenario.textproto:8:12: timeline[2]: at_ms 1 goes back in time (timeline[1] is at 5 ms)\n"
      "scenario.textproto:8:1: timeline[2]: no action (set one of app_play, app_stop, "
      "lifecycle, hal_chime, set_hardening, set_group_volume, expect_result, "
      "expect_focus_change, expect_audible, expect_finding, expect_no_findings, "
      "set_nav_during_call, stop_car_service, continue_car_service, expect_device_audible)");
}

// ---- Files ----

TEST(ScenarioFormatTest, ByExtension) {
  EXPECT_EQ(ScenarioFormatForPath("a/b.textproto"), ScenarioFormat::kTextFormat);
  EXPECT_EQ(ScenarioFormatForPath("b.pbtxt"), ScenarioFormat::kTextFormat);
  EXPECT_EQ(ScenarioFormatForPath("b.txtpb"), ScenarioFormat::kTextFormat);
  EXPECT_EQ(ScenarioFormatForPath("b.json"), ScenarioFormat::kJson);
  EXPECT_EQ(ScenarioFormatForPath("b.yaml"), std::nullopt);
  EXPECT_EQ(ScenarioFormatForPath("json"), std::nullopt);
}

TEST_F(ScenarioFileTest, ErrorsNameTheFile) {
  const std::string path = Write("bad.pbtxt", "name: \"x\"\n");
  absl::StatusOr<v1::Scenario> scenario = LoadScenarioFile(path, DefaultCar());
  ASSERT_FALSE(scenario.ok());
  EXPECT_EQ(scenario.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(scenario.status().message(),
            absl::StrCat(path, ": no apps declared (a scenario needs at least one app)"));
}

TEST_F(ScenarioFileTest, UnknownExtension) {
  const std::string path = Write("scenario.yaml", "name: x\n");
  absl::StatusOr<v1::Scenario> scenario = LoadScenarioFile(path, DefaultCar());
  EXPECT_EQ(scenario.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(scenario.status().message(),
            absl::StrCat(path,
                         ": unknown scenario format: the name must end in .textproto, "
                         ".pbtxt, .txtpb (protobuf text format) or .json"));
}

TEST_F(ScenarioFileTest, MissingFileIsNotFound) {
  const std::string path = dir_->File("absent.textproto");
  absl::StatusOr<v1::Scenario> scenario = LoadScenarioFile(path, DefaultCar());
  EXPECT_EQ(scenario.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(scenario.status().message()),
              StartsWith(path + ": cannot open scenario: "));
}

TEST_F(ScenarioFileTest, DirectoryIsInvalidArgument) {
  const std::string path = dir_->File("dir.json");
  std::filesystem::create_directory(path);
  absl::StatusOr<v1::Scenario> scenario = LoadScenarioFile(path, DefaultCar());
  EXPECT_EQ(scenario.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(scenario.status().message()),
              StartsWith(path + ": cannot read scenario: "));
}

}  // namespace
}  // namespace caraudio::sim
