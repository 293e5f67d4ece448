#!/usr/bin/env bash
# Where intake's time goes by thread, and whether the machine is short of CPU.
#   [CLIENTS=64] bash scripts/intake-threads.sh BIN [BIN …]
# Loads the small demo once; then per binary, in the order given (repeat a binary
# to alternate): a fresh copy of that file, `shequ serve`, `wrk -t2 -c$CLIENTS -d10s`
# posting Open311 requests for one item, and, over 5 s of that load, the CPU
# time of each server thread (from /proc/PID/task/*/stat) and the machine's idle
# share (vmstat). Needs wrk, sqlite3 and curl. A diagnostic, not a test.
set -euo pipefail
clients=${CLIENTS:-64}
. "$(dirname "$0")/intake-setup.sh"
setup intake-threads 18557 "$1"
open311_lua '"CT-001"'
cpu() { for t in /proc/"$1"/task/*; do echo "$(basename "$t") $(tr ' ' _ <"$t/comm") $(awk '{print $14+$15}' "$t/stat")"; done | sort; }
hz=$(getconf CLK_TCK)
echo "| binary | cases/s | p99 | idle | busiest threads (cores) |"
echo "|---|---:|---:|---:|---|"
for b in "$@"; do
  bin=$(realpath "$b"); run="$dir/run"; rm -rf "$run"; mkdir "$run"; cp "$dir/db" "$dir/db.key" "$run/"
  serve "$run"
  pid=$!
  up
  wrk -t2 -c"$clients" -d10s --latency -s "$dir/open311.lua" "$url" >"$run/wrk" &
  load=$!
  sleep 3; cpu "$pid" >"$run/t0"; idle=$(vmstat 5 2 | tail -n 1 | awk '{print $15}'); cpu "$pid" >"$run/t1"
  wait "$load" || true; sleep 1
  threads=$(join "$run/t0" "$run/t1" | awk -v hz="$hz" '{printf "%s %.2f\n", $2, ($5-$3)/hz/5}' | sort -k2 -nr | head -n 4 | awk '{printf "%s %s; ", $1, $2}')
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "| $(basename "$b") | $(awk '/Requests\/sec/{printf "%.0f", $2}' "$run/wrk") | $(awk '/^ +99%/{print $2}' "$run/wrk") | ${idle}% | $threads|"
done
