#!/usr/bin/env bash
# Air-alert benchmark over a real broker: hourly readings of STATIONS monitoring stations
# (AirQualityObserved on air.observations) replayed through the air-alert executable.
#
#   1. starts a private Tansu broker (memory storage, free loopback port) and creates the topics;
#   2. pre-generates READINGS readings (STATIONS stations x consecutive hours ending now, 20
#      districts, DUPLICATES of them sent twice) and produces them, each with its Kafka timestamp
#      set to its observation time + 60 s, as a replay of the monitoring network's feed would;
#   3. starts the service (release build) on the pre-loaded topic and times it until every record
#      is applied (/status recordsIn), i.e. consume -> decode -> inbox -> index -> de-dup upsert ->
#      offsets, one SQLite transaction per batch;
#   4. times a city-wide SetCityAlertLevel from produce to the last district's AlertIssued read
#      back, and GET /districts (every district's warning level and observed level recomputed
#      from the stations' newest readings), and checks the stored counts against what was sent.
#
# Usage: deploy/bench/air-alert-bench.sh [--readings N] [--stations N] [--duplicates FRACTION] [--baseline]
#   defaults: --readings 1000000 --stations 2000 --duplicates 0.01
#   --baseline sends N registry events the service reads and ignores instead: the runtime's own
#   per-record cost with the same binary, to compare the readings' figure with.
# Env: AIR_ALERT_BIN (default .build/release/air-alert, built if missing), BENCH_BATCH_SIZE (5000).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$root/deploy/local/tools.sh"
source "$root/deploy/local/env.sh"
python="$root/.tools/venv/bin/python"
bin="${AIR_ALERT_BIN:-$root/.build/release/air-alert}"
if [ ! -x "$bin" ]; then
  echo "building air-alert (release) ..." >&2
  (cd "$root" && swift build -c release --product air-alert >&2)
fi

work="$(mktemp -d /tmp/air-alert-bench.XXXXXX)"
free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
broker_port="$(free_port)"
admin_port="$(free_port)"
broker_pid=""
service_pid=""
cleanup() {
  [ -n "$service_pid" ] && kill "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null || true
  [ -n "$broker_pid" ] && kill -9 "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null || true
}
trap cleanup EXIT

TOKIO_WORKER_THREADS="${TOKIO_WORKER_THREADS:-1}" "$ECO_TANSU" broker --listener-url "tcp://127.0.0.1:$broker_port" --advertised-listener-url "tcp://127.0.0.1:$broker_port" \
  --storage-engine memory://tansu/ >"$work/broker.log" 2>&1 &
broker_pid=$!
for _ in $(seq 1 100); do (echo >"/dev/tcp/127.0.0.1/$broker_port") 2>/dev/null && break; sleep 0.05; done

cat >"$work/load.py" <<'EOF'
"""Pre-generates and produces the readings (mode `load`), or times the service (mode `measure`)."""
import argparse, json, os, sqlite3, statistics, sys, time, urllib.request

p = argparse.ArgumentParser()
p.add_argument("mode", choices=["topics", "load", "measure"])
p.add_argument("--brokers", required=True)
p.add_argument("--readings", type=int, default=1_000_000)
p.add_argument("--stations", type=int, default=2000)
p.add_argument("--districts", type=int, default=20)
p.add_argument("--duplicates", type=float, default=0.01)
p.add_argument("--admin-port", type=int, default=0)
p.add_argument("--db", default="")
p.add_argument("--started", type=float, default=0.0)
p.add_argument("--pid", type=int, default=0)
p.add_argument("--baseline", action="store_true",
               help="send registry events the service reads and ignores (AllowancesFrozen): the runtime's own "
                    "cost per record (decode, inbox, savepoint, offsets) with the same binary")
p.add_argument("--timeout", type=float, default=3600.0)
a = p.parse_args()

