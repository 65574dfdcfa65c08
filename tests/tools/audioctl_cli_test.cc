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
#include <fstream>
#include <sstream>
#include <string>

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

}  // namespace
