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
