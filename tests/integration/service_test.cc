// audiocontrold as a systemd service, with the real daemon:
//  - sd_notify: the test binds its own notify socket and hands it to the
//    daemon as $NOTIFY_SOCKET. READY=1 arrives, and by then the gRPC socket
//    answers; STATUS= names the zone count and follows the clients;
//    WATCHDOG=1 comes every half $WATCHDOG_USEC (and not at all when
//    $WATCHDOG_PID names another process); STOPPING=1 on SIGTERM.
//  - SIGHUP reloads --config: a client in a kept zone keeps its focus, one
//    in a removed zone gets LOSS and its stream ends, the event log records
//    the reload and replays offline; an invalid file changes nothing and
//    the log says why; without --config nothing is reloaded.
//  - `audiocontrold --check-config FILE`: one line, exit 0 or 2, nothing
//    started.
//  - Logs in the journal format when stderr is the journal.
//
// (A stuck executor stopping the watchdog pings is shown with real
// executors in tests/daemon/service_supervisor_test.cc: the daemon has no
// test hook to block one.)

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "tests/integration/integration_test_util.h"
#include "tests/testing/notify_socket.h"
#include "tests/zones/zone_test_xml.h"
#include "tools/event_replay.h"
#include "zones/car_audio_config_parser.h"

namespace caraudio::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Optional;
using ::testing::StartsWith;

// How long the daemon may take to start and send READY=1.
constexpr absl::Duration kStartTimeout = absl::Seconds(5);

// The default car's XML without zone `zone_id` (its whole <zone> element).
std::string WithoutZone(const std::string& xml, int zone_id) {
  const size_t id = xml.find(absl::StrCat("audioZoneId=\"", zone_id, "\""));
  const size_t begin = xml.rfind("<zone ", id);
  const size_t end = xml.find("</zone>", id) + std::string("</zone>").size();
  return xml.substr(0, begin) + xml.substr(end);
}

// The default car with zone 2 copied as zone 3 (its own device addresses).
std::string WithZone3(const std::string& xml) {
  const size_t id = xml.find("audioZoneId=\"2\"");
  const size_t begin = xml.rfind("<zone ", id);
  const size_t end = xml.find("</zone>", id) + std::string("</zone>").size();
  const std::string zone3 = absl::StrReplaceAll(
      xml.substr(begin, end - begin),
      {{"audioZoneId=\"2\"", "audioZoneId=\"3\""}, {"occupantZoneId=\"2\"", "occupantZoneId=\"3\""},
       {"bus20", "bus30"}});
  return xml.substr(0, end) + "\n" + zone3 + xml.substr(end);
}

// Polls the daemon's log until one message contains `text`.
::testing::AssertionResult AwaitLogMessage(const DaemonProcess& daemon, const std::string& text,
                                           absl::Duration timeout = kEventTimeout) {
  const absl::Time deadline = absl::Now() + timeout;
  do {
    for (const std::string& message : LogMessages(daemon.ReadLog())) {
      if (message.find(text) != std::string::npos) return ::testing::AssertionSuccess();
    }
    absl::SleepFor(absl::Milliseconds(20));
  } while (absl::Now() < deadline);
  return ::testing::AssertionFailure() << "no log message with \"" << text << "\" within "
                                       << timeout << "\n" << daemon.FormatLog();
}

bool IsLine(const NotifyMessage& message, const std::string& assignment) {
  return message.Has(assignment);
}

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TempDir> dir = TempDir::Create("caraudio-svc");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = std::make_unique<TempDir>(*std::move(dir));
    absl::StatusOr<std::unique_ptr<NotifySocket>> socket =
        NotifySocket::Bind(dir_->File("notify"));
    ASSERT_TRUE(socket.ok()) << socket.status();
    notify_ = *std::move(socket);
  }

  // A daemon reporting to notify_, spawned without waiting for it.
  std::unique_ptr<DaemonProcess> Spawn(DaemonOptions options,
                                       std::vector<std::string> environment = {}) {
    options.environment = std::move(environment);
    options.environment.push_back("NOTIFY_SOCKET=" + notify_->path());
    absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon =
        DaemonProcess::Spawn(std::move(options));
    EXPECT_TRUE(daemon.ok()) << daemon.status();
    return daemon.ok() ? *std::move(daemon) : nullptr;
  }

  // Reads notifications until READY=1.
  std::optional<NotifyMessage> AwaitReady(std::vector<NotifyMessage>* seen = nullptr) {
    return notify_->Await([](const NotifyMessage& m) { return IsLine(m, "READY=1"); },
                          kStartTimeout, seen);
  }

  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<NotifySocket> notify_;
};

