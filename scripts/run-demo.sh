#!/usr/bin/env bash
# README command 1, on a fresh Debian 12 machine: installs the dependencies
# (scripts/setup.sh), builds (scripts/build.sh), then runs the drive demo
# (scripts/drive-demo.sh, docs/demo.md): a private PipeWire, audiocontrold
# split into HAL and car service with the default three-zone car, and a
# scripted drive of simulated apps on real audio, every step checked. It
# prints each decision with its explanation and the level of every device
# over time, writes the recording, the event log and the timeline picture to
# the output directory (--out DIR, default ./demo-output), and ends with a
# pass/fail summary; the exit code is non-zero when anything failed.
#   scripts/run-demo.sh [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec scripts/drive-demo.sh "$@"
