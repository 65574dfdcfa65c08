#!/usr/bin/env bash
# The drive demo on an existing build (scripts/run-demo.sh installs and builds
# first; the ctest demo.drive runs this directly). See docs/demo.md.
#
#   scripts/drive-demo.sh [--out DIR] [--build-dir DIR]
#
# Starts, each by PID and in a private runtime directory (mktemp, mode 0700):
#   1. a private PipeWire (tests/pipewire/pipewire-test.conf: no devices, no
#      session manager, null sinks only);
#   2. audiocontrold --role=hal (the HAL and the PipeWire bridge) and
#      audiocontrold --role=carservice (the focus policy), the default
#      three-zone car;
#   3. audioctl events --with-state --record DIR/drive.jsonl alongside;
#   4. audiofocus-sim with config/scenarios/drive.textproto: the drive, with
#      a level line per step, the service's decisions, and the recording.
# Then renders the timeline picture (audioctl timeline, when this build has
# it), replays the recorded events offline (audioctl replay) and prints a
# pass/fail summary. Exit code 0 only when every expectation held and every
# output was written.
#
# Outputs (DIR: --out, else $DEMO_OUTPUT, else ./demo-output):
#   drive.log     the drive as printed: steps, decisions with their
#                 explanations, device levels, checks, summary
#   drive.wav     what every recorded device played, one channel each
#   drive.jsonl   the car service's event log (JSON lines)
#   events.log    the same events as audioctl prints them
#   drive.svg, drive.png  the timeline picture
#   daemons/      the logs of PipeWire, the HAL and the car service
#
# Every process it starts is stopped by PID on exit, failure, Ctrl-C or
# SIGTERM (a stopped car service is continued first), and the runtime
# directory is removed. Where util-linux's setpriv exists, the children also
# get SIGKILL if this script is killed outright (PR_SET_PDEATHSIG).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

OUT=${DEMO_OUTPUT:-demo-output}
BUILD=${BUILD_DIR:-build}
while (($#)); do
  case $1 in
    --out) OUT=${2:?--out needs a directory}; shift 2 ;;
    --out=*) OUT=${1#--out=}; shift ;;
    --build-dir) BUILD=${2:?--build-dir needs a directory}; shift 2 ;;
    --build-dir=*) BUILD=${1#--build-dir=}; shift ;;
    -h|--help) sed -n '2,35p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "drive-demo: unknown argument \"$1\" (see --help)" >&2; exit 2 ;;
  esac
done

DAEMON=$BUILD/carservice/audiocontrold
AUDIOCTL=$BUILD/tools/audioctl
SIM=$BUILD/tools/audiofocus-sim
SCENARIO=$REPO/config/scenarios/drive.textproto
PIPEWIRE_CONF=$REPO/tests/pipewire/pipewire-test.conf
for binary in "$DAEMON" "$AUDIOCTL" "$SIM"; do
  [[ -x $binary ]] || { echo "drive-demo: $binary is missing: build first (scripts/build.sh)" >&2; exit 2; }
done
command -v pipewire >/dev/null || { echo "drive-demo: pipewire is not installed (scripts/setup.sh)" >&2; exit 2; }

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -f "$OUT"/drive.{log,wav,jsonl,svg,png} "$OUT"/events.log
mkdir -p "$OUT/daemons"
RUNTIME=$(mktemp -d /tmp/caraudio-demo.XXXXXX)
chmod 700 "$RUNTIME"
export XDG_RUNTIME_DIR=$RUNTIME PIPEWIRE_RUNTIME_DIR=$RUNTIME
unset PIPEWIRE_REMOTE DBUS_SESSION_BUS_ADDRESS

# ---- processes, by PID ------------------------------------------------------

PIDS=()        # started, in order
declare -A NAMES=()
CARSERVICE_PID=""
EVENTS_PID=""

# Children die with this shell even if it is SIGKILLed (ctest's timeout).
LAUNCH=()
if command -v setpriv >/dev/null && setpriv --pdeathsig KILL true 2>/dev/null; then
  LAUNCH=(setpriv --pdeathsig KILL --)
fi

