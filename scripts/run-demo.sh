#!/usr/bin/env bash
# The project's main job on a fresh machine: installs dependencies, builds,
# and runs the multi-zone focus demo on the default car configuration,
# printing every decision with its explanation.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec build/tools/focus-demo "$@"
