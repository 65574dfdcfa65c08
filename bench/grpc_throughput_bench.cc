// Throughput of the real audiocontrold under 100 concurrent clients, each on
// its own connection (own channel, local subchannel pool), against the
// daemon started by PID on a unix socket:
//
//   Ping          every client calls CarAudioAdmin.Ping back to back: the
//                 server's ceiling for an empty RPC.
//   RequestFocus  every client runs an app's whole focus cycle back to back:
//                 RequestFocus (MEDIA, GAIN, zone = client % 3) until its
//                 result, then closes the stream, which abandons. Every grant
//                 takes the zone from the previous holder (LOSS on its
//                 stream) and sends ducking to the HAL.
//
// Each runs for --seconds (default 3) after a 1 s warm-up; the count of
// completed operations gives operations per second.
//
// The same two loads then run against gRPC's floor for these call shapes: a
// server in this process with the daemon's two services doing no work (Ping
// answers at once; RequestFocus writes one GRANTED result from the handler,
// as the daemon does when its executor is idle, and ends when the client
// cancels). floor focus / floor ping is the best ratio any focus service
// could reach with this gRPC on this machine: it shows how much of the gap
// to the goal is the call shape (a server stream, a write, a cancel against
// one unary call) and how much is the daemon's own work. Prints
//   RESULT grpc_ping_ops_per_s <n>
//   RESULT grpc_focus_ops_per_s <n>
//   RESULT grpc_throughput_over_ping <focus / ping>    (goal >= 0.7)
//   RESULT grpc_floor_focus_over_ping <floor focus / floor ping>
//   RESULT grpc_throughput_over_floor <(focus / ping) / floor ratio>

#include <grpcpp/grpcpp.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"
#include "carservice/stream_writer.h"
#include "caraudio/v1/admin.grpc.pb.h"
#include "caraudio/v1/audio_focus.grpc.pb.h"
#include "tests/integration/daemon_process.h"

namespace caraudio {
namespace {

constexpr int kClients = 100;
constexpr int kZones = 3;

using Clock = std::chrono::steady_clock;

// One simulated app with its own connection to the daemon.
class Client {
 public:
  Client(const std::string& address, int index) {
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection of its own
    std::shared_ptr<grpc::Channel> channel =
        grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), arguments);
    focus_ = v1::AudioFocus::NewStub(channel);
    admin_ = v1::CarAudioAdmin::NewStub(channel);
    request_.set_client_id("throughput-" + std::to_string(index));
    request_.set_package_name("com.example.throughput" + std::to_string(index));
    request_.set_uid(10000 + index);
    request_.set_usage(v1::USAGE_MEDIA);
    request_.set_gain(v1::FOCUS_GAIN);
    request_.set_zone_id(index % kZones);
  }

  bool Ping() {
    grpc::ClientContext context;
    v1::PingResponse response;
    return admin_->Ping(&context, v1::PingRequest(), &response).ok();
  }

  // The app's focus cycle: request, the result, close the stream.
  bool FocusCycle() {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReader<v1::FocusEvent>> reader =
        focus_->RequestFocus(&context, request_);
    v1::FocusEvent event;
    const bool answered = reader->Read(&event) && event.has_result();
    context.TryCancel();
    while (reader->Read(&event)) {
    }
    reader->Finish();  // CANCELLED, as asked
    return answered;
  }

 private:
  std::unique_ptr<v1::AudioFocus::Stub> focus_;
  std::unique_ptr<v1::CarAudioAdmin::Stub> admin_;
  v1::FocusRequest request_;
};

struct Run {
  double ops_per_second = 0;
  long failures = 0;
};

// gRPC's floor: the daemon's services with nothing behind them.
class FloorFocus final : public v1::AudioFocus::CallbackService {
  grpc::ServerWriteReactor<v1::FocusEvent>* RequestFocus(grpc::CallbackServerContext*,
                                                         const v1::FocusRequest*) override {
    // StreamWriter, as in the daemon: it finishes CANCELLED when the client
    // cancels, and owns itself until gRPC is done with it.
    std::shared_ptr<StreamWriter<v1::FocusEvent>> stream = StreamWriter<v1::FocusEvent>::Create();
    v1::FocusEvent event;
    event.mutable_result()->set_result(v1::REQUEST_GRANTED);
    stream->Send(std::move(event));
    return stream.get();
  }
};
class FloorAdmin final : public v1::CarAudioAdmin::CallbackService {
  grpc::ServerUnaryReactor* Ping(grpc::CallbackServerContext* context, const v1::PingRequest*,
                                 v1::PingResponse*) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

// The floor server on a unix socket in a temporary directory of its own,
// removed with it.
class FloorServer {
 public:
  static std::unique_ptr<FloorServer> Start() {
    auto server = std::make_unique<FloorServer>();
    char directory[] = "/tmp/caraudio-floor.XXXXXX";
    if (::mkdtemp(directory) == nullptr) return nullptr;
    server->directory_ = directory;
    server->address_ = "unix:" + server->directory_ + "/floor.sock";
    grpc::ServerBuilder builder;
    builder.AddListeningPort(server->address_, grpc::InsecureServerCredentials());
    builder.RegisterService(&server->focus_);
    builder.RegisterService(&server->admin_);
    server->server_ = builder.BuildAndStart();
    if (!server->server_) return nullptr;
    return server;
  }
  ~FloorServer() {
    if (server_) server_->Shutdown();
    if (!directory_.empty()) {
      ::unlink((directory_ + "/floor.sock").c_str());
      ::rmdir(directory_.c_str());
    }
  }
  const std::string& address() const { return address_; }

