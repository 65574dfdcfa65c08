// packaging/: the systemd unit passes `systemd-analyze verify` (with
// ExecStart pointing at the audiocontrold this build made) and its security
// review stays at exposure 2.0 or below; it says what the service needs
// (notify + watchdog, restart, its own user and socket group, hardening);
// sysusers.d and tmpfiles.d create the user, group and /run/caraudio in a
// scratch root. Each test is skipped, saying so, where the systemd tool it
// runs is not installed.

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/daemon_process.h"
#include "tests/testing/temp_dir.h"

namespace caraudio::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

const std::string kPackaging = CARAUDIO_PACKAGING_DIR;

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The first of `candidates` that is executable, or "".
std::string FindTool(const std::string& name) {
  for (const char* dir : {"/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"}) {
    const std::string path = dir + name;
    if (::access(path.c_str(), X_OK) == 0) return path;
  }
  return "";
}

// Runs a tool to completion; its stdout and stderr end up in `output`.
ExitStatus RunTool(const TempDir& dir, std::vector<std::string> argv, std::string& output) {
  Subprocess::Options options;
  options.argv = std::move(argv);
  options.log_path = dir.File("tool.log");
  ::unlink(options.log_path.c_str());
  absl::StatusOr<std::unique_ptr<Subprocess>> tool = Subprocess::Spawn(std::move(options));
  EXPECT_TRUE(tool.ok()) << tool.status();
  if (!tool.ok()) return ExitStatus{};
  absl::StatusOr<ExitStatus> exit = (*tool)->Wait(absl::Seconds(30));
  EXPECT_TRUE(exit.ok()) << exit.status();
  output = (*tool)->ReadLog();
  return exit.ok() ? *exit : ExitStatus{};
}

// The unit's [Service] (and other) settings: key -> every value, with
// backslash-continued lines joined.
std::multimap<std::string, std::string> UnitSettings(const std::string& text) {
  std::multimap<std::string, std::string> settings;
  const std::string joined = absl::StrReplaceAll(text, {{"\\\n", " "}});
  for (absl::string_view line : absl::StrSplit(joined, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#' || line[0] == '[') continue;
    const size_t equals = line.find('=');
    if (equals == absl::string_view::npos) continue;
    settings.emplace(std::string(line.substr(0, equals)), std::string(line.substr(equals + 1)));
  }
  return settings;
}

class PackagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TempDir> dir = TempDir::Create("caraudio-pkg");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = std::make_unique<TempDir>(*std::move(dir));
    unit_text_ = ReadFile(kPackaging + "/audiocontrold.service");
    ASSERT_FALSE(unit_text_.empty()) << "cannot read " << kPackaging << "/audiocontrold.service";
  }

  // The unit with ExecStart on the audiocontrold of this build.
  std::string UnitForThisBuild() const {
    return dir_->Write("audiocontrold.service",
                       absl::StrReplaceAll(unit_text_,
                                           {{"/usr/bin/audiocontrold", DefaultDaemonBinary()}}));
  }

  std::unique_ptr<TempDir> dir_;
  std::string unit_text_;
};

TEST_F(PackagingTest, SystemdAnalyzeVerifyAcceptsTheUnit) {
  const std::string analyze = FindTool("systemd-analyze");
  if (analyze.empty()) GTEST_SKIP() << "systemd-analyze is not installed (Debian package systemd)";
  std::string output;
  const ExitStatus exit = RunTool(*dir_, {analyze, "verify", "--man=no", UnitForThisBuild()},
                                  output);
  EXPECT_TRUE(exit.Success()) << exit.ToString() << "\n" << output;
  EXPECT_EQ(output, "") << "systemd-analyze verify warned";
}

TEST_F(PackagingTest, TheSecurityReviewRatesTheUnitExposureTwoOrBelow) {
  const std::string analyze = FindTool("systemd-analyze");
  if (analyze.empty()) GTEST_SKIP() << "systemd-analyze is not installed (Debian package systemd)";
  std::string output;
  const ExitStatus exit =
      RunTool(*dir_, {analyze, "security", "--offline=true", "--threshold=20", UnitForThisBuild()},
              output);
  EXPECT_TRUE(exit.Success()) << exit.ToString() << "\n" << output;
  const size_t overall = output.find("Overall exposure level");
  ASSERT_NE(overall, std::string::npos) << output;
  std::printf("MEASURED %s\n", output.substr(overall, output.find('\n', overall) - overall).c_str());
}

