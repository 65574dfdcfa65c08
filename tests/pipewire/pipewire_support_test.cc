// Tests of the PipeWire test support itself (daemon, snapshot, links,
// recorder, analysis) and of TonePlayer, against a private daemon.
//
// The graph tests play a known tone into a null sink and measure it on the
// sink's monitor, so a broken link, a wrong gain or a silent player shows as
// a wrong number rather than a hang.

#include <signal.h>
#include <sys/types.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "pipewire-bridge/graph_snapshot.h"
#include "pipewire-bridge/pipewire_loop.h"
#include "pipewire-bridge/pipewire_objects.h"
#include "pipewire-bridge/tone_player.h"
#include "tests/pipewire/pipewire_daemon.h"
#include "tests/pipewire/signal_analysis.h"
#include "tests/pipewire/signal_recorder.h"

namespace caraudio::testing {
namespace {

constexpr int64_t kMs = 1'000'000;  // nanoseconds
// A sine of amplitude 0.5: RMS 0.5/sqrt(2).
const double kHalfSineDb = AmplitudeToDb(0.5 / std::sqrt(2.0));  // -9.03

void Report(const std::string& key, double value) {
  const std::string text = absl::StrFormat("%.3f", value);
  ::testing::Test::RecordProperty(key, text);
  std::printf("[ measured ] %s = %s\n", key.c_str(), text.c_str());
  std::fflush(stdout);
}

// Frames per process callback, most common value (the graph's quantum).
int32_t TypicalBufferFrames(const std::vector<SignalBlock>& blocks) {
  std::map<int64_t, int32_t> frames_per_callback;
  for (const SignalBlock& block : blocks) frames_per_callback[block.callback_time_ns] += block.frames;
  std::map<int32_t, int> histogram;
  for (const auto& [time, frames] : frames_per_callback) ++histogram[frames];
  int32_t typical = 0;
  int best = 0;
  for (const auto& [frames, count] : histogram) {
    if (count > best) {
      best = count;
      typical = frames;
    }
  }
  return typical;
}

float PeakIn(const std::vector<SignalBlock>& blocks, int64_t begin_ns, int64_t end_ns) {
  float peak = 0.0f;
  for (const SignalBlock& block : blocks) {
    if (block.time_ns >= begin_ns && block.time_ns < end_ns) peak = std::max(peak, block.peak);
  }
  return peak;
}

bool IsConnected(PipeWireLoop& loop) {
  bool connected = false;
  loop.Run([&] { connected = loop.connected(); });
  return connected;
}

// Owns a private daemon and one connected loop per test. Members are
// destroyed in reverse order: every PipeWire object a test makes (locals)
// goes first, then the loop, then the daemon.
class PipeWireGraphTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<PipeWireDaemon>> daemon = PipeWireDaemon::Start();
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = *std::move(daemon);
    absl::StatusOr<std::unique_ptr<PipeWireLoop>> loop = PipeWireLoop::Create("support-test");
    ASSERT_TRUE(loop.ok()) << loop.status();
    loop_ = *std::move(loop);
    const absl::Status connected = loop_->Connect([] {});
    ASSERT_TRUE(connected.ok()) << connected;
  }

  void TearDown() override {
    if (HasFailure() && daemon_ != nullptr) {
      std::printf("--- pipewire log (%s) ---\n%s\n", daemon_->log_path().c_str(),
                  daemon_->ReadLog().c_str());
    }
  }

  // Plays `options` into a fresh null sink "test_sink" and records the
  // sink's monitor for `duration`; returns the recorded blocks.
  std::vector<SignalBlock> PlayAndRecord(TonePlayer::Options options, absl::Duration duration) {
    absl::StatusOr<std::unique_ptr<OwnedProxy>> sink = CreateNullAudioSink(*loop_, "test_sink");
    EXPECT_TRUE(sink.ok()) << sink.status();
    if (!sink.ok()) return {};
    absl::StatusOr<std::unique_ptr<TonePlayer>> player = TonePlayer::Start(*loop_, options);
    EXPECT_TRUE(player.ok()) << player.status();
    if (!player.ok()) return {};
    absl::StatusOr<std::unique_ptr<ChannelLinks>> links =
        LinkChannelsByName(*loop_, options.node_name, "output_", "test_sink", "playback_");
    EXPECT_TRUE(links.ok()) << links.status();
    if (!links.ok()) return {};
    absl::StatusOr<std::unique_ptr<SignalRecorder>> recorder =
        SignalRecorder::Start(*loop_, "test_sink", "monitor_");
    EXPECT_TRUE(recorder.ok()) << recorder.status();
    if (!recorder.ok()) return {};
    absl::SleepFor(duration);
    std::vector<SignalBlock> blocks = (*recorder)->Blocks();
    EXPECT_EQ((*recorder)->dropped_blocks(), 0);
    return blocks;
  }

