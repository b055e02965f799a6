import Contract
import Foundation

/// Valid records that the business must refuse, and replays of an envelope id. They name only
/// invented accounts and orders, or `context.account`, which they try to misuse: each ends in a
/// refusal (or, for a replay, in nothing at all), never in an effect.
extension RecordMaker {
    mutating func businessNonsense() -> [HostileRecord] {
        switch topic {
        case .registryCommands: return [registryNonsense()]
        case .marketOrders: return orderNonsense()
        case .settlementCommands: return [fundsNonsense()]
        default: return [readingNonsense()]
        }
    }

    /// Sends `payload` as a valid envelope under a fresh id.
    mutating func valid<P: EventPayload>(_ payload: P, label: String, id: UUID? = nil,
                                         expectations: (String) -> [HostileExpectation]) -> HostileRecord {
        let id = id ?? rng.uuid()
        return record(envelopeText(payload, id: id), key: payload.partitionKey, label: label, eventId: id,
                      expectations: expectations(id.lowercasedString))
    }

    /// `CommandRejected` from `consumer` for the command whose id the closure is given.
    static func rejected(by consumer: HostileConsumer, codes: Set<String> = []) -> (String) -> [HostileExpectation] {
        { id in [.refusal(HostileRefusal(consumer: consumer.name, topic: consumer.rejectionTopic, type: "CommandRejected",
                                         match: .commandId(id), codes: codes))] }
    }

    mutating func registryNonsense() -> HostileRecord {
        let ghostEntity = ghost("entity")
        var choices = [0, 1, 2, 3, 4]
        if context.account != nil { choices += [5, 6] }
        switch rng.pick(choices) {
        case 0:
            return valid(RecordUnitOutput(entityId: ghostEntity, unitId: "U1", year: 2019, electricityMWh: 1_000, heatGJ: 0,
                                          loadRate: 0.9, heatSupplyRatio: 0),
                         label: "output of an unknown entity", expectations: Self.rejected(by: .registry, codes: ["unknown-entity"]))
        case 1:
            return valid(SubmitVerifiedEmissions(entityId: ghostEntity, year: 2020, tonnes: 1_000),
                         label: "emissions of an unknown entity", expectations: Self.rejected(by: .registry))
        case 2:
            return valid(SurrenderAllowances(entityId: ghostEntity, year: 2020, instrument: context.instrument, quantity: 10),
                         label: "surrender by an unknown entity", expectations: Self.rejected(by: .registry))
        case 3:
            var profile = ghostProfile(ghostEntity)
            profile.creditCode = "913501000000000000"
            return valid(RegisterEntity(profile), label: "registration with a wrong credit code check digit",
                         expectations: Self.rejected(by: .registry))
        case 4:
            var profile = ghostProfile(ghostEntity)
            profile.units = [profile.units[0], profile.units[0]]
            return valid(RegisterEntity(profile), label: "registration with the same unit twice",
                         expectations: Self.rejected(by: .registry))
        case 5:
            let account = context.account ?? ghostEntity
            return valid(SurrenderAllowances(entityId: account, year: 2020, instrument: context.instrument, quantity: Check.maxQuantity),
                         label: "surrender of more than \(account) holds", expectations: Self.rejected(by: .registry))
        default:
            let account = context.account ?? ghostEntity
            return valid(RegisterEntity(ghostProfile(account)), label: "registration of \(account) again",
                         expectations: Self.rejected(by: .registry))
        }
    }

    mutating func fundsNonsense() -> HostileRecord {
        let ghostAccount = ghost("acct")
        var choices = [0, 1]
        if context.account != nil { choices += [2, 3] }
        if context.usedDepositReference != nil { choices += [4] }
        let account = context.account ?? ghostAccount
        switch rng.pick(choices) {
        case 0:
            return valid(WithdrawFunds(accountId: ghostAccount, amount: 1_000, reference: ghost("ref")),
                         label: "withdrawal from an unknown account", expectations: Self.rejected(by: .settlement))
        case 1:
            return valid(WithdrawFunds(accountId: ghostAccount, amount: Check.maxAmount, reference: ghost("ref")),
                         label: "the largest withdrawal from an unknown account", expectations: Self.rejected(by: .settlement))
        case 2:
            return valid(WithdrawFunds(accountId: account, amount: Check.maxAmount, reference: ghost("ref")),
                         label: "withdrawal of more than \(account) has", expectations: Self.rejected(by: .settlement))
        case 3:
            return valid(WithdrawFunds(accountId: account, amount: 1_000_000_000_000, reference: ghost("ref")),
                         label: "withdrawal of 10 billion CNY from \(account)", expectations: Self.rejected(by: .settlement))
        default:
            return valid(DepositFunds(accountId: account, amount: 1, reference: context.usedDepositReference ?? ghost("ref")),
                         label: "a deposit reusing \(account)'s bank reference", expectations: Self.rejected(by: .settlement))
        }
    }

