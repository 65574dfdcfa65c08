#!/usr/bin/env bash
# Runs every speed benchmark in bench/ in one go and prints a table of the
# figures against their goals, then one `RESULT name value` line per figure
# (the lines the programs print). Each program starts what it measures
# (audiocontrold, a private PipeWire) by PID and stops it. Exit code: 0 when
# every program ran; goals are reported, not enforced (they depend on the
# machine). Usage: scripts/bench.sh [--quick]   (--quick: shorter throughput run)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
BUILD_DIR=${BUILD_DIR:-build}
export BUILD_DIR
scripts/build.sh -DSANITIZE= >/dev/null
seconds=3
[[ "${1:-}" == --quick ]] && seconds=1

log=$(mktemp -d /tmp/caraudio-bench.XXXXXX)
trap 'rm -rf "$log"' EXIT
run() {  # name, program, args...
  local name=$1; shift
  echo "bench: running $name" >&2
  if ! "$@" >"$log/$name.out" 2>"$log/$name.err"; then
    echo "bench: $name failed:" >&2
    tail -20 "$log/$name.err" >&2
    exit 1
  fi
}
run decision "$BUILD_DIR/bench/focus_decision_bench"
run grpc_rtt "$BUILD_DIR/bench/grpc_focus_bench"
run grpc_throughput "$BUILD_DIR/bench/grpc_throughput_bench" --seconds="$seconds"
run duck "$BUILD_DIR/bench/duck_bench"
run footprint "$BUILD_DIR/bench/daemon_footprint_bench"

results=$(cat "$log"/*.out | grep '^RESULT ' | sort -u -k2,2)
value() { awk -v n="$1" '$2 == n {print $3}' <<<"$results"; }

# name | goal (comparison and bound, or "-" for context) | unit
goals=(
  "decision_p99_ns <= 2000 ns"
  "decision_64x50_p99_ns <= 5000 ns"
  "grpc_focus_rtt_over_ping <= 1.3 ratio"
  "grpc_focus_rtt_p99_us - - us"
  "grpc_throughput_over_ping >= 0.7 ratio"
  "grpc_focus_ops_per_s - - ops/s"
  "grpc_ping_ops_per_s - - ops/s"
  "grpc_floor_focus_over_ping - - ratio"
  "grpc_throughput_over_floor - - ratio"
  "duck_apply_p99_ms <= 5 ms"
  "duck_audible_ms <= duck_audible_goal_ms ms"
  "safety_mute_audible_ms <= safety_mute_audible_goal_ms ms"
  "idle_rss_mb <= 20 MiB"
  "idle_anon_mb - - MiB"
  "idle_pss_mb - - MiB"
  "startup_ms <= 200 ms"
)
echo
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), $(uname -r)"
printf '%-28s %12s %-30s %s\n' figure value goal met
for row in "${goals[@]}"; do
  read -r name op bound unit <<<"$row"
  v=$(value "$name")
  [[ -z "$v" ]] && { echo "bench: no RESULT $name" >&2; exit 1; }
  if [[ "$op" == - ]]; then
    printf '%-28s %12s %-30s %s\n' "$name" "$v $unit" "" ""
    continue
  fi
  [[ "$bound" =~ ^[0-9.]+$ ]] || bound=$(value "$bound")
  met=$(awk -v v="$v" -v b="$bound" -v op="$op" 'BEGIN{print ((op=="<=" && v<=b) || (op==">=" && v>=b)) ? "yes" : "NO"}')
  printf '%-28s %12s %-30s %s\n' "$name" "$v $unit" "$op $bound $unit" "$met"
done
echo
echo "$results"