TEST_F(ServiceTest, ReadyComesWhenTheSocketServesAndStatusCountsZonesAndClients) {
  std::unique_ptr<DaemonProcess> daemon = Spawn(TestDaemonOptions());
  ASSERT_NE(daemon, nullptr);
  std::optional<NotifyMessage> ready = AwaitReady();
  ASSERT_TRUE(ready.has_value()) << "no READY=1\n" << daemon->FormatLog();

  // By READY=1 the socket answers at once: no waiting for it to appear.
  Client client(*daemon);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
  v1::PingResponse pong;
  const grpc::Status ping = client.admin().Ping(&context, v1::PingRequest(), &pong);
  EXPECT_TRUE(ping.ok()) << ping.error_code() << " " << ping.error_message();
  EXPECT_THAT(ready->Get("STATUS"),
              Optional(StartsWith("3 zones, 0 focus clients, 0 event watchers; audio in memory")));
  EXPECT_THAT(LogMessages(daemon->ReadLog()), Contains("service ready"));

  auto music = client.RequestFocus(MakeRequest("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*music, v1::REQUEST_GRANTED, 0));
  std::optional<NotifyMessage> status = notify_->Await(
      [](const NotifyMessage& m) {
        return m.Get("STATUS").value_or("").find("1 focus client,") != std::string::npos;
      },
      absl::Seconds(3));
  EXPECT_TRUE(status.has_value()) << "STATUS= did not follow the new focus client";

  absl::StatusOr<ExitStatus> exit = daemon->Terminate();
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_TRUE(exit->Success()) << exit->ToString();
  std::optional<NotifyMessage> stopping = notify_->Await(
      [](const NotifyMessage& m) { return IsLine(m, "STOPPING=1"); }, kEventTimeout);
  EXPECT_TRUE(stopping.has_value()) << "no STOPPING=1";
}

TEST_F(ServiceTest, TheWatchdogIsFedEveryHalfOfWatchdogUsec) {
  std::unique_ptr<DaemonProcess> daemon =
      Spawn(TestDaemonOptions(), {"WATCHDOG_USEC=400000"});  // pings every 200 ms
  ASSERT_NE(daemon, nullptr);
  ASSERT_TRUE(AwaitReady().has_value()) << daemon->FormatLog();
  std::vector<absl::Time> pings;
  const absl::Time end = absl::Now() + absl::Milliseconds(1700);
  while (absl::Now() < end) {
    std::optional<NotifyMessage> message = notify_->Next(end - absl::Now());
    if (message && message->Has("WATCHDOG=1")) pings.push_back(message->arrived);
  }
  ASSERT_GE(pings.size(), 6u) << "pings in 1.7 s";
  std::vector<int64_t> intervals_ms;
  for (size_t i = 1; i < pings.size(); ++i) {
    intervals_ms.push_back(absl::ToInt64Milliseconds(pings[i] - pings[i - 1]));
  }
  std::sort(intervals_ms.begin(), intervals_ms.end());
  const int64_t median = intervals_ms[intervals_ms.size() / 2];
  std::printf("MEASURED watchdog ping interval: median %lld ms, max %lld ms (WATCHDOG_USEC=400 ms)\n",
              static_cast<long long>(median), static_cast<long long>(intervals_ms.back()));
  EXPECT_GE(median, 180);
  EXPECT_LE(median, 220);
  EXPECT_LT(intervals_ms.back(), 400) << "a gap as long as the watchdog timeout";
  EXPECT_THAT(LogMessages(daemon->ReadLog()), Contains("watchdog enabled"));
}

TEST_F(ServiceTest, AWatchdogMeantForAnotherProcessIsNotFed) {
  std::unique_ptr<DaemonProcess> daemon =
      Spawn(TestDaemonOptions(), {"WATCHDOG_USEC=200000", "WATCHDOG_PID=1"});
  ASSERT_NE(daemon, nullptr);
  ASSERT_TRUE(AwaitReady().has_value()) << daemon->FormatLog();
  std::optional<NotifyMessage> ping = notify_->Await(
      [](const NotifyMessage& m) { return IsLine(m, "WATCHDOG=1"); }, absl::Milliseconds(600));
  EXPECT_FALSE(ping.has_value()) << "pinged a watchdog of pid 1";
}

class ReloadTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (HasFatalFailure()) return;
    default_xml_ = std::string(DefaultCarAudioConfigXml());
    config_path_ = dir_->Write("car_audio_configuration.xml", default_xml_);
  }

  // A daemon on config_path_, ready.
  std::unique_ptr<DaemonProcess> StartOnConfigFile() {
    DaemonOptions options = TestDaemonOptions();
    options.config = config_path_;
    std::unique_ptr<DaemonProcess> daemon = Spawn(std::move(options));
    if (daemon == nullptr) return nullptr;
    EXPECT_TRUE(AwaitReady().has_value()) << daemon->FormatLog();
    EXPECT_TRUE(daemon->WaitUntilReady(kStartTimeout).ok());
    return daemon;
  }

  std::string default_xml_;
  std::string config_path_;
};