  std::unique_ptr<PipeWireDaemon> daemon_;
  std::unique_ptr<PipeWireLoop> loop_;
};

TEST_F(PipeWireGraphTest, SnapshotShowsDriversAndNullSinkPorts) {
  absl::StatusOr<std::unique_ptr<OwnedProxy>> sink = CreateNullAudioSink(*loop_, "test_sink");
  ASSERT_TRUE(sink.ok()) << sink.status();

  absl::StatusOr<GraphSnapshot> graph = GraphSnapshot::Take(*loop_);
  ASSERT_TRUE(graph.ok()) << graph.status();
  EXPECT_NE(graph->FindNode("Dummy-Driver"), nullptr) << graph->DebugString();
  EXPECT_NE(graph->FindNode("Freewheel-Driver"), nullptr) << graph->DebugString();
  const GraphNode* node = graph->FindNode("test_sink");
  ASSERT_NE(node, nullptr) << graph->DebugString();
  EXPECT_EQ(node->Property("media.class"), "Audio/Sink");
  EXPECT_EQ(node->Property("monitor.channel-volumes"), "true");
  const uint32_t sink_id = node->id;  // `node` dies with the next snapshot
  EXPECT_EQ(sink_id, (*sink)->bound_id());

  // Ports are registered right after the node; wait for all four.
  ASSERT_TRUE(WaitFor(
      [&] {
        graph = GraphSnapshot::Take(*loop_);
        return graph.ok() && graph->PortsOf(sink_id, PortDirection::kInput).size() == 2 &&
               graph->PortsOf(sink_id, PortDirection::kOutput).size() == 2;
      },
      absl::Seconds(2)))
      << (graph.ok() ? graph->DebugString() : std::string(graph.status().message()));
  const std::vector<GraphPort> inputs = graph->PortsOf(sink_id, PortDirection::kInput);
  const std::vector<GraphPort> outputs = graph->PortsOf(sink_id, PortDirection::kOutput);
  EXPECT_EQ(inputs[0].name, "playback_FL");
  EXPECT_EQ(inputs[0].channel, "FL");
  EXPECT_EQ(inputs[1].name, "playback_FR");
  EXPECT_EQ(outputs[0].name, "monitor_FL");
  EXPECT_EQ(outputs[1].name, "monitor_FR");
  EXPECT_EQ(outputs[1].channel, "FR");
}

