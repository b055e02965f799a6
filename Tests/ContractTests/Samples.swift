import Contract
import Foundation

/// One valid value of every payload type of the contract, for round trips and for other tests
/// that need a realistic record. Every optional field is set somewhere, so it is exercised.
enum Samples {
    static let day = CivilDate(year: 2026, month: 7, day: 16)
    static let instant = Timestamp(millisecondsSinceEpoch: 1_784_165_400_123)  // 2026-07-16T01:30:00.123Z

    static let profile = EntityProfile(
        entityId: "ent-0001", name: "华能成都电厂", creditCode: "91510100MA61234567", sector: .power,
        district: "青白江区", nationalETS: true, pilotMarket: nil, vocEmitter: true, greenBenchmark: false,
        units: [GeneratingUnitSpec(unitId: "unit-1", category: .coalAbove300MW, capacityMW: 600, cooling: .water),
                GeneratingUnitSpec(unitId: "unit-2", category: .gas, capacityMW: 300, cooling: .air)])

    static let unitAllocation = UnitAllocation(
        unitId: "unit-1", quantity: 2_631_000, electricityBenchmark: "0.877", heatBenchmark: "0.126",
        coolingFactor: "1", heatSupplyFactor: "0.978", loadFactor: "1.0112", electricityMWh: 3_000_000, heatGJ: 12_000)

    static let submitOrder = SubmitOrder(orderId: "order-42", accountId: "ent-0001", instrument: .cea, side: .buy,
                                         method: .listed, quantity: 1_000, price: 5_250)

    static let registry: [any EventPayload] = [
        RegisterEntity(profile),
        EntityRegistered(profile),
        UpdateEntity(EntityProfile(entityId: "inv-7", name: "Investor Seven", creditCode: "91110000X", sector: .investor,
                                   district: "锦江区", nationalETS: false, pilotMarket: "Hubei", vocEmitter: false,
                                   greenBenchmark: true, units: [])),
        EntityUpdated(profile),
        DeregisterEntity(entityId: "ent-0001", reason: "plant closed"),
        EntityDeregistered(entityId: "ent-0001", reason: "plant closed"),
        RecordUnitOutput(entityId: "ent-0001", unitId: "unit-1", year: 2025, electricityMWh: 3_000_000,
                         heatGJ: 12_000, loadRate: 0.82, heatSupplyRatio: 0.1),
        AllocateAllowances(year: 2025, phase: .pre),
        AllowancesAllocated(entityId: "ent-0001", year: 2025, phase: .final, quantity: 2_631_000,
                            units: [unitAllocation], rulesVersion: "power-2019-2020", holdingChange: -12_000),
        SubmitVerifiedEmissions(entityId: "ent-0001", year: 2025, tonnes: 2_700_000),
        EmissionsVerified(entityId: "ent-0001", year: 2025, tonnes: 2_700_000),
        SurrenderAllowances(entityId: "ent-0001", year: 2025, instrument: .ccer, quantity: 100_000),
        AllowancesSurrendered(entityId: "ent-0001", year: 2025, instrument: .cea, quantity: 2_600_000),
        AssessCompliance(year: 2025, entityId: "ent-0001"),
        ComplianceAssessed(entityId: "ent-0001", year: 2025, verified: 2_700_000, allocated: 2_631_000,
                           surrendered: 2_600_000, obligation: 2_700_000, shortfall: 100_000, status: .shortfall),
        AllowancesFrozen(orderId: "order-43", accountId: "ent-0001", instrument: .cea, quantity: 500),
        FreezeRejected(orderId: "order-44", accountId: "ent-0001", code: "insufficient-allowances",
                       reason: "500 t requested, 20 t available", instrument: .cea),
        AllowancesUnfrozen(orderId: "order-43", accountId: "ent-0001", instrument: .cea, quantity: 200),
        AllowancesTransferred(tradeId: "trade-9", fromAccountId: "ent-0001", toAccountId: "inv-7",
                              instrument: .cea, quantity: 300),
        CommandRejected(commandId: "2ed6657d-e927-568b-95e1-2665a8aea6a2", commandType: "SurrenderAllowances",
                        code: "insufficient-allowances", reason: "holding is 10 t", key: "ent-0001"),
    ]

    static let market: [any EventPayload] = [
        submitOrder,
        SubmitOrder(orderId: "order-block-1", accountId: "ent-0001", instrument: .cea, side: .sell, method: .block,
                    quantity: 150_000, price: 4_900, counterpartyId: "inv-7"),
        CancelOrder(orderId: "order-42", accountId: "ent-0001", instrument: .cea),
        OpenSession(instrument: .cea, tradingDay: day, referencePrice: 5_000),
        CloseSession(instrument: .cea, tradingDay: day),
        OrderAccepted(orderId: "order-42", accountId: "ent-0001", instrument: .cea, side: .buy, method: .listed,
                      quantity: 1_000, price: 5_250),
        OrderRejected(orderId: "order-45", accountId: "ent-0001", code: "price-outside-band",
                      reason: "price 6000 is outside 4500...5500", instrument: .cea, hold: .placed),
        OrderCancelled(orderId: "order-42", accountId: "ent-0001", instrument: .cea, remainingQuantity: 400),
        OrderExpired(orderId: "order-46", accountId: "inv-7", instrument: "CEA-2025", remainingQuantity: 10),
        TradeExecuted(tradeId: "trade-9", instrument: .cea, method: .listed, price: 5_200, quantity: 300,
                      buyOrderId: "order-42", sellOrderId: "order-43", buyerAccountId: "inv-7",
                      sellerAccountId: "ent-0001", executedAt: instant, tradingDay: day),
        SessionOpened(instrument: .cea, tradingDay: day, referencePrice: 5_000),
        SessionClosed(instrument: .cea, tradingDay: day, openPrice: 5_100, closePrice: 5_180, high: 5_300,
                      low: 5_050, volume: 150_300, turnover: 736_560_000, referencePrice: 5_000,
                      listedVolume: 300, listedTurnover: 1_560_000, blockVolume: 150_000,
                      blockTurnover: 735_000_000, auctionVolume: 0, auctionTurnover: 0, tradeCount: 2),
    ]

