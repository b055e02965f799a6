#!/usr/bin/env bash
# Registry benchmark over a real broker: starts a private Tansu broker and the registry executable
# (release build), then drives them with deploy/bench/registry_load.py:
#   - allocation for ENTITIES entities with UNITS units each (AllocateAllowances sent -> last
#     AllowancesAllocated read), pre and final;
#   - CYCLES freeze/transfer cycles of the order saga (sells on market.orders, trades on
#     matching.events), as bursts and pipelined.
# Usage: deploy/bench/registry-bench.sh [--entities N] [--units N] [--cycles N]
# Env: REGISTRY_BIN (default .build/release/registry, built if missing), BENCH_BATCH_SIZE (default 5000),
#      BENCH_KEEP=1 keeps the work dir (SQLite file, logs; about 350 MB after a full run).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$root/deploy/local/tools.sh"
source "$root/deploy/local/env.sh"
python="$root/.tools/venv/bin/python"
bin="${REGISTRY_BIN:-$root/.build/release/registry}"
if [ ! -x "$bin" ]; then
  echo "building the registry (release) ..." >&2
  (cd "$root" && swift build -c release --product registry >&2)
fi

work="$(mktemp -d /tmp/registry-bench.XXXXXX)"
free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
broker_port="$(free_port)"
admin_port="$(free_port)"
broker_pid=""
registry_pid=""
cleanup() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null || true
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null || true
  if [ "${BENCH_KEEP:-0}" = "1" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

TOKIO_WORKER_THREADS="${TOKIO_WORKER_THREADS:-1}" "$ECO_TANSU" broker --listener-url "tcp://127.0.0.1:$broker_port" --advertised-listener-url "tcp://127.0.0.1:$broker_port" \
  --storage-engine memory://tansu/ >"$work/broker.log" 2>&1 &
broker_pid=$!
for _ in $(seq 1 100); do (echo >"/dev/tcp/127.0.0.1/$broker_port") 2>/dev/null && break; sleep 0.05; done

"$python" - "$broker_port" <<'EOF'
import sys
from confluent_kafka.admin import AdminClient, NewTopic
admin = AdminClient({"bootstrap.servers": f"127.0.0.1:{sys.argv[1]}"})
topics = ["registry.commands", "registry.events", "market.orders", "matching.events", "settlement.commands",
          "settlement.events", "air.observations", "air.alerts"]
specs = [NewTopic(t, num_partitions=3, replication_factor=1) for t in topics]
specs += [NewTopic(t + ".dlq", num_partitions=1, replication_factor=1) for t in topics]
for future in admin.create_topics(specs).values():
    future.result(timeout=30)
EOF

"$bin" --brokers "127.0.0.1:$broker_port" --db "$work/registry.sqlite" --admin-port "$admin_port" \
  --batch-size "${BENCH_BATCH_SIZE:-5000}" --log-level warning >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 200); do
  curl -fs "http://127.0.0.1:$admin_port/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
echo "registry-bench: broker 127.0.0.1:$broker_port, registry $bin (pid $registry_pid), work dir $work"
echo "machine: $(nproc) cores, $(uname -sr)"
"$python" "$root/deploy/bench/registry_load.py" --brokers "127.0.0.1:$broker_port" --admin-port "$admin_port" "$@"
echo "registry status: $(curl -fs "http://127.0.0.1:$admin_port/status")"
