// The PipeWire bridge on a real PipeWire daemon, driven through the real
// audiocontrold: every test starts a private pipewire (PipeWireDaemon, temp
// XDG_RUNTIME_DIR) and the daemon with --audio=pipewire, plays tones as app
// streams, and checks the graph through the registry and the signal through a
// recorder on the device filter's outputs. Numbers measured are printed and
// stored as test properties.

#include <signal.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "pipewire-bridge/app_identity.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "pipewire-bridge/dsp_stream.h"
#include "pipewire-bridge/graph_snapshot.h"
#include "pipewire-bridge/pipewire_loop.h"
#include "pipewire-bridge/pipewire_objects.h"
#include "pipewire-bridge/tone_player.h"
#include "hal/hal_request_validation.h"
#include "tests/integration/integration_test_util.h"
#include "tests/pipewire/pipewire_daemon.h"
#include "tests/pipewire/signal_analysis.h"
#include "tests/pipewire/signal_recorder.h"

namespace caraudio::testing {
namespace {

using Clock = std::chrono::steady_clock;

// A sine of amplitude 0.5 is -9.03 dBFS RMS; the embedded car's media
// volume group starts at -6 dB (defaultGainMb -600); the default duck is -10 dB.
constexpr double kToneDb = -9.03 - 6.0;
constexpr double kDuckDb = -10.0;

// Two apps on zone 0's media device: the radio loud, the podcast 20 dB
// quieter, at different frequencies, so the device level tells which of
// them is audible: both -14.99, the podcast alone -35.03 dBFS.
const AppIdentity kRadio{"com.example.radio", 10100};
const AppIdentity kPodcast{"com.example.podcast", 10200};
constexpr double kRadioAmplitude = 0.5;     // -9.03 dBFS RMS
constexpr double kPodcastAmplitude = 0.05;  // -29.03 dBFS RMS
constexpr double kPodcastAloneDb = kToneDb - 20.0;
const double kBothAppsDb = kToneDb + 10.0 * std::log10(1.01);
constexpr int64_t kMs = 1'000'000;

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

void Report(const std::string& key, double value, const char* unit) {
  std::printf("MEASURED %s = %.2f %s\n", key.c_str(), value, unit);
  ::testing::Test::RecordProperty(key, absl::StrCat(value));
}

class BridgeAudioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<PipeWireDaemon>> pipewire = PipeWireDaemon::Start();
    ASSERT_TRUE(pipewire.ok()) << pipewire.status();
    pipewire_ = std::move(*pipewire);
    absl::StatusOr<std::unique_ptr<PipeWireLoop>> loop = PipeWireLoop::Create("bridge-test");
    ASSERT_TRUE(loop.ok()) << loop.status();
    loop_ = std::move(*loop);
    ASSERT_TRUE(loop_->Connect([] {}).ok());
  }

  void TearDown() override {
    if (stopped_carservice_ != 0) ::kill(stopped_carservice_, SIGCONT);
    players_.clear();
    recorders_.clear();
    daemons_.clear();
    loop_.reset();
    pipewire_.reset();
  }

  // Starts audiocontrold (both roles, or split into HAL + car service) on
  // the private PipeWire and waits for every device node.
  void StartDaemon(bool split = false, const std::string& config = "") {
    if (split) {
      DaemonOptions hal = TestDaemonOptions("hal");
      hal.role = "hal";
      hal.audio = "pipewire";
      absl::StatusOr<std::unique_ptr<DaemonProcess>> started = StartTestDaemon(std::move(hal));
      ASSERT_TRUE(started.ok()) << started.status();
      hal_ = started->get();
      daemons_.push_back(std::move(*started));
      DaemonOptions carservice = TestDaemonOptions("carservice");
      carservice.role = "carservice";
      carservice.hal = hal_->address();
      started = StartTestDaemon(std::move(carservice));
      ASSERT_TRUE(started.ok()) << started.status();
      carservice_ = started->get();
      daemons_.push_back(std::move(*started));
    } else {
      DaemonOptions options = TestDaemonOptions();
      options.audio = "pipewire";
      options.config = config;
      absl::StatusOr<std::unique_ptr<DaemonProcess>> started = StartTestDaemon(std::move(options));
      ASSERT_TRUE(started.ok()) << started.status();
      hal_ = carservice_ = started->get();
      daemons_.push_back(std::move(*started));
    }
    client_ = std::make_unique<Client>(*carservice_);
    hal_client_ = std::make_unique<Client>(*hal_);
    ASSERT_TRUE(WaitFor([this] { return Snapshot().FindNode("bus0_media_out") != nullptr &&
                                        Linked("bus4_safety_out", "bus4_safety_out.out"); },
                        absl::Seconds(5)))
        << Snapshot().DebugString();
  }

  GraphSnapshot Snapshot() {
    absl::StatusOr<GraphSnapshot> snapshot = GraphSnapshot::Take(*loop_);
    return snapshot.ok() ? *std::move(snapshot) : GraphSnapshot();
  }
  // Both channels of `from` are linked into `to` (a single link is a
  // transient state while ports appear one by one).
  bool Linked(const std::string& from, const std::string& to) {
    return Snapshot().LinksBetween(from, to) >= 2;
  }

  // An app stream playing a sine, announced with caraudio.* properties.
  TonePlayer* Play(const std::string& name, const std::string& usage, int32_t zone,
                   double frequency = 440.0) {
    TonePlayer::Options options;
    options.node_name = name;
    options.node_properties = {{"caraudio.client-id", name},
                               {"caraudio.usage", usage},
                               {"caraudio.zone-id", absl::StrCat(zone)}};
    options.frequency_hz = frequency;
    return Play(options);
  }
  // A media stream in zone 0 of `app` (caraudio.package, caraudio.uid): a
  // sine of `amplitude` at `frequency` (apps on one device use different
  // frequencies, so their powers add).
  TonePlayer* PlayApp(const std::string& name, const AppIdentity& app, double amplitude,
                      double frequency) {
    TonePlayer::Options options;
    options.frequency_hz = frequency;
    options.node_name = name;
    options.node_properties = {{"caraudio.client-id", name},
                               {"caraudio.usage", "media"},
                               {"caraudio.zone-id", "0"},
                               {"caraudio.package", app.package_name},
                               {"caraudio.uid", absl::StrCat(app.uid)}};
    options.amplitude = amplitude;
    return Play(options);
  }
  TonePlayer* Play(const TonePlayer::Options& options) {
    absl::StatusOr<std::unique_ptr<TonePlayer>> player = TonePlayer::Start(*loop_, options);
    EXPECT_TRUE(player.ok()) << player.status();
    if (!player.ok()) return nullptr;
    players_.push_back(std::move(*player));
    return players_.back().get();
  }

