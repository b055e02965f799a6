#!/usr/bin/env bash
# Starts or stops the local Tansu broker (memory storage) on a loopback port.
#   deploy/local/broker.sh start [PORT]   (default 9092; writes .run/broker.pid and .run/broker.log)
#   deploy/local/broker.sh stop
#   deploy/local/broker.sh status
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
run="$root/.run"
mkdir -p "$run"
pidfile="$run/broker.pid"
case "${1:-}" in
  start)
    port="${2:-9092}"
    "$root/deploy/local/tools.sh"
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "broker already running (pid $(cat "$pidfile"))"; exit 0
    fi
    TOKIO_WORKER_THREADS="${TOKIO_WORKER_THREADS:-1}" "$root/.tools/bin/tansu" broker --listener-url "tcp://127.0.0.1:$port" \
      --advertised-listener-url "tcp://127.0.0.1:$port" --storage-engine memory://tansu/ \
      >"$run/broker.log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 100); do
      if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "broker listening on 127.0.0.1:$port (pid $(cat "$pidfile"))"; exit 0; fi
      sleep 0.05
    done
    echo "broker did not start; see $run/broker.log" >&2; exit 1 ;;
  stop)
    if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; rm -f "$pidfile"; echo "broker stopped"; fi ;;
  status)
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then echo "running (pid $(cat "$pidfile"))"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: $0 start [PORT] | stop | status" >&2; exit 2 ;;
esac
