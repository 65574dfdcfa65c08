#include "tools/audiofocus_sim/sim_args.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace caraudio::sim {

absl::StatusOr<SimArgs> ParseSimArgs(const std::vector<std::string>& args) {
  SimArgs parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      parsed.help = true;
      return parsed;
    }
    if (bool* flag = arg == "--quiet"    ? &parsed.quiet
                     : arg == "--levels" ? &parsed.levels
                     : arg == "--events" ? &parsed.events
                                         : nullptr) {
      *flag = true;
      continue;
    }
    if (!absl::StartsWith(arg, "--")) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument \"", arg, "\""));
    }
    std::string name(arg.substr(2));
    std::optional<std::string> value;
    if (const size_t equals = name.find('='); equals != std::string::npos) {
      value = name.substr(equals + 1);
      name.resize(equals);
    }
    if (name != "scenario" && name != "socket" && name != "hal-socket" &&
        name != "carservice-pid" && name != "config" && name != "record") {
      return absl::InvalidArgumentError(absl::StrCat("unknown option --", name));
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
      }
      value = args[++i];
    }
    if (value->empty()) return absl::InvalidArgumentError(absl::StrCat("--", name, " is empty"));
    if (name == "scenario") {
      parsed.scenario_path = *value;
    } else if (name == "socket") {
      parsed.socket = *value;
    } else if (name == "hal-socket") {
      parsed.hal_socket = *value;
    } else if (name == "carservice-pid") {
      int pid = 0;
      if (!absl::SimpleAtoi(*value, &pid) || pid <= 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("--carservice-pid must be a process id (a positive number), not \"",
                         *value, "\""));
      }
      parsed.carservice_pid = pid;
    } else if (name == "config") {
      parsed.config_path = *value;
    } else {
      parsed.record_path = *value;
    }
  }
  if (parsed.scenario_path.empty()) {
    return absl::InvalidArgumentError("--scenario FILE is required");
  }
  return parsed;
}

std::string SimUsage() {
  return R"(usage: audiofocus-sim --scenario FILE [--socket PATH] [--hal-socket PATH]
                      [--carservice-pid PID] [--config FILE] [--record OUT.wav]
                      [--levels] [--events] [--quiet]

Runs a scenario (proto/caraudio/sim/v1/scenario.proto; examples in
config/scenarios/) against a running audiocontrold and the PipeWire daemon it
plays on: every app is a real AudioFocus client playing its own tone on a
PipeWire stream, and the expect steps are checked on what the apps received
and on what the devices really played.

  --scenario FILE   .textproto/.pbtxt/.txtpb (text format) or .json
  --socket PATH     audiocontrold's socket (default: $XDG_RUNTIME_DIR/caraudio/
                    audiocontrol.sock, else /run/caraudio/audiocontrol.sock)
  --hal-socket PATH the HAL's socket, for hal_chime steps, when the daemon
                    runs split (--role=hal / --role=carservice); default:
                    --socket
  --carservice-pid PID
                    the --role=carservice process that stop_car_service and
                    continue_car_service steps stop (SIGSTOP) and continue
                    (SIGCONT); must be an audiocontrold
  --config FILE     the car_audio_configuration.xml the daemon uses (default:
                    the built-in car)
  --record OUT.wav  write the recorded devices, one channel each (16-bit)
  --levels          print each recorded device's level (RMS of the last
                    100 ms, dBFS) at every step time
  --events          print the car service's decisions no app sees (HAL focus,
                    ducking, muting, hardening, audit findings) as they come
  --quiet           print only failures, errors and the summary

An app is audible when its own frequency is above -50 dBFS in the last 100 ms
recorded from its device.

Exit codes: 0 every expectation held; 1 an expectation or a step failed;
2 bad arguments, config or scenario; 3 audiocontrold or PipeWire unusable.
)";
}

}  // namespace caraudio::sim