TEST_F(ReloadTest, AValidConfigKeepsKeptZonesAndEndsTheFocusOfRemovedZones) {
  std::unique_ptr<DaemonProcess> daemon = StartOnConfigFile();
  ASSERT_NE(daemon, nullptr);
  Client client(*daemon);
  std::unique_ptr<EventStream> events = client.WatchEvents(/*include_state=*/true);
  std::vector<v1::Event> recorded;
  std::optional<v1::Event> subscribed = events->Next(kEventTimeout);
  ASSERT_TRUE(subscribed.has_value() && subscribed->has_subscribed());
  recorded.push_back(*subscribed);
  auto front = client.RequestFocus(MakeRequest("front", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0));
  ASSERT_TRUE(NextIsResult(*front, v1::REQUEST_GRANTED, 0));
  auto rear = client.RequestFocus(MakeRequest("rear", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 2));
  ASSERT_TRUE(NextIsResult(*rear, v1::REQUEST_GRANTED, 2));

  dir_->Write("car_audio_configuration.xml", WithoutZone(default_xml_, 2));
  daemon->process().Signal(SIGHUP);

  EXPECT_TRUE(NextIsChange(*rear, v1::FOCUS_CHANGE_LOSS, 2));
  EXPECT_TRUE(EndsWith(*rear, grpc::StatusCode::OK));
  EXPECT_TRUE(NoEventWithin(*front));
  ASSERT_TRUE(AwaitEvent(
      *events, [](const v1::Event& e) { return e.has_config_reloaded(); }, "config_reloaded",
      &recorded));
  const v1::ConfigReloadEvent& reload = recorded.back().config_reloaded();
  EXPECT_EQ(reload.path(), config_path_);
  EXPECT_THAT(reload.zone_ids(), ElementsAre(0, 1));
  EXPECT_THAT(reload.removed_zone_ids(), ElementsAre(2));
  EXPECT_THAT(reload.added_zone_ids(), ElementsAre());

  absl::StatusOr<v1::CarAudioState> state = client.GetState();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->zones_size(), 2);
  EXPECT_THAT(HolderIds(*state, 0), ElementsAre("front"));
  EXPECT_TRUE(AwaitLogMessage(*daemon, absl::StrCat("config reloaded from ", config_path_,
                                                    ": 2 zones")));
  std::vector<NotifyMessage> seen;
  EXPECT_TRUE(notify_->Await([](const NotifyMessage& m) { return IsLine(m, "READY=1"); },
                             kEventTimeout, &seen));
  EXPECT_TRUE(std::any_of(seen.begin(), seen.end(),
                          [](const NotifyMessage& m) { return m.Has("RELOADING=1"); }))
      << "no RELOADING=1 before the READY=1 that ends the reload";

  // The recording, reload included, replays offline without differences.
  rear.reset();
  while (std::optional<v1::Event> more = events->Next(kQuietPeriod)) recorded.push_back(*more);
  absl::StatusOr<CarAudioConfig> car = ParseCarAudioConfig(default_xml_);
  ASSERT_TRUE(car.ok()) << car.status();
  absl::StatusOr<ReplayReport> replay = ReplayEvents(recorded, *car);
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_TRUE(replay->differences.empty()) << replay->differences.front().what;
  EXPECT_GE(replay->outputs, 1);
}

