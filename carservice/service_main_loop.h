// ServeUntilStopped: what audiocontrold's main thread does once the server
// is up, until SIGTERM or SIGINT.
//
//  - sd_notify (a ServiceSupervisor): READY=1 once the gRPC socket serves
//    (it does before this is called), the car service's focus listener is
//    registered with the HAL and the PipeWire bridge is connected; STATUS=
//    with the zone count, focus clients and event watchers, at most once a
//    second; WATCHDOG=1 every half $WATCHDOG_USEC, sent only after a probe
//    has passed through the car service's and the HAL's executors; STOPPING=1
//    on the way out.
//  - SIGHUP reloads --config (LoadConfigFile, then CarAudioService::
//    ReloadConfig) between RELOADING=1 and READY=1. A file that does not
//    parse, or that the in-process HAL cannot serve (CheckHalCanServe), is
//    logged and the running config stays. Without --config (the embedded
//    car) or without a car service (--role=hal) it only logs why nothing is
//    reloaded.

#ifndef CARAUDIO_CARSERVICE_SERVICE_MAIN_LOOP_H_
#define CARAUDIO_CARSERVICE_SERVICE_MAIN_LOOP_H_

#include <string>

#include "carservice/car_audio_service.h"
#include "absl/status/status.h"
#include "carservice/systemd_notifier.h"
#include "hal/audio_control_hal.h"
#include "pipewire-bridge/pipewire_bridge.h"
#include "zones/car_audio_config.h"

namespace caraudio {

// The running daemon. Pointers are null for parts this role does not run;
// all must outlive ServeUntilStopped().
struct ServedDaemon {
  CarAudioService* carservice = nullptr;
  AudioControlHal* hal = nullptr;
  PipeWireBridge* bridge = nullptr;  // --audio=pipewire only
  // The config the daemon started with (the HAL's, for CheckHalCanServe).
  const CarAudioConfig* config = nullptr;
  // --config; empty when running on the embedded default car.
  std::string config_path;
};

// Blocks SIGTERM, SIGINT and SIGHUP. Call in main() before any other thread
// starts, so that only ServeUntilStopped() ever takes them.
absl::Status BlockServiceSignals();

// Serves until SIGTERM or SIGINT; returns that signal's number.
int ServeUntilStopped(const SystemdNotifier& notifier, const ServedDaemon& daemon);

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_SERVICE_MAIN_LOOP_H_
