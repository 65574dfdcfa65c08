// The README's example clients (examples/cpp/focus_client.cc and
// examples/python/focus_client.py) against the real audiocontrold: each is
// run as a process on the daemon's temp socket, and what it prints and how it
// exits is checked, so the examples cannot rot. Both examples get the same
// tests (parameterised by language).

#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "tests/integration/daemon_process.h"
#include "tests/integration/integration_test_util.h"

namespace caraudio::testing {
namespace {

// How long an example may take for a line it must print; the Python one
// generates its gRPC code first.
constexpr absl::Duration kLineTimeout = absl::Seconds(20);

// The command line of one example, up to (not including) SOCKET.
std::vector<std::string> ExampleCommand(const std::string& language) {
  if (language == "cpp") return {CARAUDIO_EXAMPLE_CPP};
  return {CARAUDIO_SYSTEM_PYTHON, CARAUDIO_EXAMPLE_PY, "--protoc", CARAUDIO_PROTOC,
          "--grpc-python-plugin", CARAUDIO_GRPC_PYTHON_PLUGIN, "--proto-root",
          CARAUDIO_PROTO_ROOT};
}

// One run of an example, its stdout read line by line.
class ExampleProcess {
 public:
  static absl::StatusOr<std::unique_ptr<ExampleProcess>> Start(const std::string& language,
                                                               const TempDir& dir,
                                                               std::vector<std::string> args) {
    Subprocess::Options options;
    options.argv = ExampleCommand(language);
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.log_path = dir.File("example-" + language + ".stderr");
    options.pipe_stdout = true;
    options.die_with_parent = true;
    absl::StatusOr<std::unique_ptr<Subprocess>> process = Subprocess::Spawn(std::move(options));
    if (!process.ok()) return process.status();
    return std::unique_ptr<ExampleProcess>(new ExampleProcess(std::move(*process)));
  }

  // Reads lines until one contains `text`.
  ::testing::AssertionResult AwaitLine(const std::string& text) {
    const absl::Time deadline = absl::Now() + kLineTimeout;
    while (true) {
      absl::StatusOr<std::string> line = process_->ReadLine(deadline - absl::Now());
      if (!line.ok()) {
        return ::testing::AssertionFailure()
               << "no line with \"" << text << "\" (" << line.status() << "); printed:\n"
               << Printed() << "\nstderr:\n"
               << process_->ReadLog();
      }
      lines_.push_back(*line);
      if (absl::StrContains(*line, text)) return ::testing::AssertionSuccess();
    }
  }

  // Reads to the end of its output and waits for its exit.
  ExitStatus Finish() {
    while (true) {
      absl::StatusOr<std::string> line = process_->ReadLine(kLineTimeout);
      if (!line.ok()) break;
      lines_.push_back(*line);
    }
    absl::StatusOr<ExitStatus> status = process_->Wait(kLineTimeout);
    return status.ok() ? *status : process_->Kill();
  }

  void Signal(int signal) { process_->Signal(signal); }
  std::string Printed() const { return absl::StrJoin(lines_, "\n"); }
  std::string Stderr() const { return process_->ReadLog(); }

 private:
  explicit ExampleProcess(std::unique_ptr<Subprocess> process) : process_(std::move(process)) {}

  std::unique_ptr<Subprocess> process_;
  std::vector<std::string> lines_;
};

class FocusClientExampleTest : public DaemonFixture<::testing::TestWithParam<std::string>> {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    if (HasFatalFailure()) return;
    absl::StatusOr<TempDir> dir = TempDir::Create("caraudio-example");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = std::make_unique<TempDir>(std::move(*dir));
  }

  std::unique_ptr<ExampleProcess> StartExample(std::vector<std::string> args) {
    absl::StatusOr<std::unique_ptr<ExampleProcess>> example =
        ExampleProcess::Start(GetParam(), *dir_, std::move(args));
    EXPECT_TRUE(example.ok()) << example.status();
    return example.ok() ? std::move(*example) : nullptr;
  }

  // The daemon's unix socket path, as a user would pass it.
  std::string SocketPath() const { return daemon_->address().substr(std::string("unix:").size()); }

