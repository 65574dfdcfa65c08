// How fast a duck takes effect, on a private PipeWire daemon. The HAL
// (AudioControlHal with the PipeWire backend and bridge) serves AudioControl
// in this process on a unix socket; the benchmark is its gRPC client.
//
//   duck apply     OnDevicesToDuckChange (duck, then unduck, alternating) on
//                  bus0_media_out, from the call until the device filter's
//                  real-time callback picked up the new target (the cycle
//                  timestamp it reports). 500 calls after 50 warm-up ones,
//                  each after a random 0-3 ms pause so calls fall at random
//                  points of the 2.67 ms cycle.
//   duck audible   with a 1 kHz tone playing into bus0_media_out and its
//                  output recorded: from the duck call until the recorded
//                  level is within 0.5 dB of the full duck (-10 dB), 8 times.
//                  Goal: one quantum plus the attack ramp; the ramp reaches
//                  -9.5 dB after 95 % of the attack, so the expected value is
//                  quantum + 0.95 x attack (+ half a 5 ms envelope window).
//   safety mute    with the same tone playing, HalFocus.PlaySound(SAFETY,
//   audible        zone 0) starts a vehicle chime on bus4_safety_out, and the
//                  HAL mutes the zone's other devices on its own: from the
//                  call until the recorded media level is 40 dB down, 8 times.
//                  Goal: one quantum plus the mute ramp (a linear 1 -> 0 gain
//                  swing reaches -40 dB after 99 % of it). Dated with 2 ms
//                  envelope windows (at most 1 ms late; see kMuteWindow).
//
// Prints RESULT duck_apply_p99_ms (goal <= 5), RESULT duck_audible_ms and
// RESULT safety_mute_audible_ms (medians), each audible figure with its
// RESULT ..._goal_ms for comparison.

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/percentile.h"
#include "benchmark/benchmark.h"
#include "caraudio/v1/audio_control.grpc.pb.h"
#include "caraudio/v1/hal_focus.grpc.pb.h"
#include "carservice/access_policy.h"
#include "carservice/caller_access.h"
#include "carservice/daemon_listeners.h"
#include "carservice/peer_credentials.h"
#include "hal/audio_control_hal.h"
#include "hal/pipewire_audio_backend.h"
#include "pipewire-bridge/graph_snapshot.h"
#include "pipewire-bridge/pipewire_bridge.h"
#include "pipewire-bridge/tone_player.h"
#include "tests/integration/daemon_process.h"
#include "tests/pipewire/pipewire_daemon.h"
#include "tests/pipewire/signal_analysis.h"
#include "tests/pipewire/signal_recorder.h"
#include "zones/car_audio_config_parser.h"