    /// Readings stamped two days ahead or ten days back: outside the de-duplication window.
    mutating func readingNonsense() -> HostileRecord {
        let future = Bool.random(using: &rng)
        let day: Int64 = 86_400_000
        let stamp = context.now.adding(milliseconds: future ? 2 * day : -10 * day)
        let reading = AirQualityObserved(district: ghost("district"), stationId: ghost("st"), observedAt: stamp, o3OneHour: 100,
                                         o3EightHour: 90)
        let code = future ? "future-reading" : "stale-reading"
        return valid(reading, label: future ? "a reading from the future" : "a reading ten days old") { _ in
            [.deadLetter(consumer: HostileConsumer.airAlert.name, codes: [code])]
        }
    }

    /// The orders' refusals: the hold's (`FreezeRejected` / `ReserveRejected`) and matching's.
    static func orderRefused(_ orderId: String, side: Side, holdCodes: Set<String> = [], codes: Set<String> = []) -> [HostileExpectation] {
        let hold: HostileExpectation = side == .sell
            ? .refusal(HostileRefusal(consumer: "registry", topic: .registryEvents, type: "FreezeRejected", match: .orderId(orderId),
                                      codes: holdCodes))
            : .refusal(HostileRefusal(consumer: "settlement", topic: .settlementEvents, type: "ReserveRejected",
                                      match: .orderId(orderId), codes: holdCodes))
        let order = HostileExpectation.refusal(HostileRefusal(consumer: "matching", topic: .matchingEvents, type: "OrderRejected",
                                                              match: .orderId(orderId), codes: codes))
        return [hold, order]
    }

    mutating func order(_ side: Side, by account: String, _ quantity: Int64, at price: Int64,
                        method: TradingMethod = .listed, counterparty: String? = nil) -> SubmitOrder {
        SubmitOrder(orderId: ghost("o"), accountId: account, instrument: context.instrument, side: side, method: method,
                    quantity: quantity, price: price, counterpartyId: counterparty)
    }

    mutating func orderNonsense() -> [HostileRecord] {
        let ghostAccount = ghost("acct")
        var choices = [0, 1, 2]
        if context.account != nil { choices += [3, 4, 5, 6] }
        if context.account != nil && context.selfCross { choices += [7, 7] }
        let account = context.account ?? ghostAccount
        switch rng.pick(choices) {
        case 0:
            let sell = order(.sell, by: ghostAccount, 10, at: 5_000)
            return [valid(sell, label: "a sell by an unknown account") { _ in Self.orderRefused(sell.orderId, side: .sell) }]
        case 1:
            let buy = order(.buy, by: ghostAccount, 10, at: 5_000)
            return [valid(buy, label: "a buy by an unknown account") { _ in Self.orderRefused(buy.orderId, side: .buy) }]
        case 2:
            let cancel = CancelOrder(orderId: ghost("o"), accountId: ghostAccount, instrument: context.instrument)
            return [valid(cancel, label: "a cancel of an unknown order", expectations: Self.rejected(by: .matching))]
        case 3:
            let sell = order(.sell, by: account, 100_000_000_000, at: 5_000)
            return [valid(sell, label: "a sell of more than \(account) holds") { _ in Self.orderRefused(sell.orderId, side: .sell) }]
        case 4:
            let buy = order(.buy, by: account, 1_000_000_000, at: 5_000)
            return [valid(buy, label: "a buy beyond \(account)'s funds") { _ in Self.orderRefused(buy.orderId, side: .buy) }]
        case 5:
            let buy = order(.buy, by: account, 10, at: 9_000)
            return [valid(buy, label: "a buy of \(account) far outside the price band") { _ in
                [.refusal(HostileRefusal(consumer: "matching", topic: .matchingEvents, type: "OrderRejected", match: .orderId(buy.orderId),
                                         codes: ["price-outside-band"]))]
            }]
        case 6:
            let block = order(.sell, by: account, 100_000, at: 5_000, method: .block, counterparty: account)
            return [valid(block, label: "a block sale of \(account) to itself") { _ in
                [.refusal(HostileRefusal(consumer: "matching", topic: .matchingEvents, type: "OrderRejected",
                                         match: .orderId(block.orderId)))]
            }]
        default:
            return selfCross(account)
        }
    }

