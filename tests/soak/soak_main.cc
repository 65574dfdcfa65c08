// caraudio-soak: a bounded soak of the real audiocontrold.
//
//   caraudio-soak [--duration=2m] [--warmup=DURATION] [--clients=200]
//                 [--zones=3] [--threads=4] [--think_ms=400]
//                 [--max_rss_growth_pct=10] [--daemon=PATH] [--seed=N]
//                 [--fresh_client_ids=true] [--chimes=true]
//
// Starts audiocontrold (--role=all, memory audio) on a socket in a temp dir,
// then for --duration runs --clients apps (SoakApp: random requests,
// abandons, re-requests and disconnects across --zones zones; each app its
// own connection, driven by --threads threads through the callback API)
// and one vehicle sound source toggling HAL holds and chimes
// (HalChimeSource). Then it stops every client, lets the daemon settle, and
// checks:
//   * nothing is left: no holder, loser, delayed request, HAL request,
//     ducked or muted device in the car service, and no vehicle request,
//     hold, sound, duck or mute in the HAL (Leftovers);
//   * the daemon's RSS at the end of the load and after settling is within
//     --max_rss_growth_pct of its RSS after the warm-up (default: a quarter
//     of the run, at most 5 min), so memory does not grow with traffic;
//   * no client saw an error (a stream ending other than OK / CANCELLED);
//   * the daemon exits 0 on SIGTERM.
// It prints progress every 10 s, the figures, and one `RESULT name value`
// line per figure. Exit codes: 0 all checks held, 1 a check failed, 2 bad
// arguments, 3 the daemon did not start. It stops by itself; the daemon dies
// with it (PR_SET_PDEATHSIG) if it is killed.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/integration/daemon_process.h"
#include "tests/integration/integration_test_util.h"
#include "tests/soak/hal_chime_source.h"
#include "tests/soak/leftovers.h"
#include "tests/soak/process_rss.h"
#include "tests/soak/soak_app.h"
#include "tests/soak/soak_counters.h"

// Durations are read as text (absl::ParseDuration): an absl::Duration flag is
// stored behind a sequence lock whose fences GCC refuses under
// -fsanitize=thread, and this file is built in the TSan configuration too.
ABSL_FLAG(std::string, duration, "2m", "how long the clients run (e.g. 2m, 1h)");
ABSL_FLAG(std::string, warmup, "0",
          "when the reference RSS is taken; 0: a quarter of --duration, at most 5m");
ABSL_FLAG(int32_t, clients, 200, "concurrent gRPC clients (apps), each its own connection");
ABSL_FLAG(int32_t, zones, 3, "zones the apps and the vehicle source use (0..zones-1)");
ABSL_FLAG(int32_t, threads, 4, "threads driving the apps");
ABSL_FLAG(int32_t, think_ms, 400,
          "mean time between two actions of one app, ms (200 apps at 400 ms: ~500 requests/s)");
ABSL_FLAG(bool, fresh_client_ids, true,
          "a new client id for every new request of an app (false: one id per app)");
ABSL_FLAG(bool, chimes, true, "run the vehicle sound source (HAL holds and chimes)");
ABSL_FLAG(double, max_rss_growth_pct, 10.0,
          "allowed RSS change against the RSS after the warm-up, percent");
ABSL_FLAG(std::string, daemon, "", "the audiocontrold to run (default: this build's)");
ABSL_FLAG(uint64_t, seed, 0, "random seed; 0 picks one (printed)");

