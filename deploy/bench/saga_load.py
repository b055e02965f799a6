#!/usr/bin/env python3
"""Load generator for the order-saga benchmark (deploy/bench/saga-bench.sh starts the broker and
the four services, then runs this).

Set-up: registers SELLERS power plants and BUYERS investors in the registry, records the plants'
2019 output and allocates 2020 allowances (pre phase), deposits funds for every buyer, and opens
the CEA session at a reference price of 5,000 fen.

Load: N orders at a fixed RATE (orders/s), as crossing pairs: a sell of 1 t at 5,000 by a plant,
then a buy of 1 t at 5,000 by an investor. Every order goes through the whole saga: the registry
freezes the sell's allowances, settlement reserves the buy's funds, matching admits both and
trades them, the registry delivers the allowances and settlement settles the funds and emits
TradeSettled once both legs are done.

Latency of a trade: from the moment the later of its two orders was produced (the moment the
trade became possible) to the moment its TradeSettled was read from settlement.events. Every
trade is a sample; percentiles are exact (nearest rank over all samples, no histogram).
Throughput: orders produced / (last TradeSettled read - first order produced).

At the end the session is closed and the reconciliation read back; rejections and dead letters
are counted (a clean run has none)."""

import argparse
import json
import math
import sys
import threading
import time
import urllib.request
import uuid

from confluent_kafka import Consumer, Producer, TopicPartition

PRICE = 5_000
DAY = time.strftime("%Y-%m-%d", time.gmtime())


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


def profile(entity_id, n, plant):
    return {"entityId": entity_id, "name": ("Plant " if plant else "Investor ") + entity_id, "creditCode": credit_code(n),
            "sector": "power" if plant else "investor", "district": "jinjiang", "nationalETS": plant,
            "pilotMarket": None, "vocEmitter": False, "greenBenchmark": False,
            "units": [{"unitId": "U1", "category": "coal-above-300mw", "capacityMW": 600, "cooling": "water"}] if plant else []}


