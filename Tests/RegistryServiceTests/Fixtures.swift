import Contract
import Foundation
import RegistryDomain

/// A national-ETS power plant with one water-cooled coal unit above 300 MW (benchmark 0.877
/// tCO2/MWh), or the units given.
func plant(_ id: String, units: [GeneratingUnitSpec]? = nil, nationalETS: Bool = true, sector: Contract.Sector = .power,
           name: String = "Power plant") -> EntityProfile {
    EntityProfile(entityId: id, name: name, creditCode: creditCode(for: id), sector: sector, district: "jinjiang",
                  nationalETS: nationalETS, pilotMarket: nil, vocEmitter: false, greenBenchmark: false,
                  units: units ?? [GeneratingUnitSpec(unitId: "U1", category: .coalAbove300MW, capacityMW: 600, cooling: .water)])
}

/// A market participant without emissions (an investor's account).
func investor(_ id: String) -> EntityProfile {
    plant(id, units: [], nationalETS: false, sector: .investor, name: "Investor")
}

/// A gas-fired plant: one water-cooled gas unit (0.392 tCO2/MWh, 0.059 tCO2/GJ).
func gasPlant(_ id: String) -> EntityProfile {
    plant(id, units: [GeneratingUnitSpec(unitId: "G1", category: .gas, capacityMW: 400, cooling: .water)])
}

/// A valid unified social credit code derived from `id`.
func creditCode(for id: String) -> String {
    var hash: UInt64 = 14_695_981_039_346_656_037
    for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
    let digits = String(hash % 100_000_000).padding(toLength: 8, withPad: "0", startingAt: 0)
    return CreditCode.completing("913501\(digits)000")!
}

/// Output of a pure-condensing unit at full load (load factor 1): `electricityMWh` x benchmark.
func output(_ entityId: String, unit: String = "U1", year: Int, mwh: Int64, heatGJ: Int64 = 0, loadRate: Double = 0.9,
            heatSupplyRatio: Double = 0) -> RecordUnitOutput {
    RecordUnitOutput(entityId: entityId, unitId: unit, year: year, electricityMWh: mwh, heatGJ: heatGJ, loadRate: loadRate,
                     heatSupplyRatio: heatSupplyRatio)
}

func sell(_ orderId: String, by account: String, quantity: Int64, instrument: Contract.Instrument = .cea) -> SubmitOrder {
    SubmitOrder(orderId: orderId, accountId: account, instrument: instrument, side: .sell, method: .listed,
                quantity: quantity, price: 5_000)
}

func buy(_ orderId: String, by account: String, quantity: Int64) -> SubmitOrder {
    SubmitOrder(orderId: orderId, accountId: account, instrument: .cea, side: .buy, method: .listed, quantity: quantity,
                price: 5_000)
}

func trade(_ tradeId: String, sellOrder: String, seller: String, buyer: String, quantity: Int64,
           day: CivilDate? = nil) -> TradeExecuted {
    TradeExecuted(tradeId: tradeId, instrument: .cea, method: .listed, price: 5_000, quantity: quantity,
                  buyOrderId: "B-\(tradeId)", sellOrderId: sellOrder, buyerAccountId: buyer, sellerAccountId: seller,
                  executedAt: Timestamp(millisecondsSinceEpoch: 1_780_000_000_000), tradingDay: day)
}

func day(_ text: String) -> CivilDate { CivilDate(text)! }