TEST_F(PipeWireGraphTest, SineThroughNullSinkHasExpectedRmsAndLinks) {
  absl::StatusOr<std::unique_ptr<OwnedProxy>> sink = CreateNullAudioSink(*loop_, "test_sink");
  ASSERT_TRUE(sink.ok()) << sink.status();

  TonePlayer::Options tone;
  tone.node_name = "test_tone";
  tone.frequency_hz = 440.0;
  tone.amplitude = 0.5;
  tone.node_properties = {{"media.role", "Music"}, {"caraudio.client-id", "support-test"}};
  const auto start_begin = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<TonePlayer>> player = TonePlayer::Start(*loop_, tone);
  ASSERT_TRUE(player.ok()) << player.status();
  Report("tone_start_ms", std::chrono::duration<double, std::milli>(
                              std::chrono::steady_clock::now() - start_begin)
                              .count());
  ASSERT_NE((*player)->node_id(), SPA_ID_INVALID);

  absl::StatusOr<std::unique_ptr<ChannelLinks>> links =
      LinkChannels(*loop_, (*player)->node_id(), "output_", (*sink)->bound_id(), "playback_");
  ASSERT_TRUE(links.ok()) << links.status();
  EXPECT_EQ((*links)->link_ids().size(), 2u);

  absl::StatusOr<std::unique_ptr<SignalRecorder>> recorder =
      SignalRecorder::Start(*loop_, "test_sink", "monitor_");
  ASSERT_TRUE(recorder.ok()) << recorder.status();
  const auto wall_start = std::chrono::steady_clock::now();
  const int64_t frames_at_start = (*player)->frames_played();
  absl::SleepFor(absl::Milliseconds(1200));
  const std::vector<SignalBlock> blocks = (*recorder)->Blocks();
  const double wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const double played_seconds =
      static_cast<double>((*player)->frames_played() - frames_at_start) / TonePlayer::kSampleRate;

  ASSERT_FALSE(blocks.empty());
  EXPECT_EQ((*recorder)->dropped_blocks(), 0);
  // Skip the first 100 ms (links settling), then one second: 440 whole
  // periods, so the RMS is exact.
  const int64_t begin = blocks.front().time_ns + 100 * kMs;
  const int64_t end = begin + 1000 * kMs;
  const std::optional<double> rms = RmsDbfs(blocks, begin, end);
  ASSERT_TRUE(rms.has_value());
  int64_t recorded_frames = 0;
  for (const SignalBlock& block : blocks) recorded_frames += block.frames;

  Report("sine_rms_dbfs", *rms);
  Report("sine_expected_dbfs", kHalfSineDb);
  Report("sine_peak", PeakIn(blocks, begin, end));
  Report("buffer_frames", TypicalBufferFrames(blocks));
  Report("recorded_seconds", static_cast<double>(recorded_frames) / SignalRecorder::kSampleRate);
  Report("played_seconds", played_seconds);
  Report("wall_seconds", wall_seconds);

  EXPECT_NEAR(*rms, kHalfSineDb, 0.5);
  EXPECT_NEAR(PeakIn(blocks, begin, end), 0.5, 0.01);
  // Both streams ask for 128/48000; min-quantum 32 lets that through.
  EXPECT_EQ(TypicalBufferFrames(blocks), 128);
  // The null sink drives in real time.
  EXPECT_NEAR(played_seconds, wall_seconds, 0.1);
  EXPECT_FALSE((*player)->finished());

  absl::StatusOr<GraphSnapshot> graph = GraphSnapshot::Take(*loop_);
  ASSERT_TRUE(graph.ok()) << graph.status();
  EXPECT_TRUE(graph->IsLinked("test_tone", "test_sink")) << graph->DebugString();
  EXPECT_TRUE(graph->IsLinked("test_sink", (*recorder)->options().node_name))
      << graph->DebugString();
  EXPECT_FALSE(graph->IsLinked("test_sink", "test_tone"));
  EXPECT_EQ(graph->LinksBetween("test_tone", "test_sink"), 2);  // FL and FR
  EXPECT_EQ(graph->LinksBetween("test_sink", "test_tone"), 0);
  EXPECT_EQ(graph->LinkedInputNodes((*player)->node_id()), std::set<std::string>{"test_sink"});
  const GraphNode* tone_node = graph->FindNodeById((*player)->node_id());
  ASSERT_NE(tone_node, nullptr);
  EXPECT_EQ(tone_node->name(), "test_tone");
  // Custom properties come from binding the node (the registry lacks them).
  EXPECT_EQ(tone_node->Property("caraudio.client-id"), "support-test");
  EXPECT_EQ(tone_node->Property("media.role"), "Music");
  EXPECT_EQ(tone_node->Property("node.autoconnect"), "false");

  // Dropping the links' handle removes them from the graph.
  links->reset();
  EXPECT_TRUE(WaitFor(
      [&] {
        graph = GraphSnapshot::Take(*loop_);
        return graph.ok() && !graph->IsLinked("test_tone", "test_sink");
      },
      absl::Seconds(2)));
}

