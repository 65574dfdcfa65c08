// ServiceSupervisor: what audiocontrold tells its service manager about
// itself (sd_notify through a SystemdNotifier): when it is ready, a STATUS=
// line, that it is alive (the watchdog), and reloads.
//
// Everything comes from health probes, one per component with an executor
// of its own (the car service, the HAL). A probe queues a task on its
// executor that reports the component's health; a round runs the probes one
// after another, so it completes only once every executor has run a task
// queued after the round began. At most one round is in flight: a stuck
// executor holds that one round and gets no pile of probes.
//
//  - Watchdog: Tick(/*watchdog=*/true) asks for a ping; WATCHDOG=1 goes out
//    when a round completes after the ask. A stuck executor therefore stops
//    the pings and the service manager restarts the daemon.
//  - READY=1 goes out once (and is logged), after the first round in which
//    every component reports ready (the HAL link registered, PipeWire
//    connected); until then STATUS= says what it waits for. Afterwards STATUS= is sent when the
//    summary changes, at most once per round.
//  - Reloads: BeginReload() sends RELOADING=1, EndReload() READY=1 with the
//    outcome once no reload is left in flight.
//
// Thread-safe. Probe callbacks and reload completions that arrive after
// Stop() (or destruction) do nothing.

#ifndef CARAUDIO_CARSERVICE_SERVICE_SUPERVISOR_H_
#define CARAUDIO_CARSERVICE_SERVICE_SUPERVISOR_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "carservice/systemd_notifier.h"

namespace caraudio {

struct ComponentHealth {
  bool ready = true;
  // What STATUS= says about the component: "3 zones, 2 focus clients" or
  // "waiting for PipeWire".
  std::string summary;
};

// Runs `report` on the component's executor with its health.
using HealthProbe = std::function<void(std::function<void(ComponentHealth)> report)>;

class ServiceSupervisor {
 public:
  // `notifier` must outlive Stop().
  ServiceSupervisor(const SystemdNotifier* notifier, std::vector<HealthProbe> probes);
  ~ServiceSupervisor();  // Stop()
  ServiceSupervisor(const ServiceSupervisor&) = delete;
  ServiceSupervisor& operator=(const ServiceSupervisor&) = delete;

  // Starts a round unless one is in flight; with `watchdog`, the next round
  // to complete pings.
  void Tick(bool watchdog);

  bool ready() const;
  // The last STATUS= summary ("" before the first round).
  std::string status() const;

  void BeginReload(const std::string& status);
  void EndReload(const std::string& status);

  // Sends STOPPING=1; nothing is sent afterwards.
  void Stop(const std::string& status);

 private:
  struct State;
  static void RunProbe(const std::shared_ptr<State>& state, size_t index,
                       std::vector<ComponentHealth> healths);
  static void FinishRound(const std::shared_ptr<State>& state,
                          const std::vector<ComponentHealth>& healths);

  std::shared_ptr<State> state_;
};

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_SERVICE_SUPERVISOR_H_
