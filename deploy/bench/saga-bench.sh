#!/usr/bin/env bash
# The order saga end to end under load: a private Tansu broker, the four services (registry,
# matching, settlement, air-alert; release builds) and the saga-load executable
# (Benchmarks/SagaLoad), which sets up plants, investors, allowances, funds and the session,
# then submits N crossing orders at a fixed rate and measures, per trade, from the submit of its
# later order to its TradeSettled: sustained orders/s and latency p50/p99/p99.9 (HdrHistogram,
# 3 significant digits, over every sample).
#
#   deploy/bench/saga-bench.sh [--orders N] [--rate R] [--sellers S] [--buyers B] [--bin-dir DIR] [--send-every-ms M]
#                              [--batch-size B] [--no-air-alert] [--timeout SECONDS] [--no-close]
#                              [--stop-on-reject] [--timeline] [--repeat K] [--keep-stores]
#
# BENCH_ARGS_<SERVICE> in the environment (BENCH_ARGS_AIR_ALERT="--kafka-property fetch.wait.max.ms=20")
# adds flags to that service, for experiments.
# --send-every-ms M makes the generator a gateway that gathers M ms of due orders per send (the
# wait counts in every order's latency); 30 is what BENCHMARKS.md's session 14 measured against
# issue 5's target. --timeline adds the latency of the trades due in each second of the load (where a tail comes
# from: a stall, a snapshot, a checkpoint). --repeat K runs the whole bench K times, each with a fresh broker and fresh services, and ends
# with the median and range of the figures: single runs on these two cores move by a fifth.
#
# Needs deploy/local/tools.sh (Tansu, librdkafka 2.16, the venv with confluent-kafka for the
# topics and the status lines) and release builds of the four executables and saga-load in
# --bin-dir (default .build/release: swift build -c release).
# Logs stay in the printed work directory; the services' SQLite files (0.5-1 GB a run at 150,000
# orders) are deleted at the end unless --keep-stores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin_dir="$root/.build/release" batch=5000 air=1 load_args=() repeat=1 once_args=() keep_stores=0
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) repeat="${2:-}"; shift 2 || shift; continue ;;
    --bin-dir|--batch-size|--orders|--rate|--sellers|--buyers|--timeout|--send-every-ms) once_args+=("$1" "$2") ;;
    *) once_args+=("$1") ;;
  esac
  case "$1" in
    --bin-dir) bin_dir="$2"; shift 2 ;;
    --batch-size) batch="$2"; shift 2 ;;
    --no-air-alert) air=0; shift ;;
    --keep-stores) keep_stores=1; shift ;;
    --orders|--rate|--sellers|--buyers|--timeout|--send-every-ms) load_args+=("$1" "$2"); shift 2 ;;
    --no-close|--stop-on-reject|--timeline) load_args+=("$1"); shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || { echo "--repeat wants a whole number of runs, 1 or more" >&2; exit 2; }
if [ "$repeat" -gt 1 ]; then
  runs="$(mktemp -d /tmp/saga-bench-runs.XXXXXX)"
  for run in $(seq 1 "$repeat"); do
    echo "saga-bench: run $run of $repeat"
    "$0" "${once_args[@]}" | tee "$runs/run$run.log" || echo "saga-bench: run $run failed"
  done
  "$root/.tools/venv/bin/python" - "$runs" "$repeat" <<'PY'
import json, statistics, sys, pathlib
runs = []
for path in sorted(pathlib.Path(sys.argv[1]).glob("run*.log")):
    text = path.read_text()
    start, end = text.find("\n{"), text.find("\n}\n")
    if start >= 0 and end > start:
        runs.append(json.loads(text[start + 1:end + 2]))
if not runs:
    sys.exit("saga-bench: no run printed a result")
def row(name, values):
    values = [v for v in values if v is not None]
    if values:
        print(f"  {name:<28} median {statistics.median(values):>10.1f}   range {min(values):.1f} - {max(values):.1f}")
print(f"saga-bench: {len(runs)} of {sys.argv[2]} runs gave a result")
row("sustained orders/s", [r.get("sustainedOrdersPerSecond") for r in runs])
for key in ("p50", "p99", "p99.9"):
    row(f"latency {key} (ms)", [r.get("latencyMs", {}).get(key) for r in runs])
for process in runs[0].get("loadPhaseCpuMicrosPerOrder", {}):
    row(f"CPU us/order {process}", [r.get("loadPhaseCpuMicrosPerOrder", {}).get(process) for r in runs])
print("  balanced in every run" if all(r.get("reconciliation", {}).get("balanced") for r in runs) else "  NOT balanced in some run")
PY
  exit 0
fi
services=(registry matching settlement)
[ "$air" = 1 ] && services+=(air-alert)
for service in "${services[@]}"; do
  [ -x "$bin_dir/$service" ] || { echo "no $service in $bin_dir (swift build -c release --product $service)" >&2; exit 1; }
