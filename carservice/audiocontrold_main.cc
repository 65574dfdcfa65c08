// audiocontrold: the car audio service and the AudioControl HAL.
//
//   audiocontrold [--role=all|carservice|hal] [--listen=ADDRESS[,ADDRESS]]
//                 [--hal=ADDRESS] [--config=FILE] [--audio=pipewire|memory]
//                 [--duck_level_db=-10] [--duck_attack_ms=100]
//                 [--duck_release_ms=1000] [--mute_ramp_ms=20]
//                 [--node_latency=128/48000] [--socket_group=GROUP]
//                 [--tls_cert=PEM --tls_key=PEM --tls_ca=PEM]
//                 [--trusted_uids=U,...] [--zone_targeting_uids=U,...]
//                 [--hal_uids=U,...] [--admin_uids=U,...]
//                 [--max_focus_requests_per_app=N] [--max_queued_operations=N]
//
// --role=all (default) hosts both in one process; the car service reaches the
// HAL through an in-process channel, over the same AudioControl API used
// across ECUs. --role=carservice serves AudioFocus and CarAudioAdmin and
// connects to the HAL at --hal; --role=hal serves AudioControl and HalFocus.
// The HAL role drives audio through --audio: "pipewire" (default) runs the
// PipeWire bridge (per-device filter nodes, routing, ramped duck and mute) on
// the daemon of $PIPEWIRE_RUNTIME_DIR / $XDG_RUNTIME_DIR, reconnecting while
// none is up; "memory" only records the state (tests, machines without
// PipeWire). ADDRESS is unix:PATH or HOST:PORT. The default listen address is
// unix:$XDG_RUNTIME_DIR/caraudio/audiocontrol.sock (else /run/caraudio/...).
// Every unix address is guarded by a single-instance lock and is a socket of
// mode 0660 owned by --socket_group (default: the daemon's group), accepted
// by the daemon itself so each caller's uid is known; HOST:PORT requires
// mutual TLS (--tls_*), which the car service also uses to reach a TCP --hal.
// What each uid may do is the --*_uids policy (docs/security.md). SIGTERM /
// SIGINT shut down cleanly, SIGHUP reloads --config, and under systemd
// (Type=notify) the daemon reports READY=1, STATUS=, WATCHDOG=1 and STOPPING=1
// (service_main_loop.h). Logs are structured records on stderr
// (common/log.h). Exit code 2 means bad arguments or config, 1 a runtime
// failure.
//
//   audiocontrold --check-config FILE
//
// validates a car_audio_configuration.xml with the daemon's own parser and
// checks, prints "config OK: N zones, ..." (exit 0) or one error line with
// the file's line number (exit 2), and starts nothing.

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/mutex.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "carservice/access_policy.h"
#include "carservice/caller_access.h"
#include "carservice/car_audio_service.h"
#include "carservice/config_file_check.h"
#include "carservice/daemon_listeners.h"
#include "carservice/hal_link.h"
#include "carservice/service_main_loop.h"
#include "carservice/single_instance_lock.h"
#include "carservice/systemd_notifier.h"
#include "carservice/tls_credentials.h"
#include "common/log.h"
#include "hal/audio_backend.h"
#include "hal/audio_control_hal.h"
#include "hal/pipewire_audio_backend.h"
#include "pipewire-bridge/pipewire_bridge.h"
#include "zones/car_audio_config_parser.h"

ABSL_FLAG(std::string, role, "all", "all | carservice | hal");
ABSL_FLAG(std::string, listen, "", "comma-separated listen addresses (unix:PATH or HOST:PORT)");
ABSL_FLAG(std::string, hal, "", "address of the HAL, for --role=carservice");
ABSL_FLAG(std::string, config, "", "car_audio_configuration.xml (default: the embedded car)");
ABSL_FLAG(std::string, audio, "pipewire", "HAL audio backend: pipewire | memory");
ABSL_FLAG(double, duck_level_db, -10.0, "gain of a ducked device, dB (<= 0)");
ABSL_FLAG(int32_t, duck_attack_ms, 100, "duck ramp down time for the full duck level, ms");
ABSL_FLAG(int32_t, duck_release_ms, 1000, "duck ramp back up time, ms");
ABSL_FLAG(int32_t, mute_ramp_ms, 20, "mute and unmute ramp time, ms");
ABSL_FLAG(std::string, node_latency, "128/48000", "node.latency of the device filter nodes");
ABSL_FLAG(std::string, socket_group, "",
          "group that owns the unix sockets (mode 0660); empty: the daemon's own group");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate (chain) of this daemon, for TCP listening and a TCP --hal");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_ca, "", "PEM CA that must have signed every TCP peer's certificate");
