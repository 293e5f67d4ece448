#!/usr/bin/env bash
# Where intake's time goes by thread, and whether the machine is short of CPU.
#   bash scripts/intake-threads.sh BIN [BIN …]
# Loads the small demo once; then per binary, in the order given (repeat a binary
# to alternate): a fresh copy of that file, `shequ serve`, `wrk -t2 -c64 -d10s`
# posting Open311 requests for one item, and, over 5 s of that load, the CPU
# time of each server thread (from /proc/PID/task/*/stat) and the machine's idle
# share (vmstat). Needs wrk, sqlite3 and curl. A diagnostic, not a test.
set -euo pipefail
dir=$(mktemp -d /tmp/shequ-intake-threads.XXXXXX)
trap 'pkill -f "listen 127.0.0.1:18557" 2>/dev/null || true; rm -rf "$dir"' EXIT
url=http://127.0.0.1:18557
first=$(realpath "$1")
"$first" demo --db "sqlite://$dir/db" --key-file "$dir/db.key" --no-serve >/dev/null 2>&1
key=$("$first" open311 key add --db "sqlite://$dir/db" --key-file "$dir/db.key" threads 2>/dev/null | tail -n 1)
sqlite3 "$dir/db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
item=CT-001
cat >"$dir/open311.lua" <<LUA
local n = 0
request = function()
  n = n + 1
  local body = string.format("api_key=$key&jurisdiction_id=340705402&service_code=$item&first_name=%s&phone=13800000000&description=bench%d&lat=%.6f&long=117.81",
    "%E5%B1%85%E6%B0%91", n, 30.93 + (n % 64) * 0.0001)
  return wrk.format("POST", "/open311/v2/requests.json", {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
LUA
cpu() { for t in /proc/"$1"/task/*; do echo "$(basename "$t") $(tr ' ' _ <"$t/comm") $(awk '{print $14+$15}' "$t/stat")"; done | sort; }
hz=$(getconf CLK_TCK)
echo "| binary | cases/s | p99 | idle | busiest threads (cores) |"
echo "|---|---:|---:|---:|---|"
for b in "$@"; do
  bin=$(realpath "$b"); run="$dir/run"; rm -rf "$run"; mkdir "$run"; cp "$dir/db" "$dir/db.key" "$run/"
  "$bin" serve --db "sqlite://$run/db" --key-file "$run/db.key" --listen 127.0.0.1:18557 >"$run/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -s -o /dev/null "$url/healthz" && break; sleep 0.1; done
  wrk -t2 -c64 -d10s --latency -s "$dir/open311.lua" "$url" >"$run/wrk" &
  load=$!
  sleep 3; cpu "$pid" >"$run/t0"; idle=$(vmstat 5 2 | tail -n 1 | awk '{print $15}'); cpu "$pid" >"$run/t1"
  wait "$load" || true; sleep 1
  threads=$(join "$run/t0" "$run/t1" | awk -v hz="$hz" '{printf "%s %.2f\n", $2, ($5-$3)/hz/5}' | sort -k2 -nr | head -n 4 | awk '{printf "%s %s; ", $1, $2}')
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "| $(basename "$b") | $(awk '/Requests\/sec/{printf "%.0f", $2}' "$run/wrk") | $(awk '/^ +99%/{print $2}' "$run/wrk") | ${idle}% | $threads|"
done
