import Contract
import Testing

/// The business ranges that decoding alone cannot check. Each refusal names the field and value.
@Suite("Payload validation")
struct ValidationTests {
    func refusal(_ payload: any EventPayload) -> ContractError? {
        do {
            try payload.validate()
            return nil
        } catch {
            return error
        }
    }

    @Test("a block order needs a named counterparty")
    func blockOrderNeedsCounterparty() {
        var order = Samples.submitOrder
        order.method = .block
        #expect(refusal(order)?.reason == "counterpartyId is required when method is block, got none")
        order.counterpartyId = "inv-7"
        #expect(refusal(order) == nil)
    }

    @Test("a listed order may omit the counterparty")
    func listedOrderWithoutCounterparty() {
        #expect(refusal(Samples.submitOrder) == nil)
    }

    @Test("a settlement's order ids may be absent (events before the addition) and are identifiers when present")
    func settledTradeOrderIds() {
        var settled = TradeSettled(tradeId: "t", buyerAccountId: "buyer", sellerAccountId: "seller", value: 1,
                                   buyerFee: 0, sellerFee: 0)
        #expect(refusal(settled) == nil)
        settled.buyOrderId = "b-1"
        settled.sellOrderId = "s 1"
        #expect(refusal(settled)?.reason.contains("sellOrderId") == true)
        settled.sellOrderId = "s-1"
        #expect(refusal(settled) == nil)
    }

    @Test("an order whose value overflows the largest amount is refused")
    func orderValueOverflow() {
        var order = Samples.submitOrder
        order.quantity = 1_000_000_000_000
        order.price = 1_000_000_000
        #expect(refusal(order)?.reason.hasPrefix("quantity x price (1000000000000 x 1000000000)") == true)
    }

    @Test("a quantity above the largest quantity is refused")
    func quantityCeiling() {
        var order = Samples.submitOrder
        order.quantity = Check.maxQuantity + 1
        #expect(refusal(order)?.reason == "quantity must be at most \(Check.maxQuantity), got \(Check.maxQuantity + 1)")
    }

    @Test("an instrument must be upper-case letters, digits and dashes")
    func lowerCaseInstrument() {
        var order = Samples.submitOrder
        order.instrument = "cea"
        #expect(refusal(order)?.reason.contains("instrument 'cea'") == true)
    }

    @Test("only CEA and CCER can be surrendered")
    func surrenderInstrument() {
        let vintage = SurrenderAllowances(entityId: "ent-0001", year: 2025, instrument: "CEA-2025", quantity: 1)
        #expect(refusal(vintage)?.reason == "instrument 'CEA-2025' cannot be surrendered; expected one of: CEA, CCER")
        #expect(refusal(SurrenderAllowances(entityId: "ent-0001", year: 2025, instrument: .ccer, quantity: 1)) == nil)
    }

    @Test("only CCER are issued as offsets: CEA come from allocation, other instruments have no rule")
    func offsetInstrument() {
        let allowances = IssueOffsets(entityId: "ent-0001", instrument: .cea, quantity: 1, reference: "r-1")
        #expect(refusal(allowances)?.reason == "allowances (CEA) are issued by AllocateAllowances, not IssueOffsets")
        let other = OffsetsIssued(entityId: "ent-0001", instrument: "VCS", quantity: 1, reference: "r-1")
        #expect(refusal(other)?.reason == "instrument 'VCS' cannot be issued as offsets; expected CCER")
        #expect(refusal(IssueOffsets(entityId: "ent-0001", quantity: 1, reference: "CCER-2021-0001")) == nil)
    }

