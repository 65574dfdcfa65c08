// The audioctl binary without a daemon: bad command lines exit 2 at once,
// help exits 0, and every command gives up on an absent or silent daemon
// within its connect timeout with one line on stderr and exit 1 (no hang).
// AUDIOCTL_PATH is the built binary (set by CMake).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::StartsWith;

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  absl::Duration took;
};

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Runs `audioctl <args>` through the shell, stdin closed.
RunResult Audioctl(const std::string& args) {
  const std::string dir = ::testing::TempDir();
  // Per process: ctest may run the tests of this file in parallel.
  const std::string out = absl::StrCat(dir, "/audioctl_cli_out.", ::getpid());
  const std::string err = absl::StrCat(dir, "/audioctl_cli_err.", ::getpid());
  const std::string command =
      absl::StrCat(AUDIOCTL_PATH, " ", args, " </dev/null >", out, " 2>", err);
  RunResult run;
  const absl::Time start = absl::Now();
  const int status = std::system(command.c_str());
  run.took = absl::Now() - start;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = ReadFile(out);
  run.err = ReadFile(err);
  return run;
}

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

constexpr char kAbsentSocket[] = "/nonexistent-audioctl-test-dir/audiocontrol.sock";

TEST(AudioctlCliTest, HelpExitsZero) {
  const RunResult run = Audioctl("--help");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.out, HasSubstr("Commands:"));
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(Audioctl("help events").exit_code, 0);
}

TEST(AudioctlCliTest, BadCommandLineExitsTwoWithOneLine) {
  for (const char* args :
       {"", "frobnicate", "request --usage musak", "hal-request --usage safety",
        "volume set --zone 0 --group media --index loud", "restrict maybe", "dump --zone 1"}) {
    // A socket is given so that a wrongly accepted command would fail with 1.
    const RunResult run = Audioctl(absl::StrCat("--socket ", kAbsentSocket, " ", args));
    EXPECT_EQ(run.exit_code, 2) << args;
    EXPECT_THAT(Lines(run.err), SizeIs(1)) << args << ": " << run.err;
    EXPECT_THAT(run.err, StartsWith("audioctl: ")) << args;
    EXPECT_EQ(run.out, "") << args;
  }
}

TEST(AudioctlCliTest, AbsentDaemonFailsFastForEveryKindOfCommand) {
  for (const char* args : {"dump", "ping", "restrict on", "volume list", "request --usage media",
                           "hal-request --usage safety --zone 0", "events --json"}) {
    const RunResult run = Audioctl(absl::StrCat("--socket ", kAbsentSocket, " ", args));
    EXPECT_EQ(run.exit_code, 1) << args;
    EXPECT_LT(run.took, absl::Seconds(3)) << args;
    EXPECT_THAT(Lines(run.err), SizeIs(1)) << args << ": " << run.err;
    EXPECT_THAT(run.err, StartsWith(absl::StrCat(
                             "audioctl: cannot reach audiocontrold at unix:", kAbsentSocket, ": ")))
        << args;
  }
}

TEST(AudioctlCliTest, WaitGivesUpAtTheTimeout) {
  const RunResult run = Audioctl(
      absl::StrCat("--socket ", kAbsentSocket, " --wait --timeout 0.5 request --usage nav"));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_GE(run.took, absl::Milliseconds(450));
  EXPECT_LT(run.took, absl::Seconds(3));
  EXPECT_THAT(run.err, HasSubstr("no connection within 500ms"));
}

// A socket that is listened on but never answered: the connection never
// becomes ready, and audioctl gives up at its timeout.
TEST(AudioctlCliTest, SilentDaemonTimesOut) {
  const std::string path = absl::StrCat(::testing::TempDir(), "/audioctl_silent.", ::getpid());
  ::unlink(path.c_str());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof(address.sun_path));
  path.copy(address.sun_path, path.size());
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(fd, 8), 0);

  for (const char* args : {"dump", "events"}) {
    const RunResult run = Audioctl(absl::StrCat("--socket ", path, " --timeout 1 ", args));
    EXPECT_EQ(run.exit_code, 1) << args;
    EXPECT_LT(run.took, absl::Seconds(3)) << args;
    EXPECT_THAT(Lines(run.err), SizeIs(1)) << args << ": " << run.err;
    EXPECT_THAT(run.err, StartsWith("audioctl: cannot reach audiocontrold at unix:")) << args;
  }
  ::close(fd);
  ::unlink(path.c_str());
  ::unlink(absl::StrCat(::testing::TempDir(), "/audioctl_cli_out.", ::getpid()).c_str());
  ::unlink(absl::StrCat(::testing::TempDir(), "/audioctl_cli_err.", ::getpid()).c_str());
}

