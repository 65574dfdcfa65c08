// The exit codes of audiofocus-sim (also in its --help text).

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_EXIT_CODES_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_EXIT_CODES_H_

namespace caraudio::sim {

inline constexpr int kExitPassed = 0;       // every expectation held
inline constexpr int kExitFailed = 1;       // an expectation or a step failed
inline constexpr int kExitBadInput = 2;     // bad arguments, config or scenario
inline constexpr int kExitUnreachable = 3;  // daemon or PipeWire not usable

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_EXIT_CODES_H_
