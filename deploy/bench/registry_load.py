#!/usr/bin/env python3
"""Load generator for the registry benchmark (deploy/bench/registry-bench.sh starts the broker and
the service, then runs this).

Phase 1, allocation: registers ENTITIES power plants with UNITS units each, records their 2019
output, then times `AllocateAllowances {2020, pre}` from the moment it is produced to the moment the
last `AllowancesAllocated` is read back from registry.events (and the same for the final phase).

Phase 2, the order saga: CYCLES sell orders (market.orders) and the trades that fill them
(matching.events, as matching would emit them). Timed three ways: freezes (all sells produced ->
last AllowancesFrozen read), transfers (all trades produced -> last AllowancesTransferred read),
and a pipelined run where each trade is produced as soon as its order's AllowancesFrozen is read,
the way matching admits an order only after its hold.

Records are pre-encoded, and registry.events is counted by the `type` header, so the generator
itself stays far below the service's rates. Every wait is bounded (--timeout)."""

import argparse
import json
import sys
import time
import urllib.request
import uuid

from confluent_kafka import Consumer, Producer, TopicPartition

YEAR = 2020


def now_iso():
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03dZ" % int((t % 1) * 1000)


def envelope(kind, data, source="bench"):
    return json.dumps({"id": str(uuid.uuid4()), "type": kind, "version": 1, "occurredAt": now_iso(),
                       "source": source, "data": data}, separators=(",", ":")).encode()