def percentile(sorted_values, p):
    """Nearest-rank percentile of an ascending list (exact: one of the samples)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(p / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


class Watcher(threading.Thread):
    """Reads matching.events, settlement.events and registry.events from their current end on
    its own thread; keeps what the measurement needs, decoding only the types it looks at."""

    WANTED = {b"TradeExecuted", b"TradeSettled", b"OrderRejected", b"ReserveRejected", b"FreezeRejected",
              b"AllowancesAllocated", b"FundsDeposited", b"SessionOpened", b"ReconciliationCompleted",
              b"EntityRegistered", b"CommandRejected", b"SettlementAlarm"}

    def __init__(self, brokers):
        super().__init__(daemon=True)
        self.consumer = Consumer({"bootstrap.servers": brokers, "group.id": "saga-bench-" + str(uuid.uuid4()),
                                  "enable.auto.commit": False, "fetch.wait.max.ms": 5, "fetch.min.bytes": 1})
        assigned = []
        for topic in ("matching.events", "settlement.events", "registry.events"):
            meta = self.consumer.list_topics(topic, timeout=10)
            for p in meta.topics[topic].partitions:
                _, high = self.consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
                assigned.append(TopicPartition(topic, p, high))
        self.consumer.assign(assigned)
        self.lock = threading.Lock()
        self.trades = {}        # tradeId -> (buyOrderId, sellOrderId)
        self.settled = {}       # tradeId -> perf_counter when read
        self.counts = {}
        self.last = {}          # type -> last payload
        self.running = True

    def run(self):
        while self.running:
            for msg in self.consumer.consume(num_messages=5000, timeout=0.05):
                if msg.error():
                    continue
                received = time.perf_counter()
                kind = None
                for key, value in msg.headers() or []:
                    if key == "type":
                        kind = value
                        break
                if kind not in self.WANTED:
                    continue
                name = kind.decode()
                data = json.loads(msg.value())["data"]
                with self.lock:
                    self.counts[name] = self.counts.get(name, 0) + 1
                    self.last[name] = data
                    if name == "TradeExecuted":
                        self.trades[data["tradeId"]] = (data["buyOrderId"], data["sellOrderId"])
                    elif name == "TradeSettled":
                        self.settled.setdefault(data["tradeId"], received)

    def count(self, name):
        with self.lock:
            return self.counts.get(name, 0)

    def wait_for(self, name, count, timeout, what):
        deadline = time.time() + timeout
        while self.count(name) < count:
            if time.time() > deadline:
                sys.exit(f"saga-bench: {what}: saw {self.count(name)} of {count} {name} within {timeout} s; counts {self.counts}")
            time.sleep(0.02)


class Bench:
    def __init__(self, args):
        self.args = args
        self.producer = Producer({"bootstrap.servers": args.brokers, "linger.ms": 1, "batch.num.messages": 10000,
                                  "queue.buffering.max.messages": 2_000_000, "enable.idempotence": True,
                                  "compression.type": "lz4"})
        self.watcher = Watcher(args.brokers)
        self.watcher.start()

    def send(self, topic, key, value, kind):
        while True:
            try:
                self.producer.produce(topic, value=value, key=key, headers=[("type", kind), ("version", b"1")])
                return
            except BufferError:
                self.producer.poll(0.01)

    def command(self, topic, key, kind, data, source="bench"):
        self.send(topic, key.encode(), envelope(kind, data, source), kind.encode())

    def setup(self):
        a, t = self.args, self.args.timeout
        sellers = [f"P{i:04d}" for i in range(a.sellers)]
        buyers = [f"I{i:04d}" for i in range(a.buyers)]
        for n, entity in enumerate(sellers):
            self.command("registry.commands", entity, "RegisterEntity", profile(entity, n + 1, True))
        for n, entity in enumerate(buyers):
            self.command("registry.commands", entity, "RegisterEntity", profile(entity, 900_000 + n, False))
        self.producer.flush(60)
        self.watcher.wait_for("EntityRegistered", len(sellers) + len(buyers), t, "registration")
        for entity in sellers:
            self.command("registry.commands", entity, "RecordUnitOutput",
                         {"entityId": entity, "unitId": "U1", "year": 2019, "electricityMWh": 1_000_000, "heatGJ": 0,
                          "loadRate": 0.9, "heatSupplyRatio": 0})
        self.producer.flush(60)
        self.await_outputs(sellers[-1])
        self.command("registry.commands", "2020", "AllocateAllowances", {"year": 2020, "phase": "pre"})
        pairs = a.orders // 2
        per_buyer = pairs // len(buyers) + 1
        for entity in buyers:
            self.command("settlement.commands", entity, "DepositFunds",
                         {"accountId": entity, "amount": per_buyer * (PRICE + 10) * 2, "reference": "bench-" + entity})
        self.producer.flush(60)
        self.watcher.wait_for("AllowancesAllocated", len(sellers), t, "allocation")
        self.watcher.wait_for("FundsDeposited", len(buyers), t, "deposits")
        self.command("market.orders", "CEA", "OpenSession", {"instrument": "CEA", "tradingDay": DAY, "referencePrice": PRICE})
        self.producer.flush(60)
        self.watcher.wait_for("SessionOpened", 1, t, "session open")
        time.sleep(1.0)  # let the registry and settlement take in the new day too
        return sellers, buyers

    def await_outputs(self, entity):
        deadline = time.time() + self.args.timeout
        url = f"http://127.0.0.1:{self.args.registry_admin}/entities/{entity}/outputs"
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if json.loads(answer.read()):
                        return
            except Exception:
                pass
            time.sleep(0.05)
        sys.exit("saga-bench: outputs were not recorded in time")

    def load(self, sellers, buyers):
        a = self.args
        n = a.orders - a.orders % 2
        records = []
        for i in range(n // 2):
            seller, buyer = sellers[i % len(sellers)], buyers[i % len(buyers)]
            for side, account, order_id in (("sell", seller, f"s{i}"), ("buy", buyer, f"b{i}")):
                data = {"orderId": order_id, "accountId": account, "instrument": "CEA", "side": side, "method": "listed",
                        "quantity": 1, "price": PRICE}
                records.append((order_id, envelope("SubmitOrder", data, "participant")))
        submitted = {}
        interval = 1.0 / a.rate
        start = time.perf_counter()
        sent = 0
        while sent < n:
            due = min(n, int((time.perf_counter() - start) / interval) + 1)
            while sent < due:
                order_id, value = records[sent]
                self.send("market.orders", b"CEA", value, b"SubmitOrder")
                submitted[order_id] = time.perf_counter()
                sent += 1
            self.producer.poll(0)
            sleep = start + sent * interval - time.perf_counter()
            if sleep > 0:
                time.sleep(min(sleep, 0.002))
        produced_in = time.perf_counter() - start
        self.producer.flush(120)
        deadline = time.time() + a.timeout
        while len(self.watcher.settled) < n // 2 and time.time() < deadline:
            if self.watcher.count("OrderRejected") > 0 and a.stop_on_reject:
                break
            time.sleep(0.01)
        return start, produced_in, submitted

    def report(self, start, produced_in, submitted):
        a = self.args
        with self.watcher.lock:
            trades = dict(self.watcher.trades)
            settled = dict(self.watcher.settled)
            counts = dict(self.watcher.counts)
        latencies = []
        for trade_id, at in settled.items():
            orders = trades.get(trade_id)
            if not orders or orders[0] not in submitted or orders[1] not in submitted:
                continue
            latencies.append((at - max(submitted[orders[0]], submitted[orders[1]])) * 1000.0)
        latencies.sort()
        pairs = a.orders // 2
        last = max(settled.values()) if settled else start
        elapsed = last - start
        result = {
            "orders": 2 * pairs, "offeredRate": a.rate, "producedIn": round(produced_in, 3),
            "tradesExecuted": counts.get("TradeExecuted", 0), "tradesSettled": len(settled),
            "elapsedToLastSettled": round(elapsed, 3),
            "sustainedOrdersPerSecond": round(2 * len(settled) / elapsed, 1) if elapsed > 0 else None,
            "latencyMs": {"samples": len(latencies), "p50": round(percentile(latencies, 50), 2),
                          "p99": round(percentile(latencies, 99), 2), "p99.9": round(percentile(latencies, 99.9), 2),
                          "max": round(latencies[-1], 2) if latencies else None},
            "rejections": {k: counts.get(k, 0) for k in ("OrderRejected", "ReserveRejected", "FreezeRejected",
                                                          "CommandRejected", "SettlementAlarm")},
        }
        return result

    def close_day(self):
        self.command("market.orders", "CEA", "CloseSession", {"instrument": "CEA", "tradingDay": DAY})
        self.producer.flush(60)
        deadline = time.time() + self.args.timeout
        while self.watcher.count("ReconciliationCompleted") < 1 and time.time() < deadline:
            time.sleep(0.05)
        with self.watcher.lock:
            done = self.watcher.last.get("ReconciliationCompleted")
        return None if done is None else {"balanced": done["balanced"], "breaks": len(done["breaks"]),
                                          "feesCharged": done.get("feesCharged"), "deposited": done.get("deposited")}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--registry-admin", type=int, required=True)
    parser.add_argument("--orders", type=int, default=20_000, help="orders in all (half sells, half buys)")
    parser.add_argument("--rate", type=float, default=1_000, help="orders per second offered")
    parser.add_argument("--sellers", type=int, default=20)
    parser.add_argument("--buyers", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--stop-on-reject", action="store_true")
    parser.add_argument("--no-close", action="store_true", help="leave the session open (no statements)")
    args = parser.parse_args()
    bench = Bench(args)
    t0 = time.time()
    sellers, buyers = bench.setup()
    print(f"saga-bench: set-up done in {time.time() - t0:.1f} s ({len(sellers)} plants, {len(buyers)} investors)", flush=True)
    start, produced_in, submitted = bench.load(sellers, buyers)
    result = bench.report(start, produced_in, submitted)
    if not args.no_close:
        t1 = time.time()
        result["reconciliation"] = bench.close_day()
        result["closeSeconds"] = round(time.time() - t1, 2)
    bench.watcher.running = False
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
