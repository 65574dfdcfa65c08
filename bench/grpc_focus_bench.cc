// gRPC round trips against the real audiocontrold over a unix socket; the
// daemon (--role=all) is started and stopped by PID with the integration
// harness. Measured, on one channel:
//
//   Ping           CarAudioAdmin.Ping, an empty unary call: the floor.
//   RequestFocus   AudioFocus.RequestFocus (MEDIA, GAIN, zone 0) from opening
//                  the stream until its first event (the GRANTED result),
//                  with the async client API: the call and its first Read
//                  are started back to back, as an efficient client does.
//                  After it, untimed: AbandonFocus, the stream's `abandoned`
//                  event and its end, so every request meets an empty zone.
//
// Diagnostic rows show where RequestFocus's time goes:
//
//   RequestFocus (sync)    the same with the blocking ClientReader, which
//                          waits for its send batch before it starts reading;
//   RequestFocus invalid   the same server-streaming RPC with gain 0, which the
//                          handler ends inline with INVALID_ARGUMENT: stream
//                          set-up and teardown, no hop to the service's executor;
//   WatchEvents            CarAudioAdmin.WatchEvents until its `subscribed`
//                          message: a server stream whose first message takes
//                          one hop to the executor but no focus decision;
//
// and the RequestFocus round trip is split at the result's timestamp_ns (the
// daemon's CLOCK_MONOTONIC, the same clock as steady_clock here).
//
// Each probe runs 200 warm-up iterations; then 2000 rounds (one Google
// Benchmark) each run every probe once, interleaved, so that a load spike on
// this machine hits all series alike, and each probe is timed on its own.
// The client idles --settle_us (default 1000) before each probe, so the
// untimed tail of the previous one (AbandonFocus, the stream's end, the
// ducking call to the HAL) does not overlap it: every probe is an isolated
// round trip, as an app's request is. --settle_us=0 measures back-to-back
// calls instead. The last lines are
//   RESULT grpc_focus_rtt_over_ping <p50(RequestFocus) / p50(Ping)>   (goal <= 1.3)
//   RESULT grpc_focus_rtt_p99_us <p99(RequestFocus) in microseconds>
//
// Usage: grpc_focus_bench [--split] [--settle_us=N] [Google Benchmark flags]
// --split runs the car service (--role=carservice) and the HAL (--role=hal)
// as two processes instead.

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench/percentile.h"
#include "benchmark/benchmark.h"
#include "caraudio/v1/admin.grpc.pb.h"
#include "caraudio/v1/audio_focus.grpc.pb.h"
#include "tests/integration/daemon_process.h"

