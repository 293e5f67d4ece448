#!/usr/bin/env bash
# Case intake through the HTTP front door of a real `shequ serve` process,
# driven by an outside load generator (wrk, from Debian), for one or more
# release binaries, alternately, in the same run:
#   bash scripts/bench-http.sh SECONDS ROUNDS BINARY [BINARY ...]
# For each round and binary: a fresh demo database (`demo --scale small`), the
# server started on its own, then three phases of SECONDS each with
# `wrk -t2 -c64`: Open311 `POST requests.json` (API key), the front desk's
# JSON `POST /api/v1/cases` and its form `POST /cases` (session cookie and CSRF
# token of the demo's front-desk log-in). Prints one line per phase: requests
# per second, p50 and p99 in ms, and the answers that were not 2xx/3xx.
set -euo pipefail
# The demo's Open311 client key (printed by `shequ demo`).
OPEN311_KEY=${OPEN311_KEY:-$(printf 'd3m0%.0s' {1..16})}
secs=$1 rounds=$2
shift 2
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
work=$(mktemp -d /tmp/shequ-http.XXXXXX)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
port=18$((RANDOM % 900 + 100))
base="http://127.0.0.1:$port"

# Items the counter and Open311 both take and that ask no required question.
items_of() {
  python3 - "$1" <<'EOF'
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("""SELECT s.code, s.channels, s.questions FROM service_items s
  JOIN community_items a ON a.item_code = s.code AND a.community_code = '340705402'""")
ok = [code for code, ch, q in rows
      if {"counter", "open311"} <= set(json.loads(ch)) and not any(x.get("required") for x in json.loads(q))]
print(",".join('"%s"' % c for c in ok))
EOF
}

cases_in() { python3 -c "import sqlite3;print(sqlite3.connect('$work/db').execute('SELECT count(*) FROM cases').fetchone()[0])"; }

lua() { # NAME PATH CONTENT_TYPE BODY_FORMAT EXTRA_HEADERS
  cat >"$work/$1.lua" <<EOF
local items = {$items}
local n = 0
request = function()
  n = n + 1
  local item = items[(n % #items) + 1]
  local body = string.format($4, item, n % 40 + 1, $lat + (n % 64) * 0.0001, $lon + (n % 50) * 0.0001)
  return wrk.format("POST", "$2", {["Content-Type"] = "$3"$5}, body)
end
EOF
}

run_phase() { # LABEL SCRIPT
  local out
  out=$(wrk -t2 -c64 -d"${secs}s" --latency -s "$work/$2.lua" "$base")
  local rps p50 p99 bad
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  bad=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  sent=$((sent + $(awk '/requests in/ {print $1}' <<<"$out")))
  printf '  %-34s %10s/s  p50 %8s  p99 %8s  not 2xx/3xx: %s\n' "$1" "$rps" "$p50" "$p99" "${bad:-0}"
}

for round in $(seq 1 "$rounds"); do
  for bin in "$@"; do
    echo "=== round $round · $bin"
    rm -f "$work"/db*
    "$bin" demo --no-serve --db "sqlite://$work/db" >/dev/null
    items=$(items_of "$work/db")
    read -r lat lon < <(python3 -c "import sqlite3;print(*sqlite3.connect('$work/db').execute(\"SELECT center_lat, center_lon FROM communities WHERE code='340705402'\").fetchone())")
    "$bin" serve --db "sqlite://$work/db" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    login=$(curl -s -D "$work/headers" -H 'content-type: application/json' \
      -d '{"username":"frontdesk","password":"'"${SHEQU_DEMO_PASSWORD:-shequ-demo-2010}"'"}' "$base/api/v1/session")
    cookie=$(awk -F'[ ;]' 'tolower($1) == "set-cookie:" {print $2}' "$work/headers" | head -n1)
    csrf=$(python3 -c "import json,sys;print(json.loads(sys.argv[1])['csrf'])" "$login")
    lua open311 /open311/v2/requests.json application/x-www-form-urlencoded \
      "\"api_key=${OPEN311_KEY}&jurisdiction_id=340705402&service_code=%s&first_name=%%E5%%B1%%85%%E6%%B0%%91&phone=13800000000&description=bench%d&lat=%.6f&long=%.6f\"" ""
    lua api /api/v1/cases application/json \
      "'{\"item\":\"%s\",\"caller_name\":\"压测居民\",\"caller_phone\":\"13800000000\",\"building\":\"%d栋\",\"description\":\"bench %f %f\"}'" \
      ", [\"Cookie\"] = \"$cookie\", [\"X-CSRF-Token\"] = \"$csrf\""
    lua form /cases application/x-www-form-urlencoded \
      "\"csrf=$csrf&item=%s&caller_name=%%E5%%B1%%85%%E6%%B0%%91&caller_phone=13800000000&building=%d&description=bench%%20%f%%20%f\"" \
      ", [\"Cookie\"] = \"$cookie\""
    before=$(cases_in); sent=0
    run_phase "Open311 POST requests.json" open311
    run_phase "JSON API POST /api/v1/cases" api
    run_phase "form POST /cases" form
    kill "$server"; wait "$server" 2>/dev/null || true; server=
    echo "  requests sent $sent, cases written $(($(cases_in) - before))"
  done
done