hours = -(-a.readings // a.stations)
duplicate_every = int(1 / a.duplicates) if a.duplicates > 0 and not a.baseline else 0
unique = a.readings
sent = unique + (unique // duplicate_every if duplicate_every else 0)

if a.mode == "topics":
    from confluent_kafka.admin import AdminClient, NewTopic
    admin = AdminClient({"bootstrap.servers": a.brokers})
    names = ["air.observations", "air.alerts", "registry.events"]
    specs = [NewTopic(t, num_partitions=3, replication_factor=1) for t in names]
    specs += [NewTopic(t + ".dlq", num_partitions=1, replication_factor=1) for t in names]
    for future in admin.create_topics(specs).values():
        future.result(timeout=30)
    sys.exit(0)

if a.mode == "load":
    from confluent_kafka import Producer
    # Readings are produced as they are generated (never held all at once), so a full year of
    # 2,000 stations (17.5 M readings) fits in memory.
    t0 = time.time()
    producer = Producer({"bootstrap.servers": a.brokers, "linger.ms": 20, "batch.num.messages": 10000,
                         "queue.buffering.max.messages": 2_000_000, "queue.buffering.max.kbytes": 2_000_000,
                         "compression.type": "lz4", "enable.idempotence": True})
    topic = "registry.events" if a.baseline else "air.observations"
    count = 0
    total_bytes = 0

    def produce(value, key, ts):
        global count, total_bytes
        while True:
            try:
                producer.produce(topic, value=value, key=key, timestamp=ts)
                break
            except BufferError:
                producer.poll(0.05)
        count += 1
        total_bytes += len(value)
        if count % 10000 == 0:
            producer.poll(0)
        if count % 1_000_000 == 0:
            print("load: %d records produced in %.0f s" % (count, time.time() - t0), flush=True)

    end_hour = int(time.time()) // 3600 * 3600 - 3600
    start_hour = end_hour - (hours - 1) * 3600
    districts = ["district-%02d" % d for d in range(a.districts)]
    n = 0
    for h in range(hours if not a.baseline else 0):
        observed = start_hour + h * 3600
        iso = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(observed))
        sent_iso = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(observed + 60))
        ts = (observed + 60) * 1000
        for s in range(a.stations):
            if n >= unique:
                break
            district = districts[s % a.districts]
            o3 = 60 + (s * 37 + h * 11) % 180
            value = ('{"data":{"district":"%s","no2":%d,"o3EightHour":%d,"o3OneHour":%d,"observedAt":"%s",'
                     '"pm25":%d,"stationId":"st-%04d"},"id":"00000000-0000-4000-8000-%012x","occurredAt":"%s",'
                     '"source":"bench","type":"AirQualityObserved","version":1}') % (
                district, 20 + s % 30, o3 * 4 // 5, o3, iso, 15 + (s + h) % 60, s, n, sent_iso)
            produce(value.encode(), district.encode(), ts)
            n += 1
            if duplicate_every and n % duplicate_every == 0:
                # The same station hour again under a new event id: the service must drop it.
                dup = value.replace('"id":"00000000-0000-4000-8000-', '"id":"00000000-0000-4000-9000-')
                produce(dup.encode(), district.encode(), ts + 1000)
    if a.baseline:
        iso = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
        for n in range(unique):
            value = ('{"data":{"accountId":"ent-%06d","instrument":"CEA","orderId":"order-%09d","quantity":%d},'
                     '"id":"00000000-0000-4000-8000-%012x","occurredAt":"%s","source":"registry",'
                     '"type":"AllowancesFrozen","version":1}') % (n % 5000, n, 100 + n % 900, n, iso)
            produce(value.encode(), ("ent-%06d" % (n % 5000)).encode(), int(time.time() * 1000))
    if producer.flush(300) != 0:
        sys.exit("not every record was acknowledged")
    done = time.time()
    what = ("AllowancesFrozen on registry.events (baseline)" if a.baseline else
            "unique readings of %d stations over %d h, %d duplicates" % (a.stations, hours, count - unique))
    print("load: %d records (%d %s), %d bytes each on average" % (count, unique, what, total_bytes // max(1, count)))
    print("load: generated and produced in %.1f s (%.0f records/s)" % (done - t0, count / (done - t0)))
    sys.exit(0)


def cpu_seconds():
    """User + system CPU time of the service so far (the machine may be shared: wall-clock rates
    then understate what the service does with the CPU it gets)."""
    with open("/proc/%d/stat" % a.pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def get(path):
    started = time.perf_counter()
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (a.admin_port, path), timeout=60) as r:
        body = r.read()
    return json.loads(body), time.perf_counter() - started


first = None
deadline = time.time() + a.timeout
last_report = None
while True:
    status, _ = get("/status")
    now = time.time()
    if first is None and status["recordsIn"] > 0:
        first = (now, status["recordsIn"], cpu_seconds())
        last_report = (now, status["recordsIn"])
    if last_report and now - last_report[0] >= 15:
        # Progress on long runs, with the rate of the last interval: a rate that falls as
        # the store grows shows here, where the overall average would hide it.
        print("progress: %d of %d records applied (%.0f%%), %.0f records/s over the last %.0f s"
              % (status["recordsIn"], sent, 100.0 * status["recordsIn"] / sent,
                 (status["recordsIn"] - last_report[1]) / (now - last_report[0]), now - last_report[0]), flush=True)
        last_report = (now, status["recordsIn"])
    if status["recordsIn"] >= sent:
        done = now
        cpu_done = cpu_seconds()
        break
    if now > deadline:
        sys.exit("timed out: %d of %d records applied" % (status["recordsIn"], sent))
    time.sleep(0.05)
applied = status["recordsIn"] - first[1]
print("service: %d records applied in %.2f s after the first batch: %.0f records/s"
      % (applied, done - first[0], applied / (done - first[0])))
cpu = cpu_done - first[2]
print("service: %.2f CPU s (user+sys, all threads) for them: %.0f records per CPU second, %.1f us per record"
      % (cpu, applied / cpu, cpu / applied * 1e6))
print("service: %.2f s from process start (incl. startup and partition assignment): %.0f records/s"
      % (done - a.started, sent / (done - a.started)))
print("service: dead-lettered %d, inbox duplicates %d, rejected %d" % (status["deadLettered"], status["duplicates"],
                                                                      status["rejected"]))

if a.baseline:
    sys.exit(0)


def city_order_round_trip():
    """Every district's warning recomputed at once: a forecast makes each of the districts known
    (none calls for a warning), then one SetCityAlertLevel is timed from produce to the last
    district's AlertIssued read back from air.alerts (apply, commit, publish, consume)."""
    from confluent_kafka import Consumer, Producer, TopicPartition
    producer = Producer({"bootstrap.servers": a.brokers, "linger.ms": 1})
    now_iso = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
    for d in range(a.districts):
        district = "district-%02d" % d
        value = ('{"data":{"days":[{"date":"%s","iaqi":90}],"district":"%s","forecastId":"bench-%s",'
                 '"issuedAt":"%s"},"id":"00000000-0000-4000-a000-%012x","occurredAt":"%s","source":"bench",'
                 '"type":"AirQualityForecast","version":1}') % (today, district, district, now_iso, d, now_iso)
        producer.produce("air.observations", value=value.encode(), key=district.encode())
    producer.flush(30)
    deadline = time.time() + 60
    while get("/status")[0]["recordsIn"] < sent + a.districts:
        if time.time() > deadline:
            sys.exit("forecasts not applied")
        time.sleep(0.05)
    consumer = Consumer({"bootstrap.servers": a.brokers, "group.id": "bench-%f" % time.time(),
                         "enable.auto.commit": False, "fetch.wait.max.ms": 5})
    consumer.assign([TopicPartition("air.alerts", p, 0) for p in range(3)])
    order = ('{"data":{"city":"chengdu","issuedAt":"%s","level":"orange","reason":"benchmark city-wide order"},'
             '"id":"00000000-0000-4000-b000-000000000001","occurredAt":"%s","source":"bench",'
             '"type":"SetCityAlertLevel","version":1}') % (now_iso, now_iso)
    started = time.perf_counter()
    producer.produce("air.observations", value=order.encode(), key=b"chengdu")
    producer.flush(30)
    issued = 0
    while issued < a.districts and time.perf_counter() - started < 60:
        for message in consumer.consume(1000, 0.05):
            if message.error() is None and dict(message.headers() or []).get("type") == b"AlertIssued":
                issued += 1
    elapsed = time.perf_counter() - started
    consumer.close()
    print("SetCityAlertLevel -> %d districts' AlertIssued read back from air.alerts: %.1f ms" % (issued, elapsed * 1000))


city_order_round_trip()
timings = []
for _ in range(20):
    body, seconds = get("/districts")
    timings.append(seconds)
districts = body["districts"]
observed = [d for d in districts if d.get("observed")]
print("GET /districts (%d districts, %d stations' newest hours -> mean concentrations -> IAQI/AQI per district):"
      % (len(districts), sum(d["observed"]["stations"] for d in observed)))
print("  min %.1f ms, median %.1f ms, max %.1f ms over 20 calls" % (min(timings) * 1000,
                                                                    statistics.median(timings) * 1000, max(timings) * 1000))
sample = observed[0]
print("  e.g. %s: O3 index %s, AQI %d (%s) from %d stations as of %s" % (
    sample["district"], sample["observed"]["o3Index"], sample["observed"]["aqi"], sample["observed"]["band"],
    sample["observed"]["stations"], sample["observed"]["asOf"]))

db = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True)
hours_stored = db.execute("SELECT COUNT(*) FROM air_station_hours").fetchone()[0]
counters = db.execute("SELECT SUM(readings), SUM(lateReadings), SUM(duplicates), COUNT(*) FROM air_stations").fetchone()
print("store: %d station hours, %d stations; counted readings %d, late %d, duplicates %d"
      % (hours_stored, counters[3], counters[0], counters[1], counters[2]))
ok = hours_stored == unique and counters[0] == unique and counters[2] == sent - unique
print("check: every reading stored once, every duplicate dropped: %s" % ("yes" if ok else "NO"))
sys.exit(0 if ok else 1)
EOF

echo "air-alert-bench: broker 127.0.0.1:$broker_port, service $bin, work dir $work"
echo "machine: $(nproc) cores, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$python" "$work/load.py" topics --brokers "127.0.0.1:$broker_port"
"$python" "$work/load.py" load --brokers "127.0.0.1:$broker_port" "$@"

started="$(date +%s.%N)"
"$bin" --brokers "127.0.0.1:$broker_port" --db "$work/air-alert.sqlite" --admin-port "$admin_port" \
  --batch-size "${BENCH_BATCH_SIZE:-5000}" --log-level warning >"$work/air-alert.log" 2>&1 &
service_pid=$!
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$admin_port/healthz" >/dev/null 2>&1 && break
  sleep 0.05
done
"$python" "$work/load.py" measure --brokers "127.0.0.1:$broker_port" --admin-port "$admin_port" \
  --db "$work/air-alert.sqlite" --started "$started" --pid "$service_pid" "$@"
echo "database: $(du -h "$work/air-alert.sqlite" | cut -f1) ($work/air-alert.sqlite); load average now $(cut -d' ' -f1-3 /proc/loadavg)"