namespace caraudio {
namespace {

constexpr int kWarmUp = 200;
constexpr int kIterations = 2000;

using Clock = std::chrono::steady_clock;

double Micros(Clock::duration duration) {
  return std::chrono::duration<double, std::micro>(duration).count();
}

int64_t Nanos(Clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

// The client side of the benchmark. Each probe returns its round trip in
// microseconds, or a negative value after setting `error`.
class Probes {
 public:
  explicit Probes(const std::shared_ptr<grpc::Channel>& channel)
      : focus_(v1::AudioFocus::NewStub(channel)), admin_(v1::CarAudioAdmin::NewStub(channel)) {
    request_.set_client_id("bench-player");
    request_.set_package_name("com.example.bench");
    request_.set_uid(10000);
    request_.set_usage(v1::USAGE_MEDIA);
    request_.set_gain(v1::FOCUS_GAIN);
    request_.set_zone_id(0);
  }

  ~Probes() {
    queue_.Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (queue_.Next(&tag, &ok)) {
    }
  }

  const std::string& error() const { return error_; }
  // The split of the last RequestFocus round trip.
  double to_daemon_micros() const { return to_daemon_micros_; }
  double back_micros() const { return back_micros_; }

  double Ping() {
    grpc::ClientContext context;
    v1::PingResponse response;
    const Clock::time_point start = Clock::now();
    const grpc::Status status = admin_->Ping(&context, v1::PingRequest(), &response);
    const double micros = Micros(Clock::now() - start);
    if (!status.ok()) return Fail("Ping: " + status.error_message());
    return micros;
  }

  // RequestFocus as an efficient client writes it: the async API with the
  // request and the first Read started back to back (the sync ClientReader
  // waits for the send batch before it may read; see RequestFocusSync).
  double RequestFocus() {
    grpc::ClientContext context;
    v1::FocusEvent event;
    const Clock::time_point start = Clock::now();
    std::unique_ptr<grpc::ClientAsyncReader<v1::FocusEvent>> reader =
        focus_->PrepareAsyncRequestFocus(&context, request_, &queue_);
    reader->StartCall(Tag(kStarted));
    reader->Read(&event, Tag(kRead));
    bool started = false, got = false;
    for (int pending = 2; pending > 0; --pending) {
      void* tag = nullptr;
      bool ok = false;
      if (!queue_.Next(&tag, &ok)) return Fail("completion queue shut down");
      (tag == Tag(kStarted) ? started : got) = ok;
    }
    const Clock::time_point received = Clock::now();
    const double micros = CheckGranted(started && got, event, start, received);
    if (micros < 0) return micros;

    const grpc::Status abandoned = Abandon();
    for (;;) {  // drain to the end of the stream
      reader->Read(&event, Tag(kRead));
      void* tag = nullptr;
      bool ok = false;
      if (!queue_.Next(&tag, &ok) || !ok) break;
    }
    grpc::Status end;
    reader->Finish(&end, Tag(kFinished));
    void* tag = nullptr;
    bool ok = false;
    queue_.Next(&tag, &ok);
    return Ended(abandoned, end, micros);
  }

  // The same with the blocking ClientReader.
  double RequestFocusSync() {
    grpc::ClientContext context;
    v1::FocusEvent event;
    const Clock::time_point start = Clock::now();
    std::unique_ptr<grpc::ClientReader<v1::FocusEvent>> reader =
        focus_->RequestFocus(&context, request_);
    const bool got = reader->Read(&event);
    const Clock::time_point received = Clock::now();
    const double micros = CheckGranted(got, event, start, received);
    if (micros < 0) return micros;
    const grpc::Status abandoned = Abandon();
    while (reader->Read(&event)) {
    }
    return Ended(abandoned, reader->Finish(), micros);
  }

  double InvalidRequestFocus() {
    grpc::ClientContext context;
    v1::FocusRequest request = request_;
    request.set_gain(v1::FOCUS_GAIN_NONE);
    v1::FocusEvent event;
    const Clock::time_point start = Clock::now();
    std::unique_ptr<grpc::ClientReader<v1::FocusEvent>> reader =
        focus_->RequestFocus(&context, request);
    const bool got = reader->Read(&event);
    const grpc::Status status = reader->Finish();
    const double micros = Micros(Clock::now() - start);
    if (got || status.error_code() != grpc::StatusCode::INVALID_ARGUMENT) {
      return Fail("RequestFocus(gain 0): expected INVALID_ARGUMENT, got " +
                  std::to_string(status.error_code()));
    }
    return micros;
  }

  double WatchEvents() {
    grpc::ClientContext context;
    v1::Event event;
    const Clock::time_point start = Clock::now();
    std::unique_ptr<grpc::ClientReader<v1::Event>> reader =
        admin_->WatchEvents(&context, v1::WatchEventsRequest());
    const bool got = reader->Read(&event);
    const double micros = Micros(Clock::now() - start);
    context.TryCancel();
    while (reader->Read(&event)) {
    }
    reader->Finish();
    if (!got || !event.has_subscribed()) return Fail("WatchEvents: no `subscribed` message");
    return micros;
  }

 private:
  enum TagKind { kStarted = 1, kRead, kFinished };
  static void* Tag(TagKind kind) { return reinterpret_cast<void*>(static_cast<intptr_t>(kind)); }

  // The round trip in microseconds if `event` is the GRANTED result; records
  // the split at the daemon's timestamp.
  double CheckGranted(bool got, const v1::FocusEvent& event, Clock::time_point start,
                      Clock::time_point received) {
    if (!got || !event.has_result() || event.result().result() != v1::REQUEST_GRANTED) {
      return Fail("RequestFocus: no GRANTED result: " + event.ShortDebugString());
    }
    to_daemon_micros_ = (event.timestamp_ns() - Nanos(start)) / 1e3;
    back_micros_ = (Nanos(received) - event.timestamp_ns()) / 1e3;
    return Micros(received - start);
  }

  // `micros` when the untimed AbandonFocus and the stream's end were OK.
  double Ended(const grpc::Status& abandoned, const grpc::Status& end, double micros) {
    if (!abandoned.ok() || !end.ok()) {
      return Fail("AbandonFocus: " + abandoned.error_message() + " / stream: " + end.error_message());
    }
    return micros;
  }

  grpc::Status Abandon() {
    grpc::ClientContext context;
    v1::AbandonFocusRequest abandon;
    abandon.set_client_id(request_.client_id());
    v1::AbandonFocusResponse abandoned;
    return focus_->AbandonFocus(&context, abandon, &abandoned);
  }

  double Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return -1;
  }

  std::unique_ptr<v1::AudioFocus::Stub> focus_;
  std::unique_ptr<v1::CarAudioAdmin::Stub> admin_;
  grpc::CompletionQueue queue_;
  v1::FocusRequest request_;
  std::string error_;
  double to_daemon_micros_ = 0;
  double back_micros_ = 0;
};

struct Series {
  const char* name;
  double (Probes::*probe)();
  std::vector<double> micros;
};

struct Measurements {
  std::vector<Series> series;  // [0] Ping, [1] RequestFocus, then diagnostics
  std::vector<double> to_daemon_micros;
  std::vector<double> back_micros;
};

// Runs every probe once per benchmark iteration, in a fixed order, so all
// series see the same machine: load that comes and goes during the run (other
// processes, the daemon's own background work) is spread over all of them
// instead of landing on whichever series happened to run then. Before each
// probe the client idles for `settle`: the untimed tail of the previous probe
// (AbandonFocus, the HAL's ducking call) then does not overlap the next
// measurement, which is what an isolated request from an app sees.
void RunRounds(benchmark::State& state, Probes* probes, Measurements* m,
               std::chrono::microseconds settle) {
  for (auto _ : state) {
    double round_micros = 0;
    for (size_t index = 0; index < m->series.size(); ++index) {
      if (settle.count() > 0) std::this_thread::sleep_for(settle);
      Series& series = m->series[index];
      const double micros = (probes->*series.probe)();
      if (micros < 0) {
        state.SkipWithError(probes->error().c_str());
        return;
      }
      series.micros.push_back(micros);
      round_micros += micros;
      if (index == 1) {  // the split of the headline RequestFocus
        m->to_daemon_micros.push_back(probes->to_daemon_micros());
        m->back_micros.push_back(probes->back_micros());
      }
    }
    state.SetIterationTime(round_micros / 1e6);
  }
}

struct Summary {
  double p50 = 0, p90 = 0, p99 = 0, max = 0, mean = 0;
};

Summary Summarize(std::vector<double> values) {
  Summary summary;
  summary.p50 = Percentile(values, 0.50);
  summary.p90 = Percentile(values, 0.90);
  summary.p99 = Percentile(values, 0.99);
  summary.max = Percentile(values, 1.0);
  summary.mean = std::accumulate(values.begin(), values.end(), 0.0) / values.size();
  return summary;
}

void PrintRow(const char* name, const std::vector<double>& values) {
  const Summary s = Summarize(values);
  std::printf("%-30s %8zu %9.1f %9.1f %9.1f %9.1f %9.1f\n", name, values.size(), s.p50, s.p90,
              s.p99, s.max, s.mean);
}

}  // namespace
}  // namespace caraudio