namespace caraudio::testing {
namespace {

constexpr int kExitCheckFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitNoDaemon = 3;
// How long the daemon may take to let go of everything once the clients are gone.
constexpr absl::Duration kSettleTimeout = absl::Seconds(10);

struct Settings {
  absl::Duration duration;
  absl::Duration warmup;
  int clients = 0;
  int zones = 0;
  int threads = 0;
  absl::Duration think;
  double max_rss_growth_pct = 0;
  bool fresh_client_ids = true;
  bool chimes = true;
  std::string daemon;
  uint64_t seed = 0;
};

// The flags, checked; a one-line error otherwise.
absl::StatusOr<Settings> ReadSettings() {
  Settings settings;
  for (auto [flag, text, out] :
       {std::tuple{"--duration", absl::GetFlag(FLAGS_duration), &settings.duration},
        std::tuple{"--warmup", absl::GetFlag(FLAGS_warmup), &settings.warmup}}) {
    if (!absl::ParseDuration(text, out)) {
      return absl::InvalidArgumentError(
          absl::StrCat(flag, ": \"", text, "\" is not a duration (e.g. 90s, 2m, 1h)"));
    }
  }
  if (settings.warmup == absl::ZeroDuration()) {
    settings.warmup = std::min(settings.duration / 4, absl::Minutes(5));
  }
  settings.clients = absl::GetFlag(FLAGS_clients);
  settings.zones = absl::GetFlag(FLAGS_zones);
  settings.threads = absl::GetFlag(FLAGS_threads);
  settings.think = absl::Milliseconds(absl::GetFlag(FLAGS_think_ms));
  settings.max_rss_growth_pct = absl::GetFlag(FLAGS_max_rss_growth_pct);
  settings.fresh_client_ids = absl::GetFlag(FLAGS_fresh_client_ids);
  settings.chimes = absl::GetFlag(FLAGS_chimes);
  settings.daemon = absl::GetFlag(FLAGS_daemon);
  settings.seed = absl::GetFlag(FLAGS_seed);
  if (settings.seed == 0) settings.seed = std::random_device()();
  if (settings.duration <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--duration must be positive");
  }
  if (settings.warmup < absl::ZeroDuration() || settings.warmup >= settings.duration) {
    return absl::InvalidArgumentError("--warmup must be shorter than --duration");
  }
  if (settings.clients < 1 || settings.clients > 10000) {
    return absl::InvalidArgumentError("--clients must be 1..10000");
  }
  if (settings.zones < 1) return absl::InvalidArgumentError("--zones must be at least 1");
  if (settings.threads < 1 || settings.threads > 64) {
    return absl::InvalidArgumentError("--threads must be 1..64");
  }
  if (settings.think < absl::Milliseconds(1)) {
    return absl::InvalidArgumentError("--think_ms must be at least 1");
  }
  if (!(settings.max_rss_growth_pct > 0)) {
    return absl::InvalidArgumentError("--max_rss_growth_pct must be positive");
  }
  return settings;
}

// Runs the apps of one driver thread until `end`: each acts, then waits a
// random 0.5..1.5 think times.
void DriveApps(const std::vector<SoakApp*>& apps, absl::Duration think, absl::Time end,
               uint64_t seed) {
  std::seed_seq seeds{seed};
  absl::BitGen random(seeds);
  std::vector<absl::Time> next(apps.size());
  const absl::Time start = absl::Now();
  for (absl::Time& at : next) at = start + think * absl::Uniform(random, 0.0, 1.0);
  for (;;) {
    const absl::Time now = absl::Now();
    if (now >= end) return;
    absl::Time earliest = end;
    for (size_t i = 0; i < apps.size(); ++i) {
      if (next[i] <= now) {
        apps[i]->Act(random);
        next[i] = now + think * absl::Uniform(random, 0.5, 1.5);
      }
      earliest = std::min(earliest, next[i]);
    }
    absl::SleepFor(std::max(earliest - absl::Now(), absl::ZeroDuration()));
  }
}

double GrowthPct(int64_t from_kib, int64_t to_kib) {
  return 100.0 * static_cast<double>(to_kib - from_kib) / static_cast<double>(from_kib);
}

int64_t RssOrZero(pid_t pid) {
  absl::StatusOr<int64_t> kib = ResidentSetKib(pid);
  if (!kib.ok()) std::fprintf(stderr, "soak: %s\n", kib.status().ToString().c_str());
  return kib.value_or(0);
}

void Result(const char* name, double value) { std::printf("RESULT %s %.2f\n", name, value); }

int Run(const Settings& settings) {
  auto failed = std::make_shared<std::atomic<bool>>(false);
  DaemonOptions options;
  options.binary = settings.daemon;
  options.die_with_parent = true;  // main() runs the exec wrapper
  options.print_log_if = [failed] { return failed->load(); };
  absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon = DaemonProcess::Start(options);
  if (!daemon.ok()) {
    std::fprintf(stderr, "soak: %s\n", daemon.status().ToString().c_str());
    return kExitNoDaemon;
  }
  const pid_t pid = (*daemon)->pid();
  Client admin(**daemon);
  absl::StatusOr<v1::CarAudioState> initial = admin.GetState();
  if (!initial.ok()) {
    std::fprintf(stderr, "soak: %s\n", initial.status().ToString().c_str());
    return kExitNoDaemon;
  }
  if (settings.zones > initial->zones_size()) {
    std::fprintf(stderr, "soak: --zones=%d but the car has %d zones\n", settings.zones,
                 initial->zones_size());
    return kExitUsage;
  }
  std::printf("soak: audiocontrold pid %d on %s; %d clients, %d zones, %d threads, think %s, "
              "%s (warm-up %s), seed %llu\n",
              pid, (*daemon)->address().c_str(), settings.clients, settings.zones,
              settings.threads, absl::FormatDuration(settings.think).c_str(),
              absl::FormatDuration(settings.duration).c_str(),
              absl::FormatDuration(settings.warmup).c_str(),
              static_cast<unsigned long long>(settings.seed));
  std::fflush(stdout);
  const int64_t idle_kib = RssOrZero(pid);

  SoakCounters counters;
  std::vector<std::unique_ptr<SoakApp>> apps;
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // one connection per app
  for (int i = 0; i < settings.clients; ++i) {
    apps.push_back(std::make_unique<SoakApp>(
        i, settings.zones, settings.fresh_client_ids,
        grpc::CreateCustomChannel((*daemon)->address(), grpc::InsecureChannelCredentials(),
                                  arguments),
        &counters));
  }

  const absl::Time start = absl::Now();
  const absl::Time end = start + settings.duration;
  std::unique_ptr<HalChimeSource> chimes;
  if (settings.chimes) {
    chimes = std::make_unique<HalChimeSource>((*daemon)->NewChannel(), settings.zones,
                                              settings.seed, &counters);
  }
  std::vector<std::thread> drivers;
  for (int t = 0; t < settings.threads; ++t) {
    std::vector<SoakApp*> mine;
    for (int i = t; i < settings.clients; i += settings.threads) mine.push_back(apps[i].get());
    drivers.emplace_back(DriveApps, std::move(mine), settings.think, end,
                         settings.seed + 1 + static_cast<uint64_t>(t));
  }

  // Progress every 10 s; the reference RSS once the warm-up is over.
  std::optional<int64_t> warm_kib;
  int64_t peak_kib = 0;
  for (absl::Time next = start + absl::Seconds(10);; next += absl::Seconds(10)) {
    const absl::Time warm_at = start + settings.warmup;
    if (!warm_kib && warm_at <= std::min(next, end)) {
      absl::SleepFor(warm_at - absl::Now());
      warm_kib = RssOrZero(pid);
      std::printf("soak: warm-up over at %s: RSS %lld KiB\n",
                  absl::FormatDuration(absl::Now() - start).c_str(),
                  static_cast<long long>(*warm_kib));
      std::fflush(stdout);
    }
    if (next >= end) break;
    absl::SleepFor(next - absl::Now());
    const int64_t kib = RssOrZero(pid);
    peak_kib = std::max(peak_kib, kib);
    std::printf("soak: %4.0f s  requests %lld  RSS %lld KiB  errors %lld\n",
                absl::ToDoubleSeconds(absl::Now() - start),
                static_cast<long long>(counters.requests.load()), static_cast<long long>(kib),
                static_cast<long long>(counters.errors.load()));
    std::fflush(stdout);
  }
  absl::SleepFor(end - absl::Now());
  const int64_t end_kib = RssOrZero(pid);
  peak_kib = std::max(peak_kib, end_kib);
  for (std::thread& driver : drivers) driver.join();
  int lingering = 0;
  for (const std::unique_ptr<SoakApp>& app : apps) lingering += app->LingeringCalls();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);

