// Runs one parsed audioctl invocation against audiocontrold.
//
// Output: results on stdout (streaming commands flush after every line, so a
// pipe sees events as they happen); errors as ONE line on stderr, either
//   audioctl: cannot reach audiocontrold at <target>: <reason>
// when no connection could be made within --timeout (default 3 s), or
//   audioctl: <STATUS_CODE_NAME>: <message>
// when an RPC returned an error. The exit codes are the kExit* constants of
// audioctl_args.h.
//
// Streaming commands (request, hal-request, events) hold their call until
// SIGINT/SIGTERM, their --seconds (counted from the first message received)
// or the server ending the stream; a signal cancels the call, which the
// server treats as an abandon / release, and exits 0.

#ifndef CARAUDIO_TOOLS_AUDIOCTL_COMMANDS_H_
#define CARAUDIO_TOOLS_AUDIOCTL_COMMANDS_H_

#include "tools/audioctl_args.h"

namespace caraudio::audioctl {

// Runs `invocation` and returns the process exit code. Call from the main
// thread before any other thread exists: streaming commands block SIGINT,
// SIGTERM and SIGUSR1 for the rest of the process (threads started later,
// gRPC's included, inherit the mask) and take them synchronously.
int RunInvocation(const Invocation& invocation);

}  // namespace caraudio::audioctl

#endif  // CARAUDIO_TOOLS_AUDIOCTL_COMMANDS_H_
