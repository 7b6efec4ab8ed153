#!/usr/bin/env bash
# Installs what building (and, with --browser, testing) the console needs,
# skipping whatever is already installed at the right version. Sourced by
# run.sh and test.sh; safe to run on its own and to run again.
#
#   scripts/setup.sh             build tools only
#   scripts/setup.sh --browser   also Playwright, axe-core and Debian Chromium
#   scripts/setup.sh --postgres  also Debian's PostgreSQL (tests, benchmark)
#   scripts/setup.sh --contract  also Schemathesis (the API contract test)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.10"
source "$ROOT/scripts/env.sh"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $*"
  fi
}

APT_UPDATED=""
apt_install() {
  if [ -z "$APT_UPDATED" ]; then
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

require() {
  command -v "$1" >/dev/null || die "$1 is not installed: $2"
}

# The version of a crate as Cargo.lock pins it.
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# npm ci in $1 unless node_modules already matches its package-lock.json.
npm_ci_if_needed() {
  local dir="$1" stamp="$1/node_modules/.installed-lock"
  if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then
    return
  fi
  say "npm ci in ${dir}"
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  cp "$dir/package-lock.json" "$stamp"
}

setup_build_tools() {
  require cargo "install Rust with rustup (https://rustup.rs)"
  require rustup "install Rust with rustup (https://rustup.rs)"
  require npm "install Node.js and npm (apt-get install nodejs npm)"
  command -v cc >/dev/null || apt_install build-essential

  # The test command checks formatting and lints.
  local component
  for component in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^${component}"; then
      say "adding the ${component} component"
      rustup component add "$component"
    fi
  done

  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi

  if [ "$(cargo leptos --version 2>/dev/null || true)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (once; takes several minutes)"
    cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked
  fi

  # The CLI must equal the wasm-bindgen crate in Cargo.lock. Its own lock
  # file names a crate version the registry lacks, hence no --locked.
  local bindgen
  bindgen="$(locked_version wasm-bindgen)"
  [ -n "$bindgen" ] || die "wasm-bindgen is missing from Cargo.lock"
  if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen" ]; then
    say "installing wasm-bindgen-cli $bindgen"
    cargo install wasm-bindgen-cli --version "$bindgen" --force
  fi

  # wasm-opt, from npm's binaryen: Debian's is too old for current wasm.
  npm_ci_if_needed "$ROOT"
}

setup_browser_tests() {
  npm_ci_if_needed "$ROOT/end2end"
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian Chromium for the browser tests"
    apt_install chromium
  fi
}

# Only the server programs are needed: test.sh and bench.sh start their own
# throwaway cluster (scripts/postgres.sh), never Debian's default one.
setup_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    say "installing Debian PostgreSQL for the tests"
    apt_install postgresql
  fi
}

# Schemathesis, the fuzzer that holds the service APIs to their OpenAPI
# description (server/tests/it/contract.rs), in a virtual environment of
# its own under the user's cache, shared by every clone.
# (Version and place: scripts/env.sh.)
setup_contract_fuzzer() {
  if [ -x "$SCHEMATHESIS_VENV/bin/st" ]; then
    return
  fi
  require python3 "install Python 3 (apt-get install python3 python3-venv)"
  say "installing Schemathesis $SCHEMATHESIS_VERSION for the API contract test"
  rm -rf "$SCHEMATHESIS_VENV"
  if ! python3 -m venv "$SCHEMATHESIS_VENV" 2>/dev/null; then
    rm -rf "$SCHEMATHESIS_VENV"
    apt_install python3-venv
    python3 -m venv "$SCHEMATHESIS_VENV"
  fi
  "$SCHEMATHESIS_VENV/bin/pip" install --quiet --disable-pip-version-check \
    "schemathesis==$SCHEMATHESIS_VERSION"
}

setup_build_tools
for option in "$@"; do
  case "$option" in
    --browser) setup_browser_tests ;;
    --postgres) setup_postgres ;;
    --contract) setup_contract_fuzzer ;;
    *) die "unknown option $option (expected --browser, --postgres or --contract)" ;;
  esac
done
