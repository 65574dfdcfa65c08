#!/usr/bin/env bash
# Builds the libFuzzer fuzzers with clang (ASan + UBSan) in build-fuzz and runs
# each for SECONDS (default 60): the zone config parser, the scenario loader,
# and the focus engine with its invariants. Seeds come from fuzz/corpus/<name>/
# (read only); new inputs go to build-fuzz/corpus/<name>/, crashes to
# build-fuzz/artifacts/. Exit code: non-zero when a fuzzer found a crash.
#   scripts/fuzz.sh [SECONDS] [FUZZER...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_FUZZER=${1:-60}
shift || true
FUZZERS=("$@")
((${#FUZZERS[@]})) || FUZZERS=(zone_config_fuzzer scenario_fuzzer engine_fuzzer)
[[ $SECONDS_PER_FUZZER =~ ^[0-9]+$ ]] || { echo "fuzz: SECONDS must be a number" >&2; exit 2; }

scripts/setup.sh
BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz}
CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -G Ninja -DCARAUDIO_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" -j"${JOBS:-$(nproc)}" --target "${FUZZERS[@]}"

mkdir -p "$BUILD_DIR/artifacts" "$BUILD_DIR/logs"
status=0
for fuzzer in "${FUZZERS[@]}"; do
  name=${fuzzer%_fuzzer}
  work="$BUILD_DIR/corpus/$name"
  log="$BUILD_DIR/logs/$name.log"
  mkdir -p "$work"
  if "$BUILD_DIR/fuzz/$fuzzer" -max_total_time="$SECONDS_PER_FUZZER" -timeout=10 \
      -rss_limit_mb=4096 -print_final_stats=1 \
      -artifact_prefix="$BUILD_DIR/artifacts/$name-" "$work" "fuzz/corpus/$name" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    corpus=$(ls "$work" | wc -l)
    echo "fuzz: $fuzzer ok: $runs runs in ${SECONDS_PER_FUZZER}s, corpus now $corpus inputs"
  else
    echo "fuzz: $fuzzer FAILED; the input is in $BUILD_DIR/artifacts/, the log in $log:" >&2
    grep -v -E '^#[0-9]+' "$log" | tail -60 >&2
    status=1
  fi
done
exit $status
