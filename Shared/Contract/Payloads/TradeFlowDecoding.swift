// The payloads every order and trade carries, read directly from FastJSON's tree
// (`DirectJSONDecodable`): orders, holds, acceptances, trades, deliveries, reservations and
// settlements. Each reads its members as its synthesized `Decodable` does (unknown members
// ignored, optional members absent or null) and gives up (nil) on anything else.

/// The members an order and its acceptance share.
private struct OrderMembers {
    var orderId: String?, accountId: String?, instrument: String?, side: Side?, method: TradingMethod?
    var quantity: Int64?, price: Int64?

    /// Reads `value` when `key` is one of these members: true when read, false for another
    /// key, nil when the value is not what `Decodable` would read.
    mutating func read(_ key: String, _ value: FJNode) -> Bool? {
        switch MemberName(key) {
        case "orderId": guard let text = value.text else { return nil }; orderId = text
        case "accountId": guard let text = value.text else { return nil }; accountId = text
        case "instrument": guard let text = value.text else { return nil }; instrument = text
        case "side": guard let text = value.text, let parsed = Side(rawValue: text) else { return nil }; side = parsed
        case "method": guard let text = value.text, let parsed = TradingMethod(rawValue: text) else { return nil }; method = parsed
        case "quantity": guard let number = value.int64 else { return nil }; quantity = number
        case "price": guard let number = value.int64 else { return nil }; price = number
        default: return false
        }
        return true
    }
}

extension SubmitOrder: DirectJSONDecodable {
    static func decodeDirectly(from node: FJNode) -> SubmitOrder? {
        guard case .object(let members) = node else { return nil }
        var order = OrderMembers()
        var counterpartyId: String?
        for (key, value) in members {
            guard let known = order.read(key, value) else { return nil }
            if !known, "counterpartyId" ~= MemberName(key) {
                guard let text = value.optionalText else { return nil }
                counterpartyId = text
            }
        }
        guard let orderId = order.orderId, let accountId = order.accountId, let instrument = order.instrument,
              let side = order.side, let method = order.method, let quantity = order.quantity, let price = order.price
        else { return nil }
        return SubmitOrder(orderId: orderId, accountId: accountId, instrument: Instrument(rawValue: instrument), side: side,
                           method: method, quantity: quantity, price: price, counterpartyId: counterpartyId)
    }
}

extension OrderAccepted: DirectJSONDecodable {
    static func decodeDirectly(from node: FJNode) -> OrderAccepted? {
        guard case .object(let members) = node else { return nil }
        var order = OrderMembers()
        for (key, value) in members {
            guard order.read(key, value) != nil else { return nil }
        }
        guard let orderId = order.orderId, let accountId = order.accountId, let instrument = order.instrument,
              let side = order.side, let method = order.method, let quantity = order.quantity, let price = order.price
        else { return nil }
        return OrderAccepted(orderId: orderId, accountId: accountId, instrument: Instrument(rawValue: instrument), side: side,
                             method: method, quantity: quantity, price: price)
    }
}

extension TradeExecuted: DirectJSONDecodable {
    static func decodeDirectly(from node: FJNode) -> TradeExecuted? {
        guard case .object(let members) = node else { return nil }
        var tradeId: String?, instrument: String?, method: TradingMethod?, price: Int64?, quantity: Int64?
        var buyOrderId: String?, sellOrderId: String?, buyerAccountId: String?, sellerAccountId: String?
        var executedAt: Timestamp?, tradingDay: CivilDate?
        for (key, value) in members {
            switch MemberName(key) {
            case "tradeId": guard let text = value.text else { return nil }; tradeId = text
            case "instrument": guard let text = value.text else { return nil }; instrument = text
            case "method":
                guard let text = value.text, let parsed = TradingMethod(rawValue: text) else { return nil }; method = parsed
            case "price": guard let number = value.int64 else { return nil }; price = number
            case "quantity": guard let number = value.int64 else { return nil }; quantity = number
            case "buyOrderId": guard let text = value.text else { return nil }; buyOrderId = text
            case "sellOrderId": guard let text = value.text else { return nil }; sellOrderId = text
            case "buyerAccountId": guard let text = value.text else { return nil }; buyerAccountId = text
            case "sellerAccountId": guard let text = value.text else { return nil }; sellerAccountId = text
            case "executedAt":
                guard let text = value.text, let parsed = Timestamp(iso8601: text) else { return nil }; executedAt = parsed
            case "tradingDay":
                guard let text = value.optionalText else { return nil }
                if let text {
                    guard let parsed = CivilDate(text) else { return nil }
                    tradingDay = parsed
                }
            default: continue
            }
        }
        guard let tradeId, let instrument, let method, let price, let quantity, let buyOrderId, let sellOrderId,
              let buyerAccountId, let sellerAccountId, let executedAt else { return nil }
        return TradeExecuted(tradeId: tradeId, instrument: Instrument(rawValue: instrument), method: method, price: price,
                             quantity: quantity, buyOrderId: buyOrderId, sellOrderId: sellOrderId,
                             buyerAccountId: buyerAccountId, sellerAccountId: sellerAccountId, executedAt: executedAt,
                             tradingDay: tradingDay)
    }
}

