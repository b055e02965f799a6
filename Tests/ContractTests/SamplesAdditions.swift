import Contract
import Foundation

/// Samples of the payload types added after `Samples.all` was written (the services' additions),
/// and of the dead-letter record, so that the AsyncAPI check sees every type the code has.
/// A type may appear both here and in `Samples.all`: both are checked.
enum SamplesAdditions {
    static let day = Samples.day
    static let instant = Samples.instant

    static let all: [any EventPayload] = [
        // registry.commands
        IssueOffsets(entityId: "ent-0001", quantity: 10_000, reference: "CCER-2021-0001"),
        // registry.events
        UnitOutputRecorded(entityId: "ent-0001", unitId: "unit-1", year: 2020, electricityMWh: 1_000_000, heatGJ: 0,
                           loadRate: 0.82, heatSupplyRatio: 0, revision: 1),
        UnitOutputRecorded(entityId: "ent-0001", unitId: "unit-2", year: 2020, electricityMWh: 0, heatGJ: 250_000,
                           loadRate: 0.5, heatSupplyRatio: 0.35, revision: 3),
        OffsetsIssued(entityId: "ent-0001", instrument: .ccer, quantity: 10_000, reference: "CCER-2021-0001"),
        // market.orders
        SetTradingPhase(instrument: .cea, methods: [.listed, .block], phase: "afternoon"),
        SetTradingPhase(instrument: .cea, methods: []),
        CloseAuction(instrument: "CEA-2025"),
        // market.depth
        MarketDepthUpdated(instrument: .cea, tradingDay: day,
                           bids: [MarketDepthLevel(price: 5_200, quantity: 300, orders: 2),
                                  MarketDepthLevel(price: 5_190, quantity: 1_000, orders: 1)],
                           asks: [MarketDepthLevel(price: 5_210, quantity: 50, orders: 1)],
                           lastPrice: 5_200, sequence: 1_041),
        MarketDepthUpdated(instrument: .cea, tradingDay: nil, bids: [], asks: [], lastPrice: nil, sequence: 0),
        // settlement.events
        SettlementAlarm(tradeId: "trade-9", missingLeg: .allowances, since: instant, reason: "no AllowancesTransferred after 30 s",
                        code: "leg-overdue", waitedMilliseconds: 30_000, buyerAccountId: "inv-7", sellerAccountId: "ent-0001"),
        SettlementAlarm(tradeId: "trade-10", missingLeg: .funds, since: instant, reason: "buyer's reservation is missing"),
        ReconciliationCompleted(tradingDay: day, balanced: true, breaks: [], deposited: 10_000_000_00, withdrawn: 5_000_00,
                                feesCharged: 1_560, participantFunds: 999_498_440, feeAccount: 1_560, truncated: false),
        ReconciliationCompleted(tradingDay: day, balanced: false,
                                breaks: [ReconciliationBreakLine(code: "unsettled-trade", detail: "trade-10: funds leg moved 1560000 fen, no delivery",
                                                                 difference: -1_560_000, accountId: "inv-7")]),
        StatementContinued(accountId: "inv-7", tradingDay: day, part: 2, parts: 2,
                           trades: [StatementTrade(tradeId: "trade-11", side: .sell, quantity: 100, price: 5_210,
                                                   value: 521_000, fee: 260)]),
        // air.alerts
        AlertRevised(alertId: "alert-1", district: "锦江区", level: .orange, startsOn: day.adding(days: 1),
                     endsOn: day.adding(days: 5), late: false, reason: "episode extended by forecast fc-4",
                     forecastId: "fc-4"),
        ControlDirectiveWithdrawn(directiveId: "dir-1", alertId: "alert-1", entityId: "ent-0001", district: "锦江区",
                                  reason: "alert lifted"),
    ]

    /// Dead letters as the service runtime writes them (`ServiceLoop.deadLetter`): one whose
    /// envelope was readable, one whose value was not even UTF-8, one too long to keep whole.
    static let deadLetters: [DeadLetter] = [
        DeadLetter(topic: "market.orders", partition: 2, offset: 1_041, key: Data("CEA".utf8),
                   value: Data(#"{"id":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","type":"SubmitOrder","data":{}}"#.utf8),
                   error: ContractError(code: "missing-field", reason: "missing field data.orderId"),
                   consumer: "matching", header: Samples.header(for: Samples.submitOrder)),
        DeadLetter(topic: "air.observations", partition: 0, offset: 7, key: nil, value: Data([0xFF, 0xFE, 0x00, 0x41]),
                   error: ContractError(code: "malformed-json", reason: "not valid JSON"), consumer: "air-alert",
                   header: nil),
        DeadLetter(topic: "registry.commands", partition: 1, offset: 99, key: nil,
                   value: Data(repeating: 0x01, count: DeadLetter.maxValueBytes + 10),
                   error: ContractError(code: "malformed-json", reason: "not valid JSON at byte 0: unexpected byte 0x01"),
                   consumer: "registry", header: nil),
    ]

    /// A dead letter's record value, encoded the way the runtime encodes it.
    static func encode(_ letter: DeadLetter) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(letter)
    }
}
