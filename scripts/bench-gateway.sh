#!/usr/bin/env bash
# Measures the AI gateway on loopback against the same fake provider (nginx
# answering a fixed chat completion at over 100,000 requests/s, so it is
# never the limit) and prints one table, each row with its goal:
# requests/s, p50, p99 and memory at 16 connections for the provider
# direct, a bare nginx proxy_pass hop with upstream keep-alive (the floor
# of one hop), the console's gateway with the policy, a person's rules,
# metering and a budget on, Portkey's open-source gateway and LiteLLM's
# proxy (two workers); then 1,000 streams at once through the gateway
# (extra memory, added time to first byte).
# A report, not a test. Run by scripts/bench.sh, or alone:
#
#   scripts/bench-gateway.sh        (DURATION=10s, STREAMS=1000; PEERS=0 skips Portkey and LiteLLM)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
DURATION="${DURATION:-10s}"
STREAMS="${STREAMS:-1000}"
PEERS="${PEERS:-1}"
PORTKEY_VERSION="1.15.2"

bash "$ROOT/scripts/setup.sh"
apt_install() { # package…
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq "$@"
  else sudo apt-get update -qq && sudo apt-get install -y -qq "$@"; fi
}
command -v wrk >/dev/null || { echo "==> installing wrk (apt)"; apt_install wrk; }
[ -x /usr/sbin/nginx ] || { echo "==> installing nginx-light (apt)"; apt_install nginx-light; }
build_release
ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 8192 || true
source "$ROOT/scripts/postgres.sh" # free_loopback_port

PEER_DIR="$HOME/.cache/ai-console/bench-peers"
if [ "$PEERS" = 1 ]; then
  mkdir -p "$PEER_DIR"
  if [ ! -d "$PEER_DIR/node_modules/@portkey-ai/gateway" ]; then
    echo "==> installing Portkey's gateway $PORTKEY_VERSION (npm)"
    (cd "$PEER_DIR" && npm install --no-audit --no-fund --loglevel=error "@portkey-ai/gateway@$PORTKEY_VERSION")
  fi
  if [ ! -x "$PEER_DIR/venv/bin/litellm" ]; then
    echo "==> installing LiteLLM's proxy (PyPI, in a virtual environment)"
    command -v python3 >/dev/null && python3 -c 'import venv' 2>/dev/null || apt_install python3-venv
    python3 -m venv "$PEER_DIR/venv"
    "$PEER_DIR/venv/bin/pip" install -q 'litellm[proxy]'
  fi
fi

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
wait_for() { # url: up to WAIT seconds (60 by default)
  for _ in $(seq 1 $(( ${WAIT:-60} * 10 ))); do
    curl -s -o /dev/null -m 1 "$@" && return 0
    sleep 0.1
  done
  echo "$1 did not come up" >&2; return 1
}
rss_mib() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }

