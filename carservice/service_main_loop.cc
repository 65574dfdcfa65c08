#include "carservice/service_main_loop.h"

#include <signal.h>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "carservice/config_file_check.h"
#include "carservice/daemon_loop.h"
#include "carservice/service_supervisor.h"
#include "common/log.h"

namespace caraudio {
namespace {

constexpr char kComponent[] = "audiocontrold";
// How often readiness is checked until READY=1, and STATUS= refreshed after.
constexpr absl::Duration kStartupPoll = absl::Milliseconds(20);
constexpr absl::Duration kStatusPeriod = absl::Seconds(1);

std::vector<int> ServiceSignals() { return {SIGTERM, SIGINT, SIGHUP}; }

std::string Plural(int count, const char* one, const char* many) {
  return absl::StrCat(count, " ", count == 1 ? one : many);
}

std::vector<HealthProbe> Probes(const ServedDaemon& daemon) {
  std::vector<HealthProbe> probes;
  if (CarAudioService* carservice = daemon.carservice) {
    probes.push_back([carservice](std::function<void(ComponentHealth)> report) {
      carservice->CheckHealth([report](const CarAudioService::Health& health) {
        ComponentHealth component;
        component.ready = health.hal_registered;
        component.summary = absl::StrCat(
            Plural(health.zones, "zone", "zones"), ", ",
            Plural(health.focus_clients, "focus client", "focus clients"), ", ",
            Plural(health.event_watchers, "event watcher", "event watchers"),
            health.hal_registered ? "" : ", waiting for the HAL to register the focus listener");
        report(std::move(component));
      });
    });
  }
  if (AudioControlHal* hal = daemon.hal) {
    const int zones = daemon.carservice == nullptr && daemon.config != nullptr
                          ? static_cast<int>(daemon.config->zones.size())
                          : -1;
    PipeWireBridge* bridge = daemon.bridge;
    probes.push_back([hal, bridge, zones](std::function<void(ComponentHealth)> report) {
      hal->Heartbeat([report, bridge, zones] {
        ComponentHealth component;
        component.ready = bridge == nullptr || bridge->connected();
        component.summary = absl::StrCat(
            zones >= 0 ? absl::StrCat("HAL for ", Plural(zones, "zone", "zones"), ", ") : "",
            bridge == nullptr        ? "audio in memory"
            : bridge->connected() ? "PipeWire connected"
                                  : "waiting for PipeWire");
        report(std::move(component));
      });
    });
  }
  return probes;
}

// The completion may run after ServeUntilStopped returned (the executor
// drains on shutdown), so it holds the supervisor, which is stopped by then.
void Reload(const ServedDaemon& daemon, const std::shared_ptr<ServiceSupervisor>& supervisor) {
  if (daemon.carservice == nullptr) {
    LogWarning(kComponent,
               "SIGHUP: the HAL role keeps the devices it started with; nothing to reload");
    return;
  }
  if (daemon.config_path.empty()) {
    LogWarning(kComponent,
               "SIGHUP: running on the embedded default car (no --config); nothing to reload");
    return;
  }
  const std::string& path = daemon.config_path;
  LogInfo(kComponent, absl::StrCat("SIGHUP: reloading ", path));
  supervisor->BeginReload(absl::StrCat("reloading ", path));
  absl::StatusOr<LoadedConfigFile> loaded = LoadConfigFile(path);
  absl::Status usable = loaded.status();
  if (usable.ok() && daemon.hal != nullptr) {
    usable = CheckHalCanServe(*daemon.config, loaded->config);
  }
  if (!usable.ok()) {
    const std::string why = absl::StrCat("config reload refused, keeping the running config: ",
                                         usable.message());
    LogError(kComponent, why, {{"path", path}});
    supervisor->EndReload(why);
    return;
  }
  const std::string summary = ConfigSummary(loaded->config);
  daemon.carservice->ReloadConfig(
      std::move(loaded->config), path, std::move(loaded->xml),
      [supervisor, path, summary](absl::StatusOr<CarAudioService::ReloadResult> result) {
        if (!result.ok()) {
          const std::string why = absl::StrCat(
              "config reload refused, keeping the running config: ", result.status().message());
          LogError(kComponent, why, {{"path", path}});
          supervisor->EndReload(why);
          return;
        }
        const std::string done = absl::StrCat("config reloaded from ", path, ": ", summary);
        LogInfo(kComponent, done,
                {{"removed_zones", absl::StrJoin(result->removed_zone_ids, ",")},
                 {"added_zones", absl::StrJoin(result->added_zone_ids, ",")},
                 {"clients_lost", result->clients_lost}});
        supervisor->EndReload(done);
      });
}

}  // namespace

absl::Status BlockServiceSignals() { return DaemonLoop::BlockSignals(ServiceSignals()); }

int ServeUntilStopped(const SystemdNotifier& notifier, const ServedDaemon& daemon) {
  absl::StatusOr<std::unique_ptr<DaemonLoop>> created = DaemonLoop::Create(ServiceSignals());
  if (!created.ok()) {
    LogError(kComponent, created.status().ToString());
    return SIGTERM;  // nothing can stop or reload us: shut down
  }
  DaemonLoop& loop = **created;
  auto supervisor = std::make_shared<ServiceSupervisor>(&notifier, Probes(daemon));
  bool polling_for_ready = true;
  absl::StatusOr<size_t> status_timer =
      loop.AddTimer(kStartupPoll, [&supervisor, &loop, &status_timer, &polling_for_ready] {
        supervisor->Tick(/*watchdog=*/false);
        if (polling_for_ready && supervisor->ready()) {
          polling_for_ready = false;
          loop.SetPeriod(*status_timer, kStatusPeriod);
        }
      });
  if (!status_timer.ok()) LogError(kComponent, status_timer.status().ToString());
  if (const std::optional<absl::Duration> timeout = notifier.watchdog_timeout()) {
    const absl::Duration period = *timeout / 2;
    absl::StatusOr<size_t> watchdog_timer =
        loop.AddTimer(period, [&supervisor] { supervisor->Tick(/*watchdog=*/true); });
    if (!watchdog_timer.ok()) LogError(kComponent, watchdog_timer.status().ToString());
    LogInfo(kComponent, "watchdog enabled",
            {{"timeout_ms", absl::ToInt64Milliseconds(*timeout)},
             {"ping_ms", absl::ToInt64Milliseconds(period)}});
  }
  supervisor->Tick(/*watchdog=*/false);

  const int stop_signal = loop.Run([&daemon, &supervisor](int signal_number) {
    if (signal_number != SIGHUP) return false;
    Reload(daemon, supervisor);
    return true;
  });
  LogInfo(kComponent, absl::StrCat("signal ", stop_signal, ", shutting down"));
  supervisor->Stop("shutting down");
  return stop_signal;
}

}  // namespace caraudio
