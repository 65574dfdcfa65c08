#include "tests/integration/tls_split.h"

#include <utility>

#include "tests/integration/integration_test_util.h"

namespace caraudio::testing {

absl::StatusOr<TlsSplit> StartTlsSplit(const TestCertificates& certificates, const TempDir& dir,
                                       const TlsSplitOptions& options) {
  TlsSplit split;
  DaemonOptions hal = TestDaemonOptions("hal" + options.name_suffix);
  hal.role = "hal";
  hal.listen = {"unix:" + dir.File("hal.sock"), options.hal_tcp};
  hal.extra_args = certificates.hal().Flags();
  hal.command_prefix = options.hal_prefix;
  absl::StatusOr<std::unique_ptr<DaemonProcess>> started = StartTestDaemon(std::move(hal));
  if (!started.ok()) return started.status();
  split.hal = std::move(*started);

  DaemonOptions carservice = TestDaemonOptions("carservice" + options.name_suffix);
  carservice.role = "carservice";
  carservice.listen = {"unix:" + dir.File("carservice.sock")};
  carservice.hal = options.hal_tcp;
  carservice.extra_args = certificates.carservice().Flags();
  carservice.command_prefix = options.carservice_prefix;
  started = StartTestDaemon(std::move(carservice));
  if (!started.ok()) return started.status();
  split.carservice = std::move(*started);
  return split;
}

}  // namespace caraudio::testing