  // Every client goes; the daemon must let go of everything they held.
  if (chimes) chimes->Stop();
  bool clients_finished = true;
  for (const std::unique_ptr<SoakApp>& app : apps) clients_finished &= app->Shutdown();
  if (!clients_finished) {
    std::fprintf(stderr, "soak: some calls did not finish within 10 s of being cancelled\n");
  }
  absl::StatusOr<Leftovers> left = AwaitNoLeftovers(admin, admin, kSettleTimeout);
  absl::StatusOr<v1::CarAudioState> final_state = admin.GetState();
  const int64_t settled_kib = RssOrZero(pid);

  const int64_t answered = counters.granted + counters.delayed + counters.failed;
  const int64_t events =
      final_state.ok() ? static_cast<int64_t>(final_state->sequence() - initial->sequence()) : 0;
  const double load_growth = GrowthPct(*warm_kib, end_kib);
  const double settled_growth = GrowthPct(*warm_kib, settled_kib);
  std::printf("\nsoak: %.0f s, %d clients, %d zones\n", seconds, settings.clients,
              settings.zones);
  std::printf("  requests      %lld (%.0f/s): %lld re-requests; %lld abandons, %lld disconnects\n",
              static_cast<long long>(counters.requests.load()), counters.requests / seconds,
              static_cast<long long>(counters.re_requests.load()),
              static_cast<long long>(counters.abandons.load()),
              static_cast<long long>(counters.disconnects.load()));
  std::printf("  decisions     %lld answered (%.0f/s): granted %lld, delayed %lld, failed %lld; "
              "%lld daemon events\n",
              static_cast<long long>(answered), answered / seconds,
              static_cast<long long>(counters.granted.load()),
              static_cast<long long>(counters.delayed.load()),
              static_cast<long long>(counters.failed.load()), static_cast<long long>(events));
  std::printf("  latency       RequestFocus -> result p50 %.2f ms, p99 %.2f ms; %lld requests "
              "never answered\n",
              absl::ToDoubleMilliseconds(counters.result_latency.Quantile(0.5)),
              absl::ToDoubleMilliseconds(counters.result_latency.Quantile(0.99)),
              static_cast<long long>(counters.requests - answered));
  std::printf("  lingering     %d streams the apps left (cancelled or ended) still open at the "
              "end of the load\n",
              lingering);
  std::printf("  focus changes GAIN %lld, transient losses %lld, LOSS %lld; replaced %lld, "
              "abandoned %lld\n",
              static_cast<long long>(counters.gains.load()),
              static_cast<long long>(counters.transient_losses.load()),
              static_cast<long long>(counters.losses.load()),
              static_cast<long long>(counters.replaced.load()),
              static_cast<long long>(counters.abandoned.load()));
  std::printf("  vehicle       %lld HAL holds, %lld chimes\n",
              static_cast<long long>(counters.hal_holds.load()),
              static_cast<long long>(counters.hal_sounds.load()));
  std::printf("  RSS           idle %lld KiB, after warm-up %lld, end of load %lld (%+.2f %%), "
              "settled %lld (%+.2f %%), peak %lld\n",
              static_cast<long long>(idle_kib), static_cast<long long>(*warm_kib),
              static_cast<long long>(end_kib), load_growth, static_cast<long long>(settled_kib),
              settled_growth, static_cast<long long>(peak_kib));
  if (left.ok()) {
    std::printf("  leftovers     %s\n", left->ToString().c_str());
  } else {
    std::printf("  leftovers     unknown: %s\n", left.status().ToString().c_str());
  }
  std::printf("  errors        %lld\n", static_cast<long long>(counters.errors.load()));

