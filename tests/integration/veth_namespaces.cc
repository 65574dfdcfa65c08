#include "tests/integration/veth_namespaces.h"

#include <unistd.h>

#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/integration/daemon_process.h"

namespace caraudio::testing {
namespace {

constexpr char kIp[] = "/usr/sbin/ip";

}  // namespace

absl::StatusOr<std::unique_ptr<VethNamespaces>> VethNamespaces::Create() {
  absl::StatusOr<TempDir> dir = TempDir::Create("caraudio-netns");
  if (!dir.ok()) return dir.status();
  std::unique_ptr<VethNamespaces> pair(new VethNamespaces(std::move(*dir)));
  VethNamespaces& p = *pair;
  if (absl::Status status = p.Ip({"netns", "add", p.namespace_a_}); !status.ok()) return status;
  p.namespace_a_added_ = true;
  if (absl::Status status = p.Ip({"netns", "add", p.namespace_b_}); !status.ok()) return status;
  p.namespace_b_added_ = true;
  // Created inside namespace a, so no interface ever appears in the
  // machine's own namespace; then b's end moves to b.
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"-n", p.namespace_a_, "link", "add", p.interface_a_, "type", "veth", "peer", "name",
            p.interface_b_},
           {"-n", p.namespace_a_, "link", "set", p.interface_b_, "netns", p.namespace_b_},
           {"-n", p.namespace_a_, "addr", "add", absl::StrCat(kAddressA, "/30"), "dev",
            p.interface_a_},
           {"-n", p.namespace_b_, "addr", "add", absl::StrCat(kAddressB, "/30"), "dev",
            p.interface_b_},
           {"-n", p.namespace_a_, "link", "set", "lo", "up"},
           {"-n", p.namespace_b_, "link", "set", "lo", "up"},
           {"-n", p.namespace_a_, "link", "set", p.interface_a_, "up"},
           {"-n", p.namespace_b_, "link", "set", p.interface_b_, "up"}}) {
    if (absl::Status status = p.Ip(std::move(args)); !status.ok()) return status;
  }
  return pair;
}

VethNamespaces::VethNamespaces(TempDir dir)
    : dir_(std::move(dir)),
      namespace_a_(absl::StrCat("caraudio-", ::getpid(), "-a")),
      namespace_b_(absl::StrCat("caraudio-", ::getpid(), "-b")),
      interface_a_(absl::StrCat("ca", ::getpid(), "a")),
      interface_b_(absl::StrCat("ca", ::getpid(), "b")) {}

VethNamespaces::~VethNamespaces() {
  for (auto [added, name] : {std::pair{namespace_a_added_, &namespace_a_},
                             std::pair{namespace_b_added_, &namespace_b_}}) {
    if (!added) continue;
    if (absl::Status status = Ip({"netns", "delete", *name}); !status.ok()) {
      std::fprintf(stderr, "[harness] %s\n", status.ToString().c_str());
    }
  }
}

std::vector<std::string> VethNamespaces::ExecPrefix(const std::string& name) const {
  return {kIp, "netns", "exec", name};
}

absl::Status VethNamespaces::SetLinkUp(bool up) {
  return Ip({"-n", namespace_a_, "link", "set", interface_a_, up ? "up" : "down"});
}

absl::Status VethNamespaces::Ip(std::vector<std::string> args) {
  args.insert(args.begin(), kIp);
  return RunToCompletion(std::move(args), dir_.File("ip.log"), absl::Seconds(10));
}

}  // namespace caraudio::testing
