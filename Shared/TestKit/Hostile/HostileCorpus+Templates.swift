import Contract
import Foundation

/// A valid envelope of a type that travels on the unit's topic, naming only invented ids, and
/// which of its fields the mutations may aim at. It is never sent as it is.
struct Template {
    var type: EventType
    var id: UUID
    var key: String
    /// The canonical envelope text.
    var json: String
    /// Required string fields of `data` (identifiers, references), safe to replace.
    var stringFields: [String]
    /// Required integer fields of `data` that must be positive (quantities, amounts, prices).
    var positiveFields: [String]
    /// Required floating-point fields of `data`, bounded (concentrations).
    var doubleFields: [String]
    /// Required enumeration fields of `data`.
    var enumFields: [String]
}

extension RecordMaker {
    /// A valid envelope text for `payload` under `id` (version as the contract's current one).
    func envelopeText<P: EventPayload>(_ payload: P, id: UUID, version: Int = P.currentVersion, source: String = "hostile") -> String {
        let header = EnvelopeHeader(id: id, type: P.eventType, version: version, occurredAt: context.now, source: source,
                                    correlationId: "hostile-\(unit)")
        return String(decoding: EventCodec().encode(header: header, payload: payload), as: UTF8.self)
    }

    /// A template of a type picked among the topic's.
    mutating func template() -> Template {
        let id = rng.uuid()
        let instrument = context.instrument
        let order = ghost("o"), account = ghost("acct"), other = ghost("acct")
        func make<P: EventPayload>(_ payload: P, strings: [String], positives: [String] = [], doubles: [String] = [],
                                   enums: [String] = []) -> Template {
            Template(type: P.eventType, id: id, key: payload.partitionKey, json: envelopeText(payload, id: id),
                     stringFields: strings, positiveFields: positives, doubleFields: doubles, enumFields: enums)
        }
        let choice = Int.random(in: 0..<3, using: &rng)
        switch topic {
        case .registryCommands:
            switch choice {
            case 0: return make(RegisterEntity(ghostProfile(account)), strings: ["entityId", "creditCode", "district", "name"],
                                positives: ["capacityMW"], enums: ["sector", "category", "cooling"])
            case 1: return make(SurrenderAllowances(entityId: account, year: 2020, instrument: instrument, quantity: 10),
                                strings: ["entityId", "instrument"], positives: ["quantity"])
            default: return make(SubmitVerifiedEmissions(entityId: account, year: 2020, tonnes: 1_000), strings: ["entityId"])
            }
        case .registryEvents:
            switch choice {
            case 0: return make(EntityRegistered(ghostProfile(account)), strings: ["entityId", "creditCode", "district", "name"],
                                positives: ["capacityMW"], enums: ["sector", "category", "cooling"])
            case 1: return make(AllowancesFrozen(orderId: order, accountId: account, instrument: instrument, quantity: 10),
                                strings: ["orderId", "accountId", "instrument"], positives: ["quantity"])
            default: return make(AllowancesTransferred(tradeId: ghost("t"), fromAccountId: account, toAccountId: other,
                                                       instrument: instrument, quantity: 10),
                                 strings: ["tradeId", "fromAccountId", "toAccountId"], positives: ["quantity"])
            }
        case .marketOrders:
            if choice == 0 {
                return make(CancelOrder(orderId: order, accountId: account, instrument: instrument),
                            strings: ["orderId", "accountId", "instrument"])
            }
            return make(SubmitOrder(orderId: order, accountId: account, instrument: instrument, side: choice == 1 ? .buy : .sell,
                                    method: .listed, quantity: 10, price: 5_000),
                        strings: ["orderId", "accountId", "instrument"], positives: ["quantity", "price"], enums: ["side", "method"])
        case .matchingEvents:
            switch choice {
            case 0: return make(OrderAccepted(orderId: order, accountId: account, instrument: instrument, side: .buy, method: .listed,
                                              quantity: 10, price: 5_000),
                                strings: ["orderId", "accountId", "instrument"], positives: ["quantity", "price"], enums: ["side", "method"])
            case 1: return make(TradeExecuted(tradeId: ghost("t"), instrument: instrument, method: .listed, price: 5_000, quantity: 10,
                                              buyOrderId: order, sellOrderId: ghost("o"), buyerAccountId: account,
                                              sellerAccountId: other, executedAt: context.now),
                                strings: ["tradeId", "buyOrderId", "sellOrderId", "buyerAccountId", "sellerAccountId"],
                                positives: ["quantity", "price"], enums: ["method"])
            default: return make(OrderCancelled(orderId: order, accountId: account, instrument: instrument, remainingQuantity: 10),
                                 strings: ["orderId", "accountId", "instrument"], positives: ["remainingQuantity"])
            }
        case .settlementCommands:
            let reference = ghost("ref")
            if choice == 0 {
                return make(DepositFunds(accountId: account, amount: 1_000, reference: reference),
                            strings: ["accountId", "reference"], positives: ["amount"])
            }
            return make(WithdrawFunds(accountId: account, amount: 1_000, reference: reference),
                        strings: ["accountId", "reference"], positives: ["amount"])
        case .settlementEvents:
            switch choice {
            case 0: return make(FundsReserved(orderId: order, accountId: account, amount: 1_000),
                                strings: ["orderId", "accountId"], positives: ["amount"])
            case 1: return make(FundsReleased(orderId: order, accountId: account, amount: 1_000),
                                strings: ["orderId", "accountId"], positives: ["amount"])
            default: return make(FundsDeposited(accountId: account, amount: 1_000, reference: ghost("ref")),
                                 strings: ["accountId", "reference"], positives: ["amount"])
            }
        default:
            let district = ghost("district")
            if choice == 0 {
                return make(AirQualityForecast(forecastId: ghost("f"), district: district, issuedAt: context.now,
                                               days: [ForecastDay(date: CivilDate(year: 2026, month: 7, day: 16), o3EightHourMax: 100)]),
                            strings: ["forecastId", "district"])
            }
            return make(AirQualityObserved(district: district, stationId: ghost("st"), observedAt: context.now,
                                           o3OneHour: 100, o3EightHour: 90),
                        strings: ["district", "stationId"], doubles: ["o3OneHour", "o3EightHour"])
        }
    }

    /// A plant profile with a syntactically valid, invented credit code (never registered).
    func ghostProfile(_ entityId: String) -> EntityProfile {
        EntityProfile(entityId: entityId, name: "Hostile \(entityId)", creditCode: "91350100000000000X", sector: .power,
                      district: "jinjiang", nationalETS: true, pilotMarket: nil, vocEmitter: true, greenBenchmark: false,
                      units: [GeneratingUnitSpec(unitId: "U1", category: .coalAbove300MW, capacityMW: 600, cooling: .water)])
    }
}
