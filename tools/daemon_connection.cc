#include "tools/daemon_connection.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "caraudio/v1/admin.grpc.pb.h"

namespace caraudio {
namespace {

// Why the channel is in TRANSIENT_FAILURE, in gRPC's words (e.g. "...: No
// such file or directory"), from a fail-fast Ping. nullopt when the Ping got
// through after all (the daemon just came up): then the channel is usable.
std::optional<std::string> FailureReason(const std::shared_ptr<grpc::Channel>& channel,
                                         absl::Duration timeout) {
  v1::CarAudioAdmin::Stub stub(channel);
  grpc::ClientContext context;
  context.set_wait_for_ready(false);
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  v1::PingResponse response;
  const grpc::Status status = stub.Ping(&context, v1::PingRequest(), &response);
  if (status.error_code() != grpc::StatusCode::UNAVAILABLE &&
      status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
    return std::nullopt;  // answered (OK, or UNIMPLEMENTED by a HAL-only daemon)
  }
  // "failed to connect to all addresses; last error: UNKNOWN: unix:/x: No
  // such file or directory": the target is printed already; keep the cause.
  const std::string& message = status.error_message();
  if (message.empty()) return std::string("connection failed");
  const size_t last_error = message.find("last error: ");
  const size_t cause = message.rfind(": ");
  if (last_error != std::string::npos && cause != std::string::npos && cause > last_error) {
    return message.substr(cause + 2);
  }
  return message;
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::Channel>> ConnectToDaemon(
    const std::string& target, absl::Duration timeout, bool wait,
    const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
  grpc::ChannelArguments arguments;
  // Retry quickly under `wait`. (Not GRPC_ARG_MIN_RECONNECT_BACKOFF_MS: gRPC
  // also takes it as the handshake timeout, which would fail a slow start.)
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(target, credentials, arguments);
  const absl::Time deadline = absl::Now() + timeout;
  const std::string prefix = absl::StrCat("cannot reach audiocontrold at ", target, ": ");
  for (;;) {
    const grpc_connectivity_state state = channel->GetState(/*try_to_connect=*/true);
    if (state == GRPC_CHANNEL_READY) break;
    if (state == GRPC_CHANNEL_SHUTDOWN) return absl::UnavailableError(prefix + "channel shut down");
    if (state == GRPC_CHANNEL_TRANSIENT_FAILURE && !wait) {
      std::optional<std::string> reason =
          FailureReason(channel, std::max(deadline - absl::Now(), absl::Milliseconds(100)));
      if (!reason) break;
      return absl::UnavailableError(prefix + *reason);
    }
    if (!channel->WaitForStateChange(state, absl::ToChronoTime(deadline))) {
      std::string why = absl::StrCat("no connection within ", absl::FormatDuration(timeout));
      if (state == GRPC_CHANNEL_TRANSIENT_FAILURE) {
        std::optional<std::string> reason = FailureReason(channel, absl::Milliseconds(100));
        if (!reason) break;
        absl::StrAppend(&why, " (", *reason, ")");
      }
      return absl::DeadlineExceededError(prefix + why);
    }
  }
  return channel;
}

}  // namespace caraudio