  // Records what the device filter `address` outputs.
  SignalRecorder* Record(const std::string& address) {
    SignalRecorder::Options options;
    options.source_node_name = address;
    options.port_prefix = "output_";
    options.node_name = "recorder-" + address;
    absl::StatusOr<std::unique_ptr<SignalRecorder>> recorder =
        SignalRecorder::Start(*loop_, options);
    EXPECT_TRUE(recorder.ok()) << recorder.status();
    if (!recorder.ok()) return nullptr;
    recorders_.push_back(std::move(*recorder));
    return recorders_.back().get();
  }

  // "music": a media stream in zone 0, linked, with bus0_media_out's output
  // recorded. Null (after a failed expectation) when something is missing.
  SignalRecorder* PlayMusicInZoneZero() {
    if (Play("music", "media", 0) == nullptr) return nullptr;
    SignalRecorder* media = Record("bus0_media_out");
    const bool linked =
        WaitFor([this] { return Linked("music", "bus0_media_out"); }, absl::Seconds(3));
    EXPECT_TRUE(linked) << Snapshot().DebugString();
    return linked ? media : nullptr;
  }

  // The chime tests' scene: split daemons, music playing in zone 0 for
  // 400 ms, zone 0's media and safety devices recorded.
  void SetUpChimeScene(SignalRecorder** media, SignalRecorder** safety) {
    ASSERT_NO_FATAL_FAILURE(StartDaemon(/*split=*/true));
    *media = PlayMusicInZoneZero();
    *safety = Record("bus4_safety_out");
    ASSERT_NE(*media, nullptr);
    ASSERT_NE(*safety, nullptr);
    absl::SleepFor(absl::Milliseconds(400));
  }

  // A safety chime in zone 0 (HalFocus.PlaySound on the HAL), as the
  // seatbelt warning plays it.
  std::unique_ptr<HoldStream> PlayChime(int32_t duration_ms) {
    v1::PlaySoundRequest request;
    request.set_usage(v1::USAGE_SAFETY);
    request.set_zone_id(0);
    request.set_tone("chime");
    request.set_duration_ms(duration_ms);
    request.set_source_name("seatbelt-chime");
    return std::make_unique<HoldStream>([this, request](grpc::ClientContext* context) {
      return hal_client_->hal_focus().PlaySound(context, request);
    });
  }

  // SIGSTOP / SIGCONT of the car service; TearDown thaws a frozen one.
  void FreezeCarService() {
    ASSERT_EQ(::kill(carservice_->pid(), SIGSTOP), 0);
    stopped_carservice_ = carservice_->pid();
  }
  void ThawCarService() {
    ASSERT_EQ(::kill(carservice_->pid(), SIGCONT), 0);
    stopped_carservice_ = 0;
  }