namespace caraudio {
namespace {

using testing::Envelope;
using testing::EnvelopePoint;
using testing::FirstTimeBelow;

constexpr int32_t kZone = 0;
constexpr char kAddress[] = "bus0_media_out";
constexpr int kApplyWarmUp = 50;
// Envelope windows of the audible probes. The duck's end is judged within
// 0.5 dB, so its windows hold whole periods of the 1 kHz tone with room for
// callback jitter (5 ms); the mute's -40 dB crossing is steep (the linear
// gain ramp goes from -34 to -40 dB in its last 1 %) and ripple of a dB or
// two moves it by microseconds, so 2 ms windows (2 periods, 3 recorder
// blocks) date it within 1 ms instead of 2.5.
constexpr absl::Duration kDuckWindow = absl::Milliseconds(5);
constexpr absl::Duration kMuteWindow = absl::Milliseconds(2);
constexpr int kApplyCalls = 500;
constexpr int kAudibleRuns = 8;

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Rig {
  std::unique_ptr<testing::PipeWireDaemon> pipewire;
  std::unique_ptr<PipeWireBridge> bridge;
  std::unique_ptr<PipeWireAudioBackend> backend;
  PeerCredentialsRegistry peers;
  CallerAccess access{AccessPolicy(::getuid(), {}), &peers};
  std::unique_ptr<AudioControlHal> hal;
  std::optional<DaemonListeners> listeners;  // as audiocontrold accepts: the caller's uid is known
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<v1::AudioControl::Stub> stub;
  std::unique_ptr<v1::HalFocus::Stub> hal_focus;
  std::unique_ptr<PipeWireLoop> loop;  // the benchmark's own client (tone, recorder)
  std::optional<testing::TempDir> dir;
  std::string error;
  bool ducked = false;

  ~Rig() {
    if (hal) hal->Shutdown();
    if (listeners) listeners->Stop();
    if (server) server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  }

  // Sends one duck or unduck of kAddress; the bridge generation it becomes.
  bool Duck(bool duck) {
    v1::OnDevicesToDuckChangeRequest request;
    v1::DuckingInfo* info = request.add_ducking_infos();
    info->set_zone_id(kZone);
    (duck ? info->add_device_addresses_to_duck() : info->add_device_addresses_to_unduck())
        ->assign(kAddress);
    grpc::ClientContext context;
    v1::OnDevicesToDuckChangeResponse response;
    const grpc::Status status = stub->OnDevicesToDuckChange(&context, request, &response);
    if (!status.ok()) error = "OnDevicesToDuckChange: " + status.error_message();
    ducked = duck;
    return status.ok();
  }
};

absl::Status Build(Rig& rig) {
  absl::StatusOr<std::unique_ptr<testing::PipeWireDaemon>> pipewire =
      testing::PipeWireDaemon::Start();
  if (!pipewire.ok()) return pipewire.status();
  rig.pipewire = std::move(*pipewire);
  absl::StatusOr<CarAudioConfig> config = LoadDefaultCarAudioConfig();
  if (!config.ok()) return config.status();
  absl::StatusOr<std::unique_ptr<PipeWireBridge>> bridge =
      PipeWireBridge::Start(*config, BridgeOptions());
  if (!bridge.ok()) return bridge.status();
  rig.bridge = std::move(*bridge);
  rig.backend = std::make_unique<PipeWireAudioBackend>(rig.bridge.get());
  rig.hal = std::make_unique<AudioControlHal>(*config, rig.backend.get(), &rig.access);
  absl::StatusOr<testing::TempDir> dir = testing::TempDir::Create("caraudio-duck-bench");
  if (!dir.ok()) return dir.status();
  rig.dir.emplace(std::move(*dir));
  const std::string address = "unix:" + rig.dir->path() + "/hal.sock";
  absl::StatusOr<DaemonListeners> listeners =
      DaemonListeners::Open({address}, std::nullopt, std::nullopt, &rig.peers);
  if (!listeners.ok()) return listeners.status();
  rig.listeners.emplace(std::move(*listeners));
  grpc::ServerBuilder builder;
  builder.RegisterService(rig.hal->audio_control_service());
  builder.RegisterService(rig.hal->hal_focus_service());
  rig.server = builder.BuildAndStart();
  if (!rig.server) return absl::InternalError("cannot serve on " + address);
  rig.listeners->Serve(rig.server.get());
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  rig.stub = v1::AudioControl::NewStub(channel);
  rig.hal_focus = v1::HalFocus::NewStub(channel);

  absl::StatusOr<std::unique_ptr<PipeWireLoop>> loop = PipeWireLoop::Create("duck-bench");
  if (!loop.ok()) return loop.status();
  rig.loop = std::move(*loop);
  if (absl::Status status = rig.loop->Connect([] {}); !status.ok()) return status;
  const bool ready = WaitFor(
      [&rig] {
        std::optional<DeviceStatus> device = rig.bridge->Device(kZone, kAddress);
        return device && device->node_present && device->report.cycles > 0;
      },
      absl::Seconds(5));
  if (!ready) return absl::DeadlineExceededError("the device filter never ran");
  return absl::OkStatus();
}

std::vector<double> MeasureApply(Rig& rig, int calls) {
  std::vector<double> millis;
  std::minstd_rand random(42);
  std::uniform_int_distribution<int> phase_us(0, 3000);
  for (int i = 0; i < calls; ++i) {
    // Calls right after a detected cycle would all land one quantum before
    // the next one; a random pause spreads them over the cycle like real
    // traffic.
    absl::SleepFor(absl::Microseconds(phase_us(random)));
    const uint64_t before = rig.bridge->Device(kZone, kAddress)->report.applied_generation;
    const int64_t start = NowNanos();
    if (!rig.Duck(!rig.ducked)) return {};
    // The HAL posts to its executor and returns; wait for the filter.
    DeviceGainReport report;
    const absl::Time deadline = absl::Now() + absl::Seconds(1);
    do {
      report = rig.bridge->Device(kZone, kAddress)->report;
      if (report.applied_generation > before) break;
      absl::SleepFor(absl::Microseconds(50));
    } while (absl::Now() < deadline);
    if (report.applied_generation <= before) {
      rig.error = "a duck was not applied within 1 s";
      return {};
    }
    millis.push_back((report.applied_at_ns - start) / 1e6);
  }
  return millis;
}

}  // namespace
}  // namespace caraudio

