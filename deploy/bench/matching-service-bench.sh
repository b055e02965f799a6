#!/usr/bin/env bash
# Throughput of the whole matching service over the broker: N orders, each with its hold event
# (AllowancesFrozen for a sell on registry.events, FundsReserved for a buy on settlement.events),
# go through a private Tansu broker into the real `matching` executable; the clock stops at the
# last OrderAccepted/OrderRejected/TradeExecuted it publishes on matching.events.
#
#   deploy/bench/matching-service-bench.sh [--orders N] [--mode preload|live] [--binary PATH]
#                                          [--batch-size B] [--snapshot-every S] [--publish-depth]
#
#   preload (default): every record is in the topics before the service starts; measures what
#                      the service sustains, from its start (process launch, store, assignment
#                      included: use N >= 100000 so that start-up is noise) to its last output.
#   live:              the service runs while the generator produces as fast as it can; measures
#                      from the first record produced to the last output.
# Needs deploy/local/tools.sh (Tansu, librdkafka 2.16, the venv with confluent-kafka) and a
# release build: swift build -c release --product matching (or pass --binary).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
orders=100000 mode=preload batch=5000 snapshot=10000 depth="" binary="$root/.build/release/matching"
while [ $# -gt 0 ]; do
  case "$1" in
    --orders) orders="$2"; shift 2 ;;
    --mode) mode="$2"; shift 2 ;;
    --binary) binary="$2"; shift 2 ;;
    --batch-size) batch="$2"; shift 2 ;;
    --snapshot-every) snapshot="$2"; shift 2 ;;
    --publish-depth) depth="--publish-depth"; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$binary" ] || { echo "no matching executable at $binary (swift build -c release --product matching)" >&2; exit 1; }
"$root/deploy/local/tools.sh" >/dev/null 2>&1
source "$root/deploy/local/env.sh"
python="$root/.tools/venv/bin/python"
work="$(mktemp -d /tmp/matching-bench.XXXXXX)"
port="$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
admin_port="$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
broker_pid="" service_pid=""
cleanup() {
  [ -n "$service_pid" ] && kill "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null || true
  [ -n "$broker_pid" ] && kill -9 "$broker_pid" 2>/dev/null || true
}
trap cleanup EXIT

TOKIO_WORKER_THREADS="${TOKIO_WORKER_THREADS:-1}" "$ECO_TANSU" broker --listener-url "tcp://127.0.0.1:$port" --advertised-listener-url "tcp://127.0.0.1:$port" \
  --storage-engine memory://tansu/ >"$work/broker.log" 2>&1 &
broker_pid=$!
for _ in $(seq 1 100); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done

start_service() {
  "$binary" --brokers "127.0.0.1:$port" --db "$work/matching.sqlite" --admin-port "$admin_port" \
    --batch-size "$batch" --snapshot-every "$snapshot" --log-level "${BENCH_LOG_LEVEL:-warning}" $depth >"$work/matching.log" 2>&1 &
  service_pid=$!
}

export BENCH_BROKERS="127.0.0.1:$port" BENCH_ORDERS="$orders" BENCH_MODE="$mode" BENCH_ADMIN="$admin_port"
"$python" - create <<'PY'
import os
from confluent_kafka.admin import AdminClient, NewTopic
admin = AdminClient({"bootstrap.servers": os.environ["BENCH_BROKERS"]})
names = ["registry.events", "market.orders", "matching.events", "settlement.events", "market.depth"]
topics = [NewTopic(n, 3) for n in names] + [NewTopic(n + ".dlq", 1) for n in names]
for future in admin.create_topics(topics).values():
    future.result()
PY