done
[ -x "$bin_dir/saga-load" ] || { echo "no saga-load in $bin_dir (swift build -c release --product saga-load)" >&2; exit 1; }
"$root/deploy/local/tools.sh" >/dev/null 2>&1
source "$root/deploy/local/env.sh"
python="$root/.tools/venv/bin/python"
work="$(mktemp -d /tmp/saga-bench.XXXXXX)"
free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
broker_port="$(free_port)"
declare -A admin pids
broker_pid=""
cleanup() {
  for service in "${!pids[@]}"; do kill "${pids[$service]}" 2>/dev/null || true; done
  for service in "${!pids[@]}"; do wait "${pids[$service]}" 2>/dev/null || true; done
  [ -n "$broker_pid" ] && kill -9 "$broker_pid" 2>/dev/null || true
  [ "$keep_stores" = 1 ] || rm -f "$work"/*.sqlite "$work"/*.sqlite-wal "$work"/*.sqlite-shm
}
trap cleanup EXIT

TOKIO_WORKER_THREADS="${TOKIO_WORKER_THREADS:-1}" "$ECO_TANSU" broker --listener-url "tcp://127.0.0.1:$broker_port" --advertised-listener-url "tcp://127.0.0.1:$broker_port" \
  --storage-engine memory://tansu/ >"$work/broker.log" 2>&1 &
broker_pid=$!
for _ in $(seq 1 100); do (echo >"/dev/tcp/127.0.0.1/$broker_port") 2>/dev/null && break; sleep 0.05; done

"$python" - "$broker_port" <<'PY'
import sys
from confluent_kafka.admin import AdminClient, NewTopic
admin = AdminClient({"bootstrap.servers": f"127.0.0.1:{sys.argv[1]}"})
topics = ["registry.commands", "registry.events", "market.orders", "matching.events", "settlement.commands",
          "settlement.events", "air.observations", "air.alerts"]
specs = [NewTopic(t, num_partitions=3, replication_factor=1) for t in topics]
specs += [NewTopic(t + ".dlq", num_partitions=1, replication_factor=1) for t in topics]
specs += [NewTopic("market.depth", num_partitions=3, replication_factor=1)]
for future in admin.create_topics(specs).values():
    future.result(timeout=30)
PY

for service in "${services[@]}"; do
  admin[$service]="$(free_port)"
  # BENCH_ARGS_<SERVICE> (e.g. BENCH_ARGS_AIR_ALERT="--kafka-property fetch.wait.max.ms=100"): extra
  # arguments for one service, for experiments.
  extra_var="BENCH_ARGS_$(echo "$service" | tr 'a-z-' 'A-Z_')"
  read -r -a extra <<<"${!extra_var:-}"
  "$bin_dir/$service" --brokers "127.0.0.1:$broker_port" --db "$work/$service.sqlite" --admin-port "${admin[$service]}" \
    --batch-size "$batch" --log-level "${BENCH_LOG_LEVEL:-warning}" ${extra[@]+"${extra[@]}"} >"$work/$service.log" 2>&1 &
  pids[$service]=$!
done
for service in "${services[@]}"; do
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:${admin[$service]}/readyz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fs "http://127.0.0.1:${admin[$service]}/readyz" >/dev/null || { echo "$service not ready; see $work/$service.log" >&2; exit 1; }
done
echo "saga-bench: broker 127.0.0.1:$broker_port; ${services[*]} from $bin_dir; work dir $work"
echo "machine: $(nproc) cores, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
cpu_of="broker=$broker_pid"
for service in "${services[@]}"; do cpu_of+=",$service=${pids[$service]}"; done
"$bin_dir/saga-load" --brokers "127.0.0.1:$broker_port" --registry-admin "${admin[registry]}" --cpu-of "$cpu_of" "${load_args[@]}"
for service in "${services[@]}"; do
  status="$(curl -fs "http://127.0.0.1:${admin[$service]}/status" || echo '{}')"
  echo "$service: $("$python" -c 'import json,sys; s=json.load(sys.stdin); print({k: s.get(k) for k in ("recordsIn","recordsOut","deadLettered","rejected","duplicates","ignored","carefulRetries")})' <<<"$status")"
done
cpu() { awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$1/stat" 2>/dev/null || echo "?"; }
# Where a hop's time goes inside each service: the mean time a batch holds the SQLite
# transaction and the mean time the publisher takes from reading its outbox to the broker's ack.
for service in "${services[@]}"; do
  curl -fs "http://127.0.0.1:${admin[$service]}/metrics" | "$python" -c '
import sys, re
sums, counts = {}, {}
for line in sys.stdin:
    m = re.match(r"(eco_batch_seconds|eco_publish_seconds)_(sum|count)\{[^}]*\} ([0-9.e+-]+)", line)
    if m:
        (sums if m.group(2) == "sum" else counts)[m.group(1)] = float(m.group(3))
parts = []
for name, label in (("eco_batch_seconds", "batch"), ("eco_publish_seconds", "publish")):
    if counts.get(name):
        parts.append("%s %d x %.1f ms" % (label, counts[name], 1000 * sums[name] / counts[name]))
print("'"$service"' mean " + ", ".join(parts))' || true
done
echo "CPU seconds used: $(for s in "${services[@]}"; do printf '%s %s, ' "$s" "$(cpu "${pids[$s]}")"; done)broker $(cpu "$broker_pid")"
echo "settlement totals: $(curl -fs "http://127.0.0.1:${admin[settlement]}/totals" | tr -d '\n ' | head -c 400)"
# The issue's reference: raw librdkafka rates against this same broker, measured once the load
# is over (so they do not compete with it), with the runtime bench's raw mode.
if [ -x "$bin_dir/runtime-bench" ]; then
  echo "raw broker rate (same broker, after the load): $("$bin_dir/runtime-bench" --brokers "127.0.0.1:$broker_port" \
    --records 200000 --raw-only 2>&1 | grep '^raw' | sed -E 's/ +/ /g; s/ \(.*//' | awk 'NR > 1 { printf "; " } { printf "%s", $0 }')"
else
  echo "raw broker rate: not measured (no runtime-bench in $bin_dir: swift build -c release --product runtime-bench)"
fi
