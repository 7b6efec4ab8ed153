#!/usr/bin/env bash
# Measures a release server on loopback and prints one table: SSR page
# throughput and p99 against /healthz (a bare handler behind the same
# layers; the ratio is the figure), save p99 at 16 connections, policy API
# p99, idle memory and time from start to ready. A report, not a test.
#
#   scripts/bench.sh            (DURATION=10s by default)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
DURATION="${DURATION:-10s}"

bash "$ROOT/scripts/setup.sh"
if ! command -v wrk >/dev/null; then
  echo "==> installing wrk (apt)"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq wrk
  else sudo apt-get update -qq && sudo apt-get install -y -qq wrk; fi
fi
build_release

WORK="$(mktemp -d)"
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
BASE="http://127.0.0.1:$PORT"
export AI_CONSOLE_DATA_DIR="$WORK/data" LEPTOS_SITE_ROOT="$SITE_ROOT" LEPTOS_ENV=PROD \
  LEPTOS_SITE_ADDR="127.0.0.1:$PORT" RUST_LOG=warn AI_CONSOLE_NEW_PASSWORD="bench password long enough"
"$SERVER_BIN" create-admin --email bench@example.com --name Bench >/dev/null

START_NS="$(date +%s%N)"
"$SERVER_BIN" >"$WORK/server.log" 2>&1 &
PID=$!
until curl -sf "$BASE/readyz" >/dev/null; do sleep 0.01; done
READY_MS=$(( ($(date +%s%N) - START_NS) / 1000000 ))
sleep 1
RSS_KB="$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")"

# Signed in as the admin, as a browser on the page would be.
SAME_SITE=(-H "Origin: $BASE" -H "Sec-Fetch-Site: same-origin")
curl -sf -o /dev/null -c "$WORK/jar" "${SAME_SITE[@]}" \
  --data-urlencode "email=bench@example.com" --data-urlencode "password=$AI_CONSOLE_NEW_PASSWORD" \
  "$BASE/api/account/sign-in"
COOKIE="$(awk '$6 ~ /console_session/ {print $6"="$7}' "$WORK/jar")"
curl -sf -o /dev/null -b "$WORK/jar" -c "$WORK/jar" "${SAME_SITE[@]}" -H "Accept: text/html" \
  --data "name=bench" "$BASE/api/api-access/create"
TOKEN="$(curl -sf -b "$WORK/jar" "$BASE/settings/api" | grep -o 'aic_[0-9a-f]*' | head -1)"

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
  printf '%-34s %12s %10s %10s\n' "$name" "$rps" "$p99" "${refused:-0}"
  eval "RPS_${name//[^a-zA-Z]/_}=$rps"
}

echo
printf '%-34s %12s %10s %10s\n' "what" "requests/s" "p99" "non-2xx"
measure "hello (/healthz)" 16 "$BASE/healthz"
measure "SSR page (/settings/ai)" 16 -H "Cookie: $COOKIE" "$BASE/settings/ai"
measure "save (server fn, SQLite, races)" 16 -s "$WORK/save.lua" -H "Cookie: $COOKIE" \
  -H "Origin: $BASE" -H "Sec-Fetch-Site: same-origin" \
  -H "Content-Type: application/x-www-form-urlencoded" -H "Accept: application/json" "$BASE"
measure "policy API" 16 -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/workspaces/default/ai-policy"
echo
awk -v page="$RPS_SSR_page___settings_ai_" -v hello="$RPS_hello___healthz_" \
  'BEGIN { printf "SSR page / hello throughput: %.1f%%\n", 100 * page / hello }'
echo "idle memory (RSS after start):     $(( RSS_KB / 1024 )) MiB"
echo "start to ready:                    ${READY_MS} ms"
