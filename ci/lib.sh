# Shared helpers for the scripts in ci/. Source it: `. "$(dirname "$0")/lib.sh"`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/.venv/bin:$ROOT/node_modules/.bin:$PATH"
export REDOCLY_TELEMETRY=off
export NO_UPDATE_NOTIFIER=1
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

CONTRACTS=(barbican marketplace orchestrator)

# step NAME CMD...: run a command under a heading, and say how long it took.
step() {
  local name="$1"; shift
  local start=$SECONDS
  echo "::: $name"
  "$@"
  echo "::: $name: ok ($((SECONDS - start)) s)"
}

# wait_for_url URL [SECONDS]: poll a readiness endpoint until it answers 200 (no fixed sleeps).
wait_for_url() {
  local url="$1" limit="${2:-30}" deadline=$((SECONDS + ${2:-30}))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    if (( SECONDS >= deadline )); then
      echo "timed out after ${limit}s waiting for $url" >&2
      return 1
    fi
    sleep 0.1
  done
}

# free_port: print a free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_standin LOG [ARGS...]: start the built target/debug/standin on free ports (BARBICAN_PORT, if set,
# fixes the Barbican one), wait until every listener answers its health check, and set STANDIN_PID,
# BARBICAN_URL, MARKETPLACE_URL and ORCHESTRATOR_URL. The caller stops it with stop_standin.
start_standin() {
  local log="$1"; shift
  local b m o
  b=${BARBICAN_PORT:-$(free_port)}; m=$(free_port); o=$(free_port)
  target/debug/standin serve --barbican-listen "127.0.0.1:$b" --marketplace-listen "127.0.0.1:$m" \
    --orchestrator-listen "127.0.0.1:$o" "$@" >"$log" 2>&1 &
  STANDIN_PID=$!
  BARBICAN_URL="http://127.0.0.1:$b"; MARKETPLACE_URL="http://127.0.0.1:$m"; ORCHESTRATOR_URL="http://127.0.0.1:$o"
  local url
  for url in "$BARBICAN_URL" "$MARKETPLACE_URL" "$ORCHESTRATOR_URL"; do
    wait_for_url "$url/_standin/health" 30 || { cat "$log"; return 1; }
  done
}

# stop_standin: SIGTERM the standin started by start_standin and require a clean exit.
stop_standin() {
  kill -TERM "$STANDIN_PID"
  wait "$STANDIN_PID" || { echo "standin did not exit cleanly on SIGTERM" >&2; return 1; }
}

# start_postgres: start Debian's PostgreSQL server (installed by ci/setup-tools) on a free loopback
# port, in a new cluster in a temporary directory, and set PG_URL (a database named standin) and PG_DIR.
# The caller stops it with stop_postgres. As root, the cluster belongs to the postgres user (initdb
# refuses to run as root).
start_postgres() {
  local bin port as=()
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  port=$(free_port)
  PG_DIR=$(mktemp -d)
  chmod 755 "$PG_DIR"
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; as=(runuser -u postgres --); fi
  "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U standin --auth=trust --locale=C.UTF-8 -E UTF8 >"$PG_DIR/initdb.log" \
    || { cat "$PG_DIR/initdb.log"; return 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c max_connections=400 -c fsync=on" start >/dev/null \
    || { cat "$PG_DIR/server.log"; return 1; }
  PG_BIN="$bin"; PG_AS=("${as[@]}")
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U standin standin
  PG_URL="postgres://standin@127.0.0.1:$port/standin"
}

# stop_postgres: stop the server start_postgres started and remove its cluster.
stop_postgres() {
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null || true
  rm -rf "$PG_DIR"
}
