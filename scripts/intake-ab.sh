#!/usr/bin/env bash
# What a schema change would buy Open311 intake, before anyone writes the migration.
#   bash scripts/intake-ab.sh BIN ROUNDS NAME='SQL' [NAME='SQL' …]
# Loads the small demo once, then per round and per variant (in turn, "base" first,
# so that each round compares like with like): a fresh copy of that file, the
# variant's SQL applied to it (e.g. a DROP INDEX), `shequ serve`, and
# `wrk -t2 -c64 -d10s` posting Open311 requests over every item Open311 takes.
# Prints cases per second and p99 per run. Needs wrk and sqlite3. Not a test:
# the variants are experiments, and the schema the product ships is the migrations'.
set -euo pipefail
bin=$(realpath "$1"); rounds=$2; shift 2
dir=$(mktemp -d /tmp/shequ-intake-ab.XXXXXX)
trap 'pkill -f "listen 127.0.0.1:18556" 2>/dev/null || true; rm -rf "$dir"' EXIT
url=http://127.0.0.1:18556
"$bin" demo --db "sqlite://$dir/db" --key-file "$dir/db.key" --no-serve >/dev/null 2>&1
key=$("$bin" open311 key add --db "sqlite://$dir/db" --key-file "$dir/db.key" ab 2>/dev/null | tail -n 1)
# Copies below take the file alone: fold the write-ahead log into it first.
sqlite3 "$dir/db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
serve() { "$bin" serve --db "sqlite://$1/db" --key-file "$1/db.key" --listen 127.0.0.1:18556 >"$1/log" 2>&1 & }
up() { for _ in $(seq 1 100); do curl -s -o /dev/null "$url/healthz" && return; sleep 0.1; done; }
# Item, caller name (URL-encoded), description, lat, long.
body() { echo "api_key=$key&jurisdiction_id=340705402&service_code=$1&first_name=$2&phone=13800000000&description=$3&lat=$4&long=$5"; }
name=%E5%B1%85%E6%B0%91

# The items Open311 takes without further questions: those a probe POST is answered 200.
mkdir "$dir/probe" && cp "$dir/db" "$dir/db.key" "$dir/probe/" && serve "$dir/probe" && up
items=()
for it in $(sqlite3 "$dir/db" "SELECT code FROM service_items ORDER BY code"); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url/open311/v2/requests.json" -d "$(body "$it" "$name" probe 30.93 117.81)")
  [ "$code" = 200 ] && items+=("\"$it\"")
done
pkill -f "listen 127.0.0.1:18556"; sleep 0.5
lua_items=$(IFS=,; echo "${items[*]}")
cat >"$dir/open311.lua" <<EOF
local items = {$lua_items}
local n = 0
request = function()
  n = n + 1
  -- The name goes in as an argument: its %XX escapes are not format directives.
  local body = string.format("$(body %s %s bench%d %.6f %.6f)", items[(n % #items) + 1], "$name", n,
    30.93 + (n % 64) * 0.0001, 117.81 + (n % 50) * 0.0001)
  return wrk.format("POST", "/open311/v2/requests.json", {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
EOF
echo "${#items[@]} items; wrk -t2 -c64 -d10s per run"
echo "| round | variant | cases/s | p99 | non-2xx |"
echo "|---:|---|---:|---:|---:|"
for round in $(seq 1 "$rounds"); do
  for variant in "base=" "$@"; do
    name=${variant%%=*}; sql=${variant#*=}
    run="$dir/run"; rm -rf "$run"; mkdir "$run"; cp "$dir/db" "$dir/db.key" "$run/"
    [ -n "$sql" ] && sqlite3 "$run/db" "$sql"
    serve "$run"; up
    out=$(wrk -t2 -c64 -d10s --latency -s "$dir/open311.lua" "$url")
    pkill -f "listen 127.0.0.1:18556"; sleep 0.5
    echo "$out" | awk -v r="$round" -v n="$name" '/Requests\/sec/{s=$2} /^ +99%/{p=$2} /Non-2xx/{e=$5}
      END {printf "| %s | %s | %.0f | %s | %d |\n", r, n, s, p, e}'
  done
done
