#!/usr/bin/env bash
# Which B-trees a case batch dirties: the pages each commit writes to the write-ahead log.
#   [CLIENTS=64] bash scripts/intake-wal.sh BIN [SECONDS]
# Loads the small demo, serves it, posts Open311 requests for one item with
# `wrk -t2 -c$CLIENTS` for SECONDS (default 1, so that the log is not yet
# checkpointed), kills the server with SIGKILL to keep the log as it is, and
# reads the log's frame headers: per commit, how many frames, and per table or
# index (mapped through SQLite's dbstat), on how many pages. Needs wrk, sqlite3,
# curl and python3. A diagnostic, not a test: it counts pages, it times nothing.
set -euo pipefail
clients=${CLIENTS:-64}
. "$(dirname "$0")/intake-setup.sh"
setup intake-wal 18555 "$1"
open311_lua '"CT-001"'
mkdir "$dir/run" && cp "$dir/db" "$dir/db.key" "$dir/run/"
serve "$dir/run"
pid=$!
up
wrk -t2 -c"$clients" -d"${2:-1}"s -s "$dir/open311.lua" "$url" | awk '/Requests\/sec/{printf "%.0f cases/s\n", $2}'
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
python3 - "$dir/run/db" <<'PY'
import collections, shutil, sqlite3, struct, sys
db = sys.argv[1]
data = open(db + "-wal", "rb").read()
size, salt = struct.unpack(">I", data[8:12])[0], data[16:24]
commits, pages, off = [], [], 32
# Frames of the log's current generation, up to its last commit.
while off + 24 + size <= len(data) and data[off + 8:off + 16] == salt:
    page, commit = struct.unpack(">II", data[off:off + 8])
    pages.append(page)
    if commit:
        commits.append(pages)
        pages = []
    off += 24 + size
# A copy with its log, so that pages written since the last checkpoint are mapped too.
shutil.copy(db, db + ".map")
shutil.copy(db + "-wal", db + ".map-wal")
mapped = sqlite3.connect(db + ".map")
owner = dict(mapped.execute("SELECT pageno, name FROM dbstat"))
# The file alone holds what was checkpointed: the cases beyond it are the log's.
shutil.copy(db, db + ".file")
count = "SELECT COUNT(*) FROM cases"
cases = mapped.execute(count).fetchone()[0] - sqlite3.connect(db + ".file").execute(count).fetchone()[0]
n = len(commits)
if n == 0 or cases <= 0:
    sys.exit("the log was checkpointed just before the kill: run again")
frames = sum(map(len, commits))
print(f"{n} commits, {cases / n:.1f} cases and {frames / n:.1f} frames a commit, {frames / max(cases, 1):.2f} frames a case")
per = collections.Counter(owner.get(p, "(free)") for c in commits for p in set(c))
print("| table or index | pages a commit |\n|---|---:|")
for name, k in per.most_common():
    print(f"| {name} | {k / n:.2f} |")
PY
