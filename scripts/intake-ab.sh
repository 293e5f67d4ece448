#!/usr/bin/env bash
# What a schema change would buy Open311 intake, before anyone writes the migration.
#   [ITEMS='HR-001 PS-001 …'] bash scripts/intake-ab.sh BIN ROUNDS NAME='SQL' [NAME='SQL' …]
# Loads the small demo once, then per round and per variant (in turn, "base" first,
# so that each round compares like with like): a fresh copy of that file, the
# variant's SQL applied to it (e.g. a DROP INDEX), `shequ serve`, and
# `wrk -t2 -c64 -d10s` posting Open311 requests over every item Open311 takes
# (or over ITEMS, e.g. the ten of `shequ bench intake`).
# Prints cases per second and p99 per run. Needs wrk and sqlite3. Not a test:
# the variants are experiments, and the schema the product ships is the migrations'.
set -euo pipefail
. "$(dirname "$0")/intake-setup.sh"
setup intake-ab 18556 "$1"
rounds=$2; shift 2

# The items Open311 takes without further questions: those a probe POST is answered 200.
mkdir "$dir/probe" && cp "$dir/db" "$dir/db.key" "$dir/probe/" && serve "$dir/probe" && up
items=()
for it in ${ITEMS:-$(sqlite3 "$dir/db" "SELECT code FROM service_items ORDER BY code")}; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url/open311/v2/requests.json" -d "$(body "$it" "$name" probe 30.93 117.81)")
  [ "$code" = 200 ] && items+=("\"$it\"")
done
stop
open311_lua "${items[@]}"
echo "${#items[@]} items; wrk -t2 -c64 -d10s per run"
echo "| round | variant | cases/s | p99 | non-2xx |"
echo "|---:|---|---:|---:|---:|"
for round in $(seq 1 "$rounds"); do
  for variant in "base=" "$@"; do
    label=${variant%%=*}; sql=${variant#*=}
    run="$dir/run"; rm -rf "$run"; mkdir "$run"; cp "$dir/db" "$dir/db.key" "$run/"
    [ -n "$sql" ] && sqlite3 "$run/db" "$sql"
    serve "$run"; up
    out=$(wrk -t2 -c64 -d10s --latency -s "$dir/open311.lua" "$url")
    stop
    echo "$out" | awk -v r="$round" -v n="$label" '/Requests\/sec/{s=$2} /^ +99%/{p=$2} /Non-2xx/{e=$5}
      END {printf "| %s | %s | %.0f | %s | %d |\n", r, n, s, p, e}'
  done
done