  std::unique_ptr<TempDir> dir_;
};

TEST_P(FocusClientExampleTest, IsGrantedAndAbandonsWhenTheTimeIsUp) {
  std::unique_ptr<ExampleProcess> example = StartExample({SocketPath(), "1"});
  ASSERT_NE(example, nullptr);
  ASSERT_TRUE(example->AwaitLine("result: REQUEST_GRANTED in zone 0"));
  ASSERT_TRUE(example->AwaitLine("abandoning focus (time is up)"));
  ASSERT_TRUE(example->AwaitLine("abandoned"));
  ASSERT_TRUE(example->AwaitLine("stream ended: OK"));
  ExitStatus exit = example->Finish();
  EXPECT_TRUE(exit.Success()) << exit.ToString() << "\n" << example->Stderr();

  absl::StatusOr<v1::CarAudioState> state = client_->GetState();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_TRUE(HolderIds(*state, 0).empty()) << state->ShortDebugString();
}

TEST_P(FocusClientExampleTest, PrintsEveryFocusChangeAndAbandonsOnSigterm) {
  std::unique_ptr<ExampleProcess> example = StartExample({"unix:" + SocketPath(), "60"});
  ASSERT_NE(example, nullptr);
  ASSERT_TRUE(example->AwaitLine("result: REQUEST_GRANTED in zone 0"));

  {
    std::unique_ptr<FocusStream> nav = client_->RequestFocus(MakeRequest(
        "nav", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE, v1::FOCUS_GAIN_TRANSIENT));
    ASSERT_TRUE(NextIsResult(*nav, v1::REQUEST_GRANTED, 0));
    ASSERT_TRUE(example->AwaitLine("focus change: FOCUS_CHANGE_LOSS_TRANSIENT in zone 0"));
  }  // the navigation prompt ends: its stream is cancelled
  ASSERT_TRUE(example->AwaitLine("focus change: FOCUS_CHANGE_GAIN in zone 0"));

  example->Signal(SIGTERM);
  ASSERT_TRUE(example->AwaitLine("abandoning focus (SIGTERM)"));
  ASSERT_TRUE(example->AwaitLine("abandoned"));
  ExitStatus exit = example->Finish();
  EXPECT_TRUE(exit.Success()) << exit.ToString() << "\n" << example->Stderr();
}

TEST_P(FocusClientExampleTest, ReportsARejectedRequestWithExitCode3) {
  std::unique_ptr<FocusStream> call =
      client_->RequestFocus(MakeRequest("dialer", v1::USAGE_VOICE_COMMUNICATION, v1::FOCUS_GAIN));
  ASSERT_TRUE(NextIsResult(*call, v1::REQUEST_GRANTED, 0));

  std::unique_ptr<ExampleProcess> example = StartExample({SocketPath(), "5"});
  ASSERT_NE(example, nullptr);
  ASSERT_TRUE(example->AwaitLine("result: REQUEST_FAILED in zone 0 (rejected: CALL holder"));
  ExitStatus exit = example->Finish();
  EXPECT_TRUE(exit.exited && exit.code == 3) << exit.ToString() << "\n" << example->Printed();
}

TEST_P(FocusClientExampleTest, ExitsWith1WhenNoDaemonListens) {
  std::unique_ptr<ExampleProcess> example = StartExample({dir_->File("nobody.sock"), "1"});
  ASSERT_NE(example, nullptr);
  ExitStatus exit = example->Finish();
  EXPECT_TRUE(exit.exited && exit.code == 1) << exit.ToString() << "\n" << example->Printed();
  EXPECT_TRUE(absl::StrContains(example->Stderr(), "RequestFocus")) << example->Stderr();
}

TEST_P(FocusClientExampleTest, ExitsWith2OnABadCommandLine) {
  std::unique_ptr<ExampleProcess> example = StartExample({SocketPath(), "-1"});
  ASSERT_NE(example, nullptr);
  ExitStatus exit = example->Finish();
  EXPECT_TRUE(exit.exited && exit.code == 2) << exit.ToString() << "\n" << example->Stderr();
}

INSTANTIATE_TEST_SUITE_P(Languages, FocusClientExampleTest, ::testing::Values("cpp", "python"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace caraudio::testing