TEST_F(PipeWireGraphTest, BeepAndChimePatternsHaveTheirLevels) {
  TonePlayer::Options beep;
  beep.node_name = "test_beep";
  beep.waveform = TonePlayer::Waveform::kBeep;
  beep.amplitude = 0.5;
  const std::vector<SignalBlock> beep_blocks = PlayAndRecord(beep, absl::Milliseconds(1200));
  ASSERT_FALSE(beep_blocks.empty());
  const int64_t begin = beep_blocks.front().time_ns + 100 * kMs;
  // Five whole 200 ms periods: half the time on, so 3.01 dB below the sine.
  const std::optional<double> beep_rms = RmsDbfs(beep_blocks, begin, begin + 1000 * kMs);
  ASSERT_TRUE(beep_rms.has_value());
  const std::vector<EnvelopePoint> envelope = Envelope(beep_blocks, absl::Milliseconds(5));
  int loud = 0;
  int silent = 0;
  for (const EnvelopePoint& point : envelope) {
    if (point.time_ns < begin) continue;
    if (point.db > kHalfSineDb - 1.0) ++loud;
    if (point.db < -60.0) ++silent;
  }
  const std::optional<int64_t> first_gap = FirstTimeBelow(envelope, -60.0, begin);
  Report("beep_rms_dbfs", *beep_rms);
  Report("beep_loud_windows", loud);
  Report("beep_silent_windows", silent);
  Report("beep_max_step_db", MaxStepDb(envelope, {begin, begin + 1000 * kMs}));
  EXPECT_NEAR(*beep_rms, kHalfSineDb - 3.01, 0.5);
  EXPECT_TRUE(first_gap.has_value());
  // About 100 of each in a second of 5 ms windows (boundary windows are mixed).
  EXPECT_GT(loud, 70);
  EXPECT_GT(silent, 70);
  EXPECT_GT(MaxStepDb(envelope, {begin, begin + 1000 * kMs}), 40.0);

  TonePlayer::Options chime;
  chime.node_name = "test_chime";
  chime.waveform = TonePlayer::Waveform::kChime;
  chime.amplitude = 0.5;
  const std::vector<SignalBlock> chime_blocks = PlayAndRecord(chime, absl::Milliseconds(1200));
  ASSERT_FALSE(chime_blocks.empty());
  const int64_t chime_begin = chime_blocks.front().time_ns + 100 * kMs;
  // Two whole 500 ms periods; the 10 ms attack/decay cost 0.24 dB.
  const std::optional<double> chime_rms =
      RmsDbfs(chime_blocks, chime_begin, chime_begin + 1000 * kMs);
  ASSERT_TRUE(chime_rms.has_value());
  Report("chime_rms_dbfs", *chime_rms);
  EXPECT_NEAR(*chime_rms, kHalfSineDb - 0.24, 0.5);
}