// `audioctl timeline` is offline: a picture or one line and a non-zero exit,
// and never a partial or stray output file.
class AudioctlTimelineCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = absl::StrCat(::testing::TempDir(), "/audioctl_timeline.XXXXXX");
    ASSERT_NE(::mkdtemp(name.data()), nullptr);
    dir_ = name;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string File(const std::string& name) const { return absl::StrCat(dir_, "/", name); }
  std::string WriteLog(const std::string& name, const std::string& text) const {
    std::ofstream(File(name)) << text;
    return File(name);
  }
  // Files in the directory besides the logs the test wrote.
  std::vector<std::string> Pictures() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      if (entry.path().extension() != ".jsonl") names.push_back(entry.path().filename());
    }
    return names;
  }

  const std::string drive_ = absl::StrCat(TIMELINE_TESTDATA_DIR, "/drive.jsonl");
  std::string dir_;
};

TEST_F(AudioctlTimelineCliTest, DrawsSvgAndPngFromARecordedLog) {
  for (const char* name : {"drive.svg", "drive.png"}) {
    const RunResult run =
        Audioctl(absl::StrCat("timeline --events ", drive_, " --out ", File(name)));
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.err, "");
    EXPECT_THAT(run.out, StartsWith(absl::StrCat("wrote ", File(name), " (1200 x ")));
    EXPECT_THAT(run.out, HasSubstr("3 zones, 13 focus intervals, 5 markers, 9.3 s"));
  }
  EXPECT_THAT(ReadFile(File("drive.svg")), HasSubstr("<svg"));
  EXPECT_EQ(ReadFile(File("drive.png")).substr(1, 3), "PNG");
  const RunResult wide = Audioctl(
      absl::StrCat("timeline --events ", drive_, " --out ", File("wide.png"), " --width 2000"));
  EXPECT_EQ(wide.exit_code, 0) << wide.err;
  EXPECT_THAT(wide.out, HasSubstr("(2000 x "));
}

TEST_F(AudioctlTimelineCliTest, BadInputIsOneLineAndNoPicture) {
  const std::string malformed =
      WriteLog("malformed.jsonl",
               "{\"sequence\":\"1\",\"subscribed\":{}}\n\n"
               "{\"sequence\": \"2\", \"focusRequest\": 7}\n");
  const std::string empty = WriteLog("empty.jsonl", "\n\n");
  struct Case {
    std::string args;
    int exit_code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {absl::StrCat("--events ", File("absent.jsonl"), " --out ", File("a.svg")), 1,
       "absent.jsonl: cannot open event log: No such file or directory"},
      {absl::StrCat("--events ", malformed, " --out ", File("a.svg")), 2,
       "malformed.jsonl:3: not a caraudio.v1.Event"},
      {absl::StrCat("--events ", empty, " --out ", File("a.png")), 2,
       "empty.jsonl: the event log has no events"},
      {absl::StrCat("--events ", drive_, " --out ", File("a.jpg")), 2,
       "unknown picture format \".jpg\" (the output must end in .svg or .png)"},
      {absl::StrCat("--events ", drive_, " --out ", File("a.svg"), " --width 100"), 2,
       "the width must be 600..10000 pixels, not 100"},
      {absl::StrCat("--events ", drive_, " --out ", File("no/dir/a.svg")), 1,
       "a.svg: cannot write timeline picture: No such file or directory"},
      {absl::StrCat("--events ", drive_), 2, "timeline: --out is required"},
      {absl::StrCat("--out ", File("a.svg")), 2, "timeline: --events is required"},
      {absl::StrCat("--events ", drive_, " --out ", File("a.svg"), " --config ",
                    File("absent.xml")),
       2, "absent.xml"},
  };
  for (const Case& c : cases) {
    const RunResult run = Audioctl(absl::StrCat("timeline ", c.args));
    EXPECT_EQ(run.exit_code, c.exit_code) << c.args << ": " << run.err;
    EXPECT_THAT(Lines(run.err), SizeIs(1)) << c.args << ": " << run.err;
    EXPECT_THAT(run.err, StartsWith("audioctl: ")) << c.args;
    EXPECT_THAT(run.err, HasSubstr(c.message)) << c.args;
    EXPECT_EQ(run.out, "") << c.args;
    EXPECT_THAT(Pictures(), SizeIs(0)) << c.args;
  }
}

TEST_F(AudioctlTimelineCliTest, FailureLeavesAnExistingPictureAlone) {
  std::ofstream(File("drive.svg")) << "previous picture";
  const std::string malformed = WriteLog("bad.jsonl", "not json\n");
  const RunResult run =
      Audioctl(absl::StrCat("timeline --events ", malformed, " --out ", File("drive.svg")));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(Lines(run.err), SizeIs(1)) << run.err;
  EXPECT_THAT(run.err, HasSubstr("bad.jsonl:1: not a caraudio.v1.Event: "));
  EXPECT_EQ(ReadFile(File("drive.svg")), "previous picture");
  EXPECT_THAT(Pictures(), SizeIs(1));
}

}  // namespace