  // SetSilencedApps on the HAL, as the car service sends it.
  void SilenceApps(const std::vector<AppIdentity>& apps) {
    v1::SetSilencedAppsResponse response;
    const grpc::Status status = hal_client_->control().SetSilencedApps(
        UnaryContext().get(), SilencedAppsRequest(apps), &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  std::unique_ptr<StreamReader<v1::StreamLevelsReport>> WatchLevels(int32_t interval_ms) {
    v1::WatchStreamLevelsRequest request;
    request.set_interval_ms(interval_ms);
    return std::make_unique<StreamReader<v1::StreamLevelsReport>>(
        [this, request](grpc::ClientContext* context) {
          return hal_client_->control().WatchStreamLevels(context, request);
        });
  }

  // How many times the daemon re-made links that delivered nothing.
  int LinkRepairs() const {
    const std::string log = hal_->ReadLog();
    int repairs = 0;
    for (size_t at = log.find("re-making"); at != std::string::npos;
         at = log.find("re-making", at + 1)) {
      ++repairs;
    }
    return repairs;
  }

  static double Level(const SignalRecorder& recorder, int64_t begin_ns, int64_t end_ns) {
    return RmsDbfs(recorder.Blocks(), begin_ns, end_ns).value_or(kSilenceDb);
  }

  // Requests focus and expects `result`.
  std::unique_ptr<FocusStream> Request(const std::string& client_id, v1::AudioUsage usage,
                                       v1::FocusGain gain, int32_t zone,
                                       v1::RequestResult result = v1::REQUEST_GRANTED) {
    std::unique_ptr<FocusStream> stream = client_->RequestFocus(MakeRequest(client_id, usage, gain, zone));
    EXPECT_TRUE(NextIsResult(*stream, result, zone));
    return stream;
  }

  std::unique_ptr<PipeWireDaemon> pipewire_;
  std::unique_ptr<PipeWireLoop> loop_;
  std::vector<std::unique_ptr<DaemonProcess>> daemons_;
  DaemonProcess* hal_ = nullptr;
  DaemonProcess* carservice_ = nullptr;
  std::unique_ptr<Client> client_;
  std::unique_ptr<Client> hal_client_;
  std::vector<std::unique_ptr<TonePlayer>> players_;
  std::vector<std::unique_ptr<SignalRecorder>> recorders_;
  pid_t stopped_carservice_ = 0;
};

// The next report's streams by node name (empty when none came in time).
std::map<std::string, v1::StreamLevel> NextLevels(StreamReader<v1::StreamLevelsReport>& levels,
                                                  int64_t* timestamp_ns = nullptr) {
  std::map<std::string, v1::StreamLevel> streams;
  std::optional<v1::StreamLevelsReport> report = levels.Next(absl::Seconds(2));
  if (!report) return streams;
  if (timestamp_ns != nullptr) *timestamp_ns = report->timestamp_ns();
  for (const v1::StreamLevel& stream : report->streams()) streams[stream.node_name()] = stream;
  return streams;
}

// The loudest sample `recorder` saw in [begin_ns, end_ns).
float LoudestSample(const SignalRecorder& recorder, int64_t begin_ns, int64_t end_ns) {
  float loudest = 0.0f;
  for (const SignalBlock& block : recorder.Blocks()) {
    if (block.time_ns >= begin_ns && block.time_ns < end_ns) loudest = std::max(loudest, block.peak);
  }
  return loudest;
}

TEST_F(BridgeAudioTest, NodesForEveryAddressAndStreamsLinkedToTheirZoneDevice) {
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  const GraphSnapshot graph = Snapshot();
  for (const auto& [zone, address] : std::vector<std::pair<int, std::string>>{
           {0, "bus0_media_out"}, {0, "bus1_navigation_out"}, {0, "bus2_voice_out"},
           {0, "bus3_alerts_out"}, {0, "bus4_safety_out"}, {1, "bus100_media_out"},
           {1, "bus101_alerts_out"}, {1, "bus102_safety_out"}, {2, "bus200_media_out"}}) {
    const GraphNode* node = graph.FindNode(address);
    ASSERT_NE(node, nullptr) << address << "\n" << graph.DebugString();
    EXPECT_EQ(node->Property("caraudio.zone-id"), absl::StrCat(zone)) << address;
    EXPECT_EQ(node->Property("caraudio.device-address"), address);
    EXPECT_EQ(node->Property("media.class"), "Audio/Sink");
    EXPECT_TRUE(graph.IsLinked(address, address + ".out")) << address;
  }

  ASSERT_NE(Play("zone0-music", "media", 0), nullptr);
  ASSERT_NE(Play("zone0-nav", "USAGE_ASSISTANCE_NAVIGATION_GUIDANCE", 0), nullptr);
  ASSERT_NE(Play("zone1-nav", "nav", 1), nullptr);
  ASSERT_NE(Play("zone2-music", "1", 2), nullptr);
  ASSERT_NE(Play("zone0-bad-zone", "media", 7), nullptr);
  // Each routed stream feeds its device and the bridge's level meter
  // (stream_meter.h), whose slots take every stream of this test.
  const std::string meter = "caraudio.stream-meter.0";
  ASSERT_TRUE(WaitFor(
      [&] {
        return Linked("zone0-music", "bus0_media_out") &&
               Linked("zone0-nav", "bus1_navigation_out") &&
               Linked("zone1-nav", "bus100_media_out") &&
               Linked("zone2-music", "bus200_media_out") && Linked("zone0-music", meter) &&
               Linked("zone1-nav", meter);
      },
      absl::Seconds(3)))
      << Snapshot().DebugString();
  const GraphSnapshot routed = Snapshot();
  EXPECT_EQ(routed.LinkedInputNodes(routed.FindNode("zone0-music")->id),
            (std::set<std::string>{"bus0_media_out", meter}));
  EXPECT_EQ(routed.LinkedInputNodes(routed.FindNode("zone1-nav")->id),
            (std::set<std::string>{"bus100_media_out", meter}));
  // Both channels, FL→FL and FR→FR, into each.
  int links = 0;
  for (const GraphLink& link : routed.links()) {
    if (link.output_node_id == routed.FindNode("zone0-music")->id) ++links;
  }
  EXPECT_EQ(links, 4);
  // An unknown zone is not routed anywhere.
  EXPECT_TRUE(routed.LinkedInputNodes(routed.FindNode("zone0-bad-zone")->id).empty());

  // Streams come and go: a vanished stream's links go, a new one is linked.
  players_.erase(players_.begin());  // zone0-music
  ASSERT_NE(Play("zone0-music-2", "media", 0), nullptr);
  ASSERT_TRUE(WaitFor([this] { return Linked("zone0-music-2", "bus0_media_out"); },
                      absl::Seconds(3)));
  EXPECT_EQ(Snapshot().FindNode("zone0-music"), nullptr);
}

TEST_F(BridgeAudioTest, DeviceWithAConfiguredOutputFeedsThatSinkEvenWhenItAppearsLater) {
  // The default car, with zone 0's media device wired to a "front_amp" sink.
  std::ifstream in(CARAUDIO_DEFAULT_CONFIG);
  std::stringstream xml;
  xml << in.rdbuf();
  std::string text = xml.str();
  const std::string device = "<device address=\"bus0_media_out\"";
  ASSERT_NE(text.find(device), std::string::npos);
  text.replace(text.find(device), device.size(), device + " output=\"front_amp\"");
  absl::StatusOr<TempDir> dir = TempDir::Create("caraudio-bridge-config");
  ASSERT_TRUE(dir.ok());
  const std::string path = dir->path() + "/car.xml";
  std::ofstream(path) << text;
  ASSERT_NO_FATAL_FAILURE(StartDaemon(/*split=*/false, path));
  EXPECT_EQ(Snapshot().FindNode("bus0_media_out.out"), nullptr);

  absl::StatusOr<std::unique_ptr<OwnedProxy>> amp = CreateNullAudioSink(*loop_, "front_amp");
  ASSERT_TRUE(amp.ok()) << amp.status();
  EXPECT_TRUE(WaitFor([this] { return Linked("bus0_media_out", "front_amp"); }, absl::Seconds(3)))
      << Snapshot().DebugString();
  EXPECT_TRUE(Linked("bus1_navigation_out", "bus1_navigation_out.out"));
  amp->reset();
}

TEST_F(BridgeAudioTest, NavigationDucksZoneZeroMediaWithRampsAndRestoresIt) {
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  SignalRecorder* media = PlayMusicInZoneZero();
  ASSERT_NE(media, nullptr);
  std::unique_ptr<FocusStream> music = Request("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0);
  absl::SleepFor(absl::Milliseconds(500));

  const int64_t duck_at = NowNanos();
  // MUSIC vs NAVIGATION is concurrent: no callback, but CarDucking ducks
  // the media device because navigation plays on another one.
  std::unique_ptr<FocusStream> nav = Request("nav", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE,
                                             v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, 0);
  absl::SleepFor(absl::Milliseconds(700));
  const int64_t release_at = NowNanos();
  ASSERT_TRUE(client_->AbandonFocus("nav", 0).ok());
  absl::SleepFor(absl::Milliseconds(1600));

  const double before = Level(*media, duck_at - 400'000'000, duck_at);
  const double ducked = Level(*media, duck_at + 350'000'000, release_at);
  const double after = Level(*media, release_at + 1'250'000'000, release_at + 1'550'000'000);
  // Ramp durations on the signal's own (sample) timeline: callback jitter
  // on a loaded machine must not stretch or squeeze them.
  const std::vector<SignalBlock> blocks = media->Blocks();
  const std::vector<EnvelopePoint> envelope = Envelope(SampleTimeline(blocks));
  const int64_t duck_sample_at = SampleTimeAt(blocks, duck_at).value_or(duck_at);
  const int64_t release_sample_at = SampleTimeAt(blocks, release_at).value_or(release_at);
  const std::optional<absl::Duration> attack =
      RampDuration(envelope, before, before + kDuckDb, duck_sample_at);
  const std::optional<absl::Duration> release =
      RampDuration(envelope, before + kDuckDb, before, release_sample_at);
  Report("media_level_before_db", before, "dBFS");
  Report("media_level_ducked_db", ducked, "dBFS");
  Report("media_level_after_db", after, "dBFS");
  EXPECT_NEAR(before, kToneDb, 0.5);
  EXPECT_NEAR(ducked - before, kDuckDb, 1.0);
  EXPECT_NEAR(after, before, 1.0);
  ASSERT_TRUE(attack.has_value());
  ASSERT_TRUE(release.has_value());
  // 10 %–90 % of a ramp linear in dB is 0.8 of it.
  const double attack_ms = absl::ToDoubleMilliseconds(*attack) / 0.8;
  const double release_ms = absl::ToDoubleMilliseconds(*release) / 0.8;
  Report("duck_attack_ramp_ms", attack_ms, "ms");
  Report("duck_release_ramp_ms", release_ms, "ms");
  EXPECT_NEAR(attack_ms, 100, 20);
  EXPECT_NEAR(release_ms, 1000, 200);
  // Smooth: per 10 ms (the unit) the level moves no more than the
  // attack slope itself, 1 dB, plus 0.5 dB: the ramp progress of the one or
  // two graph cycles a loaded machine may drop (an xrun skips 2.7 ms of the
  // timeline; 1.33 dB was seen with two busy loops beside the test). A gain that stepped would show as one big change. Measured on
  // each window's peak (a 10 ms window holds four periods of the tone, so
  // its peak is gain × 0.5): a window the graph partly dropped keeps its
  // peak, unlike its RMS; a wholly silent one is counted and left out.
  std::vector<std::pair<int64_t, float>> peaks;  // (window start, peak)
  constexpr int64_t kWindow = 10'000'000;
  for (const SignalBlock& block : SampleTimeline(blocks)) {
    if (block.time_ns < duck_sample_at || block.time_ns > release_sample_at + 1'300'000'000) {
      continue;
    }
    const int64_t window = block.time_ns - (block.time_ns - duck_sample_at) % kWindow;
    if (peaks.empty() || peaks.back().first != window) peaks.emplace_back(window, 0.0f);
    peaks.back().second = std::max(peaks.back().second, block.peak);
  }
  double max_step = 0;
  int dropouts = 0;
  for (size_t i = 1; i < peaks.size(); ++i) {
    const bool contiguous = peaks[i].first - peaks[i - 1].first == kWindow;
    const bool silent = peaks[i].second < 1e-4f || peaks[i - 1].second < 1e-4f;
    if (peaks[i].second < 1e-4f) ++dropouts;
    if (!contiguous || silent) continue;
    max_step = std::max(max_step, std::abs(20.0 * std::log10(peaks[i].second / peaks[i - 1].second)));
  }
  Report("dropout_windows", dropouts, "windows");
  Report("max_step_db_per_10ms", max_step, "dB");
  if (max_step > 1.5) {
    for (size_t i = 1; i < peaks.size(); ++i) {
      const double step = 20.0 * std::log10(std::max(peaks[i].second, 1e-9f) /
                                             std::max(peaks[i - 1].second, 1e-9f));
      if (std::abs(step) > 1.5) {
        std::printf("step %.2f dB per 10 ms at %.1f ms after the duck (peaks %.4f -> %.4f)\n", step,
                    (peaks[i].first - duck_sample_at) / 1e6, peaks[i - 1].second, peaks[i].second);
      }
    }
  }
  EXPECT_LE(max_step, 1.5);
}

TEST_F(BridgeAudioTest, VolumeChangeDuringADuckIsKeptAndTheUnduckRestoresIt) {
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  SignalRecorder* media = PlayMusicInZoneZero();
  ASSERT_NE(media, nullptr);
  std::unique_ptr<FocusStream> music = Request("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0);
  std::unique_ptr<FocusStream> nav = Request("nav", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE,
                                             v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, 0);
  absl::SleepFor(absl::Milliseconds(400));
  // The media group goes from -6 dB to -3 dB (index 29 of -3200 + 100 * i).
  v1::SetGroupVolumeRequest volume;
  volume.set_zone_id(0);
  volume.set_group("media");
  volume.set_gain_index(29);
  v1::GroupVolume answer;
  ASSERT_TRUE(client_->focus().SetGroupVolume(UnaryContext().get(), volume, &answer).ok());
  EXPECT_EQ(answer.gain_mb(), -300);
  const int64_t volume_at = NowNanos();
  absl::SleepFor(absl::Milliseconds(400));
  const int64_t release_at = NowNanos();  // before the request: see the mute below
  ASSERT_TRUE(client_->AbandonFocus("nav", 0).ok());
  absl::SleepFor(absl::Milliseconds(1400));
  const double ducked = Level(*media, volume_at + 200'000'000, release_at);
  const double restored = Level(*media, release_at + 1'150'000'000, release_at + 1'400'000'000);
  Report("media_level_ducked_at_minus3db_db", ducked, "dBFS");
  Report("media_level_restored_at_minus3db_db", restored, "dBFS");
  EXPECT_NEAR(ducked, -9.03 - 3.0 + kDuckDb, 0.5);
  EXPECT_NEAR(restored, -9.03 - 3.0, 0.5);

  // SetGroupMute silences the group's devices (20 ms ramp) and keeps the volume.
  v1::SetGroupMuteRequest mute;
  mute.set_zone_id(0);
  mute.set_group("media");
  mute.set_muted(true);
  ASSERT_TRUE(client_->focus().SetGroupMute(UnaryContext().get(), mute, &answer).ok());
  const int64_t muted_at = NowNanos();
  absl::SleepFor(absl::Milliseconds(300));
  mute.set_muted(false);
  // The daemon may apply the unmute before its answer reaches us: the muted
  // window ends when the request is sent.
  const int64_t unmute_sent_at = NowNanos();
  ASSERT_TRUE(client_->focus().SetGroupMute(UnaryContext().get(), mute, &answer).ok());
  const int64_t unmuted_at = NowNanos();
  absl::SleepFor(absl::Milliseconds(300));
  const double muted = Level(*media, muted_at + 100'000'000, unmute_sent_at);
  const double unmuted = Level(*media, unmuted_at + 100'000'000, unmuted_at + 300'000'000);
  Report("media_level_group_muted_db", muted, "dBFS");
  Report("media_level_group_unmuted_db", unmuted, "dBFS");
  EXPECT_LT(muted, -80.0);
  EXPECT_NEAR(unmuted, -9.03 - 3.0, 0.5);
}

TEST_F(BridgeAudioTest, NavigationInZoneOneLeavesZoneZeroAlone) {
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ASSERT_NE(Play("music0", "media", 0), nullptr);
  ASSERT_NE(Play("music1", "media", 1, 550.0), nullptr);
  SignalRecorder* zone0 = Record("bus0_media_out");
  SignalRecorder* zone1 = Record("bus100_media_out");
  ASSERT_NE(zone0, nullptr);
  ASSERT_NE(zone1, nullptr);
  ASSERT_TRUE(WaitFor([this] { return Linked("music0", "bus0_media_out") &&
                                      Linked("music1", "bus100_media_out"); },
                      absl::Seconds(3)));
  std::unique_ptr<FocusStream> music0 = Request("music0", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0);
  std::unique_ptr<FocusStream> music1 = Request("music1", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 1);
  absl::SleepFor(absl::Milliseconds(400));
  const int64_t nav_at = NowNanos();
  std::unique_ptr<FocusStream> nav = Request("nav1", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE,
                                             v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, 1);
  absl::SleepFor(absl::Milliseconds(600));
  const double before = Level(*zone0, nav_at - 300'000'000, nav_at);
  const double during = Level(*zone0, nav_at + 100'000'000, nav_at + 600'000'000);
  Report("zone0_level_before_db", before, "dBFS");
  Report("zone0_level_during_zone1_nav_db", during, "dBFS");
  EXPECT_NEAR(before, kToneDb, 0.5);
  EXPECT_NEAR(during, before, 0.2);
  // Zone 1 mixes navigation into its media device: the shared-device rule
  // leaves that device unducked (the nav stream plays into it too).
  const double zone1_before = Level(*zone1, nav_at - 300'000'000, nav_at);
  const double zone1_during = Level(*zone1, nav_at + 100'000'000, nav_at + 600'000'000);
  Report("zone1_media_level_before_db", zone1_before, "dBFS");
  Report("zone1_media_level_during_nav_db", zone1_during, "dBFS");
  EXPECT_NEAR(zone1_during, zone1_before, 0.2);
  absl::StatusOr<v1::CarAudioState> state = client_->GetState();
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(DuckedAddresses(*state, 0).empty());
  EXPECT_TRUE(DuckedAddresses(*state, 1).empty());
}

TEST_F(BridgeAudioTest, ChimeMutesZoneZeroMediaWithinFiftyMsWithTheCarServiceStopped) {
  SignalRecorder* media = nullptr;
  SignalRecorder* safety = nullptr;
  ASSERT_NO_FATAL_FAILURE(SetUpChimeScene(&media, &safety));
  ASSERT_NO_FATAL_FAILURE(FreezeCarService());
  const int64_t chime_at = NowNanos();
  std::unique_ptr<HoldStream> sound = PlayChime(800);
  std::optional<v1::HalFocusStatus> started = sound->Next(absl::Seconds(3));
  ASSERT_TRUE(started.has_value());
  EXPECT_TRUE(started->sound().playing());
  EXPECT_EQ(started->sound().device_address(), "bus4_safety_out");
  EXPECT_EQ(started->sound().muted_addresses_size(), 4);
  std::optional<v1::HalFocusStatus> ended = sound->Next(absl::Seconds(3));
  ASSERT_TRUE(ended.has_value());
  EXPECT_FALSE(ended->sound().playing());
  EXPECT_TRUE(sound->WaitForEnd(absl::Seconds(2)).value_or(grpc::Status::CANCELLED).ok());
  const int64_t ended_at = NowNanos();
  absl::SleepFor(absl::Milliseconds(300));

  const std::vector<EnvelopePoint> envelope = Envelope(media->Blocks());
  const double before = Level(*media, chime_at - 300'000'000, chime_at);
  const std::optional<int64_t> silent_at = FirstTimeBelow(envelope, before - 40.0, chime_at);
  ASSERT_TRUE(silent_at.has_value());
  const double mute_ms = (*silent_at - chime_at) / 1e6;
  const double muted = Level(*media, chime_at + 100'000'000, chime_at + 700'000'000);
  const double chime = Level(*safety, chime_at + 100'000'000, chime_at + 700'000'000);
  const double restored = Level(*media, ended_at + 100'000'000, ended_at + 300'000'000);
  Report("chime_request_to_media_silent_ms", mute_ms, "ms");
  Report("media_level_during_chime_db", muted, "dBFS");
  Report("safety_level_during_chime_db", chime, "dBFS");
  Report("media_level_after_chime_db", restored, "dBFS");
  EXPECT_LE(mute_ms, 50.0);
  EXPECT_LT(muted, -80.0);
  EXPECT_GT(chime, -20.0);
  EXPECT_NEAR(restored, before, 1.0);

  // The car service comes back and the HAL's request is reconciled: it was
  // replayed and then abandoned, so no HAL request is left.
  ASSERT_NO_FATAL_FAILURE(ThawCarService());
  EXPECT_TRUE(client_
                  ->AwaitState([](const v1::CarAudioState& state) {
                    return HalRequestCount(state) == 0;
                  })
                  .ok());
}

// Fault injection: the car service frozen (SIGSTOP) while a chime plays and
// thawed (SIGCONT) before it ends. The HAL plays and mutes on its own
// authority, so the chime is audible and the media muted throughout; the car
// service's late decisions on the replayed request leave the mutes alone;
// after the chime the media is back at its level and nothing is left
// ducked, muted or requested on either side.
TEST_F(BridgeAudioTest, ChimeKeepsMediaMutedWhileTheStoppedCarServiceResumesThenMediaIsBack) {
  SignalRecorder* media = nullptr;
  SignalRecorder* safety = nullptr;
  ASSERT_NO_FATAL_FAILURE(SetUpChimeScene(&media, &safety));
  ASSERT_NO_FATAL_FAILURE(FreezeCarService());
  const int64_t chime_at = NowNanos();
  std::unique_ptr<HoldStream> sound = PlayChime(1500);
  std::optional<v1::HalFocusStatus> started = sound->Next(absl::Seconds(3));
  ASSERT_TRUE(started.has_value());
  ASSERT_TRUE(started->sound().playing());
  absl::SleepFor(absl::Milliseconds(500));
  ASSERT_NO_FATAL_FAILURE(ThawCarService());
  const int64_t resumed_at = NowNanos();

  // The resumed car service answers the HAL's request; the sound goes on.
  std::optional<v1::HalFocusStatus> status;
  while ((status = sound->Next(absl::Seconds(3))) && status->sound().playing()) {
  }
  ASSERT_TRUE(status.has_value()) << "the chime never ended";
  EXPECT_TRUE(sound->WaitForEnd(absl::Seconds(2)).value_or(grpc::Status::CANCELLED).ok());
  const int64_t ended_at = NowNanos();
  absl::SleepFor(absl::Milliseconds(400));

  const double before = Level(*media, chime_at - 300'000'000, chime_at);
  const double muted_stopped = Level(*media, chime_at + 100'000'000, resumed_at);
  const double muted_resumed = Level(*media, resumed_at, ended_at - 100'000'000);
  const double chime = Level(*safety, chime_at + 100'000'000, ended_at - 100'000'000);
  const double restored = Level(*media, ended_at + 100'000'000, ended_at + 400'000'000);
  Report("media_level_chime_carservice_stopped_db", muted_stopped, "dBFS");
  Report("media_level_chime_carservice_resumed_db", muted_resumed, "dBFS");
  Report("safety_level_during_chime_db", chime, "dBFS");
  Report("media_level_after_chime_resumed_db", restored, "dBFS");
  EXPECT_GT(before, kToneDb - 1.0);
  EXPECT_LT(muted_stopped, -80.0);
  EXPECT_LT(muted_resumed, -80.0);
  EXPECT_GT(chime, -20.0);
  EXPECT_NEAR(restored, before, 1.0);

  absl::StatusOr<v1::CarAudioState> state = client_->AwaitState([](const v1::CarAudioState& s) {
    return HalRequestCount(s) == 0;
  });
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_TRUE(ZoneOf(*state, 0).ducked_device_addresses().empty()) << state->ShortDebugString();
  EXPECT_TRUE(ZoneOf(*state, 0).muted_device_addresses().empty()) << state->ShortDebugString();
  absl::StatusOr<v1::HalState> hal = hal_client_->GetHalState();
  ASSERT_TRUE(hal.ok()) << hal.status();
  EXPECT_EQ(hal->sounds_size(), 0) << hal->ShortDebugString();
  EXPECT_EQ(hal->zones_size(), 0) << hal->ShortDebugString();
  EXPECT_EQ(hal->vehicle_focus_requests_size(), 0) << hal->ShortDebugString();
}

TEST_F(BridgeAudioTest, ChimeWorksWithTheCarServiceKilledAndIsReconciledWhenOneComesBack) {
  ASSERT_NO_FATAL_FAILURE(StartDaemon(/*split=*/true));
  SignalRecorder* media = PlayMusicInZoneZero();
  ASSERT_NE(media, nullptr);
  absl::SleepFor(absl::Milliseconds(300));
  carservice_->Kill();
  client_.reset();

  v1::PlaySoundRequest request;
  request.set_usage(v1::USAGE_SAFETY);
  request.set_zone_id(0);
  request.set_duration_ms(3000);
  const int64_t chime_at = NowNanos();
  HoldStream sound([this, request](grpc::ClientContext* context) {
    return hal_client_->hal_focus().PlaySound(context, request);
  });
  std::optional<v1::HalFocusStatus> started = sound.Next(absl::Seconds(3));
  ASSERT_TRUE(started.has_value());
  EXPECT_EQ(started->focus_change(), v1::FOCUS_CHANGE_NONE);  // nobody to answer
  absl::SleepFor(absl::Milliseconds(300));
  const double before = Level(*media, chime_at - 250'000'000, chime_at);
  const std::optional<int64_t> silent_at =
      FirstTimeBelow(Envelope(media->Blocks()), before - 40.0, chime_at);
  ASSERT_TRUE(silent_at.has_value());
  Report("chime_request_to_media_silent_killed_ms", (*silent_at - chime_at) / 1e6, "ms");
  EXPECT_LE((*silent_at - chime_at) / 1e6, 50.0);

  // A new car service registers; the HAL replays the request and it is
  // arbitrated (granted) while the chime still plays.
  DaemonOptions options = TestDaemonOptions("carservice-2");
  options.role = "carservice";
  options.hal = hal_->address();
  absl::StatusOr<std::unique_ptr<DaemonProcess>> restarted = StartTestDaemon(std::move(options));
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  carservice_ = restarted->get();
  daemons_.push_back(std::move(*restarted));
  client_ = std::make_unique<Client>(*carservice_);
  EXPECT_TRUE(client_
                  ->AwaitState([](const v1::CarAudioState& state) {
                    return HalRequestCount(state) == 1;
                  })
                  .ok());
  std::optional<v1::HalFocusStatus> answer = sound.Next(absl::Seconds(3));
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->focus_change(), v1::FOCUS_CHANGE_GAIN_TRANSIENT);
}

TEST_F(BridgeAudioTest, PipeWireRestartBringsBackRoutesAndAnActiveDuckWithinOneSecond) {
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ASSERT_NE(Play("music", "media", 0), nullptr);
  ASSERT_TRUE(WaitFor([this] { return Linked("music", "bus0_media_out"); }, absl::Seconds(3)));
  std::unique_ptr<FocusStream> music = Request("music", v1::USAGE_MEDIA, v1::FOCUS_GAIN, 0);
  // MUSIC vs NAVIGATION is concurrent: no callback, but CarDucking ducks
  // the media device because navigation plays on another one.
  std::unique_ptr<FocusStream> nav = Request("nav", v1::USAGE_ASSISTANCE_NAVIGATION_GUIDANCE,
                                             v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, 0);

  // The test's own objects die with the daemon; an app reconnects and
  // re-creates its stream, as a real one would.
  players_.clear();
  recorders_.clear();
  ASSERT_TRUE(pipewire_->Kill().ok());
  // The service keeps answering while PipeWire is down.
  std::unique_ptr<FocusStream> call =
      Request("call", v1::USAGE_VOICE_COMMUNICATION, v1::FOCUS_GAIN_TRANSIENT, 2);
  ASSERT_TRUE(pipewire_->Restart().ok());
  const int64_t back_at = NowNanos();
  loop_->Disconnect();
  ASSERT_TRUE(WaitFor([this] { return loop_->Connect([] {}).ok(); }, absl::Seconds(2)));
  ASSERT_NE(Play("music", "media", 0), nullptr);
  ASSERT_TRUE(WaitFor(
      [this] {
        return Linked("music", "bus0_media_out") &&
               Linked("bus0_media_out", "bus0_media_out.out");
      },
      absl::Seconds(3)))
      << Snapshot().DebugString();
  const double routes_ms = (NowNanos() - back_at) / 1e6;
  SignalRecorder* media = Record("bus0_media_out");
  ASSERT_NE(media, nullptr);
  const int64_t recording_at = NowNanos();
  absl::SleepFor(absl::Milliseconds(400));
  // The duck is applied from the filter's first cycle: no ramp from 0 dB.
  // (The first 100 ms are skipped: the recorder's own links may still be
  // starting; that is the test's plumbing, not the bridge.)
  const double level = Level(*media, recording_at + 100'000'000, recording_at + 400'000'000);
  // When the media device's output is first audible after the restart, and
  // that it is ducked from that first window on.
  const std::vector<EnvelopePoint> envelope = Envelope(media->Blocks());
  const auto first_audible = std::find_if(envelope.begin(), envelope.end(),
                                          [](const EnvelopePoint& point) { return point.db > -60.0; });
  ASSERT_NE(first_audible, envelope.end()) << "no audio recorded after the restart";
  const double ducked_audio_ms = (first_audible->time_ns - back_at) / 1e6;
  Report("pipewire_back_to_ducked_audio_ms", ducked_audio_ms, "ms");
  EXPECT_LT(ducked_audio_ms, 1000.0);
  EXPECT_LT(first_audible->db, kToneDb + kDuckDb + 1.5)
      << "the first audible window after the restart was not ducked";
  Report("pipewire_back_to_routes_ms", routes_ms, "ms");
  // Links PipeWire activated silent that the bridge re-made (usually 0).
  Report("bridge_link_repairs", LinkRepairs(), "");
  Report("media_level_after_restart_db", level, "dBFS");
  EXPECT_LT(routes_ms, 1000.0);
  EXPECT_NEAR(level, kToneDb + kDuckDb, 1.0) << [&] {
    double left = 0, right = 0;
    int n = 0;
    for (const SignalBlock& block : media->Blocks()) {
      left += block.rms_left;
      right += block.rms_right;
      ++n;
    }
    return absl::StrCat("mean block rms L ", left / std::max(n, 1), " R ", right / std::max(n, 1),
                        "\n", Snapshot().DebugString());
  }();
  // The service answered focus requests throughout.
  std::unique_ptr<FocusStream> alarm =
      Request("alarm", v1::USAGE_ALARM, v1::FOCUS_GAIN_TRANSIENT_MAY_DUCK, 1);
}

// The link health check re-makes a link PipeWire activated but that never
// delivers a buffer. An app stream that runs but queues nothing is not such a
// link (its adapter still hands the device silence every cycle): the bridge
// leaves it alone, and music next to it plays on.
TEST_F(BridgeAudioTest, AStreamThatSendsNothingIsNotRelinked) {
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  DspStream::Options options;
  options.node_name = "stalled";
  options.properties = {{PW_KEY_NODE_ALWAYS_PROCESS, "true"},
                        {"caraudio.client-id", "stalled"},
                        {"caraudio.usage", "media"},
                        {"caraudio.zone-id", "0"}};
  absl::StatusOr<std::unique_ptr<DspStream>> stalled = DspStream::Start(
      *loop_, std::move(options), "stalled", [](void*, pw_stream*) {}, nullptr);
  ASSERT_TRUE(stalled.ok()) << stalled.status();
  ASSERT_TRUE(WaitFor([this] { return Linked("stalled", "bus0_media_out"); }, absl::Seconds(3)));
  SignalRecorder* media = PlayMusicInZoneZero();
  ASSERT_NE(media, nullptr);
  absl::SleepFor(absl::Milliseconds(800));
  const int64_t now = NowNanos();
  EXPECT_NEAR(Level(*media, now - 500'000'000, now), kToneDb, 1.0);
  EXPECT_EQ(LinkRepairs(), 0) << hal_->ReadLog();
  EXPECT_TRUE(Linked("stalled", "bus0_media_out"));
}

// Hardening silences an app at its stream: its sound leaves the device while
// another app on the same device plays on, and un-silencing brings it back.
TEST_F(BridgeAudioTest, SilencingAnAppRemovesOnlyItsStreamFromTheDevice) {
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ASSERT_NE(PlayApp("radio", kRadio, kRadioAmplitude, 440.0), nullptr);
  ASSERT_NE(PlayApp("podcast", kPodcast, kPodcastAmplitude, 1000.0), nullptr);
  SignalRecorder* media = Record("bus0_media_out");
  ASSERT_NE(media, nullptr);
  ASSERT_TRUE(WaitFor([this] { return Linked("radio", "bus0_media_out") &&
                                      Linked("podcast", "bus0_media_out"); },
                      absl::Seconds(3)));
  absl::SleepFor(absl::Milliseconds(300));
  const int64_t radio_silenced_at = NowNanos();
  ASSERT_NO_FATAL_FAILURE(SilenceApps({kRadio}));
  absl::SleepFor(absl::Milliseconds(300));
  const int64_t both_silenced_at = NowNanos();
  ASSERT_NO_FATAL_FAILURE(SilenceApps({kRadio, kPodcast}));
  absl::SleepFor(absl::Milliseconds(300));
  const int64_t unsilenced_at = NowNanos();
  ASSERT_NO_FATAL_FAILURE(SilenceApps({}));
  absl::SleepFor(absl::Milliseconds(350));
  const int64_t end = NowNanos();

  const double both = Level(*media, radio_silenced_at - 250 * kMs, radio_silenced_at);
  const double podcast_only = Level(*media, radio_silenced_at + 100 * kMs, both_silenced_at);
  const double none = Level(*media, both_silenced_at + 100 * kMs, unsilenced_at);
  const float none_peak = LoudestSample(*media, both_silenced_at + 100 * kMs, unsilenced_at);
  const double back = Level(*media, unsilenced_at + 150 * kMs, end);
  const std::optional<int64_t> quiet_at =
      FirstTimeBelow(Envelope(media->Blocks()), both - 10.0, radio_silenced_at);
  ASSERT_TRUE(quiet_at.has_value());
  Report("silence_request_to_app_gone_ms", (*quiet_at - radio_silenced_at) / 1e6, "ms");
  Report("device_level_two_apps_db", both, "dBFS");
  Report("device_level_radio_silenced_db", podcast_only, "dBFS");
  Report("device_level_both_silenced_db", none, "dBFS");
  Report("device_level_unsilenced_db", back, "dBFS");
  EXPECT_NEAR(both, kBothAppsDb, 0.5);
  // The podcast alone: nothing of the radio is left.
  EXPECT_NEAR(podcast_only, kPodcastAloneDb, 0.5);
  // Silenced is digital silence, not just quiet.
  EXPECT_EQ(none_peak, 0.0f);
  EXPECT_NEAR(back, kBothAppsDb, 0.5);
  EXPECT_LE((*quiet_at - radio_silenced_at) / 1e6, 100.0);
}

TEST_F(BridgeAudioTest, AStreamCreatedForASilencedAppIsSilentFromItsStart) {
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  SignalRecorder* media = Record("bus0_media_out");
  ASSERT_NE(media, nullptr);
  ASSERT_NO_FATAL_FAILURE(SilenceApps({kRadio}));
  absl::SleepFor(absl::Milliseconds(50));  // oneway: the HAL hands it on
  const int64_t created_at = NowNanos();
  ASSERT_NE(PlayApp("radio", kRadio, kRadioAmplitude, 440.0), nullptr);
  ASSERT_TRUE(WaitFor([this] { return Linked("radio", "bus0_media_out"); }, absl::Seconds(3)));
  absl::SleepFor(absl::Milliseconds(400));
  const int64_t unsilenced_at = NowNanos();
  ASSERT_NO_FATAL_FAILURE(SilenceApps({}));
  absl::SleepFor(absl::Milliseconds(300));
  const float loudest = LoudestSample(*media, created_at, unsilenced_at);
  // Linked and playing all along: un-silenced, it is heard at once.
  const double unsilenced = Level(*media, unsilenced_at + 100 * kMs, unsilenced_at + 300 * kMs);
  Report("new_silenced_stream_loudest_sample", loudest, "");
  Report("new_stream_unsilenced_db", unsilenced, "dBFS");
  EXPECT_EQ(loudest, 0.0f);
  EXPECT_NEAR(unsilenced, kToneDb, 0.5);
}

TEST_F(BridgeAudioTest, ASilencedAppStaysSilentAfterAPipeWireRestart) {
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ASSERT_NE(PlayApp("radio", kRadio, kRadioAmplitude, 440.0), nullptr);
  ASSERT_NE(PlayApp("podcast", kPodcast, kPodcastAmplitude, 1000.0), nullptr);
  ASSERT_NO_FATAL_FAILURE(SilenceApps({kRadio}));
  ASSERT_TRUE(WaitFor([this] { return Linked("radio", "bus0_media_out") &&
                                      Linked("podcast", "bus0_media_out"); },
                      absl::Seconds(3)));

  // The apps re-create their streams on the new daemon, as real ones would.
  players_.clear();
  ASSERT_TRUE(pipewire_->Kill().ok());
  ASSERT_TRUE(pipewire_->Restart().ok());
  loop_->Disconnect();
  ASSERT_TRUE(WaitFor([this] { return loop_->Connect([] {}).ok(); }, absl::Seconds(2)));
  ASSERT_TRUE(WaitFor([this] { return Linked("bus0_media_out", "bus0_media_out.out"); },
                      absl::Seconds(3)));
  SignalRecorder* media = Record("bus0_media_out");
  ASSERT_NE(media, nullptr);
  const int64_t created_at = NowNanos();
  ASSERT_NE(PlayApp("radio", kRadio, kRadioAmplitude, 440.0), nullptr);
  ASSERT_NE(PlayApp("podcast", kPodcast, kPodcastAmplitude, 1000.0), nullptr);
  ASSERT_TRUE(WaitFor([this] { return Linked("radio", "bus0_media_out") &&
                                      Linked("podcast", "bus0_media_out"); },
                      absl::Seconds(3)));
  absl::SleepFor(absl::Milliseconds(400));
  const int64_t end = NowNanos();
  // The radio at the device would peak at 0.25; the podcast peaks at 0.025.
  const float loudest = LoudestSample(*media, created_at, end);
  const double level = Level(*media, end - 250 * kMs, end);
  Report("after_restart_loudest_sample", loudest, "");
  Report("after_restart_device_level_db", level, "dBFS");
  EXPECT_LT(loudest, 0.05f);
  EXPECT_NEAR(level, kPodcastAloneDb, 0.5);
}

// WatchStreamLevels through the daemon: each app's own level, before the
// device's gain (a muted device does not change it), following the app's
// own level changes and its silencing.
TEST_F(BridgeAudioTest, StreamLevelsReportWhatEachAppPlays) {
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  TonePlayer* radio = PlayApp("radio", kRadio, kRadioAmplitude, 440.0);
  ASSERT_NE(radio, nullptr);
  ASSERT_NE(PlayApp("podcast", kPodcast, kPodcastAmplitude, 1000.0), nullptr);
  SignalRecorder* media = Record("bus0_media_out");
  ASSERT_NE(media, nullptr);
  std::unique_ptr<StreamReader<v1::StreamLevelsReport>> levels = WatchLevels(50);
  // Until both meters are linked.
  std::map<std::string, v1::StreamLevel> streams;
  for (int i = 0; i < 40; ++i) {
    streams = NextLevels(*levels);
    if (streams.contains("radio") && streams.contains("podcast") &&
        streams["radio"].rms_dbfs() > -100 && streams["podcast"].rms_dbfs() > -100) {
      break;
    }
  }
  ASSERT_TRUE(streams.contains("radio") && streams["radio"].rms_dbfs() > -100);
  const v1::StreamLevel& first = streams["radio"];
  EXPECT_EQ(first.package_name(), kRadio.package_name);
  EXPECT_EQ(first.uid(), kRadio.uid);
  EXPECT_EQ(first.client_id(), "radio");
  EXPECT_EQ(first.zone_id(), 0);
  EXPECT_EQ(first.usage(), v1::USAGE_MEDIA);
  EXPECT_EQ(first.device_address(), "bus0_media_out");
  EXPECT_FALSE(first.silenced());

  // Full periods: each app's own level, whatever the device does to it. The
  // median of five reports, so one period with a cycle lost to a busy
  // machine does not decide.
  auto expect_levels = [&](double radio_rms, const char* what) {
    std::map<std::string, std::vector<double>> rms;
    std::map<std::string, std::vector<double>> peak;
    for (int i = 0; i < 5; ++i) {
      streams = NextLevels(*levels);
      ASSERT_TRUE(streams.contains("radio") && streams.contains("podcast")) << what;
      for (const char* app : {"radio", "podcast"}) {
        rms[app].push_back(streams[app].rms_dbfs());
        peak[app].push_back(streams[app].peak_dbfs());
      }
    }
    auto median = [](std::vector<double> values) {
      std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
      return values[values.size() / 2];
    };
    SCOPED_TRACE(what);
    EXPECT_NEAR(median(rms["radio"]), radio_rms, 0.5);
    EXPECT_NEAR(median(peak["radio"]), radio_rms + 3.01, 0.2);
    EXPECT_NEAR(median(rms["podcast"]), -29.03, 0.5);
    EXPECT_NEAR(median(peak["podcast"]), -26.02, 0.2);
    Report(absl::StrCat("stream_level_radio_", what, "_db"), median(rms["radio"]), "dBFS");
    Report(absl::StrCat("stream_level_podcast_", what, "_db"), median(rms["podcast"]), "dBFS");
  };
  expect_levels(-9.03, "playing");

  v1::SetGroupMuteRequest mute;
  mute.set_zone_id(0);
  mute.set_group("media");
  mute.set_muted(true);
  v1::GroupVolume answer;
  ASSERT_TRUE(client_->focus().SetGroupMute(UnaryContext().get(), mute, &answer).ok());
  absl::SleepFor(absl::Milliseconds(100));
  const int64_t muted_at = NowNanos();
  expect_levels(-9.03, "device_muted");
  EXPECT_LT(Level(*media, muted_at, NowNanos()), -80.0);
  mute.set_muted(false);
  ASSERT_TRUE(client_->focus().SetGroupMute(UnaryContext().get(), mute, &answer).ok());

  // The radio turns itself down by 12.04 dB.
  const int64_t quieter_at = NowNanos();
  radio->set_gain(0.25);
  int64_t report_ns = 0;
  for (int i = 0; i < 10; ++i) {
    streams = NextLevels(*levels, &report_ns);
    if (streams.contains("radio") && streams["radio"].rms_dbfs() < -15) break;
  }
  ASSERT_TRUE(streams.contains("radio") && streams["radio"].rms_dbfs() < -15);
  Report("level_change_to_report_ms", (report_ns - quieter_at) / 1e6, "ms");
  // One 50 ms period, plus scheduling slack on a loaded CI machine.
  EXPECT_LE((report_ns - quieter_at) / 1e6, 300.0);
  expect_levels(-21.07, "turned_down");

  // Silenced: -120 and flagged; the podcast is untouched.
  ASSERT_NO_FATAL_FAILURE(SilenceApps({kRadio}));
  for (int i = 0; i < 10; ++i) {
    streams = NextLevels(*levels);
    if (streams.contains("radio") && streams["radio"].rms_dbfs() == -120.0f) break;
  }
  streams = NextLevels(*levels);
  ASSERT_TRUE(streams.contains("radio") && streams.contains("podcast"));
  Report("stream_level_radio_silenced_db", streams["radio"].rms_dbfs(), "dBFS");
  EXPECT_EQ(streams["radio"].rms_dbfs(), -120.0f);
  EXPECT_EQ(streams["radio"].peak_dbfs(), -120.0f);
  EXPECT_TRUE(streams["radio"].silenced());
  EXPECT_FALSE(streams["podcast"].silenced());
  EXPECT_NEAR(streams["podcast"].rms_dbfs(), -29.03, 0.5);
  Report("bridge_link_repairs", LinkRepairs(), "");
}

}  // namespace
}  // namespace caraudio::testing
