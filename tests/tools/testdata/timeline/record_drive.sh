#!/usr/bin/env bash
# Records drive.jsonl, the event log the timeline tests draw: a short drive
# against a real audiocontrold (--audio=memory) driven with audioctl. Every
# process it starts is stopped by PID. Usage (from the repository root, after
# building audiocontrold and audioctl):
#   tests/tools/testdata/timeline/record_drive.sh tests/tools/testdata/timeline/drive.jsonl
set -euo pipefail

out=$1
build=${BUILD_DIR:-build}
dir=$(mktemp -d /tmp/timeline-record.XXXXXX)
sock=$dir/audiocontrol.sock
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT

"$build/carservice/audiocontrold" --audio=memory --listen="unix:$sock" >"$dir/daemon.log" 2>&1 &
daemon=$!
pids+=("$daemon")
audioctl=("$build/tools/audioctl" --socket "$sock")
ctl() { "${audioctl[@]}" "$@"; }
# A request held in the background. The binary itself is backgrounded (not a
# function or subshell), so that $! is its PID.
holds=()
hold() {
  "${audioctl[@]}" request "$@" >>"$dir/requests.log" 2>&1 &
  holds+=($!)
  pids+=($!)
}

ctl --wait --timeout 5 ping >/dev/null
"${audioctl[@]}" events --with-state --record "$out" >/dev/null &
recorder=$!
pids+=("$recorder")
sleep 0.3

ctl app-state --package com.example.radio --uid 10100 visible >/dev/null
hold --client radio --package com.example.radio --uid 10100 --usage media --seconds 20
sleep 0.2
hold --client rse-left --package com.example.movie --uid 10200 --usage media --zone 1 --seconds 20
hold --client rse-right --package com.example.movie --uid 10201 --usage media --zone 2 --seconds 20
sleep 0.5
# Navigation ducks front media only.
hold --client maps --package com.example.maps --uid 10101 --usage nav --gain transient-may-duck --seconds 0.8
sleep 1.2
# An incoming call: ring, then the call.
hold --client dialer --package com.android.dialer --uid 10102 --usage ring --gain transient --seconds 0.8
sleep 1.0
ctl nav-during-call --zone 0 reject >/dev/null
hold --client dialer --package com.android.dialer --uid 10102 --usage call --gain transient --seconds 2.5
sleep 0.4
# Navigation during the call is now rejected; a podcast waits for the call.
ctl request --client maps --package com.example.maps --uid 10101 --usage nav \
  --gain transient-may-duck --seconds 0.1 >>"$dir/requests.log" 2>&1 || true
sleep 0.3
hold --client podcast --package com.example.podcast --uid 10103 --usage media --delay-ok --seconds 4
sleep 0.5
# The RSE controller pauses rear-left.
ctl abandon --client rse-left >/dev/null
sleep 1.5
# The head unit mutes front media for a moment.
ctl volume mute --zone 0 --group media >/dev/null
sleep 0.6
ctl volume unmute --zone 0 --group media >/dev/null
sleep 0.3
# A background app without a foreground service is suppressed by hardening.
ctl hardening set-enable 1 >/dev/null
ctl app-state --package com.example.bgapp --uid 10300 background >/dev/null
ctl request --client bgapp --package com.example.bgapp --uid 10300 --usage media \
  --seconds 0.1 >>"$dir/requests.log" 2>&1 || true
sleep 0.4
# A misbehaving app changes its volume group itself (audit: changed-volume-itself).
ctl app-state --package com.example.podcast --uid 10103 visible >/dev/null
ctl volume set --zone 0 --group media --index 30 --package com.example.podcast --uid 10103 >/dev/null
sleep 0.4
# A safety chime from the vehicle side takes the front zone.
ctl hal-request --usage safety --zone 0 --seconds 0.6 >>"$dir/requests.log" 2>&1
sleep 0.8
# The drive ends: the held requests are released (their streams close).
for pid in "${holds[@]}"; do kill "$pid" 2>/dev/null || true; done
for pid in "${holds[@]}"; do wait "$pid" 2>/dev/null || true; done
sleep 0.2
kill -INT "$recorder"
wait "$recorder" || true
