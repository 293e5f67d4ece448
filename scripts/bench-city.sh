#!/usr/bin/env bash
# Load at city scale through the HTTP front door (issue 13, point 4):
#   bash scripts/bench-city.sh BINARY DB_URL [SECONDS] [SESSIONS]
# DB_URL is sqlite:///path/file or postgres://…/dbname (an empty database).
# Loads the demo at `--scale city` (≈740,000 residents), seeds 1,000,000 cases
# (`bench cases`), starts `shequ serve`, logs SESSIONS staff sessions in
# (front desk, back office, district, city, a quarter each), then drives them
# with `wrk -t2 -c$SESSIONS` for SECONDS: page reads (residents list and
# search, the queue, case pages, statistics) and writes (intake through the
# JSON API, a `start` event on a case just taken, reimbursement claims).
# Prints wrk's figures; every answer other than 2xx/3xx is an error.
# THINK_MS=N makes each session wait N ms on average between its requests (a
# person reading the page); the default 0 sends the next request at once.
# CITY_SETUP=only loads the data and stops; CITY_SETUP=skip uses data loaded
# before (with the key file KEY_FILE); the default does both.
set -euo pipefail
bin=$1 url=$2 secs=${3:-60} sessions=${4:-200}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
work=$(mktemp -d /tmp/shequ-city.XXXXXX)
server=
# Each step may fail (no server under CITY_SETUP=only): set -e must not end the trap early.
trap '[ -z "$server" ] || kill "$server" 2>/dev/null || true; cp "$work/server.log" /tmp/last-city-server.log 2>/dev/null || true; rm -rf "$work"' EXIT
port=19$((RANDOM % 900 + 100))
base="http://127.0.0.1:$port"
key=${KEY_FILE:-$work/db.key}
setup=${CITY_SETUP:-both}
think=${THINK_MS:-0}
password=${SHEQU_DEMO_PASSWORD:-shequ-demo-2010}

if [ "$setup" != skip ]; then
t0=$(date +%s)
"$bin" demo --no-serve --scale city --db "$url" --key-file "$key" >"$work/demo.log" 2>&1
t1=$(date +%s)
"$bin" bench cases --db "$url" --cases 1000000 --requests 20 --key-file "$key" >"$work/seed.log" 2>&1
t2=$(date +%s)
echo "data: demo at city scale in $((t1 - t0)) s; 1,000,000 cases seeded in $((t2 - t1)) s"
grep -m1 "seeding:" "$work/seed.log" || true
fi
[ "$setup" = only ] && exit 0

"$bin" serve --db "$url" --key-file "$key" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do curl -sf "$base/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

# Sessions: "role<TAB>cookie<TAB>csrf" per line.
: >"$work/sessions"
users=(frontdesk backoffice district civil)
for i in $(seq 1 "$sessions"); do
  u=${users[$((i % 4))]}
  body=$(curl -s -D "$work/h" -H 'content-type: application/json' \
    -d "{\"username\":\"$u\",\"password\":\"$password\"}" "$base/api/v1/session")
  cookie=$(awk -F'[ ;]' 'tolower($1) == "set-cookie:" {print $2}' "$work/h" | head -n1)
  csrf=$(python3 -c 'import json,sys;print(json.loads(sys.argv[1])["csrf"])' "$body")
  printf '%s\t%s\t%s\n' "$u" "$cookie" "$csrf" >>"$work/sessions"
done
# Case ids the back office may open (its community's), and any for the district.
ids=$("$bin" --version >/dev/null; python3 - "$url" <<'EOF'
import sys
url = sys.argv[1]
# Cases with a history (`bench cases` writes rows only, and a case page needs its history);
# the cases the load takes in join them as they come (`opened` below).
q = ("SELECT id FROM cases c WHERE community_code = '340705402' "
     "AND EXISTS (SELECT 1 FROM case_history h WHERE h.case_id = c.id) ORDER BY id DESC LIMIT 2000")
if url.startswith("sqlite"):
    import sqlite3
    rows = sqlite3.connect(url.split("://", 1)[1].split("?")[0]).execute(q).fetchall()
else:
    import subprocess
    out = subprocess.run(["psql", url, "-Atc", q], capture_output=True, text=True, check=True).stdout
    rows = [(int(x),) for x in out.split()]
print(",".join(str(r[0]) for r in rows))
EOF
)

cat >"$work/city.lua" <<EOF
local ids = {$ids}
local sessions, by_role = {}, {}
local queue, opened, seen = {}, {}, 0
local n = 0  -- tid is set per thread by setup()
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("tid", counter) end
init = function(args)
  math.randomseed(os.time() * 100 + (tid or 0))
  for line in io.lines("$work/sessions") do
    local role, cookie, csrf = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)")
    by_role[role] = by_role[role] or {}
    table.insert(by_role[role], {cookie = cookie, csrf = csrf})
  end
