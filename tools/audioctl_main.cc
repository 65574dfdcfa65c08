// audioctl: inspect and drive audiocontrold from a shell, in the spirit of
// `dumpsys audio` and `wpctl`. `audioctl help` lists the commands; the
// command line is defined in audioctl_args.h, the commands and their exit
// codes in audioctl_commands.h.

#include <cstdio>
#include <string>
#include <vector>

#include "tools/audioctl_args.h"
#include "tools/audioctl_commands.h"

int main(int argc, char** argv) {
  using namespace caraudio::audioctl;
  const std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<Invocation> invocation = ParseCommandLine(args);
  if (!invocation.ok()) {
    std::fprintf(stderr, "audioctl: %s\n", std::string(invocation.status().message()).c_str());
    return kExitUsage;
  }
  return RunInvocation(*invocation);
}
