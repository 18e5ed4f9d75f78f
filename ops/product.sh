#!/usr/bin/env bash
# Starts and stops the API (uvicorn on :8000) and one sync worker in the background for `make up`.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_DIR=var/dev/run
LOG_DIR=var/dev/logs
mkdir -p "$RUN_DIR" "$LOG_DIR"
UV=$(command -v uv || echo "$HOME/.local/bin/uv")

running() { [ -f "$RUN_DIR/$1.pid" ] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

launch() {  # name, command...
  local name=$1; shift
  if running "$name"; then echo "$name already running (pid $(cat "$RUN_DIR/$name.pid"))"; return; fi
  setsid nohup "$@" >"$LOG_DIR/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
}

halt() {
  local name=$1
  if running "$name"; then
    local pid; pid=$(cat "$RUN_DIR/$name.pid")
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    echo "stopped $name"
  fi
  rm -f "$RUN_DIR/$name.pid"
}

case "${1:-}" in
  start)
    launch api "$UV" run --frozen learngraph serve --host 0.0.0.0 --port 8000
    launch worker "$UV" run --frozen learngraph worker --processes 1 --threads 4
    for _ in $(seq 1 120); do
      if curl -fsS http://127.0.0.1:8000/readyz >/dev/null 2>&1; then
        echo "learngraph is up: GraphiQL at http://localhost:8000/graphql (logs in $LOG_DIR; stop with 'make down')"
        exit 0
      fi
      running api || { echo "the API exited; see $LOG_DIR/api.log" >&2; tail -20 "$LOG_DIR/api.log" >&2; exit 1; }
      sleep 0.5
    done
    echo "the API did not become ready within 60s; see $LOG_DIR/api.log" >&2; exit 1 ;;
  stop) halt api; halt worker ;;
  status) for name in api worker; do running "$name" && echo "$name running" || echo "$name stopped"; done ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
