// WirePlumber 0.4 next to audiocontrold, with the README's WirePlumber
// settings (config/wireplumber/*.lua.d/51-caraudio.lua, the files the README
// quotes): a private PipeWire, a private D-Bus session bus (WirePlumber exits
// without one), wireplumber reading config/wireplumber through
// XDG_CONFIG_HOME on top of its stock configuration, and audiocontrold
// --audio=pipewire. It checks what the README says was verified:
//
//  * WirePlumber runs and manages the graph: it picks a default sink;
//  * an app stream with caraudio.* properties that asks to be linked by the
//    session manager (node.autoconnect=true) is linked by the bridge only,
//    to its zone's device node (and the bridge's level meter): no other link;
//  * the device node feeds only its own output;
//  * a stream the HAL silences (SetSilencedApps) leaves no saved stream
//    state behind that WirePlumber could restore later;
//  * wireplumber is still running at the end.
//
// Every process is started by PID in a temp dir and stopped by PID.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "caraudio/v1/audio_control.pb.h"
#include "hal/hal_request_validation.h"
#include "pipewire-bridge/app_identity.h"
#include "pipewire-bridge/graph_snapshot.h"
#include "pipewire-bridge/pipewire_loop.h"
#include "pipewire-bridge/tone_player.h"
#include "tests/integration/daemon_process.h"
#include "tests/integration/integration_test_util.h"
#include "tests/pipewire/pipewire_daemon.h"

namespace caraudio::testing {
namespace {

// How long a negative check listens for links nobody should make: the
// policy reacts within milliseconds of a stream appearing.
constexpr absl::Duration kQuiet = absl::Milliseconds(1500);

// The test config without its `default` metadata object: WirePlumber creates
// its own, and with two of them it stops handling streams (toolchain notes).
std::string WritePipeWireConfig(const TempDir& dir) {
  std::ifstream in(PipeWireDaemon::DefaultConfigPath());
  std::ostringstream out;
  for (std::string line; std::getline(in, line);) {
    if (!absl::StrContains(line, "metadata.name = default")) out << line << "\n";
  }
  return dir.Write("pipewire-wireplumber.conf", out.str());
}

class WirePlumberCoexistenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TempDir> dir = TempDir::Create("caraudio-wp");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = std::make_unique<TempDir>(std::move(*dir));
    std::filesystem::create_directories(dir_->File("state"));

    PipeWireDaemon::Options pipewire_options;
    pipewire_options.config_path = WritePipeWireConfig(*dir_);
    absl::StatusOr<std::unique_ptr<PipeWireDaemon>> pipewire =
        PipeWireDaemon::Start(pipewire_options);
    ASSERT_TRUE(pipewire.ok()) << pipewire.status();
    pipewire_ = std::move(*pipewire);

    const std::string bus = "unix:path=" + dir_->File("bus");
    dbus_ = Spawn({"/usr/bin/dbus-daemon", "--session", "--nofork", "--nopidfile",
                   "--address=" + bus},
                  "dbus.log");
    ASSERT_NE(dbus_, nullptr);
    ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(dir_->File("bus")); },
                        absl::Seconds(5)))
        << dbus_->ReadLog();
    // env(1) execs wireplumber in the same process, so its PID is ours to stop.
    wireplumber_ = Spawn({"/usr/bin/env", "XDG_CONFIG_HOME=" CARAUDIO_CONFIG_DIR,
                          "XDG_STATE_HOME=" + dir_->File("state"),
                          "DBUS_SESSION_BUS_ADDRESS=" + bus, "WIREPLUMBER_DEBUG=3",
                          "wireplumber"},
                         "wireplumber.log");
    ASSERT_NE(wireplumber_, nullptr);

    DaemonOptions options = TestDaemonOptions();
    options.audio = "pipewire";
    absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon = StartTestDaemon(std::move(options));
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = std::move(*daemon);
    client_ = std::make_unique<Client>(*daemon_);

    absl::StatusOr<std::unique_ptr<PipeWireLoop>> loop = PipeWireLoop::Create("wp-test");
    ASSERT_TRUE(loop.ok()) << loop.status();
    loop_ = std::move(*loop);
    ASSERT_TRUE(loop_->Connect([] {}).ok());
    ASSERT_TRUE(WaitFor([this] { return Snapshot().LinksBetween("bus0_media_out",
                                                                "bus0_media_out.out") >= 2; },
                        absl::Seconds(5)))
        << Snapshot().DebugString();
  }

  void TearDown() override {
    if (HasFailure() && wireplumber_ != nullptr) {
      std::fprintf(stderr, "==== wireplumber log ====\n%s\n==== end ====\n",
                   wireplumber_->ReadLog().c_str());
    }
    player_.reset();
    loop_.reset();
    client_.reset();
    daemon_.reset();
    wireplumber_.reset();
    dbus_.reset();
    pipewire_.reset();
  }

  std::unique_ptr<Subprocess> Spawn(std::vector<std::string> argv, const std::string& log) {
    Subprocess::Options options;
    options.argv = std::move(argv);
    options.log_path = dir_->File(log);
    options.die_with_parent = true;
    absl::StatusOr<std::unique_ptr<Subprocess>> process = Subprocess::Spawn(std::move(options));
    EXPECT_TRUE(process.ok()) << process.status();
    return process.ok() ? std::move(*process) : nullptr;
  }

  GraphSnapshot Snapshot() {
    absl::StatusOr<GraphSnapshot> snapshot = GraphSnapshot::Take(*loop_);
    return snapshot.ok() ? *std::move(snapshot) : GraphSnapshot();
  }

  // `pw-metadata -n default 0 default.audio.sink`: the default sink
  // WirePlumber chose, once it has handled the graph; "" until then.
  std::string DefaultSink() {
    Subprocess::Options options;
    options.argv = {"/usr/bin/pw-metadata", "-n", "default", "0", "default.audio.sink"};
    options.log_path = dir_->File("pw-metadata.log");
    options.pipe_stdout = true;
    absl::StatusOr<std::unique_ptr<Subprocess>> process = Subprocess::Spawn(std::move(options));
    if (!process.ok()) return "";
    std::string printed;
    for (absl::StatusOr<std::string> line = (*process)->ReadLine(absl::Seconds(2)); line.ok();
         line = (*process)->ReadLine(absl::Seconds(2))) {
      if (absl::StrContains(*line, "default.audio.sink")) printed = *line;
    }
    (*process)->Wait(absl::Seconds(2)).IgnoreError();
    return printed;
  }

  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<PipeWireDaemon> pipewire_;
  std::unique_ptr<Subprocess> dbus_;
  std::unique_ptr<Subprocess> wireplumber_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<Client> client_;
  std::unique_ptr<PipeWireLoop> loop_;
  std::unique_ptr<TonePlayer> player_;
};

