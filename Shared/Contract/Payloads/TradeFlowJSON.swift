// The canonical JSON of the payloads every order and trade emits (matching's acceptances and
// trades, the registry's freezes and deliveries, settlement's reservations and settlements),
// written directly (`CanonicalObjectWriter`). Members are listed in canonical order, keys
// sorted by their UTF-8 bytes; the contract tests compare each with Foundation's bytes.

extension OrderAccepted {
    public func writeCanonicalJSON(to out: inout [UInt8]) -> Bool {
        var object = CanonicalObjectWriter(&out)
        object.string("accountId", accountId, to: &out)
        object.string("instrument", instrument.rawValue, to: &out)
        object.string("method", method.rawValue, to: &out)
        object.string("orderId", orderId, to: &out)
        object.int("price", price, to: &out)
        object.int("quantity", quantity, to: &out)
        object.string("side", side.rawValue, to: &out)
        object.end(&out)
        return true
    }
}

extension TradeExecuted {
    public func writeCanonicalJSON(to out: inout [UInt8]) -> Bool {
        var object = CanonicalObjectWriter(&out)
        object.string("buyOrderId", buyOrderId, to: &out)
        object.string("buyerAccountId", buyerAccountId, to: &out)
        object.timestamp("executedAt", executedAt, to: &out)
        object.string("instrument", instrument.rawValue, to: &out)
        object.string("method", method.rawValue, to: &out)
        object.int("price", price, to: &out)
        object.int("quantity", quantity, to: &out)
        object.string("sellOrderId", sellOrderId, to: &out)
        object.string("sellerAccountId", sellerAccountId, to: &out)
        object.string("tradeId", tradeId, to: &out)
        if let tradingDay { object.string("tradingDay", tradingDay.description, to: &out) }
        object.end(&out)
        return true
    }
}

extension AllowancesFrozen {
    public func writeCanonicalJSON(to out: inout [UInt8]) -> Bool {
        var object = CanonicalObjectWriter(&out)
        object.string("accountId", accountId, to: &out)
        object.string("instrument", instrument.rawValue, to: &out)
        object.string("orderId", orderId, to: &out)
        object.int("quantity", quantity, to: &out)
        object.end(&out)
        return true
    }
}

extension AllowancesTransferred {
    public func writeCanonicalJSON(to out: inout [UInt8]) -> Bool {
        var object = CanonicalObjectWriter(&out)
        object.string("fromAccountId", fromAccountId, to: &out)
        object.string("instrument", instrument.rawValue, to: &out)
        object.int("quantity", quantity, to: &out)
        object.string("toAccountId", toAccountId, to: &out)
        object.string("tradeId", tradeId, to: &out)
        object.end(&out)
        return true
    }
}

extension FundsReserved {
    public func writeCanonicalJSON(to out: inout [UInt8]) -> Bool {
        var object = CanonicalObjectWriter(&out)
        object.string("accountId", accountId, to: &out)
        object.int("amount", amount, to: &out)
        object.string("orderId", orderId, to: &out)
        object.end(&out)
        return true
    }
}

extension TradeSettled {
    public func writeCanonicalJSON(to out: inout [UInt8]) -> Bool {
        var object = CanonicalObjectWriter(&out)
        // Absent optionals are left out, as Foundation's encoder leaves them out.
        if let buyOrderId { object.string("buyOrderId", buyOrderId, to: &out) }
        object.string("buyerAccountId", buyerAccountId, to: &out)
        object.int("buyerFee", buyerFee, to: &out)
        if let sellOrderId { object.string("sellOrderId", sellOrderId, to: &out) }
        object.string("sellerAccountId", sellerAccountId, to: &out)
        object.int("sellerFee", sellerFee, to: &out)
        object.string("tradeId", tradeId, to: &out)
        object.int("value", value, to: &out)
        object.end(&out)
        return true
    }
}
