// RpcStatus: a failed gRPC call of audiofocus-sim as an absl::Status with the
// same code and the call named: "AudioFocus.AbandonFocus: <message>". The
// code matters: UNAVAILABLE means the daemon went away (exit code 3).

#ifndef CARAUDIO_TOOLS_AUDIOFOCUS_SIM_RPC_STATUS_H_
#define CARAUDIO_TOOLS_AUDIOFOCUS_SIM_RPC_STATUS_H_

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace caraudio::sim {

inline absl::Status RpcStatus(const grpc::Status& status, absl::string_view rpc) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(rpc, ": ", status.error_message()));
}

}  // namespace caraudio::sim

#endif  // CARAUDIO_TOOLS_AUDIOFOCUS_SIM_RPC_STATUS_H_
