// What audiocontrold costs a head unit at rest: the real binary with the
// default three-zone car and the PipeWire backend, on a private PipeWire
// daemon, started by PID:
//
//   startup   from spawning the process until CarAudioAdmin.Ping answers on
//             its socket (config parsed, HAL up, bridge device nodes created
//             in PipeWire, car service registered), polled every 1 ms;
//             the median of 7 starts.
//   idle RSS  VmRSS from /proc/PID/status 2 s after ready, with no client.
//
// Prints RESULT startup_ms <median> (goal <= 200), RESULT idle_rss_mb
// <VmRSS> (goal <= 20), and, to show what that RSS is made of, RESULT
// idle_anon_mb (the daemon's own memory) and RESULT idle_pss_mb (its fair
// share of the shared library pages).

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/percentile.h"
#include "benchmark/benchmark.h"
#include "caraudio/v1/admin.grpc.pb.h"
#include "tests/integration/daemon_process.h"
#include "tests/pipewire/pipewire_daemon.h"

namespace caraudio {
namespace {

constexpr int kStarts = 7;

using Clock = std::chrono::steady_clock;

// Every "Key:  N kB" field of /proc/PID/`file`, in MiB by key.
std::map<std::string, double> ProcMegabytes(pid_t pid, const std::string& file) {
  std::ifstream fields("/proc/" + std::to_string(pid) + "/" + file);
  std::map<std::string, double> megabytes;
  std::string line;
  while (std::getline(fields, line)) {
    std::istringstream parts(line);
    std::string name, unit;
    double kilobytes = 0;
    if (parts >> name >> kilobytes >> unit && unit == "kB" && name.ends_with(':')) {
      megabytes[name.substr(0, name.size() - 1)] = kilobytes / 1024.0;
    }
  }
  return megabytes;
}

struct Footprint {
  double rss = 0;        // VmRSS: every resident page, shared libraries included
  double anonymous = 0;  // RssAnon: the daemon's own heap, stacks and data
  double file = 0;       // RssFile: mapped library and binary pages
  double pss = 0;        // Pss: shared pages divided among their users
};

std::optional<Footprint> MeasureFootprint(pid_t pid) {
  const std::map<std::string, double> status = ProcMegabytes(pid, "status");
  const std::map<std::string, double> rollup = ProcMegabytes(pid, "smaps_rollup");
  const auto rss = status.find("VmRSS"), anonymous = status.find("RssAnon"),
             file = status.find("RssFile"), pss = rollup.find("Pss");
  if (rss == status.end() || anonymous == status.end() || file == status.end() ||
      pss == rollup.end()) {
    return std::nullopt;
  }
  return Footprint{rss->second, anonymous->second, file->second, pss->second};
}

struct Start {
  double millis = 0;
  std::unique_ptr<testing::DaemonProcess> daemon;
};

// Spawns the daemon and polls Ping every millisecond until it answers.
absl::StatusOr<Start> StartAndTime(int index) {
  testing::DaemonOptions options;
  options.name = "audiocontrold-footprint-" + std::to_string(index);
  options.audio = "pipewire";
  options.die_with_parent = true;
  const Clock::time_point begin = Clock::now();
  absl::StatusOr<std::unique_ptr<testing::DaemonProcess>> daemon =
      testing::DaemonProcess::Spawn(std::move(options));
  if (!daemon.ok()) return daemon.status();
  const Clock::time_point give_up = begin + std::chrono::seconds(10);
  while (Clock::now() < give_up) {
    // A fresh connection per attempt: a channel that failed to connect
    // before the socket existed would wait out its reconnect backoff.
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    std::unique_ptr<v1::CarAudioAdmin::Stub> admin = v1::CarAudioAdmin::NewStub(
        grpc::CreateCustomChannel((*daemon)->address(), grpc::InsecureChannelCredentials(),
                                  arguments));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(50));
    v1::PingResponse response;
    if (admin->Ping(&context, v1::PingRequest(), &response).ok()) {
      return Start{std::chrono::duration<double, std::milli>(Clock::now() - begin).count(),
                   std::move(*daemon)};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return absl::DeadlineExceededError("audiocontrold did not answer within 10 s\n" +
                                     (*daemon)->FormatLog());
}

}  // namespace
}  // namespace caraudio

int main(int argc, char** argv) {
  using namespace caraudio;
  if (std::optional<int> code = testing::RunHarnessChildIfRequested(argc, argv)) return *code;
  // Before any thread: PipeWireDaemon::Start sets XDG_RUNTIME_DIR for the
  // daemons this process spawns.
  absl::StatusOr<std::unique_ptr<testing::PipeWireDaemon>> pipewire =
      testing::PipeWireDaemon::Start();
  if (!pipewire.ok()) {
    std::fprintf(stderr, "cannot start PipeWire: %s\n", pipewire.status().ToString().c_str());
    return 1;
  }
  benchmark::Initialize(&argc, argv);

  std::vector<double> startups;
  std::optional<Footprint> idle;
  std::string error;
  benchmark::RegisterBenchmark("Startup and idle RSS", [&](benchmark::State& state) {
    for (auto _ : state) {
      for (int i = 0; i < kStarts; ++i) {
        absl::StatusOr<Start> started = StartAndTime(i);
        if (!started.ok()) {
          error = started.status().ToString();
          state.SkipWithError(error.c_str());
          return;
        }
        startups.push_back(started->millis);
        if (i == kStarts - 1) {
          std::this_thread::sleep_for(std::chrono::seconds(2));
          idle = MeasureFootprint(started->daemon->pid());
        }
      }  // each daemon stopped by PID here
    }
  })->Iterations(1)->Unit(benchmark::kMillisecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  if (startups.size() != kStarts || !idle) {
    std::fprintf(stderr, "daemon_footprint_bench failed: %s\n", error.c_str());
    return 1;
  }
  std::printf("\nstartup to first answered Ping, %d starts: min %.1f median %.1f max %.1f ms\n",
              kStarts, Percentile(startups, 0), Percentile(startups, 0.5), Percentile(startups, 1));
  std::printf("idle, 2 s after ready: VmRSS %.1f MiB = %.1f MiB anonymous + %.1f MiB mapped "
              "files (shared libraries); PSS %.1f MiB\n",
              idle->rss, idle->anonymous, idle->file, idle->pss);
  std::printf("RESULT startup_ms %.1f\n", Percentile(startups, 0.5));
  std::printf("RESULT idle_rss_mb %.1f\n", idle->rss);
  std::printf("RESULT idle_anon_mb %.1f\n", idle->anonymous);
  std::printf("RESULT idle_pss_mb %.1f\n", idle->pss);
  return 0;
}