extension AllowancesFrozen: DirectJSONDecodable {
    static func decodeDirectly(from node: FJNode) -> AllowancesFrozen? {
        guard case .object(let members) = node else { return nil }
        var orderId: String?, accountId: String?, instrument: String?, quantity: Int64?
        for (key, value) in members {
            switch MemberName(key) {
            case "orderId": guard let text = value.text else { return nil }; orderId = text
            case "accountId": guard let text = value.text else { return nil }; accountId = text
            case "instrument": guard let text = value.text else { return nil }; instrument = text
            case "quantity": guard let number = value.int64 else { return nil }; quantity = number
            default: continue
            }
        }
        guard let orderId, let accountId, let instrument, let quantity else { return nil }
        return AllowancesFrozen(orderId: orderId, accountId: accountId, instrument: Instrument(rawValue: instrument),
                                quantity: quantity)
    }
}

extension AllowancesTransferred: DirectJSONDecodable {
    static func decodeDirectly(from node: FJNode) -> AllowancesTransferred? {
        guard case .object(let members) = node else { return nil }
        var tradeId: String?, fromAccountId: String?, toAccountId: String?, instrument: String?, quantity: Int64?
        for (key, value) in members {
            switch MemberName(key) {
            case "tradeId": guard let text = value.text else { return nil }; tradeId = text
            case "fromAccountId": guard let text = value.text else { return nil }; fromAccountId = text
            case "toAccountId": guard let text = value.text else { return nil }; toAccountId = text
            case "instrument": guard let text = value.text else { return nil }; instrument = text
            case "quantity": guard let number = value.int64 else { return nil }; quantity = number
            default: continue
            }
        }
        guard let tradeId, let fromAccountId, let toAccountId, let instrument, let quantity else { return nil }
        return AllowancesTransferred(tradeId: tradeId, fromAccountId: fromAccountId, toAccountId: toAccountId,
                                     instrument: Instrument(rawValue: instrument), quantity: quantity)
    }
}

extension FundsReserved: DirectJSONDecodable {
    static func decodeDirectly(from node: FJNode) -> FundsReserved? {
        guard case .object(let members) = node else { return nil }
        var orderId: String?, accountId: String?, amount: Int64?
        for (key, value) in members {
            switch MemberName(key) {
            case "orderId": guard let text = value.text else { return nil }; orderId = text
            case "accountId": guard let text = value.text else { return nil }; accountId = text
            case "amount": guard let number = value.int64 else { return nil }; amount = number
            default: continue
            }
        }
        guard let orderId, let accountId, let amount else { return nil }
        return FundsReserved(orderId: orderId, accountId: accountId, amount: amount)
    }
}

extension TradeSettled: DirectJSONDecodable {
    static func decodeDirectly(from node: FJNode) -> TradeSettled? {
        guard case .object(let members) = node else { return nil }
        var tradeId: String?, buyerAccountId: String?, sellerAccountId: String?
        var value: Int64?, buyerFee: Int64?, sellerFee: Int64?
        var buyOrderId: String?, sellOrderId: String?
        for (key, member) in members {
            switch MemberName(key) {
            case "tradeId": guard let text = member.text else { return nil }; tradeId = text
            case "buyOrderId": guard let text = member.optionalText else { return nil }; buyOrderId = text
            case "sellOrderId": guard let text = member.optionalText else { return nil }; sellOrderId = text
            case "buyerAccountId": guard let text = member.text else { return nil }; buyerAccountId = text
            case "sellerAccountId": guard let text = member.text else { return nil }; sellerAccountId = text
            case "value": guard let number = member.int64 else { return nil }; value = number
            case "buyerFee": guard let number = member.int64 else { return nil }; buyerFee = number
            case "sellerFee": guard let number = member.int64 else { return nil }; sellerFee = number
            default: continue
            }
        }
        guard let tradeId, let buyerAccountId, let sellerAccountId, let value, let buyerFee, let sellerFee else { return nil }
        return TradeSettled(tradeId: tradeId, buyerAccountId: buyerAccountId, sellerAccountId: sellerAccountId, value: value,
                            buyerFee: buyerFee, sellerFee: sellerFee, buyOrderId: buyOrderId, sellOrderId: sellOrderId)
    }
}
