// The command line of audiofocus-sim, parsed without I/O:
//
//   audiofocus-sim --scenario FILE [--socket PATH] [--hal-socket PATH]
//                  [--carservice-pid PID] [--config FILE] [--record OUT.wav]
//                  [--levels] [--events] [--quiet]
//
// Options are spelled `--name VALUE` or `--name=VALUE`; --help prints the
// usage. Every problem is caught here, before anything is read or sent.

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SIM_ARGS_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SIM_ARGS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace caraudio::sim {

struct SimArgs {
  // --help: print the usage and exit 0; nothing else is needed then.
  bool help = false;
  // --scenario FILE (.textproto, .pbtxt, .txtpb or .json). Required.
  std::string scenario_path;
  // --socket PATH: audiocontrold's unix socket; the daemon's default
  // (carservice/single_instance_lock.h DefaultSocketPath) when absent.
  std::optional<std::string> socket;
  // --hal-socket PATH: the HAL's socket, for HalFocus (hal_chime), when the
  // daemon runs split (--role=hal); --socket when absent.
  std::optional<std::string> hal_socket;
  // --carservice-pid PID: the car service process (--role=carservice) that
  // stop_car_service / continue_car_service signal. > 0.
  std::optional<int> carservice_pid;
  // --config FILE: the car_audio_configuration.xml the daemon runs with;
  // the embedded default car when absent.
  std::optional<std::string> config_path;
  // --record OUT.wav: write what the devices played.
  std::optional<std::string> record_path;
  // --levels: print every recorded device's level at every step time.
  bool levels = false;
  // --events: print the car service's decisions that no app sees
  // (service_events.h) as they arrive.
  bool events = false;
  // --quiet: print only failures, errors and the summary.
  bool quiet = false;
};

// `args` without the program name. InvalidArgument with a one-line message.
absl::StatusOr<SimArgs> ParseSimArgs(const std::vector<std::string>& args);

// The --help text, ending in a newline.
std::string SimUsage();

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_SIM_ARGS_H_
