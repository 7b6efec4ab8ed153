#!/usr/bin/env bash
# Measures release servers on loopback and prints one table, SQLite and a
# throwaway PostgreSQL cluster side by side, each row with its goal:
# throughput and p99 of /healthz (a bare handler behind the same layers),
# the signed-in AI page and the policy API (plain and key-receiving token)
# as ratios of /healthz; saves (16 admins racing on one setting, and one
# admin alone); 1,000 policy streams held by one process (extra memory,
# time for a change to reach all); on PostgreSQL, a second replica's stream
# (100 changes made through the first); on SQLite, the AI page while 500
# connections guess passwords from ever-new addresses (through a trusted
# proxy, so every guess is checked), with the process's peak memory. Idle
# memory and start to ready.
# Then the AI gateway against nginx, Portkey and LiteLLM
# (scripts/bench-gateway.sh). A report, not a test.
#
#   scripts/bench.sh            (DURATION=10s, STREAMS=1000 by default)
#   scripts/bench.sh gateway    (the gateway's table only)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
if [ "${1:-}" = gateway ]; then exec bash "$ROOT/scripts/bench-gateway.sh"; fi
DURATION="${DURATION:-10s}"
STREAMS="${STREAMS:-1000}"

bash "$ROOT/scripts/setup.sh" --postgres
if ! command -v wrk >/dev/null; then
  echo "==> installing wrk (apt)"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq wrk
  else sudo apt-get update -qq && sudo apt-get install -y -qq wrk; fi
fi
build_release
# A thousand streams need more open files than the usual 1,024.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 8192 || true

source "$ROOT/scripts/postgres.sh"

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  stop_throwaway_postgres
  rm -rf "$WORK"
}
trap cleanup EXIT

# Provider keys are verified with a provider: a loopback fake one.
FAKE_PORT="$(free_loopback_port)"
node "$ROOT/end2end/fake-provider.mjs" "$FAKE_PORT" & PIDS+=($!)
export LEPTOS_SITE_ROOT="$SITE_ROOT" LEPTOS_ENV=PROD RUST_LOG=warn AI_PLAN=enterprise \
  AI_OPENAI_BASE_URL="http://127.0.0.1:$FAKE_PORT/openai/v1" \
  AI_CONSOLE_MASTER_KEY="bench:$(printf '%064d' 0)" \
  AI_CONSOLE_NEW_PASSWORD="bench password long enough" \
  AI_CONSOLE_TRUSTED_PROXIES="127.0.0.1"

# Starts a release server on `database_url`: sets BASE, PID, READY_MS and
# RSS_KB (idle memory).
start_server() { # label database_url
  local data="$WORK/$1" port
  mkdir -p "$data"
  port="$(free_loopback_port)"
  BASE="http://127.0.0.1:$port"
  export AI_CONSOLE_DATA_DIR="$data" DATABASE_URL="$2" LEPTOS_SITE_ADDR="127.0.0.1:$port"
  local start_ns; start_ns="$(date +%s%N)"
  "$SERVER_BIN" >"$data/server.log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
  until curl -sf "$BASE/readyz" | grep -q '"policy":"live"'; do sleep 0.01; done
  READY_MS=$(( ($(date +%s%N) - start_ns) / 1000000 ))
  sleep 1
  RSS_KB="$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")"
}

