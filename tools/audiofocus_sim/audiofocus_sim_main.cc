// audiofocus-sim: runs a scenario of simulated apps against audiocontrold
// and PipeWire (see SimUsage() in sim_args.cc for the command line, and
// scenario_runner.h for what a run does).

#include <sys/types.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "carservice/single_instance_lock.h"
#include "tools/audiofocus_sim/exit_codes.h"
#include "tools/audiofocus_sim/scenario_loader.h"
#include "tools/audiofocus_sim/scenario_runner.h"
#include "tools/audiofocus_sim/sim_args.h"
#include "tools/audiofocus_sim/timeline_log.h"
#include "tools/daemon_connection.h"
#include "zones/car_audio_config_parser.h"

namespace caraudio::sim {
namespace {

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "audiofocus-sim: %s\n", message.c_str());
  return code;
}

std::string ReadProcFile(pid_t pid, const char* name) {
  std::ifstream file(absl::StrCat("/proc/", pid, "/", name), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// --carservice-pid must name a running `audiocontrold --role=carservice`:
// the steps stop and continue it, and nothing else may be stopped by
// mistake.
absl::Status CheckCarServiceProcess(pid_t pid) {
  const std::string comm(absl::StripTrailingAsciiWhitespace(ReadProcFile(pid, "comm")));
  if (comm.empty()) return absl::NotFoundError(absl::StrCat("no process ", pid));
  if (comm != "audiocontrold") {
    return absl::InvalidArgumentError(
        absl::StrCat("process ", pid, " is \"", comm, "\", not audiocontrold"));
  }
  const std::vector<std::string> argv =
      absl::StrSplit(ReadProcFile(pid, "cmdline"), '\0', absl::SkipEmpty());
  for (size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "--role=carservice" ||
        (argv[i] == "--role" && i + 1 < argv.size() && argv[i + 1] == "carservice")) {
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("audiocontrold ", pid, " does not run with --role=carservice"));
}

// The first stop_car_service step, or -1.
int FirstCarServiceStop(const v1::Scenario& scenario) {
  for (int i = 0; i < scenario.timeline_size(); ++i) {
    if (scenario.timeline(i).has_stop_car_service()) return i;
  }
  return -1;
}

int Main(int argc, char** argv) {
  absl::StatusOr<SimArgs> args = ParseSimArgs(std::vector<std::string>(argv + 1, argv + argc));
  if (!args.ok()) {
    return Fail(kExitBadInput, absl::StrCat(args.status().message(), " (see --help)"));
  }
  if (args->help) {
    std::fputs(SimUsage().c_str(), stdout);
    return kExitPassed;
  }

  absl::StatusOr<CarAudioConfig> car =
      args->config_path ? LoadCarAudioConfigFile(*args->config_path) : LoadDefaultCarAudioConfig();
  if (!car.ok()) return Fail(kExitBadInput, std::string(car.status().message()));
  // The loader's messages start with FILE:LINE:COLUMN; print them as they are.
  absl::StatusOr<v1::Scenario> scenario = LoadScenarioFile(args->scenario_path, *car);
  if (!scenario.ok()) {
    std::fprintf(stderr, "%s\n", std::string(scenario.status().message()).c_str());
    return kExitBadInput;
  }
  if (const int stop = FirstCarServiceStop(*scenario); stop >= 0 && !args->carservice_pid) {
    return Fail(kExitBadInput,
                absl::StrCat(args->scenario_path, ": timeline[", stop,
                             "] stops the car service: give --carservice-pid PID of the "
                             "--role=carservice audiocontrold"));
  }
  if (args->carservice_pid) {
    if (absl::Status process = CheckCarServiceProcess(*args->carservice_pid); !process.ok()) {
      return Fail(kExitBadInput,
                  absl::StrCat("--carservice-pid ", *args->carservice_pid, ": ", process.message()));
    }
  }
  if (args->record_path) {
    // Found out now rather than after the run.
    std::ofstream probe(*args->record_path, std::ios::binary | std::ios::trunc);
    if (!probe) {
      return Fail(kExitBadInput,
                  absl::StrCat("cannot write ", *args->record_path, ": ", std::strerror(errno)));
    }
  }

  const std::string target = absl::StrCat("unix:", args->socket.value_or(DefaultSocketPath()));
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      ConnectToDaemon(target, absl::Seconds(3), /*wait=*/false,
                      grpc::InsecureChannelCredentials());
  if (!channel.ok()) return Fail(kExitUnreachable, std::string(channel.status().message()));
  std::shared_ptr<grpc::Channel> hal_channel;
  if (args->hal_socket) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> hal =
        ConnectToDaemon(absl::StrCat("unix:", *args->hal_socket), absl::Seconds(3), /*wait=*/false,
                        grpc::InsecureChannelCredentials());
    if (!hal.ok()) return Fail(kExitUnreachable, std::string(hal.status().message()));
    hal_channel = *std::move(hal);
  }

  size_t who_width = 0;
  for (const v1::App& app : scenario->apps())
    who_width = std::max(who_width, app.package_name().size());
  TimelineLog log(stdout, args->quiet, who_width);
  log.Plain(absl::StrCat("scenario ", scenario->name(), " (", args->scenario_path,
                         "): ", scenario->apps_size(), " apps, ", scenario->timeline_size(),
                         " steps, against ", target));
  ScenarioRunner::Options options;
  options.channel = *std::move(channel);
  options.record_path = args->record_path;
  options.hal_channel = std::move(hal_channel);
  options.carservice_pid = args->carservice_pid;
  options.print_levels = args->levels;
  options.show_events = args->events;
  absl::StatusOr<std::unique_ptr<ScenarioRunner>> runner =
      ScenarioRunner::Create(*scenario, *car, std::move(options), log);
  if (!runner.ok()) {
    return Fail(kExitUnreachable,
                absl::StrCat("cannot set up the run: ", runner.status().message()));
  }
  const RunSummary summary = (*runner)->Run();
  runner->reset();
  log.Plain(RenderSummary(*scenario, summary));
  return ExitCodeFor(summary);
}

}  // namespace
}  // namespace caraudio::sim

int main(int argc, char** argv) { return caraudio::sim::Main(argc, argv); }