ABSL_FLAG(std::string, trusted_uids, "",
          "uids that may request and abandon focus for any uid (root and the daemon's uid always)");
ABSL_FLAG(std::string, zone_targeting_uids, "",
          "uids that may name a zone in focus and volume calls (e.g. the RSE controller)");
ABSL_FLAG(std::string, hal_uids, "", "uids that may call AudioControl and HalFocus");
ABSL_FLAG(std::string, admin_uids, "", "uids that may change settings through CarAudioAdmin");
ABSL_FLAG(int32_t, max_queued_operations,
          static_cast<int32_t>(caraudio::CarAudioService::kDefaultMaxQueuedOperations),
          "RequestFocus is refused (RESOURCE_EXHAUSTED) while this many operations wait for the "
          "car service");
ABSL_FLAG(int32_t, max_focus_requests_per_app,
          caraudio::AccessPolicy::kDefaultMaxFocusRequestsPerApp,
          "focus requests (holders, losers, delayed) an app outside --trusted_uids may have at "
          "once; more are RESOURCE_EXHAUSTED");
ABSL_FLAG(double, audit_audible_dbfs, -60.0,
          "compliance audit: a stream is audible above this RMS, dBFS");
ABSL_FLAG(int32_t, audit_reaction_ms, 300,
          "compliance audit: time an app gets to start, stop, pause or lower itself, ms");
ABSL_FLAG(int32_t, audit_idle_focus_ms, 5000,
          "compliance audit: time a focus holder may stay silent before it should abandon, ms");
ABSL_FLAG(std::string, check_config, "",
          "validate this car_audio_configuration.xml, print the result and exit (also "
          "--check-config FILE); starts nothing");