# Signs in as the admin, adds a workspace key and makes two service
# tokens: sets COOKIE, PLAIN_TOKEN and KEY_TOKEN.
prepare_workspace() {
  local jar="$WORK/jar-$PID"
  SAME_SITE=(-H "Origin: $BASE" -H "Sec-Fetch-Site: same-origin")
  curl -sf -o /dev/null -c "$jar" "${SAME_SITE[@]}" \
    --data-urlencode "email=bench@example.com" --data-urlencode "password=$AI_CONSOLE_NEW_PASSWORD" \
    "$BASE/api/account/sign-in"
  COOKIE="$(awk '$6 ~ /console_session/ {print $6"="$7}' "$jar")"
  curl -sf -o /dev/null -b "$jar" -c "$jar" "${SAME_SITE[@]}" -H "Accept: text/html" \
    --data "provider=openai&key=sk-e2e-good-key-1111&version=0" "$BASE/api/settings/ai/provider/key"
  new_token() { # form
    curl -sf -o /dev/null -b "$jar" -c "$jar" "${SAME_SITE[@]}" -H "Accept: text/html" \
      --data "$1" "$BASE/api/api-access/create"
    curl -sf -b "$jar" -c "$jar" "$BASE/settings/api" | grep -o 'aic_[0-9a-f]*' | head -1
  }
  PLAIN_TOKEN="$(new_token "name=router")"
  KEY_TOKEN="$(new_token "name=gateway&may_receive_keys=on&password=bench+password+long+enough")"
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

cat >"$WORK/usage.lua" <<'LUA'
-- Batches of 500 usage events, every id new (thread number + counter).
local threads = 0
setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end
sent = 0
request = function()
  sent = sent + 1
  local events = {}
  -- Dated now: the console takes events from the last 90 days only.
  local at = os.date("!%Y-%m-%dT%H:%M:%SZ")
  for n = 1, 500 do
    events[n] = string.format('{"id":"t%d-b%d-e%d","at":"%s","feature":"assistant","model":"gpt-4o","input_tokens":1200,"output_tokens":300}', id, sent, n, at)
  end
  return wrk.format("POST", nil, nil, '{"events":[' .. table.concat(events, ",") .. ']}')
end
LUA

cat >"$WORK/flood.lua" <<'LUA'
-- Wrong passwords for the admin, each from a new address behind the
-- trusted proxy: the throttle lets every one be checked.
request = function()
  local client = "10." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)
  return wrk.format("POST", "/api/account/sign-in", { ["X-Forwarded-For"] = client },
    "email=bench%40example.com&password=not+the+password")
end
LUA

ROWS=()
# wrk's requests/s and 99th percentile (in ms) into RPS and P99.
run_wrk() { # threads connections [wrk args...]
  local threads="$1" connections="$2"; shift 2
  local out; out="$(wrk -t"$threads" -c"$connections" -d"$DURATION" --latency "$@")"
  RPS="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  P99="$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }' <<<"$out")"
}

measure_console() { # database
  local db="$1" hello
  run_wrk 2 16 "$BASE/healthz"; hello="$RPS"
  ROWS+=("hello (/healthz), $db|$RPS|$P99 ms||")
  run_wrk 2 16 -H "Cookie: $COOKIE" "$BASE/settings/ai"
  ROWS+=("AI page (signed in), $db|$RPS ($(awk -v a="$RPS" -v b="$hello" 'BEGIN{printf "%.2f", a/b}')× hello)|$P99 ms|≥ 0.25× hello|")
  for token in plain key; do
    local value="$PLAIN_TOKEN"; [ "$token" = key ] && value="$KEY_TOKEN"
    run_wrk 2 16 -H "Authorization: Bearer $value" "$BASE/api/v1/workspaces/default/ai-policy"
    ROWS+=("policy API, $token token, $db|$RPS ($(awk -v a="$RPS" -v b="$hello" 'BEGIN{printf "%.2f", a/b}')× hello)|$P99 ms|≥ 0.5× hello, p99 ≤ 2 ms|")
  done
  local save=(-s "$WORK/save.lua" -H "Cookie: $COOKIE" "${SAME_SITE[@]}"
    -H "Content-Type: application/x-www-form-urlencoded" -H "Accept: application/json" "$BASE")
  run_wrk 2 16 "${save[@]}"
  ROWS+=("save, 16 admins racing on one setting, $db|$RPS|$P99 ms|p99 ≤ 10 ms (SQLite)|")
  run_wrk 1 1 "${save[@]}"
  ROWS+=("save, one admin alone, $db|$RPS|$P99 ms||")
}

usage_row() { # database
  # With a monthly budget set, so every report also settles it (the budget
  # is the largest allowed: its lines are never reached here).
  curl -sf -o /dev/null -H "Cookie: $COOKIE" "${SAME_SITE[@]}" -X POST -H 'Accept: application/json' \
    -d 'amount=1000000000&warn_percent=80&at_limit=stop_ai&version=0' "$BASE/api/settings/ai/budget/set"
  run_wrk 2 4 -s "$WORK/usage.lua" -H "Authorization: Bearer $PLAIN_TOKEN" \
    -H "Content-Type: application/json" "$BASE/api/v1/workspaces/default/usage"
  ROWS+=("usage reports with a budget set, batches of 500 events, $1|$(awk -v r="$RPS" 'BEGIN{printf "%.0f events/s", r*500}')|$P99 ms per batch|≥ 10,000 events/s (SQLite)|")
}

