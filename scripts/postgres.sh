# A throwaway PostgreSQL cluster for tests and benchmarks: a fresh data
# directory under a temporary folder, listening only on a free loopback
# port, deleted when stopped. Sourced by test.sh and bench.sh after
# `setup.sh --postgres` installed Debian's PostgreSQL.
#
#   start_throwaway_postgres   sets POSTGRES_URL (…/postgres, user "console")
#   stop_throwaway_postgres    stops the server and deletes its files; the
#                              caller's EXIT trap should call it too

POSTGRES_DIR=""
POSTGRES_URL=""

postgres_bin() {
  local bin
  bin="$( (ls -d /usr/lib/postgresql/*/bin 2>/dev/null || true) | sort -V | tail -n 1)"
  [ -x "$bin/initdb" ] || { echo "error: PostgreSQL is not installed (scripts/setup.sh --postgres)" >&2; return 1; }
  echo "$bin"
}

# PostgreSQL refuses to run as root; root runs it as Debian's postgres user.
as_postgres_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_loopback_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

start_throwaway_postgres() {
  local bin port
  bin="$(postgres_bin)"
  POSTGRES_DIR="$(mktemp -d -t ai-console-postgres.XXXXXX)"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$POSTGRES_DIR"
  as_postgres_owner "$bin/initdb" -D "$POSTGRES_DIR/data" -U console -A trust \
    -E UTF8 --locale=C.UTF-8 >"$POSTGRES_DIR/initdb.log"
  port="$(free_loopback_port)"
  # Durability is pointless for a cluster deleted afterwards; speed is not.
  as_postgres_owner "$bin/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $POSTGRES_DIR -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  POSTGRES_URL="postgres://console@127.0.0.1:$port/postgres"
}

stop_throwaway_postgres() {
  [ -n "$POSTGRES_DIR" ] || return 0
  as_postgres_owner "$(postgres_bin)/pg_ctl" -D "$POSTGRES_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$POSTGRES_DIR"
  POSTGRES_DIR=""
}