TEST_F(PipeWireGraphTest, FailuresAreReportedNotHung) {
  absl::StatusOr<std::unique_ptr<OwnedProxy>> bogus = CreateRemoteObject(
      *loop_, "no-such-factory", PW_TYPE_INTERFACE_Node, PW_VERSION_NODE, {}, absl::Seconds(2));
  ASSERT_FALSE(bogus.ok());
  std::printf("[ measured ] bogus factory: %s\n", bogus.status().ToString().c_str());

  absl::StatusOr<std::unique_ptr<ChannelLinks>> links = LinkChannelsByName(
      *loop_, "no_such_node", "output_", "Dummy-Driver", "playback_", {"FL", "FR"},
      absl::Milliseconds(200));
  EXPECT_EQ(links.status().code(), absl::StatusCode::kNotFound) << links.status();

  SignalRecorder::Options recording;
  recording.source_node_name = "no_such_sink";
  recording.setup_timeout = absl::Milliseconds(300);
  absl::StatusOr<std::unique_ptr<SignalRecorder>> recorder =
      SignalRecorder::Start(*loop_, recording);
  EXPECT_EQ(recorder.status().code(), absl::StatusCode::kNotFound) << recorder.status();

  TonePlayer::Options tone;
  tone.amplitude = 1.5;
  EXPECT_EQ(TonePlayer::Start(*loop_, tone).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseToneWaveform("chime").value(), TonePlayer::Waveform::kChime);
  EXPECT_FALSE(ParseToneWaveform("gong").ok());

  // A disconnected loop is refused at once.
  loop_->Disconnect();
  EXPECT_EQ(TonePlayer::Start(*loop_, TonePlayer::Options{}).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(GraphSnapshot::Take(*loop_).status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(PipeWireGraphTest, DurationEndsTheSignal) {
  TonePlayer::Options tone;
  tone.node_name = "test_short_tone";
  tone.duration = absl::Milliseconds(250);
  absl::StatusOr<std::unique_ptr<TonePlayer>> player = TonePlayer::Start(*loop_, tone);
  ASSERT_TRUE(player.ok()) << player.status();
  // Unlinked, it still runs (on the Dummy driver), so it finishes.
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(WaitFor([&] { return (*player)->finished(); }, absl::Seconds(3)))
      << "frames played: " << (*player)->frames_played();
  Report("short_tone_finished_after_ms",
         std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  EXPECT_EQ((*player)->frames_played(), 12000);
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ((*player)->frames_played(), 12000);
}

TEST_F(PipeWireGraphTest, SetGainLowersPausesAndRestoresTheTone) {
  absl::StatusOr<std::unique_ptr<OwnedProxy>> sink = CreateNullAudioSink(*loop_, "test_sink");
  ASSERT_TRUE(sink.ok()) << sink.status();
  TonePlayer::Options tone;
  tone.node_name = "test_gain_tone";
  tone.amplitude = 0.5;
  tone.gain = 0.0;  // starts silent, as audiofocus-sim's apps do
  absl::StatusOr<std::unique_ptr<TonePlayer>> player = TonePlayer::Start(*loop_, tone);
  ASSERT_TRUE(player.ok()) << player.status();
  absl::StatusOr<std::unique_ptr<ChannelLinks>> links =
      LinkChannels(*loop_, (*player)->node_id(), "output_", (*sink)->bound_id(), "playback_");
  ASSERT_TRUE(links.ok()) << links.status();
  absl::StatusOr<std::unique_ptr<SignalRecorder>> recorder =
      SignalRecorder::Start(*loop_, "test_sink", "monitor_");
  ASSERT_TRUE(recorder.ok()) << recorder.status();

  // 300 ms per gain, measured over the last 200 ms of each as the median of
  // 20 ms windows (9 periods of 440 Hz), so a cycle lost to a busy machine
  // in one window does not move the figure.
  auto level_after = [&](double gain) {
    (*player)->set_gain(gain);
    const int64_t start = std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::steady_clock::now().time_since_epoch())
                              .count();
    absl::SleepFor(absl::Milliseconds(300));
    std::vector<double> levels;
    for (const EnvelopePoint& point : Envelope((*recorder)->Blocks(), absl::Milliseconds(20))) {
      if (point.time_ns >= start + 100 * kMs && point.time_ns < start + 300 * kMs) {
        levels.push_back(point.db);
      }
    }
    if (levels.empty()) return kSilenceDb;
    std::nth_element(levels.begin(), levels.begin() + levels.size() / 2, levels.end());
    return levels[levels.size() / 2];
  };
  const double silent = level_after(0.0);
  const double full = level_after(1.0);
  const double ducked = level_after(0.35);
  const double paused = level_after(0.0);
  const double restored = level_after(2.0);  // clamped to 1
  EXPECT_LT(silent, -120.0);
  EXPECT_NEAR(full, -9.03, 0.3);
  EXPECT_NEAR(ducked - full, 20.0 * std::log10(0.35), 0.3);  // -9.1 dB
  EXPECT_LT(paused, -120.0);
  EXPECT_NEAR(restored, full, 0.3);
  EXPECT_EQ((*player)->gain(), 1.0);
  EXPECT_EQ(TonePlayer::Start(*loop_, [] {
              TonePlayer::Options bad;
              bad.gain = 1.5;
              return bad;
            }()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(PipeWireGraphTest, KillAndRestartTheDaemon) {
  // A player whose connection dies under it must stay safe to destroy.
  TonePlayer::Options tone;
  tone.node_name = "test_orphan_tone";
  absl::StatusOr<std::unique_ptr<TonePlayer>> orphan = TonePlayer::Start(*loop_, tone);
  ASSERT_TRUE(orphan.ok()) << orphan.status();
  // Round trips on the first connection leave high sync sequence numbers
  // behind; the reconnected loop must not mistake them for its own.
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(loop_->Sync(absl::Seconds(1)).ok());
  ASSERT_TRUE(GraphSnapshot::Take(*loop_).ok());

  const pid_t first_pid = daemon_->pid();
  ASSERT_GT(first_pid, 0);
  const absl::Status killed = daemon_->Kill();
  ASSERT_TRUE(killed.ok()) << killed;
  EXPECT_EQ(daemon_->pid(), -1);
  // Reaped, not a zombie: the PID is gone.
  EXPECT_EQ(::kill(first_pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
  ASSERT_TRUE(WaitFor([&] { return !IsConnected(*loop_); }, absl::Seconds(2)))
      << "the loop did not notice the daemon's death";

  const auto restart_start = std::chrono::steady_clock::now();
  const absl::Status restarted = daemon_->Restart();
  ASSERT_TRUE(restarted.ok()) << restarted;
  Report("restart_ms", std::chrono::duration<double, std::milli>(
                           std::chrono::steady_clock::now() - restart_start)
                           .count());
  EXPECT_GT(daemon_->pid(), 0);
  EXPECT_NE(daemon_->pid(), first_pid);

  // The same loop reconnects, and its round trips are real round trips
  // again (the snapshot depends on it).
  const absl::Status reconnected = loop_->Connect([] {});
  ASSERT_TRUE(reconnected.ok()) << reconnected;
  const absl::Status synced = loop_->Sync(absl::Seconds(1));
  ASSERT_TRUE(synced.ok()) << synced;
  absl::StatusOr<GraphSnapshot> graph = GraphSnapshot::Take(*loop_);
  ASSERT_TRUE(graph.ok()) << graph.status();
  EXPECT_NE(graph->FindNode("Dummy-Driver"), nullptr) << graph->DebugString();
  EXPECT_EQ(graph->FindNode("test_orphan_tone"), nullptr) << graph->DebugString();

  // New objects work on the new connection.
  tone.node_name = "test_fresh_tone";
  absl::StatusOr<std::unique_ptr<TonePlayer>> fresh = TonePlayer::Start(*loop_, tone);
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_TRUE(WaitFor([&] { return (*fresh)->frames_played() > 0; }, absl::Seconds(2)));

  // And so does a brand-new client.
  absl::StatusOr<std::unique_ptr<PipeWireLoop>> other = PipeWireLoop::Create("support-test-2");
  ASSERT_TRUE(other.ok()) << other.status();
  const absl::Status other_connected = (*other)->Connect([] {});
  ASSERT_TRUE(other_connected.ok()) << other_connected;
  EXPECT_TRUE((*other)->Sync(absl::Seconds(1)).ok());

  orphan->reset();  // its stream went with the old connection
}

// ---------------------------------------------------------------------------
// Analysis on synthetic data (no PipeWire).

// 1 ms blocks (48 frames, both channels at the same level) over
// [0, total_ms), level given in dB by `level_db(t_ms)` at each block's
// middle.
std::vector<SignalBlock> SyntheticBlocks(const std::function<double(double)>& level_db,
                                         int total_ms) {
  std::vector<SignalBlock> blocks;
  for (int ms = 0; ms < total_ms; ++ms) {
    const double db = level_db(ms + 0.5);
    const float rms = db <= kSilenceDb ? 0.0f : static_cast<float>(std::pow(10.0, db / 20.0));
    SignalBlock block;
    block.callback_time_ns = ms * kMs;
    block.time_ns = ms * kMs;
    block.frames = 48;
    block.rms_left = rms;
    block.rms_right = rms;
    block.peak = rms * static_cast<float>(std::sqrt(2.0));
    blocks.push_back(block);
  }
  return blocks;
}

// 0 dB until `start_ms`, then linear in dB to `to_db` over `ramp_ms`, then flat.
std::function<double(double)> LinearDbRamp(double start_ms, double ramp_ms, double from_db,
                                           double to_db) {
  return [=](double t) {
    if (t < start_ms) return from_db;
    if (t >= start_ms + ramp_ms) return to_db;
    return from_db + (to_db - from_db) * (t - start_ms) / ramp_ms;
  };
}

TEST(SignalAnalysisTest, AmplitudeToDb) {
  EXPECT_NEAR(AmplitudeToDb(1.0), 0.0, 1e-9);
  EXPECT_NEAR(AmplitudeToDb(0.5 / std::sqrt(2.0)), -9.031, 0.001);
  EXPECT_EQ(AmplitudeToDb(0.0), kSilenceDb);
}

TEST(SignalAnalysisTest, RmsDbfsWeightsBlocksAndHonoursTheRange) {
  // 100 ms at -9.03 dB, then 100 ms of silence.
  const std::vector<SignalBlock> blocks =
      SyntheticBlocks([](double t) { return t < 100 ? -9.031 : kSilenceDb; }, 200);
  EXPECT_NEAR(*RmsDbfs(blocks, 0, 100 * kMs), -9.031, 0.001);
  EXPECT_NEAR(*RmsDbfs(blocks, 0, 200 * kMs), -9.031 - 3.010, 0.001);  // half the power
  EXPECT_EQ(*RmsDbfs(blocks, 100 * kMs, 200 * kMs), kSilenceDb);
  EXPECT_FALSE(RmsDbfs(blocks, 300 * kMs, 400 * kMs).has_value());
}

TEST(SignalAnalysisTest, EnvelopeHasOnePointPerWindow) {
  const std::vector<SignalBlock> blocks = SyntheticBlocks([](double) { return -6.0; }, 100);
  const std::vector<EnvelopePoint> envelope = Envelope(blocks, absl::Milliseconds(5));
  ASSERT_EQ(envelope.size(), 20u);
  EXPECT_EQ(envelope[0].time_ns, 2500000);  // window centre
  EXPECT_EQ(envelope[19].time_ns, 97500000);
  for (const EnvelopePoint& point : envelope) EXPECT_NEAR(point.db, -6.0, 1e-4);
}

TEST(SignalAnalysisTest, LinearDbRampOf100MsMeasures80Ms) {
  const std::vector<EnvelopePoint> envelope = Envelope(
      SyntheticBlocks(LinearDbRamp(100, 100, 0.0, -10.0), 400), absl::Milliseconds(5));
  const std::optional<absl::Duration> ramp = RampDuration(envelope, 0.0, -10.0);
  ASSERT_TRUE(ramp.has_value());
  Report("synthetic_ramp_10_90_ms", absl::ToDoubleMilliseconds(*ramp));
  EXPECT_NEAR(absl::ToDoubleMilliseconds(*ramp), 80.0, 2.0);
  EXPECT_NEAR(absl::ToDoubleMilliseconds(*ramp) / 0.8, 100.0, 2.5);
  // Half-way (-5 dB) at 150 ms; the first window whose level is below it
  // is centred at 152.5 ms.
  const std::optional<int64_t> below = FirstTimeBelow(envelope, -5.0);
  ASSERT_TRUE(below.has_value());
  EXPECT_NEAR(static_cast<double>(*below) / kMs, 152.5, 0.01);
  // 10 dB over 100 ms in 5 ms windows: 0.5 dB per step.
  EXPECT_NEAR(MaxStepDb(envelope), 0.5, 0.05);
}

TEST(SignalAnalysisTest, RisingRampAndStartTime) {
  // Duck at 50 ms (hard), restore with a 200 ms ramp from 300 ms.
  auto level = [](double t) {
    if (t < 50) return 0.0;
    if (t < 300) return -20.0;
    if (t < 500) return -20.0 + 20.0 * (t - 300) / 200;
    return 0.0;
  };
  const std::vector<EnvelopePoint> envelope =
      Envelope(SyntheticBlocks(level, 700), absl::Milliseconds(5));
  // The restore only: start looking after the duck.
  const std::optional<absl::Duration> restore = RampDuration(envelope, -20.0, 0.0, 100 * kMs);
  ASSERT_TRUE(restore.has_value());
  EXPECT_NEAR(absl::ToDoubleMilliseconds(*restore), 160.0, 2.0);
  // The duck is a hard step: about one window, and a 20 dB jump.
  const std::optional<absl::Duration> duck = RampDuration(envelope, 0.0, -20.0);
  ASSERT_TRUE(duck.has_value());
  EXPECT_LE(absl::ToDoubleMilliseconds(*duck), 5.0);
  EXPECT_NEAR(MaxStepDb(envelope, {0, 100 * kMs}), 20.0, 0.01);
  EXPECT_LT(MaxStepDb(envelope, {100 * kMs, 700 * kMs}), 0.6);
}

TEST(SignalAnalysisTest, RampDurationNeedsBothCrossings) {
  const std::vector<EnvelopePoint> envelope = Envelope(
      SyntheticBlocks(LinearDbRamp(100, 100, 0.0, -10.0), 400), absl::Milliseconds(5));
  // Never reaches -20 dB's 90 % level.
  EXPECT_FALSE(RampDuration(envelope, 0.0, -20.0).has_value());
  // Already past the 10 % level where the search starts.
  EXPECT_FALSE(RampDuration(envelope, 0.0, -10.0, 250 * kMs).has_value());
  EXPECT_FALSE(RampDuration(envelope, -3.0, -3.0).has_value());
  EXPECT_FALSE(FirstTimeBelow(envelope, -11.0).has_value());
  EXPECT_EQ(MaxStepDb({}), 0.0);
}

}  // namespace
}  // namespace caraudio::testing