flood_row() { # database
  local flood_pid
  wrk -t1 -c500 -d"$DURATION" -s "$WORK/flood.lua" "${SAME_SITE[@]}" -H "Accept: text/html" \
    -H "Content-Type: application/x-www-form-urlencoded" "$BASE" >"$WORK/flood.out" &
  flood_pid=$!
  sleep 1
  run_wrk 1 4 -H "Cookie: $COOKIE" "$BASE/settings/ai"
  wait "$flood_pid" || true
  ROWS+=("AI page during a flood of 500 connections guessing passwords, $1|$RPS (peak memory $(( $(awk '/VmHWM/ {print $2}' "/proc/$PID/status") / 1024 )) MiB)|$P99 ms|under 200 MB, page answers|")
}

streams_row() { # label stream_base save_base streams changes
  local out
  out="$(node "$ROOT/scripts/bench-streams.mjs" --stream-base "$2" --save-base "$3" \
    --token "$PLAIN_TOKEN" --cookie "$COOKIE" --streams "$4" --changes "$5" --pid "$PID" \
    --version "$(curl -sf -H "Cookie: $COOKIE" "${SAME_SITE[@]}" -X POST -H 'Accept: application/json' \
      "$3/api/settings/ai/load" | grep -o '"ai_enabled":{"version":[0-9]*' | grep -o '[0-9]*$' || echo 0)")"
  ROWS+=("$1|$(node -e "const r=JSON.parse(process.argv[1]); console.log(\`\${r.extra_memory_mib} MiB extra|p99 \${r.p99_ms} ms, worst \${r.worst_ms} ms\`)" "$out")|$6|")
}

mkdir -p "$WORK/sqlite"
AI_CONSOLE_DATA_DIR="$WORK/sqlite" DATABASE_URL="sqlite://$WORK/sqlite/console.db" "$SERVER_BIN" \
  create-admin --email bench@example.com --name Bench >/dev/null
start_server sqlite "sqlite://$WORK/sqlite/console.db"
SQLITE_READY_MS="$READY_MS" SQLITE_RSS_KB="$RSS_KB"
prepare_workspace
measure_console SQLite
usage_row SQLite
flood_row SQLite
streams_row "$STREAMS streams on one process, SQLite" "$BASE" "$BASE" "$STREAMS" 20 "≤ 50 MB, change to all p99 ≤ 1 s"
kill "$PID"; wait "$PID" 2>/dev/null || true

start_throwaway_postgres
AI_CONSOLE_DATA_DIR="$WORK/admin" DATABASE_URL="$POSTGRES_URL" "$SERVER_BIN" create-admin \
  --email bench@example.com --name Bench >/dev/null
start_server postgres "$POSTGRES_URL"
FIRST="$BASE" FIRST_PID="$PID"
prepare_workspace
measure_console PostgreSQL
usage_row PostgreSQL
streams_row "$STREAMS streams on one process, PostgreSQL" "$BASE" "$BASE" "$STREAMS" 20 "≤ 50 MB, change to all p99 ≤ 1 s"
start_server postgres-second "$POSTGRES_URL"
streams_row "second replica's stream, 100 changes via the first" "$BASE" "$FIRST" 1 100 "p99 ≤ 1 s"

echo
printf '| %s | %s | %s | %s |\n' "what" "requests/s (or memory)" "p99" "goal"
printf '|---|---:|---:|---|\n'
for row in "${ROWS[@]}"; do
  IFS='|' read -r what rps p99 goal _ <<<"$row"
  printf '| %s | %s | %s | %s |\n' "$what" "$rps" "$p99" "$goal"
done
echo
echo "idle memory (RSS after start): SQLite $(( SQLITE_RSS_KB / 1024 )) MiB, PostgreSQL $(( RSS_KB / 1024 )) MiB"
echo "start to ready:                SQLite ${SQLITE_READY_MS} ms, PostgreSQL ${READY_MS} ms"

echo
bash "$ROOT/scripts/bench-gateway.sh"