TEST_F(ReloadTest, AnInvalidConfigChangesNothingAndTheLogSaysWhy) {
  std::unique_ptr<DaemonProcess> daemon = StartOnConfigFile();
  ASSERT_NE(daemon, nullptr);
  Client client(*daemon);
  auto rear = client.RequestFocus(MakeRequest("rear", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 2));
  ASSERT_TRUE(NextIsResult(*rear, v1::REQUEST_GRANTED, 2));

  dir_->Write("car_audio_configuration.xml", kUnknownContextOnLine4Xml);
  daemon->process().Signal(SIGHUP);
  EXPECT_TRUE(AwaitLogMessage(
      *daemon, absl::StrCat("config reload refused, keeping the running config: ", config_path_,
                            ":4: unknown context \"musik\"")));

  // A config the in-process HAL cannot serve is refused the same way.
  dir_->Write("car_audio_configuration.xml", WithZone3(default_xml_));
  daemon->process().Signal(SIGHUP);
  EXPECT_TRUE(AwaitLogMessage(*daemon, "the new config adds zone 3"));

  EXPECT_TRUE(NoEventWithin(*rear));
  absl::StatusOr<v1::CarAudioState> state = client.GetState();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->zones_size(), 3);
  EXPECT_THAT(HolderIds(*state, 2), ElementsAre("rear"));
  // Each refused reload is bracketed by RELOADING=1 and READY=1.
  std::vector<std::string> reload_states;
  while (std::optional<NotifyMessage> message = notify_->Next(kQuietPeriod)) {
    if (message->Has("RELOADING=1")) reload_states.push_back("RELOADING=1");
    if (message->Has("READY=1")) reload_states.push_back("READY=1");
  }
  EXPECT_THAT(reload_states, ElementsAre("RELOADING=1", "READY=1", "RELOADING=1", "READY=1"));
}

TEST_F(ServiceTest, WithoutAConfigFileSighupReloadsNothing) {
  std::unique_ptr<DaemonProcess> daemon = Spawn(TestDaemonOptions());
  ASSERT_NE(daemon, nullptr);
  ASSERT_TRUE(AwaitReady().has_value()) << daemon->FormatLog();
  daemon->process().Signal(SIGHUP);
  EXPECT_TRUE(AwaitLogMessage(*daemon, "running on the embedded default car (no --config)"));
  EXPECT_TRUE(daemon->WaitUntilReady(kEventTimeout).ok());
}

// audiocontrold --check-config, as a process: stdout to a pipe, stderr to
// the log.
struct CheckRun {
  ExitStatus exit;
  std::string stdout_line;
  std::string stderr_text;
};

CheckRun RunCheckConfig(const TempDir& dir, const std::vector<std::string>& args) {
  Subprocess::Options options;
  options.argv = {DefaultDaemonBinary()};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  options.log_path = dir.File("check.log");
  options.pipe_stdout = true;
  CheckRun run;
  absl::StatusOr<std::unique_ptr<Subprocess>> process = Subprocess::Spawn(std::move(options));
  EXPECT_TRUE(process.ok()) << process.status();
  if (!process.ok()) return run;
  absl::StatusOr<std::string> line = (*process)->ReadLine(absl::Seconds(5));
  if (line.ok()) run.stdout_line = *line;
  absl::StatusOr<ExitStatus> exit = (*process)->Wait(absl::Seconds(5));
  EXPECT_TRUE(exit.ok()) << exit.status();
  if (exit.ok()) run.exit = *exit;
  run.stderr_text = (*process)->ReadLog();
  return run;
}

