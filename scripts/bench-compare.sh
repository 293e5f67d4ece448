#!/usr/bin/env bash
# Runs the store- and HTTP-level benchmarks of BENCHMARKS.md with two release
# binaries of shequ, alternately, in the same run, so a change is compared like
# with like on the same machine and load:
#   bash scripts/bench-compare.sh OLD_BINARY NEW_BINARY [ROUNDS]
# Each round runs every bench once with each binary (old first, then new) on a
# fresh SQLite database of its own; the output is each bench's own report.
set -euo pipefail
old=$1 new=$2 rounds=${3:-2}
work=$(mktemp -d /tmp/shequ-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

for round in $(seq 1 "$rounds"); do
  for side in old new; do
    bin=${!side}
    echo "=== round $round · $side ($bin)"
    for bench in finance lists residents; do
      db="sqlite://$work/$side-$bench.db"
      rm -f "$work/$side-$bench.db"*
      "$bin" demo --no-serve --db "$db" >/dev/null
      case $bench in
        finance) "$bin" bench finance --db "$db" --claims 300 ;;
        lists) "$bin" bench lists --db "$db" --entries 5000 --runs 200 ;;
        residents) "$bin" bench residents --db "$db" --requests 300 ;;
      esac
      rm -f "$work/$side-$bench.db"*
    done
    "$bin" bench intake --seconds 10
  done
done
