// StartTlsSplit: the car service and the HAL as two processes talking over
// TCP with mutual TLS (TestCertificates), as on two ECUs. The HAL listens on
// `hal_tcp` and on dir/hal.sock; the car service on dir/carservice.sock and
// reaches the HAL at `hal_tcp`. The tests drive both through their unix
// sockets (readiness probes too). Each daemon may run through a command
// prefix (DaemonOptions::command_prefix, e.g. `ip netns exec NAME`).

#ifndef CARAUDIO_TESTS_INTEGRATION_TLS_SPLIT_H_
#define CARAUDIO_TESTS_INTEGRATION_TLS_SPLIT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/integration/daemon_process.h"
#include "tests/integration/test_certificates.h"

namespace caraudio::testing {

struct TlsSplitOptions {
  std::string hal_tcp;  // "HOST:PORT"
  std::vector<std::string> hal_prefix;
  std::vector<std::string> carservice_prefix;
  std::string name_suffix;  // in the daemons' names: "hal" + suffix
};

struct TlsSplit {
  std::unique_ptr<DaemonProcess> hal;
  std::unique_ptr<DaemonProcess> carservice;
};

// Starts the HAL, then the car service; each is ready when this returns.
absl::StatusOr<TlsSplit> StartTlsSplit(const TestCertificates& certificates, const TempDir& dir,
                                       const TlsSplitOptions& options);

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_INTEGRATION_TLS_SPLIT_H_