namespace caraudio {
namespace {

constexpr int kExitUsage = 2;
constexpr int kExitFailure = 1;

int Fail(int code, const std::string& message) {
  LogError("audiocontrold", message);
  return code;
}

// The --*_uids flags; root and the daemon's uid always hold every permission.
absl::StatusOr<AccessPolicy> AccessPolicyFromFlags() {
  AccessPolicy::Uids uids;
  for (auto [flag, value, set] :
       {std::tuple{"--trusted_uids", absl::GetFlag(FLAGS_trusted_uids), &uids.trusted},
        std::tuple{"--zone_targeting_uids", absl::GetFlag(FLAGS_zone_targeting_uids),
                   &uids.zone_targeting},
        std::tuple{"--hal_uids", absl::GetFlag(FLAGS_hal_uids), &uids.hal},
        std::tuple{"--admin_uids", absl::GetFlag(FLAGS_admin_uids), &uids.admin}}) {
    absl::StatusOr<std::set<uid_t>> parsed = ParseUidList(value, flag);
    if (!parsed.ok()) return parsed.status();
    *set = std::move(*parsed);
  }
  const int32_t max_requests = absl::GetFlag(FLAGS_max_focus_requests_per_app);
  if (max_requests < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max_focus_requests_per_app must be at least 1, not ", max_requests));
  }
  return AccessPolicy(::getuid(), std::move(uids), max_requests);
}
// The arguments with `--check-config` (as the service docs spell it)
// renamed to absl's --check_config.
std::vector<std::string> SpellCheckConfigFlag(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  for (std::string& arg : args) {
    if (arg == "--check-config" || arg.starts_with("--check-config=")) arg[7] = '_';
  }
  return args;
}

// audiocontrold --check-config FILE: the daemon's own parser and checks, one
// line of result, exit 0 (valid) or 2 (not).
int CheckConfig(const std::string& path) {
  absl::StatusOr<LoadedConfigFile> loaded = LoadConfigFile(path);
  if (!loaded.ok()) {
    std::fprintf(stderr, "audiocontrold: invalid config: %s\n",
                 std::string(loaded.status().message()).c_str());
    return kExitUsage;
  }
  std::printf("config OK: %s\n", ConfigSummary(loaded->config).c_str());
  return 0;
}

int Run() {
  // Signals are taken synchronously by this thread; block them before any
  // other thread exists (gRPC starts threads as soon as TLS
  // credentials or listeners are made) so every thread inherits the mask. The notifier
  // reads its environment now, before other threads could change it.
  if (absl::Status blocked = BlockServiceSignals(); !blocked.ok()) {
    return Fail(kExitFailure, blocked.ToString());
  }
  const SystemdNotifier notifier;
  const std::string role = absl::GetFlag(FLAGS_role);
  const bool run_carservice = role == "all" || role == "carservice";
  const bool run_hal = role == "all" || role == "hal";
  if (!run_carservice && !run_hal) {
    return Fail(kExitUsage, "--role must be all, carservice or hal, not \"" + role + "\"");
  }
  if (role == "carservice" && absl::GetFlag(FLAGS_hal).empty()) {
    return Fail(kExitUsage, "--role=carservice needs --hal=ADDRESS of the HAL process");
  }

  const std::string audio = absl::GetFlag(FLAGS_audio);
  if (audio != "pipewire" && audio != "memory") {
    return Fail(kExitUsage, "--audio must be pipewire or memory, not \"" + audio + "\"");
  }
  if (absl::GetFlag(FLAGS_duck_level_db) > 0 || absl::GetFlag(FLAGS_duck_attack_ms) < 0 ||
      absl::GetFlag(FLAGS_duck_release_ms) < 0 || absl::GetFlag(FLAGS_mute_ramp_ms) < 0) {
    return Fail(kExitUsage, "--duck_level_db must be <= 0 and ramp times >= 0");
  }

  const int32_t max_queued_operations = absl::GetFlag(FLAGS_max_queued_operations);
  if (max_queued_operations < 1) {
    return Fail(kExitUsage, absl::StrCat("--max_queued_operations must be at least 1, not ",
                                         max_queued_operations));
  }

  AuditSettings audit;
  audit.audible_threshold_dbfs = absl::GetFlag(FLAGS_audit_audible_dbfs);
  audit.reaction = absl::Milliseconds(absl::GetFlag(FLAGS_audit_reaction_ms));
  audit.idle_focus = absl::Milliseconds(absl::GetFlag(FLAGS_audit_idle_focus_ms));
  if (!(audit.audible_threshold_dbfs < 0) || audit.reaction < absl::ZeroDuration() ||
      audit.idle_focus <= absl::ZeroDuration()) {
    return Fail(kExitUsage,
                "--audit_audible_dbfs must be < 0, --audit_reaction_ms >= 0 and "
                "--audit_idle_focus_ms > 0");
  }

  // Unix sockets are 0660: only the daemon's user and the socket group may
  // connect. The group is resolved before anything starts, so a typo fails
  // fast.
  std::optional<gid_t> socket_group;
  if (const std::string group = absl::GetFlag(FLAGS_socket_group); !group.empty()) {
    const struct group* entry = ::getgrnam(group.c_str());
    if (entry == nullptr) return Fail(kExitUsage, "--socket_group: no group \"" + group + "\"");
    socket_group = entry->gr_gid;
  }

  const std::string config_path = absl::GetFlag(FLAGS_config);
  absl::StatusOr<CarAudioConfig> config =
      config_path.empty() ? LoadDefaultCarAudioConfig() : LoadCarAudioConfigFile(config_path);
  if (!config.ok()) return Fail(kExitUsage, std::string(config.status().message()));

  absl::StatusOr<std::optional<TlsIdentity>> tls = LoadTlsIdentity(
      {absl::GetFlag(FLAGS_tls_ca), absl::GetFlag(FLAGS_tls_cert), absl::GetFlag(FLAGS_tls_key)},
      "--tls_");
  if (!tls.ok()) return Fail(kExitUsage, std::string(tls.status().message()));
  const std::string hal_address = absl::GetFlag(FLAGS_hal);
  if (role == "carservice" && !IsUnixAddress(hal_address) && !*tls) {
    return Fail(kExitUsage, "--hal=" + hal_address + " is a TCP address: mutual TLS needs " +
                                "--tls_cert, --tls_key and --tls_ca");
  }
  absl::StatusOr<AccessPolicy> policy = AccessPolicyFromFlags();
  if (!policy.ok()) return Fail(kExitUsage, std::string(policy.status().message()));
  const std::string policy_text = policy->Describe();

  std::string listen = absl::GetFlag(FLAGS_listen);
  if (listen.empty()) listen = "unix:" + DefaultSocketPath();
  PeerCredentialsRegistry peers;
  absl::StatusOr<DaemonListeners> listeners = DaemonListeners::Open(
      absl::StrSplit(listen, ',', absl::SkipEmpty()), socket_group, *tls, &peers);
  if (!listeners.ok()) {
    return Fail(listeners.status().code() == absl::StatusCode::kInvalidArgument ? kExitUsage
                                                                               : kExitFailure,
                std::string(listeners.status().message()));
  }
  const CallerAccess access(std::move(*policy), &peers);


  std::unique_ptr<CarAudioService> carservice;
  if (run_carservice) {
    absl::StatusOr<std::unique_ptr<CarAudioCore>> core = CarAudioCore::Create(*config);
    if (!core.ok()) return Fail(kExitUsage, std::string(core.status().message()));
    carservice = std::make_unique<CarAudioService>(std::move(*core), &access, audit,
                                                   static_cast<size_t>(max_queued_operations));
  }
  InMemoryAudioBackend memory_backend;
  std::unique_ptr<PipeWireBridge> bridge;
  std::unique_ptr<PipeWireAudioBackend> pipewire_backend;
  AudioBackend* backend = &memory_backend;
  if (run_hal && audio == "pipewire") {
    BridgeOptions options;
    options.ramps.duck_level_db = static_cast<float>(absl::GetFlag(FLAGS_duck_level_db));
    options.ramps.duck_attack = absl::Milliseconds(absl::GetFlag(FLAGS_duck_attack_ms));
    options.ramps.duck_release = absl::Milliseconds(absl::GetFlag(FLAGS_duck_release_ms));
    options.ramps.mute = absl::Milliseconds(absl::GetFlag(FLAGS_mute_ramp_ms));
    options.node_latency = absl::GetFlag(FLAGS_node_latency);
    absl::StatusOr<std::unique_ptr<PipeWireBridge>> started =
        PipeWireBridge::Start(*config, std::move(options));
    if (!started.ok()) return Fail(kExitUsage, std::string(started.status().message()));
    bridge = std::move(*started);
    pipewire_backend = std::make_unique<PipeWireAudioBackend>(bridge.get());
    backend = pipewire_backend.get();
  }
  std::unique_ptr<AudioControlHal> hal;
  if (run_hal) hal = std::make_unique<AudioControlHal>(*config, backend, &access);

  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which would let a second daemon share a TCP port.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 2000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 2000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 1000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 0);
  listeners->AddTo(builder);
  if (carservice) {
    builder.RegisterService(carservice->audio_focus_service());
    builder.RegisterService(carservice->admin_service());
  }
  if (hal) {
    builder.RegisterService(hal->audio_control_service());
    builder.RegisterService(hal->hal_focus_service());
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server) {
    return Fail(kExitFailure, "cannot listen on " + absl::StrJoin(listeners->addresses(), ", "));
  }
  listeners->Serve(server.get());

