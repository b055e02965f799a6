import Contract
import Foundation

/// The participants and order flow of a chaos run: power plants that sell and sometimes buy,
/// investors that buy, and a seeded stream of crossing listed orders with some cancels, so that
/// most orders trade, some rest until the close and expire, and some are cancelled.
struct ChaosMarket {
    static let referencePrice: Int64 = 5_000
    /// Enough for every buy an account can place in the run; reservations never fail for funds.
    static let deposit: Int64 = 5_000_000_000
    static let outputMWh: Int64 = 1_000_000

    let plants: [EntityProfile]
    let investors: [EntityProfile]
    let year = 2025
    let day: CivilDate

    init(accounts: Int) {
        let plantCount = max(1, accounts / 2)
        plants = (0..<plantCount).map { index in
            EntityProfile(entityId: String(format: "CH-PWR-%04d", index + 1), name: "Chaos Power Plant \(index + 1)",
                          creditCode: DemoData.creditCode(index: index, kind: 7), sector: .power, district: "shanxi",
                          nationalETS: true, vocEmitter: false, greenBenchmark: false,
                          units: [GeneratingUnitSpec(unitId: "U1", category: .coalAbove300MW, capacityMW: 600, cooling: .water)])
        }
        investors = (0..<max(1, accounts - plantCount)).map { index in
            EntityProfile(entityId: String(format: "CH-INV-%04d", index + 1), name: "Chaos Investor \(index + 1)",
                          creditCode: DemoData.creditCode(index: index, kind: 8), sector: .investor, district: "jinjiang",
                          nationalETS: false, vocEmitter: false, greenBenchmark: false, units: [])
        }
        let chinaNow = Timestamp.now().adding(milliseconds: 8 * 3_600_000)
        day = CivilDate(daysSinceEpoch: chinaNow.millisecondsSinceEpoch / 86_400_000)
    }

    var accounts: [EntityProfile] { plants + investors }

    var registrations: [RegisterEntity] { accounts.map { RegisterEntity($0) } }

    /// Last year's output of every plant: what the pre-allocation of `year` is computed from.
    var outputs: [RecordUnitOutput] {
        plants.map {
            RecordUnitOutput(entityId: $0.entityId, unitId: "U1", year: year - 1, electricityMWh: Self.outputMWh,
                             heatGJ: 0, loadRate: 0.9, heatSupplyRatio: 0)
        }
    }

    var deposits: [DepositFunds] {
        accounts.map { DepositFunds(accountId: $0.entityId, amount: Self.deposit, reference: "chaos-\(day)-\($0.entityId)") }
    }

    var openSession: OpenSession { OpenSession(instrument: .cea, tradingDay: day, referencePrice: Self.referencePrice) }
    var closeSession: CloseSession { CloseSession(instrument: .cea, tradingDay: day) }

    /// `count` orders (sells by plants, buys mostly by investors) and, after about one order in
    /// twenty, a cancel of a recent order of the same run.
    func flow(orders count: Int, seed: UInt64) -> [MarketCommand] {
        var random = SeededGenerator(seed: seed)
        var commands: [MarketCommand] = []
        var recent: [SubmitOrder] = []
        commands.reserveCapacity(count + count / 15)
        for index in 0..<count {
            let sell = Bool.random(using: &random)
            let account: EntityProfile
            if sell {
                account = plants[Int.random(in: 0..<plants.count, using: &random)]
            } else if Int.random(in: 0..<5, using: &random) == 0 {
                account = plants[Int.random(in: 0..<plants.count, using: &random)]
            } else {
                account = investors[Int.random(in: 0..<investors.count, using: &random)]
            }
            let order = SubmitOrder(orderId: String(format: "CH-%06d", index + 1), accountId: account.entityId, instrument: .cea,
                                    side: sell ? .sell : .buy, method: .listed,
                                    quantity: Int64.random(in: 1...20, using: &random) * 100,
                                    price: Self.referencePrice + Int64.random(in: -4...4, using: &random) * 10)
            commands.append(.submit(order))
            recent.append(order)
            if recent.count > 200 { recent.removeFirst(recent.count - 200) }
            if Int.random(in: 0..<20, using: &random) == 0, let victim = recent.randomElement(using: &random) {
                commands.append(.cancel(CancelOrder(orderId: victim.orderId, accountId: victim.accountId, instrument: .cea)))
            }
        }
        return commands
    }
}

/// One record of the order flow on `market.orders`.
enum MarketCommand {
    case submit(SubmitOrder)
    case cancel(CancelOrder)
}