end
local function pick(role) local l = by_role[role]; return l[(n % #l) + 1] end
local function get(role, path)
  local s = pick(role)
  return wrk.format("GET", path, {["Cookie"] = s.cookie})
end
local function post(role, path, body)
  local s = pick(role)
  return wrk.format("POST", path, {["Cookie"] = s.cookie, ["X-CSRF-Token"] = s.csrf, ["Content-Type"] = "application/json"}, body)
end
request = function()
  n = n + 1
  local k = n % 20
  if k < 3 then return get("backoffice", "/cases")
  elseif k < 5 then return get("district", "/residents?page=" .. (n % 50 + 1))
  elseif k < 6 then return get("civil", "/residents?q=" .. string.format("%02d", n % 100))
  elseif k < 9 then
    local pool = (#opened > 0 and n % 2 == 0) and opened or ids
    return get("backoffice", "/cases/" .. pool[(n % #pool) + 1])
  elseif k < 10 then return get("district", "/service/stats")
  elseif k < 11 then return get("civil", "/service/stats")
  elseif k < 12 then return get("frontdesk", "/cases/new")
  elseif k < 16 then
    return post("frontdesk", "/api/v1/cases", string.format('{"item":"PS-001","caller_name":"压测","caller_phone":"13800000000","building":"%d栋","description":"city load %d"}', n % 40 + 1, n))
  elseif k < 18 and #queue > 0 then
    return post("backoffice", "/api/v1/cases/" .. table.remove(queue) .. "/events", '{"event":"start"}')
  elseif k < 19 then
    return get("backoffice", "/cases?status=open")
  else
    return post("frontdesk", "/api/v1/finance/claims", string.format('{"payee":"示例供应商","amount":"1.00","purpose":"压测报账","key":"city-%d-%d-%d"}', tid or 0, math.random(1000000000), n))
  end
end
done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("requests %d in %.1f s (%.0f/s) · errors: status %d, connect %d, read %d, write %d, timeout %d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
-- A person between clicks: THINK_MS on average (uniform from half to one and a half times it);
-- 0 drives every connection flat out (a saturation test, not a model of staff).
local think = $think
delay = function() if think > 0 then return think * (0.5 + math.random()) end return 0 end
local refusals = 0
response = function(status, headers, body)
  -- The first few refusals, so that an error count comes with its reasons.
  if status >= 400 and refusals < 3 then
    refusals = refusals + 1
    io.stderr:write(string.format("refused %d: %s\n", status, (body or ""):sub(1, 300)))
  end
  -- Only a case just taken (claims answer with ids too, and an event answers with the case again).
  local id = body and body:find('"status":"routed"', 1, true) and body:match('[,{]"id":(%d+)')
  if id and #queue < 1000 then table.insert(queue, id) end
  if id then seen = seen + 1; opened[((seen - 1) % 2000) + 1] = id end
end
EOF
echo "load: wrk -t2 -c$sessions -d${secs}s, think time ${think} ms, $sessions sessions ($(cut -f1 "$work/sessions" | sort | uniq -c | xargs))"
wrk -t2 -c"$sessions" -d"${secs}s" --latency -s "$work/city.lua" "$base" | tee "$work/wrk.out"
python3 - "$work/wrk.out" <<'EOF'
import sys, re
t = open(sys.argv[1]).read()
m = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
print("errors (non-2xx/3xx):", m.group(1) if m else 0)
EOF
# The server's own access log: per route, how many, which statuses, p50/p95 server time.
python3 - "$work/server.log" <<'EOF2'
import re, sys, collections
rows = collections.defaultdict(list)
st = collections.defaultdict(collections.Counter)
for line in open(sys.argv[1], errors="replace"):
    line = re.sub(r"\x1b\[[0-9;]*m", "", line)
    m = re.search(r"method=(\S+) route=(\S+) status=(\d+) ms=([\d.]+)", line)
    if m:
        k = m.group(1) + " " + m.group(2)
        rows[k].append(float(m.group(4)))
        st[k][m.group(3)] += 1
print("| route | answers | statuses | p50 ms | p95 ms |")
print("|---|---:|---|---:|---:|")
for k, v in sorted(rows.items(), key=lambda kv: -len(kv[1])):
    v.sort()
    print(f"| {k} | {len(v)} | {dict(st[k])} | {v[len(v)//2]:.1f} | {v[int(len(v)*0.95)]:.1f} |")
EOF2