    static let settlement: [any EventPayload] = [
        DepositFunds(accountId: "inv-7", amount: 10_000_000_00, reference: "ICBC 2026-07-16 #0001"),
        WithdrawFunds(accountId: "inv-7", amount: 5_000_00, reference: "W-1"),
        FundsDeposited(accountId: "inv-7", amount: 10_000_000_00, reference: "ICBC 2026-07-16 #0001"),
        FundsWithdrawn(accountId: "inv-7", amount: 5_000_00, reference: "W-1"),
        FundsReserved(orderId: "order-42", accountId: "inv-7", amount: 5_252_625),
        ReserveRejected(orderId: "order-47", accountId: "inv-7", code: "insufficient-funds",
                        reason: "needs 5252625 fen, 100 available", instrument: .cea),
        FundsReleased(orderId: "order-42", accountId: "inv-7", amount: 15_000),
        TradeSettled(tradeId: "trade-9", buyerAccountId: "inv-7", sellerAccountId: "ent-0001",
                     value: 1_560_000, buyerFee: 780, sellerFee: 780, buyOrderId: "order-42", sellOrderId: "order-43"),
        StatementIssued(accountId: "inv-7", tradingDay: day, opening: 10_000_000_00, closing: 998_439_220,
                        fees: 780, trades: [StatementTrade(tradeId: "trade-9", side: .buy, quantity: 300,
                                                           price: 5_200, value: 1_560_000, fee: 780)],
                        deposits: 0, withdrawals: 0),
    ]

    static let air: [any EventPayload] = [
        AirQualityObserved(district: "锦江区", stationId: "station-12", observedAt: instant, o3OneHour: 212.5,
                           o3EightHour: 180, pm25: 35.2, pm10: 61, no2: 22.75),
        AirQualityForecast(forecastId: "fc-2026-07-15-jj", district: "锦江区", issuedAt: instant, days: [
            ForecastDay(date: day, o3EightHourMax: 230),
            ForecastDay(date: day.adding(days: 1), o3EightHourMax: 240, iaqi: 164),
            ForecastDay(date: day.adding(days: 2), iaqi: 171),
        ]),
        SetCityAlertLevel(city: "成都", level: .orange, reason: "city-wide episode", issuedAt: instant),
        AlertIssued(alertId: "alert-1", district: "锦江区", level: .yellow, startsOn: day.adding(days: 1),
                    endsOn: day.adding(days: 3), late: false, reason: "IAQI > 150 for 3 days", forecastId: "fc-1"),
        AlertUpgraded(alertId: "alert-1", district: "锦江区", level: .orange, startsOn: day.adding(days: 1),
                      endsOn: day.adding(days: 4), late: false, reason: "IAQI > 200 on day 2", forecastId: "fc-2"),
        AlertDowngraded(alertId: "alert-1", district: "锦江区", level: .yellow, startsOn: day,
                        endsOn: day, late: true, reason: "forecast improved", forecastId: "fc-3"),
        AlertLifted(alertId: "alert-1", district: "锦江区", reason: "IAQI <= 150 for 36 h"),
        AlertLifted(alertId: "alert-2", district: "武侯区", reason: "forecast below 160 for 3 days", forecastId: "fc-2026-07-13"),
        ControlDirectiveIssued(directiveId: "dir-1", alertId: "alert-1", entityId: "ent-0001", district: "锦江区",
                               level: .yellow, exempt: false,
                               measures: ["no VOC painting 08:00-18:00", "no asphalt work 08:00-18:00"]),
    ]

    /// Every sample, one or more per payload type of the contract.
    static let all: [any EventPayload] = registry + market + settlement + air

    /// A fixed header for `payload`, so encodings are reproducible.
    static func header(for payload: any EventPayload, version: Int? = nil) -> EnvelopeHeader {
        let type = Swift.type(of: payload)
        return EnvelopeHeader(id: DeterministicID.nameBased(type.eventType.rawValue), type: type.eventType,
                              version: version ?? type.currentVersion, occurredAt: instant, source: "contract-tests",
                              correlationId: "corr-1",
                              causationId: UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8"))
    }
}

/// A sample as a test argument, shown by its type name.
struct Sample: Sendable, CustomStringConvertible {
    let payload: any EventPayload
    var description: String { "\(type(of: payload).eventType)" + (variant > 0 ? " #\(variant + 1)" : "") }
    let variant: Int

    static let all: [Sample] = {
        var seen: [String: Int] = [:]
        return (Samples.all + SamplesAdditions.all).map { payload in
            let name = type(of: payload).eventType.rawValue
            defer { seen[name, default: 0] += 1 }
            return Sample(payload: payload, variant: seen[name, default: 0])
        }
    }()
}
