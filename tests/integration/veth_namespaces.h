// VethNamespaces: two network namespaces of this test joined by a veth pair,
// standing in for two ECUs on a car's Ethernet:
//
//   caraudio-<pid>-a  (interface ca<pid>a, 10.213.0.1/30)  <-- veth -->
//   caraudio-<pid>-b  (interface ca<pid>b, 10.213.0.2/30)
//
// Names carry this process's pid, so parallel tests never share them, and
// the addresses exist only inside the two namespaces: nothing of the
// machine's own network is touched. Processes run inside with
// `ip netns exec NAME PROGRAM` (ExecPrefix), which execs PROGRAM in place,
// so the PID the harness holds is the program's. Unix sockets are files, so
// the test reaches the daemons inside through sockets in a temp dir as
// usual. SetLinkUp(false) cuts the wire (side a's interface down, as a
// pulled connector); SetLinkUp(true) mends it.
//
// The destructor deletes both namespaces (the veth pair goes with them),
// also after a failed assertion; stop the processes inside first. Needs
// root and iproute2. Not thread-safe: one owner.

#ifndef CARAUDIO_TESTS_INTEGRATION_VETH_NAMESPACES_H_
#define CARAUDIO_TESTS_INTEGRATION_VETH_NAMESPACES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/testing/temp_dir.h"

namespace caraudio::testing {

class VethNamespaces {
 public:
  static absl::StatusOr<std::unique_ptr<VethNamespaces>> Create();
  ~VethNamespaces();
  VethNamespaces(const VethNamespaces&) = delete;
  VethNamespaces& operator=(const VethNamespaces&) = delete;

  const std::string& namespace_a() const { return namespace_a_; }
  const std::string& namespace_b() const { return namespace_b_; }
  static constexpr char kAddressA[] = "10.213.0.1";
  static constexpr char kAddressB[] = "10.213.0.2";

  // {"/usr/sbin/ip", "netns", "exec", NAME}: put before a program's argv.
  std::vector<std::string> ExecPrefix(const std::string& name) const;

  absl::Status SetLinkUp(bool up);

 private:
  explicit VethNamespaces(TempDir dir);
  // Runs `ip ARGS...`; the error carries its output.
  absl::Status Ip(std::vector<std::string> args);

  TempDir dir_;  // ip's output, for errors
  std::string namespace_a_;
  std::string namespace_b_;
  std::string interface_a_;
  std::string interface_b_;
  bool namespace_a_added_ = false;
  bool namespace_b_added_ = false;
};

}  // namespace caraudio::testing

#endif  // CARAUDIO_TESTS_INTEGRATION_VETH_NAMESPACES_H_
