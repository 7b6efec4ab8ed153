# Shared by run.sh and test.sh: where the build lands and how the server
# binary finds its site. Sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
SERVER_BIN="$TARGET_DIR/release/server"
# cargo-leptos writes the site (wasm, js, css, public/) here.
SITE_ROOT="$ROOT/target/site"
# Compiled into the server by cargo-leptos; cargo test must see the same
# value or it rebuilds Leptos from scratch.
export LEPTOS_OUTPUT_NAME="ai-console"

build_release() {
  (cd "$ROOT" && cargo leptos build --release && node scripts/precompress.mjs "$SITE_ROOT/pkg")
}

# The API contract fuzzer (scripts/setup.sh --contract installs it).
SCHEMATHESIS_VERSION="4.32.5"
SCHEMATHESIS_VENV="${XDG_CACHE_HOME:-$HOME/.cache}/ai-console/schemathesis-$SCHEMATHESIS_VERSION"