TEST_F(WirePlumberCoexistenceTest, TheBridgeIsTheOnlyLinkerOfCarAudioStreams) {
  std::string default_sink;
  ASSERT_TRUE(WaitFor([&] { return !(default_sink = DefaultSink()).empty(); }, absl::Seconds(10)))
      << "WirePlumber never chose a default sink: is it running?\n"
      << wireplumber_->ReadLog();
  std::printf("WirePlumber's default sink: %s\n", default_sink.c_str());

  // An app that leaves linking to the session manager.
  TonePlayer::Options options;
  options.node_name = "radio";
  options.node_properties = {{"caraudio.usage", "media"},
                             {"caraudio.zone-id", "0"},
                             {"caraudio.package", "com.example.radio"},
                             {"caraudio.uid", "10100"},
                             {"node.autoconnect", "true"}};
  absl::StatusOr<std::unique_ptr<TonePlayer>> player = TonePlayer::Start(*loop_, options);
  ASSERT_TRUE(player.ok()) << player.status();
  player_ = std::move(*player);
  ASSERT_TRUE(WaitFor([this] { return Snapshot().LinksBetween("radio", "bus0_media_out") >= 2; },
                      absl::Seconds(5)))
      << Snapshot().DebugString();

  // Silenced by the HAL, as the car service's hardening would.
  v1::SetSilencedAppsResponse response;
  ASSERT_TRUE(client_->control()
                  .SetSilencedApps(UnaryContext().get(),
                                   SilencedAppsRequest({AppIdentity{"com.example.radio", 10100}}),
                                   &response)
                  .ok());
  absl::SleepFor(kQuiet);  // negative check: time for WirePlumber to link or save anything

  const GraphSnapshot graph = Snapshot();
  const GraphNode* radio = graph.FindNode("radio");
  ASSERT_NE(radio, nullptr) << graph.DebugString();
  for (const std::string& input : graph.LinkedInputNodes(radio->id)) {
    EXPECT_TRUE(input == "bus0_media_out" || absl::StartsWith(input, "caraudio.stream-meter."))
        << "radio is linked into " << input << ":\n"
        << graph.DebugString();
  }
  EXPECT_EQ(graph.LinksBetween("radio", "bus0_media_out"), 2) << graph.DebugString();
  const GraphNode* device = graph.FindNode("bus0_media_out");
  ASSERT_NE(device, nullptr);
  EXPECT_EQ(graph.LinkedInputNodes(device->id), std::set<std::string>{"bus0_media_out.out"})
      << graph.DebugString();

  EXPECT_FALSE(std::filesystem::exists(dir_->File("state/wireplumber/restore-stream")))
      << "WirePlumber saved stream state (restore-stream is on)";
  EXPECT_FALSE(wireplumber_->Poll().has_value()) << "wireplumber exited:\n"
                                                 << wireplumber_->ReadLog();
}

}  // namespace
}  // namespace caraudio::testing