  if (carservice) {
    if (run_hal) {
      carservice->ConnectHal(server->InProcessChannel(HalLink::ChannelArguments()));
    } else {
      carservice->ConnectHal(grpc::CreateCustomChannel(
          hal_address,
          IsUnixAddress(hal_address) ? grpc::InsecureChannelCredentials()
                                     : MutualTlsChannelCredentials(**tls),
          HalLink::ChannelArguments()));
    }
  }

  LogInfo("audiocontrold",
          absl::StrCat("ready: role ", role, ", ", config->zones.size(), " zones, pid ", ::getpid(),
                       ", listening on ", absl::StrJoin(listeners->addresses(), ", ")));
  LogInfo("audiocontrold", "access: " + policy_text);

  ServedDaemon served;
  served.carservice = carservice.get();
  served.hal = hal.get();
  served.bridge = bridge.get();
  served.config = &*config;
  served.config_path = config_path;
  ServeUntilStopped(notifier, served);

  if (carservice) carservice->Shutdown();
  if (hal) hal->Shutdown();
  listeners->Stop();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  server->Wait();
  return 0;
}

}  // namespace
}  // namespace caraudio

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "audiocontrold [--role=all|carservice|hal] [--listen=ADDRESS[,ADDRESS]] [--hal=ADDRESS] "
      "[--config=FILE]\n       audiocontrold --check-config FILE");
  std::vector<std::string> args = caraudio::SpellCheckConfigFlag(argc, argv);
  std::vector<char*> arg_pointers;
  for (std::string& arg : args) arg_pointers.push_back(arg.data());
  absl::ParseCommandLine(static_cast<int>(arg_pointers.size()), arg_pointers.data());
  // Debian builds absl without NDEBUG, which leaves absl::Mutex's deadlock
  // detector on: every lock in gRPC (gpr_mu is an absl::Mutex in 1.51)
  // then updates a global lock-order graph. Our own locks are std::mutex.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  if (const std::string file = absl::GetFlag(FLAGS_check_config); !file.empty()) {
    return caraudio::CheckConfig(file);
  }
  return caraudio::Run();
}
