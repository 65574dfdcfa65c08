// common/log.h: records are one logfmt line whatever the message holds, read
// back unchanged by ParseLogRecord, and go to the journal format only when
// JOURNAL_STREAM names stderr itself.

#include "common/log.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caraudio {
namespace {

using ::testing::Not;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(LogTest, FieldsFollowComponentAndMessageAndPlainValuesStayUnquoted) {
  EXPECT_EQ(FormatLogFields("carservice", "ready", {{"zones", 3}, {"role", "all"}}),
            "component=carservice msg=ready zones=3 role=all");
}

TEST(LogTest, ValuesThatNeedItAreQuotedAndEscapedOnOneLine) {
  const std::string text = FormatLogFields(
      "hal", "focus listener \"carservice\" registered", {{"path", "a b=c\\d\ne\tf"}, {"empty", ""}});
  EXPECT_EQ(text,
            "component=hal msg=\"focus listener \\\"carservice\\\" registered\" "
            "path=\"a b=c\\\\d\\ne\\tf\" empty=\"\"");
  EXPECT_THAT(text, Not(HasSubstr("\n")));
}

TEST(LogTest, ARecordParsesBackToTheSameValues) {
  const std::string message = "bad config: \"x.xml\":12: unknown context \"musik\"\nsecond line";
  const std::string line = absl::StrCat("2026-11-23T19:40:01.123Z level=warning ",
                                        FormatLogFields("carservice", message, {{"zones", 2}}));
  absl::StatusOr<std::map<std::string, std::string>> record = ParseLogRecord(line);
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_THAT(*record, UnorderedElementsAre(Pair("time", "2026-11-23T19:40:01.123Z"),
                                            Pair("level", "warning"),
                                            Pair("component", "carservice"),
                                            Pair("msg", message), Pair("zones", "2")));
}

TEST(LogTest, AJournalRecordCarriesItsPriority) {
  absl::StatusOr<std::map<std::string, std::string>> record =
      ParseLogRecord("<3>level=error component=audiocontrold msg=\"no group\"");
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->at("priority"), "3");
  EXPECT_EQ(record->at("msg"), "no group");
  EXPECT_EQ(SyslogPriority(LogLevel::kError), 3);
  EXPECT_EQ(SyslogPriority(LogLevel::kWarning), 4);
  EXPECT_EQ(SyslogPriority(LogLevel::kInfo), 6);
  EXPECT_EQ(SyslogPriority(LogLevel::kDebug), 7);
}

TEST(LogTest, MalformedLinesAreRefused) {
  EXPECT_FALSE(ParseLogRecord("level=info msg=\"unterminated").ok());
  EXPECT_FALSE(ParseLogRecord("level=info stray msg=x").ok());
  EXPECT_FALSE(ParseLogRecord("<6 level=info").ok());
}

// Runs with JOURNAL_STREAM set to `value` and restores it.
LogDestination DestinationWith(const std::string& value) {
  ::setenv("JOURNAL_STREAM", value.c_str(), /*overwrite=*/1);
  const LogDestination destination = DetectLogDestination();
  ::unsetenv("JOURNAL_STREAM");
  return destination;
}

TEST(LogTest, TheJournalFormatIsUsedOnlyWhenJournalStreamIsStderrItself) {
  struct stat info {};
  ASSERT_EQ(::fstat(STDERR_FILENO, &info), 0);
  EXPECT_EQ(DestinationWith(absl::StrCat(info.st_dev, ":", info.st_ino)),
            LogDestination::kJournal);
  EXPECT_EQ(DestinationWith(absl::StrCat(info.st_dev, ":", info.st_ino + 1)),
            LogDestination::kStderr);
  EXPECT_EQ(DestinationWith("garbage"), LogDestination::kStderr);
  EXPECT_EQ(DetectLogDestination(), LogDestination::kStderr);  // unset
}

}  // namespace
}  // namespace caraudio
