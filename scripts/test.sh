#!/usr/bin/env bash
# Installs what is missing, builds the console and runs every test:
# formatting and lints (clippy, warnings denied, for the server build and
# for the browser bundle), the Rust suites twice, on SQLite and on a
# throwaway PostgreSQL cluster, then the Playwright suite in Debian Chromium
# against release servers it starts on free loopback ports with fresh
# databases, then the page-weight budget. Exits non-zero on the first
# failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

bash "$ROOT/scripts/setup.sh" --browser --postgres --contract
source "$ROOT/scripts/postgres.sh"
# The API contract test (server/tests/it/contract.rs) runs the fuzzer
# setup.sh installed, and must not skip here.
export SCHEMATHESIS="$SCHEMATHESIS_VENV/bin/st"
export AI_CONSOLE_REQUIRE_CONTRACT=1

step "Formatting (cargo fmt --check)"
(cd "$ROOT" && cargo fmt --all --check)

step "Lints (clippy, warnings denied): the server build, then the browser bundle"
(cd "$ROOT" && cargo clippy --release -p app -p server -p test-support --features app/ssr --all-targets -- -D warnings)
# ssr and hydrate never meet in one build: the browser side per package.
(cd "$ROOT" && cargo clippy --release -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings)
(cd "$ROOT" && cargo clippy --release -p frontend --target wasm32-unknown-unknown -- -D warnings)

step "Building the release server and browser bundle"
build_release

step "Rust tests on SQLite"
(cd "$ROOT" && cargo test --release -p app -p server --features app/ssr)

step "Rust tests on PostgreSQL (a throwaway cluster, stopped afterwards)"
trap stop_throwaway_postgres EXIT
start_throwaway_postgres
(cd "$ROOT" && TEST_DATABASE_URL="$POSTGRES_URL" cargo test --release -p app -p server --features app/ssr)
stop_throwaway_postgres

step "Browser tests (Playwright, Debian Chromium), on SQLite and on PostgreSQL"
# A fresh cluster for the browser specs' PostgreSQL servers.
start_throwaway_postgres
PSQL="$(postgres_bin)/psql"
for database in e2e_team e2e_enterprise e2e_gateway; do
  "$PSQL" "$POSTGRES_URL" -qc "CREATE DATABASE $database"
done
export AI_CONSOLE_BIN="$SERVER_BIN" AI_CONSOLE_SITE_ROOT="$SITE_ROOT" \
  E2E_POSTGRES_URL="$POSTGRES_URL" E2E_POSTGRES_DIR="$POSTGRES_DIR" E2E_PSQL="$PSQL"
(cd "$ROOT/end2end" && npx playwright test)
stop_throwaway_postgres

step "Page weight"
node "$ROOT/scripts/size-report.mjs" --check
