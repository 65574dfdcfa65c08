// Connecting a command-line tool (audioctl, audiofocus-sim) to audiocontrold:
// one gRPC channel to `target`, made READY within a timeout, or an error
// that says why in gRPC's own words ("cannot reach audiocontrold at
// unix:/run/x.sock: No such file or directory").
//
// Without `wait`, the first failed attempt is final (a missing socket fails
// in milliseconds); with it, gRPC retries with a short backoff until the
// timeout, for scripts that start the daemon and the tool together.
//
// Thread-safe: no shared state.

#ifndef CARAUDIO_TOOLS_DAEMON_CONNECTION_H_
#define CARAUDIO_TOOLS_DAEMON_CONNECTION_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace caraudio {

// A READY channel to `target` ("unix:PATH" or "HOST:PORT") made with
// `credentials` (insecure for a unix socket; mutual TLS for HOST:PORT, see
// carservice/tls_credentials.h). Errors: Unavailable (refused, no socket, a
// failed TLS handshake; the message carries the cause) or DeadlineExceeded
// (no answer within `timeout`).
absl::StatusOr<std::shared_ptr<grpc::Channel>> ConnectToDaemon(
    const std::string& target, absl::Duration timeout, bool wait,
    const std::shared_ptr<grpc::ChannelCredentials>& credentials);

}  // namespace caraudio

#endif  // CARAUDIO_TOOLS_DAEMON_CONNECTION_H_