def credit_code(n):
    """A valid unified social credit code (GB 32100-2015 check character) from a number."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    prefix = "913501" + ("%08d" % (n % 100_000_000)) + "000"
    total = sum(alphabet.index(c) * w for c, w in zip(prefix, weights))
    return prefix + alphabet[(31 - total % 31) % 31]


class Registry:
    def __init__(self, brokers, admin_port, timeout):
        self.timeout = timeout
        self.admin_port = admin_port
        self.producer = Producer({"bootstrap.servers": brokers, "linger.ms": 5, "batch.num.messages": 10000,
                                  "queue.buffering.max.messages": 1_000_000, "enable.idempotence": True})
        self.consumer = Consumer({"bootstrap.servers": brokers, "group.id": "bench-" + str(uuid.uuid4()),
                                  "enable.auto.commit": False, "fetch.wait.max.ms": 10})
        meta = self.consumer.list_topics("registry.events", timeout=10)
        partitions = meta.topics["registry.events"].partitions
        assigned = []
        for p in partitions:
            low, high = self.consumer.get_watermark_offsets(TopicPartition("registry.events", p), timeout=10)
            assigned.append(TopicPartition("registry.events", p, high))
        self.consumer.assign(assigned)
        self.counts = {}
        self.frozen_orders = []

    def send(self, topic, key, value):
        while True:
            try:
                self.producer.produce(topic, value=value, key=key)
                return
            except BufferError:
                self.producer.poll(0.05)

    def flush(self):
        self.producer.flush(60)

    def drain(self, wait=0.05, collect_frozen=False):
        for msg in self.consumer.consume(num_messages=10000, timeout=wait):
            if msg.error():
                continue
            kind = dict(msg.headers() or []).get("type", b"").decode()
            self.counts[kind] = self.counts.get(kind, 0) + 1
            if collect_frozen and kind == "AllowancesFrozen":
                self.frozen_orders.append(json.loads(msg.value())["data"])

    def await_count(self, kind, count, collect_frozen=False):
        deadline = time.time() + self.timeout
        while self.counts.get(kind, 0) < count:
            if time.time() > deadline:
                raise SystemExit(f"timed out waiting for {count} {kind}; counts {self.counts}")
            self.drain(collect_frozen=collect_frozen)
            self.producer.poll(0)
        return time.time()

    def admin(self, path):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.admin_port}{path}", timeout=10) as answer:
            return json.loads(answer.read())

    def await_admin(self, path, predicate):
        deadline = time.time() + self.timeout
        while True:
            body = self.admin(path)
            if predicate(body):
                return body
            if time.time() > deadline:
                raise SystemExit(f"timed out waiting on {path}: {body}")
            time.sleep(0.1)


def plant(i, units):
    eid = "E-%05d" % i
    categories = ["coal-above-300mw", "coal-300mw-or-below", "gas"]
    return eid, {"entityId": eid, "name": f"Plant {i}", "creditCode": credit_code(i), "sector": "power",
                 "district": "jinjiang", "nationalETS": True, "vocEmitter": False, "greenBenchmark": False,
                 "units": [{"unitId": f"U{u + 1}", "category": categories[u % 3], "capacityMW": 300 + 100 * u,
                            "cooling": "water" if u % 2 == 0 else "air"} for u in range(units)]}


def allocation_phase(reg, entities, units):
    print(f"registering {entities} entities with {units} units each ...", flush=True)
    for i in range(entities):
        eid, profile = plant(i, units)
        reg.send("registry.commands", eid, envelope("RegisterEntity", profile))
    for i in range(100):
        eid = "INV-%03d" % i
        reg.send("registry.commands", eid, envelope("RegisterEntity", {
            "entityId": eid, "name": f"Investor {i}", "creditCode": credit_code(900_000 + i), "sector": "investor",
            "district": "jinjiang", "nationalETS": False, "vocEmitter": False, "greenBenchmark": False, "units": []}))
    reg.flush()
    reg.await_count("EntityRegistered", entities + 100)
    for year in (YEAR - 1, YEAR):
        for i in range(entities):
            eid = "E-%05d" % i
            for u in range(units):
                mwh = 1_000_000 + 1_000 * (i % 97) + 10_000 * u + (50_000 if year == YEAR else 0)
                reg.send("registry.commands", eid, envelope("RecordUnitOutput", {
                    "entityId": eid, "unitId": f"U{u + 1}", "year": year, "electricityMWh": mwh,
                    "heatGJ": 20_000 * u, "loadRate": [0.9, 0.82, 0.7][u % 3], "heatSupplyRatio": [0, 0, 0.15][u % 3]}))
    reg.flush()
    started = time.time()
    for year in (YEAR - 1, YEAR):
        reg.await_admin(f"/allocations/{year}", lambda b: b["unitOutputs"] >= entities * units)
    print(f"  {2 * entities * units} unit outputs recorded in {time.time() - started:.2f} s", flush=True)

    results = {}
    for phase in ("pre", "final"):
        before = reg.counts.get("AllowancesAllocated", 0)
        started = time.time()
        reg.send("registry.commands", "*", envelope("AllocateAllowances", {"year": YEAR, "phase": phase}))
        reg.flush()
        done = reg.await_count("AllowancesAllocated", before + entities)
        results[phase] = done - started
        print(f"  allocation {phase:5}: {entities} x AllowancesAllocated in {done - started:.3f} s "
              f"({entities / (done - started):.0f} entities/s)", flush=True)
    return results


def saga_phase(reg, entities, cycles, pipelined):
    day = "2026-07-16"
    reg.send("matching.events", "CEA", envelope("SessionOpened", {"instrument": "CEA", "tradingDay": day,
                                                                   "referencePrice": 5000}, "matching"))
    tag = "P" if pipelined else "S"
    sells = []
    for n in range(cycles):
        seller = "E-%05d" % (n % entities)
        sells.append(envelope("SubmitOrder", {"orderId": f"{tag}{n}", "accountId": seller, "instrument": "CEA",
                                              "side": "sell", "method": "listed", "quantity": 10, "price": 5000},
                              "participant"))

    def trade(n, seller):
        return envelope("TradeExecuted", {
            "tradeId": f"T{tag}{n}", "instrument": "CEA", "method": "listed", "price": 5000, "quantity": 10,
            "buyOrderId": f"B{tag}{n}", "sellOrderId": f"{tag}{n}", "buyerAccountId": "INV-%03d" % (n % 100),
            "sellerAccountId": seller, "executedAt": now_iso(), "tradingDay": day}, "matching")

    frozen0 = reg.counts.get("AllowancesFrozen", 0)
    moved0 = reg.counts.get("AllowancesTransferred", 0)
    if not pipelined:
        trades = [trade(n, "E-%05d" % (n % entities)) for n in range(cycles)]
        started = time.time()
        for value in sells:
            reg.send("market.orders", "CEA", value)
        reg.flush()
        frozen_at = reg.await_count("AllowancesFrozen", frozen0 + cycles)
        print(f"  freezes  : {cycles} in {frozen_at - started:.3f} s = {cycles / (frozen_at - started):.0f}/s", flush=True)
        trades_started = time.time()
        for value in trades:
            reg.send("matching.events", "CEA", value)
        reg.flush()
        done = reg.await_count("AllowancesTransferred", moved0 + cycles)
        print(f"  transfers: {cycles} in {done - trades_started:.3f} s = {cycles / (done - trades_started):.0f}/s", flush=True)
        print(f"  cycles   : {cycles} in {done - started:.3f} s = {cycles / (done - started):.0f}/s (freeze burst, then trade burst)",
              flush=True)
        return cycles / (done - trades_started)
    # Pipelined: each trade is produced when its AllowancesFrozen is read.
    reg.frozen_orders = []
    started = time.time()
    for value in sells:
        reg.send("market.orders", "CEA", value)
    reg.producer.poll(0)
    sent = 0
    deadline = time.time() + reg.timeout
    while reg.counts.get("AllowancesTransferred", 0) < moved0 + cycles:
        if time.time() > deadline:
            raise SystemExit(f"timed out; counts {reg.counts}")
        reg.drain(wait=0.01, collect_frozen=True)
        for data in reg.frozen_orders:
            if data["orderId"].startswith(tag):
                reg.send("matching.events", "CEA", trade(int(data["orderId"][1:]), data["accountId"]))
                sent += 1
        reg.frozen_orders = []
        reg.producer.poll(0)
    done = time.time()
    print(f"  pipelined: {cycles} freeze+transfer cycles in {done - started:.3f} s = {cycles / (done - started):.0f} cycles/s "
          f"({2 * cycles / (done - started):.0f} saga records/s)", flush=True)
    return cycles / (done - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--admin-port", type=int, required=True)
    parser.add_argument("--entities", type=int, default=2500)
    parser.add_argument("--units", type=int, default=3)
    parser.add_argument("--cycles", type=int, default=100_000)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    reg = Registry(args.brokers, args.admin_port, args.timeout)
    allocation_phase(reg, args.entities, args.units)
    print(f"order saga: {args.cycles} cycles, sellers = the {args.entities} plants, buyers = 100 investors", flush=True)
    saga_phase(reg, args.entities, args.cycles, pipelined=False)
    saga_phase(reg, args.entities, args.cycles, pipelined=True)
    totals = reg.admin("/totals")
    cea = next(i for i in totals["instruments"] if i["instrument"] == "CEA")
    print(f"totals: balanced={totals['balanced']} journal={totals['journalEntries']} CEA issued={cea['issued']} "
          f"held={cea['held']} frozen={cea['frozen']}", flush=True)
    if not totals["balanced"] or cea["frozen"] != 0:
        sys.exit("the ledger does not balance after the run")


if __name__ == "__main__":
    main()