  Result("soak_seconds", seconds);
  Result("soak_clients", settings.clients);
  Result("soak_requests_per_s", counters.requests / seconds);
  Result("soak_decisions_per_s", answered / seconds);
  Result("soak_result_p50_ms", absl::ToDoubleMilliseconds(counters.result_latency.Quantile(0.5)));
  Result("soak_result_p99_ms", absl::ToDoubleMilliseconds(counters.result_latency.Quantile(0.99)));
  Result("soak_rss_warm_kib", static_cast<double>(*warm_kib));
  Result("soak_rss_end_kib", static_cast<double>(end_kib));
  Result("soak_rss_settled_kib", static_cast<double>(settled_kib));
  Result("soak_rss_growth_pct", load_growth);
  Result("soak_rss_settled_growth_pct", settled_growth);
  Result("soak_leftovers", left.ok() ? left->total() : -1);
  Result("soak_lingering_streams", lingering);
  Result("soak_errors", static_cast<double>(counters.errors.load()));

  std::vector<std::string> failures;
  if (!left.ok()) failures.push_back("cannot read the daemon's state");
  if (left.ok() && left->total() != 0) failures.push_back("state left behind");
  if (std::abs(load_growth) > settings.max_rss_growth_pct ||
      std::abs(settled_growth) > settings.max_rss_growth_pct) {
    failures.push_back(absl::StrCat("RSS moved more than ", settings.max_rss_growth_pct,
                                    " % from its value after the warm-up"));
  }
  if (counters.errors > 0) failures.push_back("clients saw errors");
  if (!clients_finished) failures.push_back("calls did not finish");
  if (answered == 0) failures.push_back("no request was answered");

  // Clients first (their calls end with the daemon otherwise), then the daemon.
  apps.clear();
  chimes.reset();
  absl::StatusOr<ExitStatus> exit = (*daemon)->Terminate();
  if (!exit.ok() || !exit->Success()) {
    failures.push_back(absl::StrCat("audiocontrold did not exit cleanly on SIGTERM: ",
                                    exit.ok() ? exit->ToString() : exit.status().ToString()));
  }
  if (failures.empty()) {
    std::printf("soak: PASS\n");
    return 0;
  }
  failed->store(true);
  for (const std::string& failure : failures) std::printf("soak: FAIL: %s\n", failure.c_str());
  return kExitCheckFailed;
}

}  // namespace
}  // namespace caraudio::testing

int main(int argc, char** argv) {
  if (std::optional<int> code = caraudio::testing::RunHarnessChildIfRequested(argc, argv)) {
    return *code;
  }
  absl::SetProgramUsageMessage(
      "caraudio-soak [--duration=2m] [--clients=200] [--zones=3] [--threads=4] [--think_ms=400]");
  absl::ParseCommandLine(argc, argv);
  absl::StatusOr<caraudio::testing::Settings> settings = caraudio::testing::ReadSettings();
  if (!settings.ok()) {
    std::fprintf(stderr, "caraudio-soak: %s\n", std::string(settings.status().message()).c_str());
    return caraudio::testing::kExitUsage;
  }
  return caraudio::testing::Run(*settings);
}
