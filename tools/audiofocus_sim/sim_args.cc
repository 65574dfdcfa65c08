#include "tools/audiofocus_sim/sim_args.h"

#include "absl/strings/match.h"
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
    if (arg == "--quiet") {
      parsed.quiet = true;
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
    if (name != "scenario" && name != "socket" && name != "config" && name != "record") {
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
  return R"(usage: audiofocus-sim --scenario FILE [--socket PATH] [--config FILE]
                      [--record OUT.wav] [--quiet]

Runs a scenario (proto/caraudio/sim/v1/scenario.proto; examples in
config/scenarios/) against a running audiocontrold and the PipeWire daemon it
plays on: every app is a real AudioFocus client playing its own tone on a
PipeWire stream, and the expect steps are checked on what the apps received
and on what the devices really played.

  --scenario FILE   .textproto/.pbtxt/.txtpb (text format) or .json
  --socket PATH     audiocontrold's socket (default: $XDG_RUNTIME_DIR/caraudio/
                    audiocontrol.sock, else /run/caraudio/audiocontrol.sock)
  --config FILE     the car_audio_configuration.xml the daemon uses (default:
                    the built-in car)
  --record OUT.wav  write the recorded devices, one channel each (16-bit)
  --quiet           print only failures, errors and the summary

An app is audible when its own frequency is above -50 dBFS in the last 100 ms
recorded from its device.

Exit codes: 0 every expectation held; 1 an expectation or a step failed;
2 bad arguments, config or scenario; 3 audiocontrold or PipeWire unusable.
)";
}

}  // namespace caraudio::sim