TEST_F(ServiceTest, CheckConfigAcceptsAGoodFileAndStartsNothing) {
  const std::string path = dir_->Write("car.xml", std::string(DefaultCarAudioConfigXml()));
  const std::string socket = dir_->File("never.sock");
  CheckRun run = RunCheckConfig(*dir_, {"--check-config", path, "--listen=unix:" + socket});
  EXPECT_TRUE(run.exit.Success()) << run.exit.ToString() << "\n" << run.stderr_text;
  EXPECT_EQ(run.stdout_line,
            "config OK: 3 zones, 11 volume groups, 11 devices: zone 0 \"driver/front\" (primary, "
            "5 groups), zone 1 \"rear left\" (3 groups), zone 2 \"rear right\" (3 groups)");
  EXPECT_EQ(run.stderr_text, "");
  EXPECT_FALSE(std::filesystem::exists(socket));
  EXPECT_FALSE(std::filesystem::exists(socket + ".lock"));
}

TEST_F(ServiceTest, CheckConfigRefusesABadFileWithOneLineNamingTheLine) {
  const std::string path = dir_->Write("bad.xml", kUnknownContextOnLine4Xml);
  CheckRun run = RunCheckConfig(*dir_, {"--check-config=" + path});
  EXPECT_TRUE(run.exit.exited && run.exit.code == 2) << run.exit.ToString();
  EXPECT_EQ(run.stdout_line, "");
  EXPECT_THAT(run.stderr_text,
              MatchesRegex(absl::StrCat("audiocontrold: invalid config: ", path,
                                        ":4: unknown context \"musik\" [^\n]*\n")));

  CheckRun missing = RunCheckConfig(*dir_, {"--check-config", dir_->File("missing.xml")});
  EXPECT_TRUE(missing.exit.exited && missing.exit.code == 2) << missing.exit.ToString();
  EXPECT_THAT(missing.stderr_text, HasSubstr("missing.xml: cannot open"));
}

TEST_F(ServiceTest, LogsUseSyslogPrioritiesWhenStderrIsTheJournal) {
  // The log file plays the journal's stream: JOURNAL_STREAM names it.
  const std::string log = dir_->Write("journal.log", "");
  struct stat info {};
  ASSERT_EQ(::stat(log.c_str(), &info), 0);
  Subprocess::Options options;
  options.argv = {DefaultDaemonBinary(), "--role=speaker"};
  options.log_path = log;
  options.environment = {absl::StrCat("JOURNAL_STREAM=", info.st_dev, ":", info.st_ino)};
  absl::StatusOr<std::unique_ptr<Subprocess>> journal = Subprocess::Spawn(std::move(options));
  ASSERT_TRUE(journal.ok()) << journal.status();
  ASSERT_TRUE((*journal)->Wait(absl::Seconds(5)).ok());
  EXPECT_EQ((*journal)->ReadLog(),
            "<3>level=error component=audiocontrold msg=\"--role must be all, carservice or hal, "
            "not \\\"speaker\\\"\"\n");

  Subprocess::Options plain_options;
  plain_options.argv = {DefaultDaemonBinary(), "--role=speaker"};
  plain_options.log_path = dir_->File("plain.log");
  absl::StatusOr<std::unique_ptr<Subprocess>> plain = Subprocess::Spawn(std::move(plain_options));
  ASSERT_TRUE(plain.ok()) << plain.status();
  ASSERT_TRUE((*plain)->Wait(absl::Seconds(5)).ok());
  EXPECT_THAT((*plain)->ReadLog(),
              MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z "
                           "level=error component=audiocontrold msg=[^\n]*\n"));
}

}  // namespace
}  // namespace caraudio::testing