# The fake provider and the bare hop: one nginx, two servers.
PROVIDER_PORT="$(free_loopback_port)"
HOP_PORT="$(free_loopback_port)"
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  upstream provider { server 127.0.0.1:$PROVIDER_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$PROVIDER_PORT;
    location ~ /models\$ { default_type application/json; return 200 '{"object":"list","data":[{"id":"gpt-4o"}]}'; }
    location ~ /chat/completions\$ { default_type application/json; return 200 '{"id":"chatcmpl-1","object":"chat.completion","created":1764547200,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":9,"total_tokens":21}}'; }
  }
  server {
    listen 127.0.0.1:$HOP_PORT;
    location / { proxy_pass http://provider; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
NGINX
/usr/sbin/nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" & PIDS+=($!)
NGINX_PID=$!
wait_for "http://127.0.0.1:$PROVIDER_PORT/v1/models"

# The console: the managed provider is the fake, a budget is set (so every
# batch of measured calls settles it) and every call names a person.
start_console() { # label provider_base_url
  local data="$WORK/$1" port
  mkdir -p "$data"
  port="$(free_loopback_port)"
  CONSOLE="http://127.0.0.1:$port"
  export AI_CONSOLE_DATA_DIR="$data" DATABASE_URL="sqlite://$data/console.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    LEPTOS_SITE_ROOT="$SITE_ROOT" LEPTOS_ENV=PROD RUST_LOG=warn AI_PLAN=team \
    AI_OPENAI_BASE_URL="$2" AI_MANAGED_OPENAI_API_KEY="sk-bench-fake" \
    AI_CONSOLE_MASTER_KEY="bench:$(printf '%064d' 0)" AI_CONSOLE_NEW_PASSWORD="bench password long enough"
  "$SERVER_BIN" create-admin --email bench@example.com --name Bench >/dev/null
  "$SERVER_BIN" >"$data/server.log" 2>&1 &
  CONSOLE_PID=$!
  PIDS+=("$CONSOLE_PID")
  until curl -sf "$CONSOLE/readyz" | grep -q '"policy":"live"'; do sleep 0.05; done
  local jar="$data/jar" same=(-H "Origin: $CONSOLE" -H "Sec-Fetch-Site: same-origin")
  curl -sf -o /dev/null -c "$jar" "${same[@]}" --data-urlencode "email=bench@example.com" \
    --data-urlencode "password=$AI_CONSOLE_NEW_PASSWORD" "$CONSOLE/api/account/sign-in"
  curl -sf -o /dev/null -b "$jar" "${same[@]}" -X POST -H 'Accept: application/json' \
    -d 'amount=1000000000&warn_percent=80&at_limit=stop_ai&version=0' "$CONSOLE/api/settings/ai/budget/set"
  curl -sf -o /dev/null -b "$jar" -c "$jar" "${same[@]}" -H "Accept: text/html" \
    --data "name=bench&may_call_models=on&gateway_feature=assistant" "$CONSOLE/api/api-access/create"
  TOKEN="$(curl -sf -b "$jar" "$CONSOLE/settings/api" | grep -o 'aic_[0-9a-f]*' | head -1)"
  sleep 1
  IDLE_MIB="$(rss_mib "$CONSOLE_PID")"
}
start_console gateway "http://127.0.0.1:$PROVIDER_PORT/v1"

cat >"$WORK/chat.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"model":"gpt-4o","messages":[{"role":"user","content":"Hello"}],"user":"bench@example.com"}]]
LUA

ROWS=()
run_wrk() { # memory_pid url [wrk args…]: sets RPS, P50, P99 (ms), MEM (MiB, peak)
  local pid="$1" url="$2"; shift 2
  local out; out="$(wrk -t2 -c16 -d"$DURATION" --latency -s "$WORK/chat.lua" "$@" "$url")"
  if grep -q "Non-2xx" <<<"$out"; then echo "non-2xx answers from $url:" >&2; grep "Non-2xx" <<<"$out" >&2; fi
  RPS="$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")"
  ms() { awk -v q="$1" '$1 == q { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }' <<<"$out"; }
  P50="$(ms 50%)"; P99="$(ms 99%)"
  MEM="$(awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$pid/status")"
}
row() { ROWS+=("$1|$RPS|$P50 ms|$P99 ms|$2|$3"); }

run_wrk "$NGINX_PID" "http://127.0.0.1:$PROVIDER_PORT/v1/chat/completions"
DIRECT="$RPS"; row "fake provider direct (nginx)" "(nginx, both servers)" ""
run_wrk "$NGINX_PID" "http://127.0.0.1:$HOP_PORT/v1/chat/completions"
HOP="$RPS"; row "bare nginx proxy_pass hop" "(nginx, both servers)" "the floor of one hop"
run_wrk "$CONSOLE_PID" "$CONSOLE/gateway/openai/v1/chat/completions" -H "Authorization: Bearer $TOKEN"
GATEWAY="$RPS"
row "the console's gateway (policy, person, metering, budget)" "$MEM MiB (idle $IDLE_MIB)" \
  "≥ 0.5× the hop ($(awk -v a="$GATEWAY" -v b="$HOP" 'BEGIN{printf "%.2f", a/b}')×), p99 ≤ 2 ms"
sed 's/,"user":"bench@example.com"//' "$WORK/chat.lua" >"$WORK/chat-anyone.lua"
run_wrk "$CONSOLE_PID" "$CONSOLE/gateway/openai/v1/chat/completions" -H "Authorization: Bearer $TOKEN" \
  -s "$WORK/chat-anyone.lua"
row "the console's gateway, no person named" "$MEM MiB" "($(awk -v a="$RPS" -v b="$HOP" 'BEGIN{printf "%.2f", a/b}')× the hop: what the person's lookup costs)"
MEASURED="$(sqlite3 "$WORK/gateway/console.db" 'SELECT SUM(events) FROM usage_daily' 2>/dev/null || echo '?')"

