# Shared by the intake diagnostics (intake-ab.sh, intake-threads.sh, intake-wal.sh); sourced, not run.
name=%E5%B1%85%E6%B0%91 # 居民, URL-encoded

# setup NAME PORT BIN: a scratch folder $dir (removed at exit, with the server on PORT killed), the
# small demo in $dir/db with an Open311 key in $key, the write-ahead log folded into the file (so
# that copies may take the file alone), and $bin, $port, $url.
setup() {
  dir=$(mktemp -d "/tmp/shequ-$1.XXXXXX"); port=$2; bin=$(realpath "$3"); url=http://127.0.0.1:$port
  trap 'pkill -9 -f "listen 127.0.0.1:$port" 2>/dev/null || true; rm -rf "$dir"' EXIT
  "$bin" demo --db "sqlite://$dir/db" --key-file "$dir/db.key" --no-serve >/dev/null 2>&1
  key=$("$bin" open311 key add --db "sqlite://$dir/db" --key-file "$dir/db.key" diagnostic 2>/dev/null | tail -n 1)
  sqlite3 "$dir/db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
}

# `shequ serve` on the copy in folder $1, in the background; `up` waits until it answers.
serve() { "$bin" serve --db "sqlite://$1/db" --key-file "$1/db.key" --listen "127.0.0.1:$port" >"$1/log" 2>&1 & }
up() { for _ in $(seq 1 100); do curl -s -o /dev/null "$url/healthz" && return; sleep 0.1; done; }
stop() { pkill -f "listen 127.0.0.1:$port" 2>/dev/null || true; sleep 0.5; }

# An Open311 POST body: item, caller name, description, lat, long.
body() { echo "api_key=$key&jurisdiction_id=340705402&service_code=$1&first_name=$2&phone=13800000000&description=$3&lat=$4&long=$5"; }

# $dir/open311.lua: a wrk script posting Open311 requests over the items given (quoted Lua strings).
open311_lua() {
  local items
  items=$(IFS=,; echo "$*")
  cat >"$dir/open311.lua" <<LUA
local items = {$items}
local n = 0
request = function()
  n = n + 1
  -- The name goes in as an argument: its %XX escapes are not format directives.
  local body = string.format("$(body %s %s bench%d %.6f %.6f)", items[(n % #items) + 1], "$name", n,
    30.93 + (n % 64) * 0.0001, 117.81 + (n % 50) * 0.0001)
  return wrk.format("POST", "/open311/v2/requests.json", {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
LUA
}
