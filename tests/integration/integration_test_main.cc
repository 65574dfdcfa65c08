// main() of the integration tests. The binary doubles as the harness's
// children (the exec wrapper that ties daemons to this process's life, and
// the focus-holder app, the caller that becomes another user), so those
// checks come first.

#include <gtest/gtest.h>

#include <optional>

#include "tests/integration/caller_process.h"
#include "tests/integration/daemon_process.h"
#include "tests/integration/focus_holder_process.h"

int main(int argc, char** argv) {
  if (std::optional<int> code = caraudio::testing::RunTestChildIfRequested(argc, argv)) {
    return *code;
  }
  if (std::optional<int> code = caraudio::testing::RunCallerChildIfRequested(argc, argv)) {
    return *code;
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
