#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs dependencies, builds, runs
# every ctest test but the long "soak" ones (scripts/soak.sh). Exit code =
# result. SANITIZE=address,undefined (or thread) runs the suite instrumented
# in its own build directory.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [[ -n "${SANITIZE:-}" ]]; then
  export BUILD_DIR=${BUILD_DIR:-build-${SANITIZE//,/-}}
  scripts/build.sh -DSANITIZE="$SANITIZE"
else
  export BUILD_DIR=${BUILD_DIR:-build}
  scripts/build.sh -DSANITIZE=
fi
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"${JOBS:-$(nproc)}" --timeout 600 -LE soak