generator() {
"$python" - <<'PY'
# Produces the OpenSession, then every order followed by its hold, as fast as librdkafka takes them.
import json, os, random, sys, time, uuid
from confluent_kafka import Producer
n = int(os.environ["BENCH_ORDERS"])
producer = Producer({"bootstrap.servers": os.environ["BENCH_BROKERS"], "linger.ms": 5, "batch.num.messages": 10000,
                     "queue.buffering.max.messages": 2000000, "queue.buffering.max.kbytes": 2097151})
rng = random.Random(42)
stamp = "2026-07-16T01:30:00.000Z"
def envelope(kind, data):
    return json.dumps({"id": str(uuid.uuid4()), "type": kind, "version": 1, "occurredAt": stamp,
                       "source": "bench", "data": data}, separators=(",", ":"))
def send(topic, key, kind, data):
    while True:
        try:
            producer.produce(topic, envelope(kind, data).encode(), key.encode(),
                             headers=[("type", kind.encode()), ("version", b"1")])
            return
        except BufferError:
            producer.poll(0.01)
started = time.time()
send("market.orders", "CEA", "OpenSession", {"instrument": "CEA", "tradingDay": "2026-07-16", "referencePrice": 5000})
for i in range(n):
    account = "acct-%d" % rng.randrange(2000)
    buy = rng.random() < 0.5
    price = 5000 + (rng.randrange(-30, 21) if buy else rng.randrange(-20, 31))
    quantity = rng.randrange(1, 201)
    order_id = "o-%d" % i
    send("market.orders", "CEA", "SubmitOrder", {"orderId": order_id, "accountId": account, "instrument": "CEA",
         "side": "buy" if buy else "sell", "method": "listed", "quantity": quantity, "price": price})
    if buy:
        send("settlement.events", account, "FundsReserved", {"orderId": order_id, "accountId": account,
             "amount": quantity * price})
    else:
        send("registry.events", account, "AllowancesFrozen", {"orderId": order_id, "accountId": account,
             "instrument": "CEA", "quantity": quantity})
    if i % 10000 == 0:
        producer.poll(0)
producer.flush()
print("produced %d orders + %d holds in %.2f s (%.0f records/s)" % (n, n, time.time() - started,
      (2 * n + 1) / (time.time() - started)), file=sys.stderr)
print(started)
PY
}

if [ "$mode" = live ]; then
  start_service
  for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$admin_port/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
  sleep 1
  produced_at="$(generator)"
else
  produced_at="$(generator)"
  produced_at="$("$python" -c 'import time; print(time.time())')"
  start_service
fi

export BENCH_T0="$produced_at"
"$python" - <<'PY'
# Reads matching.events until every order has its OrderAccepted or OrderRejected.
import json, os, sys, time, urllib.request
from confluent_kafka import Consumer, TopicPartition, OFFSET_BEGINNING
n = int(os.environ["BENCH_ORDERS"]); t0 = float(os.environ["BENCH_T0"])
consumer = Consumer({"bootstrap.servers": os.environ["BENCH_BROKERS"], "group.id": "bench-reader",
                     "enable.auto.commit": False})
consumer.assign([TopicPartition("matching.events", p, OFFSET_BEGINNING) for p in range(3)])
counts = {}; first = None; last = 0.0; deadline = time.time() + 1800
while counts.get("OrderAccepted", 0) + counts.get("OrderRejected", 0) < n and time.time() < deadline:
    for message in consumer.consume(10000, 0.5):
        if message.error(): continue
        kind = dict(message.headers() or []).get("type", b"?").decode()
        counts[kind] = counts.get(kind, 0) + 1
        at = message.timestamp()[1] / 1000.0
        first = at if first is None else min(first, at)
        if kind in ("OrderAccepted", "OrderRejected", "TradeExecuted"): last = max(last, at)
consumer.close()
journal = json.load(urllib.request.urlopen("http://127.0.0.1:%s/journal" % os.environ["BENCH_ADMIN"]))
status = json.load(urllib.request.urlopen("http://127.0.0.1:%s/status" % os.environ["BENCH_ADMIN"]))
mode = os.environ["BENCH_MODE"]
elapsed = last - t0
print("mode %s: %d orders, %d hold events" % (mode, n, n))
print("outputs: " + ", ".join("%s %d" % kv for kv in sorted(counts.items())))
print("elapsed %.2f s (%s to the last OrderAccepted/OrderRejected/TradeExecuted)" %
      (elapsed, "service start" if mode == "preload" else "first record produced"))
print("first output %.2f s after the start; first to last output %.2f s" % (first - t0, last - first))
print("throughput %.0f orders/s, %.0f input records/s, %.0f output events/s" %
      (n / elapsed, (2 * n + 1) / elapsed, sum(counts.values()) / elapsed))
print("journal: applied seq %d, snapshots %s" % (journal["appliedSeq"],
      [(s["seq"], s["bytes"]) for s in journal["stored"]["snapshots"]]))
print("runtime: recordsIn %d, recordsOut %d, deadLettered %d, rejected %d" %
      (status["recordsIn"], status["recordsOut"], status["deadLettered"], status["rejected"]))
PY
ls -l "$work/matching.sqlite" | awk '{print "sqlite file: " $5 " bytes"}'
[ -n "${BENCH_KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