int main(int argc, char** argv) {
  using caraudio::testing::DaemonOptions;
  using caraudio::testing::DaemonProcess;
  if (std::optional<int> code = caraudio::testing::RunHarnessChildIfRequested(argc, argv)) {
    return *code;  // this process is the exec wrapper of a daemon
  }
  benchmark::Initialize(&argc, argv);
  bool split = false;
  std::chrono::microseconds settle{1000};
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--split") {
      split = true;
    } else if (argument.rfind("--settle_us=", 0) == 0) {
      settle = std::chrono::microseconds(std::atoi(argument.c_str() + 12));
    } else {
      std::fprintf(stderr, "usage: grpc_focus_bench [--split] [--settle_us=N] [benchmark flags]\n");
      return 2;
    }
  }

  bool failed = false;  // print the daemons' logs when they are stopped
  std::unique_ptr<DaemonProcess> hal;
  DaemonOptions options;
  options.name = "audiocontrold-bench";
  options.die_with_parent = true;
  options.print_log_if = [&failed] { return failed; };
  if (split) {
    DaemonOptions hal_options;
    hal_options.name = "audiocontrold-bench-hal";
    hal_options.role = "hal";
    hal_options.die_with_parent = true;
    hal_options.print_log_if = [&failed] { return failed; };
    absl::StatusOr<std::unique_ptr<DaemonProcess>> started =
        DaemonProcess::Start(std::move(hal_options));
    if (!started.ok()) {
      std::fprintf(stderr, "cannot start the HAL: %s\n", started.status().ToString().c_str());
      return 1;
    }
    hal = std::move(*started);
    options.role = "carservice";
    options.hal = hal->address();
  }
  absl::StatusOr<std::unique_ptr<DaemonProcess>> daemon = DaemonProcess::Start(std::move(options));
  if (!daemon.ok()) {
    std::fprintf(stderr, "cannot start audiocontrold: %s\n", daemon.status().ToString().c_str());
    return 1;
  }
  std::printf("audiocontrold pid %d on %s%s\n", static_cast<int>((*daemon)->pid()),
              (*daemon)->address().c_str(), split ? " (HAL in its own process)" : "");

  caraudio::Probes probes((*daemon)->NewChannel());
  caraudio::Measurements m;
  m.series = {
      {"Ping", &caraudio::Probes::Ping, {}},
      {"RequestFocus -> 1st event", &caraudio::Probes::RequestFocus, {}},
      {"RequestFocus (sync) -> 1st", &caraudio::Probes::RequestFocusSync, {}},
      {"RequestFocus invalid -> end", &caraudio::Probes::InvalidRequestFocus, {}},
      {"WatchEvents -> subscribed", &caraudio::Probes::WatchEvents, {}},
  };
  for (caraudio::Series& series : m.series) {
    series.micros.reserve(caraudio::kIterations);
    for (int i = 0; i < caraudio::kWarmUp; ++i) {
      if ((probes.*series.probe)() < 0) {
        std::fprintf(stderr, "warm-up failed: %s\n", probes.error().c_str());
        failed = true;
        return 1;
      }
    }
  }
  benchmark::RegisterBenchmark("round of all probes", caraudio::RunRounds, &probes, &m, settle)
      ->Iterations(caraudio::kIterations)
      ->UseManualTime()
      ->Unit(benchmark::kMicrosecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  for (const caraudio::Series& series : m.series) {
    if (series.micros.size() != static_cast<size_t>(caraudio::kIterations)) {
      std::fprintf(stderr, "benchmark failed: %s\n", probes.error().c_str());
      failed = true;
      return 1;
    }
  }
  std::printf("\n%-30s %8s %9s %9s %9s %9s %9s\n", "round trip (unix socket)", "samples", "p50 us",
              "p90 us", "p99 us", "max us", "mean us");
  for (const caraudio::Series& series : m.series) caraudio::PrintRow(series.name, series.micros);
  caraudio::PrintRow("  RequestFocus start->daemon", m.to_daemon_micros);
  caraudio::PrintRow("  RequestFocus daemon->client", m.back_micros);

  const caraudio::Summary ping = caraudio::Summarize(m.series[0].micros);
  const caraudio::Summary focus = caraudio::Summarize(m.series[1].micros);
  std::printf("RequestFocus/Ping: ratio of p50s %.3f, of means %.3f (goal: p50s <= 1.3)\n",
              focus.p50 / ping.p50, focus.mean / ping.mean);
  std::printf("RESULT grpc_focus_rtt_over_ping %.3f\n", focus.p50 / ping.p50);
  std::printf("RESULT grpc_focus_rtt_p99_us %.1f\n", focus.p99);
  return 0;
}