# start NAME LOG COMMAND...: runs COMMAND in the background (stdin /dev/null,
# stdout and stderr to LOG) and records its PID in $STARTED_PID.
start() {
  local name=$1 log=$2
  shift 2
  "${LAUNCH[@]}" "$@" </dev/null >"$log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  NAMES[$STARTED_PID]=$name
}

# running PID: true while PID exists and has not exited (an exited child
# stays a zombie until it is reaped, and kill -0 still succeeds on it).
running() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  [[ ${stat##*) } != Z* ]]
}

# stop_pid PID: continue (it may be stopped), SIGTERM, up to 3 s, SIGKILL; reap.
stop_pid() {
  local pid=$1
  running "$pid" || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -CONT "$pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 30); do
    running "$pid" || break
    sleep 0.1
  done
  if running "$pid"; then
    echo "drive-demo: ${NAMES[$pid]:-$pid} (pid $pid) ignored SIGTERM: SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

CLEANED=0
cleanup() {
  ((CLEANED)) && return 0
  CLEANED=1
  # Newest first: the tools, then the car service, the HAL, PipeWire.
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[i]}"; done
  cp "$RUNTIME"/*.log "$OUT/daemons/" 2>/dev/null || true
  rm -rf "$RUNTIME"
}
trap cleanup EXIT
trap 'echo "drive-demo: interrupted" >&2; exit 130' INT
trap 'echo "drive-demo: terminated" >&2; exit 143' TERM HUP

# wait_for WHAT TIMEOUT_S PID TEST...: polls TEST every 50 ms while PID lives.
wait_for() {
  local what=$1 timeout=$2 pid=$3
  shift 3
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    if ! running "$pid"; then
      echo "drive-demo: ${NAMES[$pid]} exited while starting; its log:" >&2
      return 1
    fi
    ((SECONDS < deadline)) || { echo "drive-demo: $what not ready in ${timeout} s" >&2; return 1; }
    sleep 0.05
  done
}

fail_with_log() {
  cat "$1" >&2
  exit 1
}

START_NS=$(date +%s%N)
echo "CarAudioControl drive demo: private PipeWire and audiocontrold in $RUNTIME"

# ---- 1. PipeWire --------------------------------------------------------------
start pipewire "$RUNTIME/pipewire.log" pipewire -c "$PIPEWIRE_CONF"
PIPEWIRE_PID=$STARTED_PID
wait_for "PipeWire" 5 "$PIPEWIRE_PID" test -S "$RUNTIME/pipewire-0" ||
  fail_with_log "$RUNTIME/pipewire.log"

# ---- 2. The HAL and the car service ---------------------------------------------
HAL_SOCKET=$RUNTIME/hal.sock
CARSERVICE_SOCKET=$RUNTIME/carservice.sock
start "audiocontrold --role=hal" "$RUNTIME/hal.log" \
  "$DAEMON" --role=hal --audio=pipewire --listen="unix:$HAL_SOCKET"
HAL_PID=$STARTED_PID
wait_for "the HAL" 5 "$HAL_PID" test -S "$HAL_SOCKET" || fail_with_log "$RUNTIME/hal.log"
start "audiocontrold --role=carservice" "$RUNTIME/carservice.log" \
  "$DAEMON" --role=carservice --hal="unix:$HAL_SOCKET" --listen="unix:$CARSERVICE_SOCKET"
CARSERVICE_PID=$STARTED_PID
carservice_answers() {
  "$AUDIOCTL" --socket "$CARSERVICE_SOCKET" --timeout 1 ping --count 1 >/dev/null 2>&1
}
wait_for "the car service" 5 "$CARSERVICE_PID" carservice_answers ||
  fail_with_log "$RUNTIME/carservice.log"
echo "  PipeWire pid $PIPEWIRE_PID, HAL pid $HAL_PID, car service pid $CARSERVICE_PID"

# ---- 3. The event log, recorded alongside ----------------------------------------
start "audioctl events" "$OUT/events.log" \
  "$AUDIOCTL" --socket "$CARSERVICE_SOCKET" events --with-state --record "$OUT/drive.jsonl"
EVENTS_PID=$STARTED_PID
wait_for "audioctl events" 5 "$EVENTS_PID" test -s "$OUT/drive.jsonl" ||
  fail_with_log "$OUT/events.log"

# ---- 4. The drive -----------------------------------------------------------------
echo "  the drive: $SCENARIO"
echo
# In the background and waited for, so a signal reaches the trap at once;
# the log is written to drive.log and followed on the terminal.
start audiofocus-sim "$OUT/drive.log" "$SIM" --scenario "$SCENARIO" \
  --socket "$CARSERVICE_SOCKET" --hal-socket "$HAL_SOCKET" --carservice-pid "$CARSERVICE_PID" \
  --levels --events --record "$OUT/drive.wav"
SIM_PID=$STARTED_PID
tail -n +1 -s 0.1 -f --pid="$SIM_PID" "$OUT/drive.log" &
TAIL_PID=$!
PIDS+=("$TAIL_PID")
NAMES[$TAIL_PID]="tail drive.log"
SIM_STATUS=0
wait "$SIM_PID" || SIM_STATUS=$?
DRIVE_NS=$(date +%s%N)
wait "$TAIL_PID" || true  # ends by itself once the simulator has

# The event log is complete once the drive is over: stop the recorder.
stop_pid "$EVENTS_PID"
echo

# ---- 5. Pictures and replay -------------------------------------------------------
PICTURE_STATUS="skipped"
if "$AUDIOCTL" help timeline >/dev/null 2>&1; then
  PICTURE_STATUS="written"
  for format in svg png; do
    if ! "$AUDIOCTL" timeline --events "$OUT/drive.jsonl" --out "$OUT/drive.$format"; then
      PICTURE_STATUS="FAILED"
    fi
  done
else
  echo "note: this build's audioctl has no 'timeline' command yet: no timeline picture"
fi
REPLAY_STATUS=0
"$AUDIOCTL" replay "$OUT/drive.jsonl" >"$OUT/replay.log" 2>&1 || REPLAY_STATUS=$?

# ---- 6. Summary ------------------------------------------------------------------
END_NS=$(date +%s%N)
status=0
verdict() {  # verdict OK|FAIL TEXT
  printf '  %-4s %s\n' "$1" "$2"
  [[ $1 == OK ]] || status=1
}
echo "==== drive demo summary ===="
if ((SIM_STATUS == 0)); then
  verdict OK "$(grep -m1 '^scenario drive:' "$OUT/drive.log")"
else
  verdict FAIL "$(grep -m1 '^scenario drive:' "$OUT/drive.log" || echo "audiofocus-sim exited $SIM_STATUS")"
  grep -E '^  (timeline\[|at )' "$OUT/drive.log" | sed 's/^/       /' || true
fi
wav_bytes=$(stat -c %s "$OUT/drive.wav" 2>/dev/null || echo 0)
if ((wav_bytes > 1000000)); then
  verdict OK "recording: drive.wav ($((wav_bytes / 1000000)) MB, $(grep -o 'channels: [^)]*' "$OUT/drive.log" | head -1))"
else
  verdict FAIL "recording: drive.wav missing or short ($wav_bytes bytes)"
fi
events=$(wc -l <"$OUT/drive.jsonl" 2>/dev/null || echo 0)
if ((events > 10)); then
  verdict OK "event log: drive.jsonl ($events events)"
else
  verdict FAIL "event log: drive.jsonl has $events events"
fi
if ((REPLAY_STATUS == 0)); then
  verdict OK "replay: $(tail -1 "$OUT/replay.log")"
else
  verdict FAIL "replay (exit $REPLAY_STATUS): $(tail -1 "$OUT/replay.log") (see replay.log)"
fi
case $PICTURE_STATUS in
  written) verdict OK "timeline picture: drive.svg, drive.png" ;;
  skipped) echo "  --   timeline picture: skipped (audioctl timeline not in this build)" ;;
  *) verdict FAIL "timeline picture: audioctl timeline failed" ;;
esac
drive_s=$(((DRIVE_NS - START_NS) / 1000000))
total_s=$(((END_NS - START_NS) / 1000000))
printf '  time: %d.%03d s to the end of the drive, %d.%03d s in all (goal: under 120 s)\n' \
  $((drive_s / 1000)) $((drive_s % 1000)) $((total_s / 1000)) $((total_s % 1000))
if ((total_s >= 120000)); then
  verdict FAIL "the demo took 2 minutes or more"
fi
echo "output: $OUT"
((status == 0)) && echo "result: PASS" || echo "result: FAIL"
exit $status
