import Testing
import SettlementDomain

/// A tiny seeded generator (SplitMix64, Steele et al. 2014) so property tests are
/// reproducible: a failing seed can be replayed exactly.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`.
    mutating func roll(_ bound: Int) -> Int { Int(next(upperBound: UInt64(bound))) }
}

/// A trading day from literal text that is valid by inspection.
func day(_ text: String) -> TradingDay { TradingDay(text)! }

let day1 = day("2026-07-16")
let day2 = day("2026-07-17")
let day3 = day("2026-07-20")

/// Runs `body` on `ledger` and returns the refusal code, or nil if it succeeded; a refused
/// operation must leave the ledger exactly as it was.
func refusal<T>(_ ledger: inout FundsLedger, sourceLocation: SourceLocation = #_sourceLocation,
                _ body: (inout FundsLedger) throws -> T) -> String? {
    let before = ledger
    do {
        _ = try body(&ledger)
        return nil
    } catch let error as SettlementRefusal {
        #expect(ledger == before, "refused \(error) but changed the ledger", sourceLocation: sourceLocation)
        #expect(!error.reason.isEmpty, sourceLocation: sourceLocation)
        return error.code
    } catch {
        return "not a refusal: \(error)"
    }
}

/// A trade of `quantity` t at `price` filling buy order `buyOrder` of `buyer` against `seller`.
func trade(_ id: TradeID, buy buyOrder: OrderID = "B-1", buyer: AccountID = "BUYER", seller: AccountID = "SELLER",
           quantity: Tonnes, price: Fen, limitPrice: Fen? = nil) -> TradeExecution {
    TradeExecution(tradeId: id, buyOrderId: buyOrder, sellOrderId: OrderID("S-\(id)"), buyerAccountId: buyer,
                   sellerAccountId: seller, price: price, quantity: quantity, limitPrice: limitPrice)
}

/// The default market: 5 bp per side, half up; day 1 started; BUYER has 1,000,000 fen and
/// SELLER 1,000 fen.
func market(rules: SettlementRules = .standard) throws -> FundsLedger {
    var ledger = try FundsLedger(rules: rules, tradingDay: day1)
    try ledger.deposit(to: "BUYER", amount: 1_000_000, reference: "bank-b-1")
    try ledger.deposit(to: "SELLER", amount: 1_000, reference: "bank-s-1")
    return ledger
}

/// Records that `ledger` keeps every invariant.
func expectSound(_ ledger: FundsLedger, _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    let violations = ledger.invariantViolations
    #expect(violations.isEmpty, "\(comment) \(violations)", sourceLocation: sourceLocation)
}

/// A journal kept beside a ledger, the way the service stores the returned entries.
struct Books {
    var ledger: FundsLedger
    var journal: [FundsEntry] = []

    init(_ ledger: FundsLedger, journal: [FundsEntry] = []) {
        self.ledger = ledger
        self.journal = journal
    }

    mutating func deposit(_ account: AccountID, _ amount: Fen, _ reference: String) throws {
        journal.append(try ledger.deposit(to: account, amount: amount, reference: reference))
    }

    mutating func withdraw(_ account: AccountID, _ amount: Fen, _ reference: String) throws {
        journal.append(try ledger.withdraw(from: account, amount: amount, reference: reference))
    }

    mutating func reserve(_ order: OrderID, _ account: AccountID, _ quantity: Tonnes, at price: Fen) throws {
        journal.append(try ledger.reserve(orderId: order, account: account, quantity: quantity, limitPrice: price))
    }

    @discardableResult
    mutating func settle(_ trade: TradeExecution) throws -> FundsSettlement {
        let settlement = try ledger.settle(trade)
        journal += settlement.entries
        return settlement
    }

    mutating func release(_ order: OrderID) throws {
        if let entry = try ledger.release(orderId: order) { journal.append(entry) }
    }
}

/// Two days: day 1 deposits, a reservation and two fills; day 2 a withdrawal and a sale by BUYER.
func twoDays() throws -> Books {
    var books = Books(try FundsLedger(tradingDay: day1))
    try books.deposit("BUYER", 1_000_000, "in-b")
    try books.deposit("SELLER", 1_000, "in-s")
    try books.reserve("B-1", "BUYER", 100, at: 5_000)
    try books.settle(trade("T1", quantity: 40, price: 4_990))
    try books.settle(trade("T2", quantity: 10, price: 5_000))
    try books.ledger.startTradingDay(day2)
    try books.withdraw("SELLER", 200_000, "out-s")
    try books.reserve("B-2", "SELLER", 10, at: 5_000)
    try books.settle(trade("T3", buy: "B-2", buyer: "SELLER", seller: "BUYER", quantity: 10, price: 4_000))
    return books
}
