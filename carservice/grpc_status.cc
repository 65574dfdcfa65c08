#include "carservice/grpc_status.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace caraudio {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  std::string message(status.message());
  if (message.size() > kMaxStatusMessageBytes) {
    const size_t size = message.size();
    message.resize(kMaxStatusMessageBytes);
    absl::StrAppend(&message, "... (cut; ", size, " bytes in all)");
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::move(message));
}

}  // namespace caraudio