    /// A sell that rests, then a buy of the same account crossing it. Their holds travel on two
    /// topics, so either may reach matching first: one rests, the other is refused (`self-trade`).
    mutating func selfCross(_ account: String) -> [HostileRecord] {
        let sell = order(.sell, by: account, 10, at: 5_400)
        let buy = order(.buy, by: account, 10, at: 5_400)
        let pair = HostileMatch.eitherOrderId(sell.orderId, buy.orderId)
        return [
            valid(sell, label: "a sell of \(account) that rests") { _ in
                [.accepted(topic: .matchingEvents, type: "OrderAccepted", match: pair)]
            },
            valid(buy, label: "a buy of \(account) crossing its own sell") { _ in
                [.refusal(HostileRefusal(consumer: "matching", topic: .matchingEvents, type: "OrderRejected", match: pair,
                                         codes: ["self-trade"]))]
            },
        ]
    }

    /// A copy of a command with a negative quantity or amount, sent ahead of the intact command
    /// under the same id. The copy is dead-lettered and refused; the intact command is then
    /// applied (and refused on business grounds here) and must be answered too: the copy's
    /// refusal must not take the id of the intact command's own answer.
    mutating func malformedAhead() -> [HostileRecord] {
        let id = rng.uuid()
        let intact: HostileRecord, field: String, type: EventType
        switch topic {
        case .registryCommands:
            intact = valid(SurrenderAllowances(entityId: ghost("entity"), year: 2020, instrument: context.instrument, quantity: 10),
                           label: "surrender by an unknown entity after a malformed copy of it", id: id,
                           expectations: Self.rejected(by: .registry, codes: ["unknown-entity"]))
            (field, type) = ("quantity", SurrenderAllowances.eventType)
        default:
            intact = valid(WithdrawFunds(accountId: ghost("acct"), amount: 1_000, reference: ghost("ref")),
                           label: "withdrawal from an unknown account after a malformed copy of it", id: id,
                           expectations: Self.rejected(by: .settlement, codes: ["unknown-account"]))
            (field, type) = ("amount", WithdrawFunds.eventType)
        }
        let text = String(decoding: intact.value, as: UTF8.self)
        guard let damaged = JSONText.replacingValue(of: field, with: "-5", in: text) else { return [intact] }
        let copy = record(damaged, key: intact.key, label: "\(type) with \(field) -5 under the id of the intact command sent next",
                          eventId: id, expectations: deadLettered(codes: ["invalid-field"], header: (id, type)))
        return [copy, intact]
    }

    /// A valid command that is refused, then its envelope id again: an exact copy, or other
    /// content under the same id. Every reader drops the second; the first is answered once.
    mutating func replay() -> [HostileRecord] {
        let id = rng.uuid()
        let exact = Bool.random(using: &rng)
        let original: HostileRecord
        let copy: String
        let ghostAccount = ghost("acct")
        switch topic {
        case .registryCommands:
            original = valid(RecordUnitOutput(entityId: ghost("entity"), unitId: "U1", year: 2019, electricityMWh: 1_000, heatGJ: 0,
                                              loadRate: 0.9, heatSupplyRatio: 0),
                             label: "output of an unknown entity (to be replayed)", id: id, expectations: Self.rejected(by: .registry))
            copy = envelopeText(RegisterEntity(ghostProfile(ghost("entity"))), id: id)
        case .marketOrders:
            let sell = order(.sell, by: ghostAccount, 10, at: 5_000)
            original = valid(sell, label: "a sell by an unknown account (to be replayed)", id: id) { _ in
                Self.orderRefused(sell.orderId, side: .sell)
            }
            copy = envelopeText(order(.buy, by: context.account ?? ghostAccount, 10, at: 5_000), id: id)
        default:
            original = valid(WithdrawFunds(accountId: ghostAccount, amount: 1_000, reference: ghost("ref")),
                             label: "a withdrawal from an unknown account (to be replayed)", id: id,
                             expectations: Self.rejected(by: .settlement))
            copy = envelopeText(DepositFunds(accountId: context.account ?? ghostAccount, amount: 1_000_000_000, reference: ghost("ref")),
                                id: id)
        }
        let replayed = record(exact ? original.value : Data(copy.utf8), key: original.key,
                              label: exact ? "an exact replay of event \(id)" : "other content under the replayed id \(id)",
                              eventId: id, expectations: readers.map { .duplicate(consumer: $0.name) })
        return [original, replayed]
    }
}