 private:
  FloorFocus focus_;
  FloorAdmin admin_;
  std::string directory_;
  std::string address_;
  std::unique_ptr<grpc::Server> server_;
};

// Every client runs `operation` back to back for warm-up + `seconds`; only
// operations finished inside the measured window count.
template <typename Operation>
Run Measure(std::vector<std::unique_ptr<Client>>& clients, Operation operation, double seconds) {
  std::atomic<bool> stop{false};
  std::atomic<bool> counting{false};
  std::atomic<long> done{0};
  std::atomic<long> failed{0};
  std::vector<std::thread> threads;
  for (std::unique_ptr<Client>& client : clients) {
    threads.emplace_back([&, raw = client.get()] {
      while (!stop.load(std::memory_order_relaxed)) {
        const bool ok = operation(*raw);
        if (!counting.load(std::memory_order_relaxed)) continue;
        (ok ? done : failed).fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));
  counting = true;
  const Clock::time_point start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const long completed = done.load();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  stop = true;
  for (std::thread& thread : threads) thread.join();
  return Run{completed / elapsed, failed.load()};
}

}  // namespace
}  // namespace caraudio

int main(int argc, char** argv) {
  using namespace caraudio;
  if (std::optional<int> code = testing::RunHarnessChildIfRequested(argc, argv)) return *code;
  benchmark::Initialize(&argc, argv);
  double seconds = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument.rfind("--seconds=", 0) == 0 && std::atof(argument.c_str() + 10) > 0) {
      seconds = std::atof(argument.c_str() + 10);
    } else {
      std::fprintf(stderr, "usage: grpc_throughput_bench [--seconds=S] [benchmark flags]\n");
      return 2;
    }
  }

  bool failed = false;
  testing::DaemonOptions options;
  options.name = "audiocontrold-throughput";
  options.die_with_parent = true;
  options.print_log_if = [&failed] { return failed; };
  absl::StatusOr<std::unique_ptr<testing::DaemonProcess>> daemon =
      testing::DaemonProcess::Start(std::move(options));
  if (!daemon.ok()) {
    std::fprintf(stderr, "cannot start audiocontrold: %s\n", daemon.status().ToString().c_str());
    return 1;
  }
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<Client>((*daemon)->address(), i));
  }

  std::unique_ptr<FloorServer> floor = FloorServer::Start();
  if (!floor) {
    std::fprintf(stderr, "cannot start the floor gRPC server\n");
    return 1;
  }
  std::vector<std::unique_ptr<Client>> floor_clients;
  for (int i = 0; i < kClients; ++i) {
    floor_clients.push_back(std::make_unique<Client>(floor->address(), i));
  }

  Run ping, focus, floor_ping, floor_focus;
  auto register_pair = [&](const std::string& target, std::vector<std::unique_ptr<Client>>& set,
                           Run& ping_run, Run& focus_run) {
    benchmark::RegisterBenchmark(("Ping x100 clients, " + target).c_str(),
                                 [&](benchmark::State& state) {
      for (auto _ : state) ping_run = Measure(set, [](Client& c) { return c.Ping(); }, seconds);
      state.counters["ops_per_s"] = ping_run.ops_per_second;
    })->Iterations(1)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("RequestFocus cycle x100 clients, " + target).c_str(),
                                 [&](benchmark::State& state) {
      for (auto _ : state) {
        focus_run = Measure(set, [](Client& c) { return c.FocusCycle(); }, seconds);
      }
      state.counters["ops_per_s"] = focus_run.ops_per_second;
    })->Iterations(1)->Unit(benchmark::kMillisecond);
  };
  register_pair("audiocontrold", clients, ping, focus);
  register_pair("gRPC floor", floor_clients, floor_ping, floor_focus);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  for (const Run* run : {&ping, &focus, &floor_ping, &floor_focus}) {
    if (run->ops_per_second <= 0 || run->failures > 0) {
      std::fprintf(stderr, "grpc_throughput_bench failed: a run had %ld failed calls\n",
                   run->failures);
      failed = true;
      return 1;
    }
  }
  std::printf("\n%d clients, %.0f s each: Ping %.0f ops/s, RequestFocus cycle %.0f ops/s\n",
              kClients, seconds, ping.ops_per_second, focus.ops_per_second);
  std::printf("RESULT grpc_ping_ops_per_s %.0f\n", ping.ops_per_second);
  std::printf("RESULT grpc_focus_ops_per_s %.0f\n", focus.ops_per_second);
  const double ratio = focus.ops_per_second / ping.ops_per_second;
  const double floor_ratio = floor_focus.ops_per_second / floor_ping.ops_per_second;
  std::printf("gRPC floor (no work behind the calls): Ping %.0f ops/s, RequestFocus cycle %.0f "
              "ops/s\n",
              floor_ping.ops_per_second, floor_focus.ops_per_second);
  std::printf("RESULT grpc_throughput_over_ping %.3f\n", ratio);
  std::printf("RESULT grpc_floor_focus_over_ping %.3f\n", floor_ratio);
  std::printf("RESULT grpc_throughput_over_floor %.3f\n", ratio / floor_ratio);
  return 0;
}
