// ToGrpcStatus: an absl::Status as the gRPC status a handler returns, the
// code kept and the message bounded. Error messages quote what the caller
// sent ("unknown volume group \"...\""), and gRPC carries the message in a
// header the client accepts only up to 8 KiB by default: a longer one makes
// the client fail the whole connection (RESOURCE_EXHAUSTED "received initial
// metadata size exceeds limit"), ending the caller's other streams too. So a
// message longer than kMaxStatusMessageBytes is cut, saying so.
//
// The one conversion at the gRPC edge of the car service and the HAL.

#ifndef CARAUDIO_CARSERVICE_GRPC_STATUS_H_
#define CARAUDIO_CARSERVICE_GRPC_STATUS_H_

#include <grpcpp/grpcpp.h>

#include <cstddef>

#include "absl/status/status.h"

namespace caraudio {

inline constexpr size_t kMaxStatusMessageBytes = 1024;

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace caraudio

#endif  // CARAUDIO_CARSERVICE_GRPC_STATUS_H_