    @Test("an issuance needs a positive quantity and an identifier as its reference")
    func offsetQuantityAndReference() {
        #expect(refusal(IssueOffsets(entityId: "ent-0001", quantity: 0, reference: "r-1"))?.reason
                == "quantity must be positive, got 0")
        #expect(refusal(IssueOffsets(entityId: "ent-0001", quantity: 1, reference: ""))?.reason == "reference must not be empty")
        #expect(refusal(IssueOffsets(entityId: "ent-0001", quantity: 1, reference: "CCER 1"))?.reason.contains("reference") == true)
    }

    @Test("an output acknowledgement's revision starts at 1")
    func outputRevision() {
        var recorded = UnitOutputRecorded(entityId: "ent-0001", unitId: "unit-1", year: 2025, electricityMWh: 1, heatGJ: 0,
                                          loadRate: 0.9, heatSupplyRatio: 0, revision: 0)
        #expect(refusal(recorded)?.reason == "revision must be within 1...\(UnitOutputRecorded.maxRevision), got 0")
        recorded.revision = 2
        #expect(refusal(recorded) == nil)
    }

    @Test("a surrender of zero tonnes is refused")
    func zeroSurrender() {
        let none = SurrenderAllowances(entityId: "ent-0001", year: 2025, instrument: .cea, quantity: 0)
        #expect(refusal(none)?.reason == "quantity must be positive, got 0")
    }

    @Test("a year outside 2000...2100 is refused", arguments: [1999, 2101, -1])
    func yearRange(_ year: Int) {
        #expect(refusal(AllocateAllowances(year: year, phase: .pre))?.reason
                == "year must be within 2000...2100, got \(year)")
    }

    @Test("a load rate outside 0...1 is refused")
    func loadRateRange() {
        let output = RecordUnitOutput(entityId: "ent-0001", unitId: "unit-1", year: 2025, electricityMWh: 1,
                                      heatGJ: 0, loadRate: 1.2, heatSupplyRatio: 0)
        #expect(refusal(output)?.reason == "loadRate must be within 0.0...1.0, got 1.2")
    }

    @Test("a non-finite heat-supply ratio is refused")
    func heatSupplyRatioFinite() {
        let output = RecordUnitOutput(entityId: "ent-0001", unitId: "unit-1", year: 2025, electricityMWh: 1,
                                      heatGJ: 0, loadRate: 0.9, heatSupplyRatio: .nan)
        #expect(refusal(output)?.reason == "heatSupplyRatio must be a finite number, got nan")
    }

    @Test("negative output is refused")
    func negativeOutput() {
        let output = RecordUnitOutput(entityId: "ent-0001", unitId: "unit-1", year: 2025, electricityMWh: -1,
                                      heatGJ: 0, loadRate: 0.9, heatSupplyRatio: 0)
        #expect(refusal(output)?.reason == "electricityMWh must not be negative, got -1")
    }

    @Test("an allocation factor must be an unsigned decimal", arguments: ["", "-1", "1.", ".5", "1e3", "0,877", "1.2.3"])
    func allocationFactorIsDecimal(_ text: String) {
        var unit = Samples.unitAllocation
        unit.loadFactor = text
        let allocated = AllowancesAllocated(entityId: "ent-0001", year: 2025, phase: .pre, quantity: 1, units: [unit])
        #expect(refusal(allocated)?.reason.hasPrefix("units[0].loadFactor") == true)
    }

    @Test("an allocation needs at least one unit")
    func allocationNeedsUnits() {
        let empty = AllowancesAllocated(entityId: "ent-0001", year: 2025, phase: .pre, quantity: 0, units: [])
        #expect(refusal(empty)?.reason == "units needs at least 1 item(s), got 0")
    }

    @Test("a compliant status with a shortfall is refused")
    func compliantWithShortfall() {
        let assessed = ComplianceAssessed(entityId: "ent-0001", year: 2025, verified: 10, allocated: 5,
                                          surrendered: 5, obligation: 10, shortfall: 5, status: .compliant)
        #expect(refusal(assessed)?.reason == "status compliant needs shortfall 0, got shortfall 5")
    }

    @Test("a forecast needs 1 to 14 days")
    func forecastDayCount() {
        let none = AirQualityForecast(forecastId: "fc-1", district: "锦江区", issuedAt: Samples.instant, days: [])
        #expect(refusal(none)?.reason == "days needs at least 1 item(s), got 0")
        let days = (0..<15).map { ForecastDay(date: Samples.day.adding(days: Int64($0)), iaqi: 100) }
        let long = AirQualityForecast(forecastId: "fc-1", district: "锦江区", issuedAt: Samples.instant, days: days)
        #expect(refusal(long)?.code == "oversize-field")
    }

    @Test("forecast days must be in strictly increasing order")
    func forecastDaysIncrease() {
        let days = [ForecastDay(date: Samples.day, iaqi: 100), ForecastDay(date: Samples.day, iaqi: 120)]
        let forecast = AirQualityForecast(forecastId: "fc-1", district: "锦江区", issuedAt: Samples.instant, days: days)
        #expect(refusal(forecast)?.reason == "days[1].date 2026-07-16 must be after days[0].date 2026-07-16")
    }

    @Test("a forecast day needs the O3 maximum or the index")
    func forecastDayNeedsAValue() {
        let forecast = AirQualityForecast(forecastId: "fc-1", district: "锦江区", issuedAt: Samples.instant,
                                          days: [ForecastDay(date: Samples.day)])
        #expect(refusal(forecast)?.reason == "days[0] (2026-07-16) needs o3EightHourMax or iaqi, got neither")
    }

    @Test("an O3 reading outside 0...2000 ug/m3 is refused", arguments: [-1.0, 2000.5, Double.infinity])
    func observationRange(_ value: Double) {
        let observed = AirQualityObserved(district: "锦江区", stationId: "s-1", observedAt: Samples.instant,
                                          o3OneHour: value, o3EightHour: 100)
        #expect(refusal(observed)?.reason.hasPrefix("o3OneHour must") == true)
    }

    @Test("an alert may not end before it starts")
    func alertDates() {
        let alert = AlertIssued(alertId: "alert-1", district: "锦江区", level: .red, startsOn: Samples.day,
                                endsOn: Samples.day.adding(days: -1), late: false, reason: "r", forecastId: "fc-1")
        #expect(refusal(alert)?.reason == "endsOn 2026-07-15 must not be before startsOn 2026-07-16")
    }

    @Test("a statement line's value must be quantity x price")
    func statementValue() {
        let line = StatementTrade(tradeId: "t-1", side: .sell, quantity: 10, price: 5_000, value: 49_999, fee: 25)
        let statement = StatementIssued(accountId: "inv-7", tradingDay: Samples.day, opening: 0, closing: 0,
                                        fees: 25, trades: [line])
        #expect(refusal(statement)?.reason == "trades[0].value must be quantity x price = 50000, got 49999")
    }

    @Test("a trade between an order and itself is refused")
    func tradeWithItself() {
        let trade = TradeExecuted(tradeId: "t-1", instrument: .cea, method: .listed, price: 1, quantity: 1,
                                  buyOrderId: "o-1", sellOrderId: "o-1", buyerAccountId: "a", sellerAccountId: "b",
                                  executedAt: Samples.instant)
        #expect(refusal(trade)?.reason == "buyOrderId and sellOrderId must differ, both are 'o-1'")
    }

    @Test("a session's low may not exceed its high")
    func sessionLowHigh() {
        let closed = SessionClosed(instrument: .cea, tradingDay: Samples.day, openPrice: 5, closePrice: 5,
                                   high: 4, low: 6, volume: 0, turnover: 0)
        #expect(refusal(closed)?.reason == "low (6) must not exceed high (4)")
    }

    @Test("a rejection code must be an identifier token")
    func rejectionCode() {
        let rejected = ReserveRejected(orderId: "o-1", accountId: "a-1", code: "no money", reason: "r")
        #expect(refusal(rejected)?.reason.hasPrefix("code 'no money' contains ' '") == true)
    }

    @Test("an empty measure text is refused")
    func emptyMeasure() {
        let directive = ControlDirectiveIssued(directiveId: "d-1", alertId: "a-1", entityId: "e-1",
                                               district: "锦江区", level: .red, exempt: false, measures: ["stop", ""])
        #expect(refusal(directive)?.reason == "measures[1] must not be empty")
    }

    @Test("year-wide registry commands are keyed for every entity, targeted ones by the entity")
    func yearWideKeys() {
        #expect(AllocateAllowances(year: 2025, phase: .final).partitionKey == RegistryKey.allEntities)
        #expect(AssessCompliance(year: 2025, entityId: "ent-9").partitionKey == "ent-9")
    }

    @Test("holds and transfers are keyed by the account that holds")
    func holdKeys() {
        let transfer = AllowancesTransferred(tradeId: "t", fromAccountId: "seller", toAccountId: "buyer",
                                             instrument: .cea, quantity: 1)
        #expect(transfer.partitionKey == "seller")
        let settled = TradeSettled(tradeId: "t", buyerAccountId: "buyer", sellerAccountId: "seller", value: 1,
                                   buyerFee: 0, sellerFee: 0)
        #expect(settled.partitionKey == "buyer")
        #expect(AllowancesFrozen(orderId: "o", accountId: "seller", instrument: .cea, quantity: 1).partitionKey == "seller")
    }

    @Test("a city-wide alert command is keyed by the city")
    func cityKey() {
        let command = SetCityAlertLevel(city: "成都", level: nil, reason: "episode over", issuedAt: Samples.instant)
        #expect(command.partitionKey == "成都")
        #expect(refusal(command) == nil)
    }
}