ratio() { awk -v a="$GATEWAY" -v b="$1" 'BEGIN{ if (b > 0) printf "gateway %.0f×", a/b; else print "-" }'; }
if [ "$PEERS" = 1 ]; then
  (cd "$PEER_DIR" && exec node node_modules/@portkey-ai/gateway/build/start-server.js >"$WORK/portkey.log" 2>&1) &
  PIDS+=($!)
  wait_for http://127.0.0.1:8787/
  PORTKEY_PID="$(pgrep -f 'gateway/build/start-server.js' | head -1)"
  run_wrk "$PORTKEY_PID" "http://127.0.0.1:8787/v1/chat/completions" -H "Authorization: Bearer sk-fake" \
    -H "x-portkey-provider: openai" -H "x-portkey-custom-host: http://127.0.0.1:$PROVIDER_PORT/v1"
  row "Portkey gateway $PORTKEY_VERSION (Node)" "$MEM MiB" "$(ratio "$RPS") (no budget, no person rules)"

  LITELLM_PORT="$(free_loopback_port)"
  cat >"$WORK/litellm.yaml" <<YAML
model_list:
  - model_name: gpt-4o
    litellm_params: {model: openai/gpt-4o, api_base: "http://127.0.0.1:$PROVIDER_PORT/v1", api_key: sk-fake}
general_settings: {master_key: sk-master}
YAML
  # Its price list comes with it; fetching the newest is out of reach here.
  # Without the console's DATABASE_URL, which it would take for its own.
  env -u DATABASE_URL LITELLM_LOCAL_MODEL_COST_MAP=True "$PEER_DIR/venv/bin/litellm" --config "$WORK/litellm.yaml" --port "$LITELLM_PORT" --num_workers 2 \
    >"$WORK/litellm.log" 2>&1 &
  LITELLM_PID=$!
  PIDS+=("$LITELLM_PID")
  WAIT=300 wait_for "http://127.0.0.1:$LITELLM_PORT/health/liveliness"
  run_wrk "$LITELLM_PID" "http://127.0.0.1:$LITELLM_PORT/v1/chat/completions" -H "Authorization: Bearer sk-master"
  LITELLM_MEM=0
  for pid in $(pgrep -f "litellm --config" ; pgrep -P "$LITELLM_PID" || true); do
    LITELLM_MEM=$(( LITELLM_MEM + $(rss_mib "$pid" 2>/dev/null || echo 0) ))
  done
  MEM="$LITELLM_MEM"
  row "LiteLLM proxy, 2 workers (Python)" "$MEM MiB (all workers)" "$(ratio "$RPS") (no database: no keys, no budgets)"
fi

# Streams: a console whose provider is the streaming fake in the helper.
STREAM_PORT="$(free_loopback_port)"
start_console streams "http://127.0.0.1:$STREAM_PORT/v1"
STREAM_RESULT="$(node "$ROOT/scripts/bench-gateway-streams.mjs" --gateway "$CONSOLE" --token "$TOKEN" \
  --pid "$CONSOLE_PID" --streams "$STREAMS" --hold 30 --port "$STREAM_PORT")"

echo
echo "Gateway, $DURATION per row, 16 connections (wrk -t2 -c16), $(nproc) cores:"
printf '| %s | %s | %s | %s | %s | %s |\n' "what" "requests/s" "p50" "p99" "memory (peak RSS)" "goal / note"
printf '|---|---:|---:|---:|---:|---|\n'
for r in "${ROWS[@]}"; do
  IFS='|' read -r what rps p50 p99 mem goal <<<"$r"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$what" "$rps" "$p50" "$p99" "$mem" "$goal"
done
node -e "
const r = JSON.parse(process.argv[1]);
console.log(\`| $STREAMS streams at once through the gateway | | | added time to first byte p99 \${r.added_p99_ms} ms (direct \${r.direct_p99_ms}, gateway \${r.gateway_p99_ms}) | \${r.extra_memory_mib} MiB extra | ≤ 100 MB extra, added p99 ≤ 2 ms |\`);
" "$STREAM_RESULT"
echo
echo "calls the gateway measured during its row: $MEASURED (written in batches; one usage event each)"
