#!/usr/bin/env bash
# Installs what is missing, builds the console and runs it on the embedded
# SQLite database under ./data (AI_CONSOLE_DATA_DIR to change it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

bash "$ROOT/scripts/setup.sh"
build_release

cd "$ROOT"
export LEPTOS_SITE_ROOT="$SITE_ROOT"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
export LEPTOS_ENV="${LEPTOS_ENV:-PROD}"
exec "$SERVER_BIN"