int main(int argc, char** argv) {
  using namespace caraudio;
  if (std::optional<int> code = testing::RunHarnessChildIfRequested(argc, argv)) return *code;
  benchmark::Initialize(&argc, argv);

  Rig rig;
  if (absl::Status status = Build(rig); !status.ok()) {
    std::fprintf(stderr, "duck_bench: %s\n", status.ToString().c_str());
    return 1;
  }

  std::vector<double> apply;
  std::vector<double> audible;
  benchmark::RegisterBenchmark("DuckApply", [&](benchmark::State& state) {
    for (auto _ : state) {
      if (MeasureApply(rig, kApplyWarmUp).empty()) {
        state.SkipWithError(rig.error.c_str());
        return;
      }
      apply = MeasureApply(rig, kApplyCalls);
      if (apply.empty()) state.SkipWithError(rig.error.c_str());
    }
  })->Iterations(1)->Unit(benchmark::kMillisecond);

  // The media tone on bus0_media_out and the recording of that device, for
  // the audible probes; started once.
  std::unique_ptr<TonePlayer> music;
  std::unique_ptr<testing::SignalRecorder> recorder;
  auto start_music = [&]() -> absl::Status {
    if (recorder) return absl::OkStatus();
    TonePlayer::Options tone;
    tone.node_name = "bench-music";
    tone.node_properties = {{"caraudio.usage", "media"}, {"caraudio.zone-id", "0"}};
    tone.frequency_hz = 1000;
    absl::StatusOr<std::unique_ptr<TonePlayer>> player = TonePlayer::Start(*rig.loop, tone);
    if (!player.ok()) return player.status();
    music = std::move(*player);
    testing::SignalRecorder::Options recording;
    recording.source_node_name = kAddress;
    recording.port_prefix = "output_";
    absl::StatusOr<std::unique_ptr<testing::SignalRecorder>> started =
        testing::SignalRecorder::Start(*rig.loop, recording);
    if (!started.ok()) return started.status();
    recorder = std::move(*started);
    absl::SleepFor(absl::Milliseconds(1500));  // routed, and any release finished
    return absl::OkStatus();
  };
  // Each audible probe starts unducked with the tone playing; false (with
  // the error set on `state`) when that cannot be had.
  auto ready_to_listen = [&](benchmark::State& state) {
    if (rig.ducked && !rig.Duck(false)) {
      state.SkipWithError(rig.error.c_str());
      return false;
    }
    if (absl::Status status = start_music(); !status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      return false;
    }
    return true;
  };
  // From `start` until the recorded level is `drop_db` below its level in the
  // 300 ms before; waits 300 ms first. Milliseconds, or nullopt. The level
  // before is the median of its `window`s, so a lost cycle on a loaded
  // machine (a window of silence) does not lower it. A falling level passes
  // the threshold about when a window's start does, and a window is dated
  // by its centre, so the figure is late by up to half a window.
  auto time_to_drop = [&](int64_t start, double drop_db,
                          absl::Duration window) -> std::optional<double> {
    absl::SleepFor(absl::Milliseconds(300));
    const std::vector<EnvelopePoint> envelope = Envelope(recorder->Blocks(), window);
    std::vector<double> before;
    for (const EnvelopePoint& point : envelope) {
      if (point.time_ns >= start - 300'000'000 && point.time_ns < start) before.push_back(point.db);
    }
    if (before.empty()) return std::nullopt;
    const std::optional<int64_t> reached =
        FirstTimeBelow(envelope, Percentile(before, 0.5) - drop_db, start);
    if (!reached) return std::nullopt;
    return (*reached - start) / 1e6;
  };

  benchmark::RegisterBenchmark("DuckAudible", [&](benchmark::State& state) {
    for (auto _ : state) {
      if (!ready_to_listen(state)) return;
      for (int run = 0; run < kAudibleRuns; ++run) {
        const int64_t start = NowNanos();
        if (!rig.Duck(true)) break;
        const std::optional<double> millis = time_to_drop(start, 9.5, kDuckWindow);
        if (!millis) {
          state.SkipWithError("the duck never reached -9.5 dB in the recording");
          return;
        }
        audible.push_back(*millis);
        if (!rig.Duck(false)) break;
        absl::SleepFor(absl::Milliseconds(1300));  // the 1 s release
      }
      if (!rig.error.empty()) state.SkipWithError(rig.error.c_str());
    }
  })->Iterations(1)->Unit(benchmark::kMillisecond);

  std::vector<double> safety_mute;
  benchmark::RegisterBenchmark("SafetyMuteAudible", [&](benchmark::State& state) {
    for (auto _ : state) {
      if (!ready_to_listen(state)) return;
      for (int run = 0; run < kAudibleRuns; ++run) {
        v1::PlaySoundRequest chime;
        chime.set_usage(v1::USAGE_SAFETY);
        chime.set_zone_id(kZone);
        chime.set_duration_ms(400);
        chime.set_source_name("bench-chime");
        grpc::ClientContext context;
        const int64_t start = NowNanos();
        std::unique_ptr<grpc::ClientReader<v1::HalFocusStatus>> sound =
            rig.hal_focus->PlaySound(&context, chime);
        const std::optional<double> millis = time_to_drop(start, 40.0, kMuteWindow);
        v1::HalFocusStatus status;
        while (sound->Read(&status)) {  // to the sound's end (400 ms)
        }
        if (const grpc::Status end = sound->Finish(); !end.ok()) {
          state.SkipWithError(("PlaySound: " + end.error_message()).c_str());
          return;
        }
        if (!millis) {
          state.SkipWithError("media never fell 40 dB under the safety chime");
          return;
        }
        safety_mute.push_back(*millis);
        absl::SleepFor(absl::Milliseconds(500));  // unmuted again
      }
    }
  })->Iterations(1)->Unit(benchmark::kMillisecond);

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (apply.size() != static_cast<size_t>(kApplyCalls) ||
      audible.size() != static_cast<size_t>(kAudibleRuns) ||
      safety_mute.size() != static_cast<size_t>(kAudibleRuns)) {
    std::fprintf(stderr, "duck_bench failed: %s\n", rig.error.c_str());
    return 1;
  }
  const double quantum_ms = 128 * 1000.0 / 48000;
  const double attack_ms = absl::ToDoubleMilliseconds(RampOptions().duck_attack);
  std::printf("\nduck apply (HAL call -> filter cycle), %zu calls: p50 %.3f p90 %.3f p99 %.3f "
              "max %.3f ms\n",
              apply.size(), Percentile(apply, 0.5), Percentile(apply, 0.9),
              Percentile(apply, 0.99), Percentile(apply, 1.0));
  std::printf("duck audible (HAL call -> recorded level at -9.5 dB), %zu runs: min %.1f "
              "median %.1f max %.1f ms; quantum %.2f ms + attack %.0f ms\n",
              audible.size(), Percentile(audible, 0), Percentile(audible, 0.5),
              Percentile(audible, 1.0), quantum_ms, attack_ms);
  const double mute_ms = absl::ToDoubleMilliseconds(RampOptions().mute);
  std::printf("safety mute audible (PlaySound -> recorded media 40 dB down), %zu runs: min %.1f "
              "median %.1f max %.1f ms; quantum %.2f ms + mute ramp %.0f ms\n",
              safety_mute.size(), Percentile(safety_mute, 0), Percentile(safety_mute, 0.5),
              Percentile(safety_mute, 1.0), quantum_ms, mute_ms);
  std::printf("RESULT duck_apply_p99_ms %.3f\n", Percentile(apply, 0.99));
  std::printf("RESULT duck_audible_ms %.1f\n", Percentile(audible, 0.5));
  std::printf("RESULT duck_audible_goal_ms %.1f\n", quantum_ms + attack_ms);
  std::printf("RESULT safety_mute_audible_ms %.1f\n", Percentile(safety_mute, 0.5));
  std::printf("RESULT safety_mute_audible_goal_ms %.1f\n", quantum_ms + mute_ms);
  return 0;
}
