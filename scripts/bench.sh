#!/usr/bin/env bash
# Measures a release server on loopback and prints one table: SSR page
# throughput and p99 against /healthz (a bare handler behind the same
# layers; the ratio is the figure), and, on SQLite and on a throwaway
# PostgreSQL cluster, page, save (16 connections) and policy API p99, idle
# memory and time from start to ready. A report, not a test.
#
#   scripts/bench.sh            (DURATION=10s by default)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
DURATION="${DURATION:-10s}"

bash "$ROOT/scripts/setup.sh" --postgres
if ! command -v wrk >/dev/null; then
  echo "==> installing wrk (apt)"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq wrk
  else sudo apt-get update -qq && sudo apt-get install -y -qq wrk; fi
fi
build_release

source "$ROOT/scripts/postgres.sh"

WORK="$(mktemp -d)"
cleanup() { stop_console; stop_throwaway_postgres; rm -rf "$WORK"; }
trap cleanup EXIT
export LEPTOS_SITE_ROOT="$SITE_ROOT" LEPTOS_ENV=PROD RUST_LOG=warn \
  AI_CONSOLE_NEW_PASSWORD="bench password long enough"
SAME_SITE=()

# Starts a release server on `database_url` with a fresh admin, then signs
# in as a browser on the page would be: sets BASE, PID, COOKIE, TOKEN,
# READY_MS (start to ready) and RSS_KB (idle memory).
start_console() { # label database_url
  local data="$WORK/$1" port
  mkdir -p "$data"
  port="$(free_loopback_port)"
  BASE="http://127.0.0.1:$port"
  export AI_CONSOLE_DATA_DIR="$data" DATABASE_URL="$2" LEPTOS_SITE_ADDR="127.0.0.1:$port"
  "$SERVER_BIN" create-admin --email bench@example.com --name Bench >/dev/null
  local start_ns; start_ns="$(date +%s%N)"
  "$SERVER_BIN" >"$data/server.log" 2>&1 &
  PID=$!
  until curl -sf "$BASE/readyz" >/dev/null; do sleep 0.01; done
  READY_MS=$(( ($(date +%s%N) - start_ns) / 1000000 ))
  sleep 1
  RSS_KB="$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")"

  SAME_SITE=(-H "Origin: $BASE" -H "Sec-Fetch-Site: same-origin")
  curl -sf -o /dev/null -c "$data/jar" "${SAME_SITE[@]}" \
    --data-urlencode "email=bench@example.com" --data-urlencode "password=$AI_CONSOLE_NEW_PASSWORD" \
    "$BASE/api/account/sign-in"
  COOKIE="$(awk '$6 ~ /console_session/ {print $6"="$7}' "$data/jar")"
  curl -sf -o /dev/null -b "$data/jar" -c "$data/jar" "${SAME_SITE[@]}" -H "Accept: text/html" \
    --data "name=bench" "$BASE/api/api-access/create"
  TOKEN="$(curl -sf -b "$data/jar" "$BASE/settings/api" | grep -o 'aic_[0-9a-f]*' | head -1)"
}

stop_console() {
  [ -n "${PID:-}" ] || return 0
  kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  PID=""
}

cat >"$WORK/save.lua" <<'LUA'
-- Saves the training choice, each request based on the version the last
-- answer on this thread returned; a save that lost a race is a 409.
local version = 0
local value = "true"
request = function()
  value = (value == "true") and "false" or "true"
  return wrk.format("POST", "/api/settings/ai/training", nil,
    "allowed=" .. value .. "&version=" .. version)
end
response = function(status, headers, body)
  local seen = body:match('"version":(%d+)')
  if seen then version = tonumber(seen) end
end
LUA

# wrk's summary: requests/s and the 99th percentile latency.
measure() { # name connections [wrk args...]
  local name="$1" connections="$2"; shift 2
  local out; out="$(wrk -t2 -c"$connections" -d"$DURATION" --latency "$@")"
  local rps p99 refused
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  refused="$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
  printf '%-40s %12s %10s %10s\n' "$name" "$rps" "$p99" "${refused:-0}"
  eval "RPS_${name//[^a-zA-Z]/_}=$rps"
}

measure_console() { # database
  measure "SSR page (/settings/ai, $1)" 16 -H "Cookie: $COOKIE" "$BASE/settings/ai"
  measure "save (server fn, $1, races)" 16 -s "$WORK/save.lua" -H "Cookie: $COOKIE" \
    "${SAME_SITE[@]}" -H "Content-Type: application/x-www-form-urlencoded" \
    -H "Accept: application/json" "$BASE"
  measure "policy API ($1)" 16 -H "Authorization: Bearer $TOKEN" \
    "$BASE/api/v1/workspaces/default/ai-policy"
}

start_console sqlite "sqlite://$WORK/sqlite/console.db"
SQLITE_READY_MS="$READY_MS" SQLITE_RSS_KB="$RSS_KB"
echo
printf '%-40s %12s %10s %10s\n' "what" "requests/s" "p99" "non-2xx"
measure "hello (/healthz)" 16 "$BASE/healthz"
measure_console SQLite
stop_console

start_throwaway_postgres
start_console postgres "$POSTGRES_URL"
measure_console PostgreSQL
stop_console

echo
awk -v page="$RPS_SSR_page___settings_ai__SQLite_" -v hello="$RPS_hello___healthz_" \
  'BEGIN { printf "SSR page / hello throughput (SQLite): %.1f%%\n", 100 * page / hello }'
echo "idle memory (RSS after start):        SQLite $(( SQLITE_RSS_KB / 1024 )) MiB, PostgreSQL $(( RSS_KB / 1024 )) MiB"
echo "start to ready:                       SQLite ${SQLITE_READY_MS} ms, PostgreSQL ${READY_MS} ms"
