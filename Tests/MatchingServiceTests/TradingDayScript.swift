import Contract
import Foundation
import Kafka

/// A reproducible trading day: the session opens, orders arrive with their holds (some holds
/// refused, some before their order), some orders are cancelled, the session closes.
enum Step {
    case open
    case order(SubmitOrder)
    case hold(SubmitOrder)
    case refuse(SubmitOrder)
    case cancel(CancelOrder)
    case close
}

enum TradingDayScript {
    /// `orders` orders from a seeded generator (the same seed, the same steps).
    static func steps(orders: Int, seed: UInt64 = 42) -> [Step] {
        var random = SplitMix(seed: seed)
        var steps: [Step] = [.open]
        var placed: [SubmitOrder] = []
        for n in 0..<orders {
            let side: Contract.Side = random.next(2) == 0 ? .buy : .sell
            let order = SubmitOrder(orderId: "o-\(n)", accountId: "acct-\(random.next(12))", instrument: .cea, side: side,
                                    method: .listed, quantity: Int64(1 + random.next(400)),
                                    price: 4_940 + Int64(random.next(120)))
            switch random.next(20) {
            case 0: steps += [.order(order), .refuse(order)]
            case 1: steps += [.hold(order), .order(order)]
            case 2: steps += [.order(order)]  // its hold comes later, or never
            default: steps += [.order(order), .hold(order)]
            }
            placed.append(order)
            if random.next(8) == 0, let victim = placed.randomElement(using: &random) {
                steps.append(.cancel(CancelOrder(orderId: victim.orderId, accountId: victim.accountId, instrument: .cea)))
            }
        }
        steps.append(.close)
        return steps
    }
}

extension MatchingHarness {
    /// The records of `steps`, numbered by this harness's counter.
    func records(_ steps: [Step]) -> [ConsumerRecord] {
        steps.map { step in
            switch step {
            case .open: record(Script.open(5_000), to: .marketOrders)
            case .order(let order): record(order, to: .marketOrders)
            case .hold(let order): holdRecord(order)
            case .refuse(let order):
                switch order.side {
                case .sell:
                    record(FreezeRejected(orderId: order.orderId, accountId: order.accountId,
                                          code: "insufficient-allowances", reason: "not enough held"), to: .registryEvents)
                case .buy:
                    record(ReserveRejected(orderId: order.orderId, accountId: order.accountId,
                                           code: "insufficient-funds", reason: "not enough funds"), to: .settlementEvents)
                }
            case .cancel(let cancel): record(cancel, to: .marketOrders)
            case .close: record(Script.close(), to: .marketOrders)
            }
        }
    }

    /// Applies records in batches of `batch`.
    func apply(_ records: [ConsumerRecord], batch: Int) throws {
        for start in stride(from: 0, to: records.count, by: batch) {
            try apply(Array(records[start..<min(records.count, start + batch)]))
        }
    }
}

/// A small seeded generator (SplitMix64), so scripts are the same on every machine.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
