#!/usr/bin/env bash
# The long reliability runs, ctest label "soak" (docs/reliability.md): the
# 2-minute soak of 200 clients (soak_2min) and 10,000 SIGKILLed clients
# (client_kills_10000), one after the other. Sets up and builds like
# scripts/test.sh. SOAK_DURATION=1h runs only caraudio-soak, for that long.
# Exit code = result.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export BUILD_DIR=${BUILD_DIR:-build}
scripts/build.sh -DSANITIZE=
if [[ -n "${SOAK_DURATION:-}" ]]; then
  exec "$BUILD_DIR/tests/soak/caraudio-soak" --duration="$SOAK_DURATION"
fi
ctest --test-dir "$BUILD_DIR" --output-on-failure -L soak
