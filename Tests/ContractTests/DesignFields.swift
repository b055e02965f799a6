/// The required `data` keys of every payload type, copied from DESIGN.md section 4 ("Payloads")
/// and from the additions the services asked for. The contract is binding: a key may be added,
/// never renamed or dropped, and a test fails if an encoding loses one.
enum DesignFields {
    static let profile: Set<String> = ["entityId", "name", "creditCode", "sector", "district", "nationalETS",
                                       "vocEmitter", "greenBenchmark", "units"]
    static let transfer: Set<String> = ["accountId", "amount", "reference"]
    static let alert: Set<String> = ["alertId", "district", "level", "startsOn", "endsOn", "late", "reason", "forecastId"]
    static let session: Set<String> = ["instrument", "tradingDay"]
    static let closedOrder: Set<String> = ["orderId", "accountId", "instrument", "remainingQuantity"]

    static let byType: [String: Set<String>] = [
        "RegisterEntity": profile,
        "EntityRegistered": profile,
        "UpdateEntity": profile,
        "EntityUpdated": profile,
        "DeregisterEntity": ["entityId", "reason"],
        "EntityDeregistered": ["entityId", "reason"],
        "CommandRejected": ["commandId", "commandType", "code", "reason"],
        "RecordUnitOutput": ["entityId", "unitId", "year", "electricityMWh", "heatGJ", "loadRate", "heatSupplyRatio"],
        "AllocateAllowances": ["year", "phase"],
        "AllowancesAllocated": ["entityId", "year", "phase", "quantity", "units"],
        "SubmitVerifiedEmissions": ["entityId", "year", "tonnes"],
        "EmissionsVerified": ["entityId", "year", "tonnes"],
        "SurrenderAllowances": ["entityId", "year", "instrument", "quantity"],
        "AllowancesSurrendered": ["entityId", "year", "instrument", "quantity"],
        "AssessCompliance": ["year"],
        "ComplianceAssessed": ["entityId", "year", "verified", "allocated", "surrendered", "obligation",
                               "shortfall", "status"],
        "SubmitOrder": ["orderId", "accountId", "instrument", "side", "method", "quantity", "price"],
        "CancelOrder": ["orderId", "accountId", "instrument"],
        "OpenSession": session,
        "CloseSession": session,
        "AllowancesFrozen": ["orderId", "accountId", "instrument", "quantity"],
        "FreezeRejected": ["orderId", "accountId", "code", "reason"],
        "AllowancesUnfrozen": ["orderId", "accountId", "instrument", "quantity"],
        "AllowancesTransferred": ["tradeId", "fromAccountId", "toAccountId", "instrument", "quantity"],
        "DepositFunds": transfer,
        "WithdrawFunds": transfer,
        "FundsDeposited": transfer,
        "FundsWithdrawn": transfer,
        "FundsReserved": ["orderId", "accountId", "amount"],
        "ReserveRejected": ["orderId", "accountId", "code", "reason"],
        "FundsReleased": ["orderId", "accountId", "amount"],
        "OrderAccepted": ["orderId", "accountId", "instrument", "side", "method", "quantity", "price"],
        "OrderRejected": ["orderId", "accountId", "code", "reason"],
        "OrderCancelled": closedOrder,
        "OrderExpired": closedOrder,
        "TradeExecuted": ["tradeId", "instrument", "method", "price", "quantity", "buyOrderId", "sellOrderId",
                          "buyerAccountId", "sellerAccountId", "executedAt"],
        "TradeSettled": ["tradeId", "buyerAccountId", "sellerAccountId", "value", "buyerFee", "sellerFee"],
        "SessionOpened": ["instrument", "tradingDay", "referencePrice"],
        "SessionClosed": ["instrument", "tradingDay", "openPrice", "closePrice", "high", "low", "volume", "turnover"],
        "StatementIssued": ["accountId", "tradingDay", "opening", "closing", "fees", "trades"],
        "AirQualityObserved": ["district", "stationId", "observedAt", "o3OneHour", "o3EightHour"],
        "AirQualityForecast": ["forecastId", "district", "issuedAt", "days"],
        "SetCityAlertLevel": ["city", "reason", "issuedAt"],
        "AlertIssued": alert,
        "AlertUpgraded": alert,
        "AlertDowngraded": alert,
        "AlertLifted": ["alertId", "district", "reason"],
        "ControlDirectiveIssued": ["directiveId", "alertId", "entityId", "district", "level", "exempt", "measures"],
    ]
}
