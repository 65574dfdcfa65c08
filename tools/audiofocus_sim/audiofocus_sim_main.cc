// audiofocus-sim: runs a scenario of simulated apps against audiocontrold
// and PipeWire (see SimUsage() in sim_args.cc for the command line, and
// scenario_runner.h for what a run does).

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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