TEST_F(PackagingTest, TheUnitIsANotifyServiceWithWatchdogOwnUserAndHardening) {
  const std::multimap<std::string, std::string> settings = UnitSettings(unit_text_);
  auto value = [&settings](const std::string& key) {
    auto it = settings.find(key);
    return it == settings.end() ? std::string("<unset>") : it->second;
  };
  EXPECT_EQ(value("Type"), "notify");
  EXPECT_EQ(value("WatchdogSec"), "5s");
  EXPECT_EQ(value("Restart"), "on-failure");
  EXPECT_EQ(value("User"), "caraudio");
  EXPECT_EQ(value("Group"), "caraudio");
  EXPECT_EQ(value("RuntimeDirectory"), "caraudio");
  EXPECT_THAT(value("ExecStart"), HasSubstr("--socket_group=caraudio"));
  EXPECT_THAT(value("ExecStart"), HasSubstr("--listen=unix:/run/caraudio/audiocontrol.sock"));
  EXPECT_THAT(value("ExecStart"), HasSubstr("--config=/etc/caraudio/car_audio_configuration.xml"));
  EXPECT_EQ(value("ExecReload"), "/bin/kill -HUP $MAINPID");
  EXPECT_EQ(value("NoNewPrivileges"), "yes");
  EXPECT_EQ(value("ProtectSystem"), "strict");
  EXPECT_EQ(value("CapabilityBoundingSet"), "");
  // PipeWire stays reachable: its socket directory and unix sockets.
  EXPECT_THAT(value("Environment"), HasSubstr("PIPEWIRE_RUNTIME_DIR=/run/pipewire"));
  EXPECT_THAT(value("RestrictAddressFamilies"), HasSubstr("AF_UNIX"));
  EXPECT_EQ(settings.count("RestrictRealtime"), 0u) << "PipeWire's data thread runs real-time";
}

TEST_F(PackagingTest, SysusersAndTmpfilesCreateTheUserGroupAndSocketDirectory) {
  const std::string sysusers = FindTool("systemd-sysusers");
  const std::string tmpfiles = FindTool("systemd-tmpfiles");
  if (sysusers.empty() || tmpfiles.empty()) {
    GTEST_SKIP() << "systemd-sysusers / systemd-tmpfiles are not installed (Debian package systemd)";
  }
  const std::string root = dir_->File("root");
  ASSERT_EQ(::mkdir(root.c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((root + "/etc").c_str(), 0755), 0);
  std::string output;
  ExitStatus exit = RunTool(
      *dir_, {sysusers, "--root=" + root, kPackaging + "/sysusers.d/caraudio.conf"}, output);
  ASSERT_TRUE(exit.Success()) << exit.ToString() << "\n" << output;
  const std::vector<std::string> users = absl::StrSplit(ReadFile(root + "/etc/passwd"), '\n');
  const std::vector<std::string> groups = absl::StrSplit(ReadFile(root + "/etc/group"), '\n');
  EXPECT_THAT(users, Contains(::testing::MatchesRegex(
                         "caraudio:x:[0-9]+:[0-9]+:[^:]*:/:/usr/sbin/nologin")));
  EXPECT_THAT(groups, Contains(::testing::StartsWith("caraudio:x:")));

  exit = RunTool(*dir_,
                 {tmpfiles, "--root=" + root, "--create", kPackaging + "/tmpfiles.d/caraudio.conf"},
                 output);
  ASSERT_TRUE(exit.Success()) << exit.ToString() << "\n" << output;
  struct stat run {};
  ASSERT_EQ(::stat((root + "/run/caraudio").c_str(), &run), 0);
  EXPECT_TRUE(S_ISDIR(run.st_mode));
  EXPECT_EQ(run.st_mode & 07777, 0750u);
  EXPECT_NE(run.st_uid, 0u) << "owned by caraudio, not root";
}

}  // namespace
}  // namespace caraudio::testing
