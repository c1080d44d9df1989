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

# ensure_debian_packages COMMAND=PACKAGE...: install each Debian package whose command is missing.
ensure_debian_packages() {
  local wanted=() pair
  for pair in "$@"; do
    command -v "${pair%%=*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${pair%%=*}" ] || wanted+=("${pair#*=}")
  done
  [ ${#wanted[@]} = 0 ] && return 0
  install_debian_packages "${wanted[@]}"
}

# install_debian_packages PACKAGE...: apt-get install them.
install_debian_packages() {
  echo "installing Debian's $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 "$@" >/dev/null
}

# postgres_server_installed: whether Debian's PostgreSQL server (not only the psql client) is here.
postgres_server_installed() {
  compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null
}

# start_balancer: nginx on free loopback ports, round-robin over two standins per API (one request to
# each in turn, no retries, so the suites' requests really are spread over both). Takes the two
# instances' URLs as BARBICAN_A/B, MARKETPLACE_A/B, ORCHESTRATOR_A/B; sets BARBICAN_URL,
# MARKETPLACE_URL, ORCHESTRATOR_URL to the balancer and NGINX_DIR.
start_balancer() {
  NGINX_DIR=$(mktemp -d)
  local b m o
  b=$(free_port); m=$(free_port); o=$(free_port)
  mkdir -p "$NGINX_DIR/logs"
  {
    echo "worker_processes 1; pid $NGINX_DIR/nginx.pid; error_log $NGINX_DIR/logs/error.log warn; daemon on;"
    echo "events { worker_connections 1024; }"
    echo "http { access_log off; client_body_temp_path $NGINX_DIR/body; proxy_temp_path $NGINX_DIR/proxy;"
    echo "  fastcgi_temp_path $NGINX_DIR/fcgi; uwsgi_temp_path $NGINX_DIR/uwsgi; scgi_temp_path $NGINX_DIR/scgi;"
    echo "  client_max_body_size 0; proxy_buffering off; proxy_request_buffering off; proxy_next_upstream off;"
    local api name port ha pa hz pz
    for api in barbican:$b:$BARBICAN_A:$BARBICAN_B marketplace:$m:$MARKETPLACE_A:$MARKETPLACE_B \
               orchestrator:$o:$ORCHESTRATOR_A:$ORCHESTRATOR_B; do
      IFS=: read -r name port ha pa hz pz <<<"${api//http:\/\//}"
      echo "  upstream $name { server $ha:$pa max_fails=0; server $hz:$pz max_fails=0; }"
      echo "  server { listen 127.0.0.1:$port; location / { proxy_pass http://$name; proxy_set_header Host \$http_host;"
      echo "    proxy_http_version 1.1; proxy_pass_request_headers on; } }"
    done
    echo "}"
  } > "$NGINX_DIR/nginx.conf"
  nginx -q -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" || { cat "$NGINX_DIR/logs/error.log"; return 1; }
  BARBICAN_URL="http://127.0.0.1:$b"; MARKETPLACE_URL="http://127.0.0.1:$m"; ORCHESTRATOR_URL="http://127.0.0.1:$o"
  wait_for_url "$BARBICAN_URL/_standin/health" 10
}

stop_balancer() {
  [ -n "${NGINX_DIR:-}" ] || return 0
  [ -f "$NGINX_DIR/nginx.pid" ] && kill "$(cat "$NGINX_DIR/nginx.pid")" 2>/dev/null || true
  rm -rf "$NGINX_DIR"
}
