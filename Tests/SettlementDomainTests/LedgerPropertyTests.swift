import Testing
import SettlementDomain

/// Thousands of random sequences of deposit, withdraw, reserve, settle, release and
/// startTradingDay across several accounts, checked after every step against a simple model:
/// the books balance to the fen, nothing is negative, every trade settles at most once even
/// when repeated, and no open reservation holds less than its unfilled remainder needs.
@Suite struct LedgerPropertyTests {
    static let sequences: UInt64 = 2_000
    static let steps = 60

    @Test func randomSequencesKeepEveryInvariant() throws {
        var successes: [FundsEntryKind: Int] = [:]
        var refusals: [String: Int] = [:]
        for seed in 0..<Self.sequences {
            var run = try RandomRun(seed: seed)
            try run.play(steps: Self.steps)
            for entry in run.books.journal { successes[entry.kind, default: 0] += 1 }
            for (code, count) in run.refusals { refusals[code, default: 0] += count }
        }
        // The generator must exercise every operation and the main refusals, or the test proves little.
        for kind in FundsEntryKind.allCases { #expect(successes[kind, default: 0] > 1_000, "\(kind): \(successes)") }
        for code in ["insufficient-funds", "insufficient-withdrawable-funds", "duplicate-trade", "exceeds-reservation",
                     "price-above-limit", "duplicate-reservation", "reservation-closed", "stale-trading-day",
                     "unknown-account", "duplicate-reference", "invalid-amount"] {
            #expect(refusals[code, default: 0] > 50, "\(code): \(refusals)")
        }
    }

    @Test func theSameSeedGivesTheSameJournal() throws {
        var first = try RandomRun(seed: 42), second = try RandomRun(seed: 42)
        try first.play(steps: 200)
        try second.play(steps: 200)
        #expect(first.books.journal == second.books.journal)
        #expect(first.books.ledger == second.books.ledger)
    }
}

/// One random sequence and the model it is checked against.
struct RandomRun {
    static let accounts: [AccountID] = ["A", "B", "C", "D"]
    static let days = (1...28).compactMap { TradingDay(year: 2026, month: 8, day: $0) }

    /// Rules vary with the seed: fee rate, rounding and the proceeds rule.
    static let ruleSets: [SettlementRules] = [
        .standard,
        SettlementRules(feeRate: .basisPoints(25), feeRounding: .up),
        SettlementRules(feeRate: FeeRate(partsPerMillion: 0), proceedsWithdrawableNextTradingDay: false),
        SettlementRules(feeRate: .basisPoints(100), feeRounding: .down, feeAccountId: "FEES", clearingAccountId: "CCP"),
    ]

    let seed: UInt64
    let rules: SettlementRules
    var random: SplitMix64
    var books: Books
    var dayIndex = 0
    // The model: totals from the operations' results, not from the ledger.
    var deposited = Fen.zero, withdrawn = Fen.zero, fees = Fen.zero
    var proceedsToday: [AccountID: Fen] = [:]
    var orders: [OrderID] = []
    var settled: [TradeID] = []
    var executedByDay: [TradingDay: [TradeID]] = [:]
    var nextId = 0
    var refusals: [String: Int] = [:]

    init(seed: UInt64) throws {
        self.seed = seed
        random = SplitMix64(seed: seed)
        rules = Self.ruleSets[Int(seed % UInt64(Self.ruleSets.count))]
        books = Books(try FundsLedger(rules: rules, tradingDay: Self.days[0]))
    }

    mutating func play(steps: Int) throws {
        for step in 0..<steps {
            let before = books.ledger
            let count = books.journal.count
            do {
                try randomOperation()
            } catch let refusal as SettlementRefusal {
                refusals[refusal.code, default: 0] += 1
                #expect(books.ledger == before, "seed \(seed) step \(step): refused \(refusal) but changed the ledger")
                #expect(books.journal.count == count)
            }
            for (index, entry) in books.journal.enumerated().dropFirst(count) {
                #expect(entry.sequence == Int64(index + 1), "seed \(seed) step \(step)")
            }
            checkModel("seed \(seed) step \(step)")
        }
        try checkEndOfRun()
    }

    private mutating func roll(_ bound: Int) -> Int { random.roll(bound) }
    private mutating func account() -> AccountID { roll(12) == 0 ? AccountID("NEW-\(roll(3))") : Self.accounts[roll(4)] }
    private mutating func freshId(_ prefix: String) -> String { nextId += 1; return "\(prefix)\(nextId)" }

    private mutating func randomOperation() throws {
        switch roll(20) {
        case 0..<4: try deposit()
        case 4..<6: try withdraw()
        case 6..<10: try reserve()
        case 10..<17: try settle()
        case 17..<19: try release()
        default: try startDay()
        }
    }

    private mutating func deposit() throws {
        let amount = Fen(roll(25) == 0 ? -Int64(roll(2)) : Int64(1 + roll(3_000_000)))
        let reference = roll(6) == 0 ? "dup-\(roll(5))" : freshId("in-")
        let account = account()
        try books.deposit(account, amount, reference)
        deposited += amount
    }

    private mutating func withdraw() throws {
        let account = account()
        let withdrawable = books.ledger.balances(of: account).withdrawable.rawValue
        let amount = Fen(roll(3) == 0 || withdrawable == 0 ? Int64(1 + roll(2_000_000)) : 1 + Int64(roll(Int(withdrawable))))
        let reference = roll(10) == 0 ? "dup-\(roll(5))" : freshId("out-")
        try books.withdraw(account, amount, reference)
        #expect(amount.rawValue <= withdrawable, "seed \(seed): withdrew beyond withdrawable")
        withdrawn += amount
    }

    private mutating func reserve() throws {
        let order = roll(15) == 0 && !orders.isEmpty ? orders[roll(orders.count)] : OrderID(freshId("O"))
        let quantity = Tonnes(Int64(1 + roll(300)))
        let limit = Fen(Int64(1 + roll(roll(4) == 0 ? 100 : 10_000)))
        try books.reserve(order, account(), quantity, at: limit)
        orders.append(order)
    }

    private mutating func settle() throws {
        if !settled.isEmpty, roll(8) == 0 {
            // Redeliver an already settled trade: it must be refused, whatever its terms.
            let tradeId = settled[roll(settled.count)]
            do {
                try books.settle(trade(tradeId, buy: orders.first ?? "O", quantity: 1, price: 1))
                Issue.record("seed \(seed): trade \(tradeId) settled twice")
            } catch let refusal as SettlementRefusal {
                #expect(refusal.code == "duplicate-trade")
                throw refusal
            }
            return
        }
        let open = books.ledger.openReservations
        guard let reservation = roll(10) == 0 || open.isEmpty ? orders.last.flatMap(books.ledger.reservation(for:))
            : open[roll(open.count)] else { return }
        let remaining = Int(reservation.remaining.rawValue)
        let quantity = Tonnes(Int64(roll(10) == 0 ? 1 + remaining + roll(3) : 1 + roll(max(1, remaining))))
        let limit = Int(reservation.terms.limitPrice.rawValue)
        let price = Fen(Int64(roll(10) == 0 ? limit + 1 + roll(5) : 1 + roll(limit)))
        let tradeId = TradeID(freshId("T"))
        let execution = trade(tradeId, buy: reservation.orderId, buyer: reservation.accountId,
                              seller: roll(6) == 0 ? reservation.accountId : account(), quantity: quantity, price: price)
        // A trade within an open reservation's remainder and limit must always settle.
        let plausible = reservation.isOpen && quantity <= reservation.remaining && price <= reservation.terms.limitPrice
        do {
            let result = try books.settle(execution)
            #expect(plausible, "seed \(seed): settled an implausible trade")
            checkSettlement(result, reservation: reservation)
        } catch {
            #expect(!plausible, "seed \(seed): refused a plausible trade: \(error)")
            throw error
        }
    }

    private mutating func checkSettlement(_ result: FundsSettlement, reservation: Reservation) {
        let value = result.trade.quantity.rawValue * result.trade.price.rawValue
        let ppm = rules.feeRate.partsPerMillion
        let rounding: Int64 = switch rules.feeRounding {
        case .halfUp: 500_000
        case .up: 999_999
        case .down: 0
        }
        let expectedFee = Fen((value * ppm + rounding) / 1_000_000)
        #expect(result.value == Fen(value) && result.buyerFee == expectedFee && result.sellerFee == expectedFee,
                "seed \(seed)")
        #expect(result.released >= .zero)
        let after = books.ledger.reservation(for: reservation.orderId)
        #expect(after?.filled == reservation.filled + result.trade.quantity)
        #expect(after?.amount == after?.terms.required(for: after?.remaining ?? .zero), "seed \(seed)")
        fees += result.buyerFee + result.sellerFee
        proceedsToday[result.trade.sellerAccountId, default: .zero] += result.value - result.sellerFee
        settled.append(result.trade.tradeId)
        if let day = books.ledger.tradingDay { executedByDay[day, default: []].append(result.trade.tradeId) }
    }

    private mutating func release() throws {
        let order = orders.isEmpty || roll(6) == 0 ? OrderID("never-reserved") : orders[roll(orders.count)]
        let held = books.ledger.reservation(for: order)?.amount ?? .zero
        let entry = try books.ledger.release(orderId: order)
        #expect(entry?.amount ?? .zero == held)
        if let entry { books.journal.append(entry) }
    }

    private mutating func startDay() throws {
        let target = max(0, min(Self.days.count - 1, dayIndex + roll(4) - 1))
        let started = try books.ledger.startTradingDay(Self.days[target])
        #expect(started == (target != dayIndex))
        if started { proceedsToday = [:] }
        dayIndex = target
    }

    /// The model's checks after every step.
    private func checkModel(_ context: String) {
        let ledger = books.ledger
        expectSound(ledger, context)
        #expect(ledger.totals == FundsTotals(deposited: deposited, withdrawn: withdrawn, feesCharged: fees), "\(context)")
        #expect(ledger.feeAccountBalance == fees, "\(context)")
        var funds = Fen.zero
        for account in ledger.knownParticipants {
            let balances = ledger.balances(of: account)
            funds += balances.funds
            #expect(balances.available >= .zero && balances.reserved >= .zero, "\(context)")
            let locked = rules.proceedsWithdrawableNextTradingDay ? proceedsToday[account] ?? .zero : .zero
            let expected = max(.zero, balances.available - locked)
            #expect(balances.withdrawable == expected, "\(context) \(account)")
        }
        #expect(funds == deposited - withdrawn - fees, "\(context)")
        for reservation in ledger.openReservations {
            #expect(reservation.amount == reservation.required, "\(context) \(reservation.orderId)")
        }
    }

    /// Replay, statements and reconciliation over the whole run.
    private func checkEndOfRun() throws {
        let ledger = books.ledger
        let replayed = try FundsLedger(rules: rules, tradingDay: ledger.tradingDay, replaying: books.journal)
        #expect(replayed == ledger, "seed \(seed): replay differs")
        let settleBuyers = books.journal.filter { $0.kind == .settleBuyer }.map(\.reference)
        #expect(Set(settleBuyers).count == settleBuyers.count, "seed \(seed): a trade settled twice")
        var closing: [AccountID: Fen] = [:]
        // The service's way too: each day closes from the checkpoint the previous close left.
        var checkpoint = JournalCheckpoint()
        for day in Self.days.prefix(dayIndex + 1) {
            let statements = StatementBuilder().statements(for: day, journal: books.journal)
            for statement in statements {
                #expect(statement.isConsistent, "seed \(seed) \(day) \(statement.accountId)")
                #expect(statement.opening == closing[statement.accountId] ?? .zero, "seed \(seed) \(day)")
                closing[statement.accountId] = statement.closing
            }
            let report = Reconciliation(rules: rules).reconcile(day: day, ledger: ledger, journal: books.journal,
                                                    tradesExecuted: executedByDay[day] ?? [], tradesSettled: Set(settled))
            #expect(report.isBalanced, "seed \(seed) \(day): \(report.breaks)")

            #expect(checkpoint.precedes(day), "seed \(seed) \(day)")
            let after = books.journal.filter { $0.sequence > checkpoint.sequence }
            #expect(StatementBuilder().statements(for: day, after: checkpoint, journal: after) == statements,
                    "seed \(seed) \(day): statements from the checkpoint differ")
            let fromCheckpoint = Reconciliation(rules: rules).reconcile(
                day: day, balances: ledger.balanceSheet, after: checkpoint, journal: after,
                tradesExecuted: executedByDay[day] ?? [], tradesSettled: Set(settled))
            #expect(fromCheckpoint == report, "seed \(seed) \(day): reconciliation from the checkpoint differs")
            for entry in after {
                guard entry.tradingDay.map({ $0 < day }) ?? true, checkpoint.fold(entry) else { break }
            }
        }
        var whole = JournalCheckpoint()
        for entry in books.journal {
            let folded = whole.fold(entry)
            #expect(folded, "seed \(seed): entry \(entry.sequence) out of order")
        }
        #expect(whole.balances == ledger.balanceSheet.filter { $0.value != .zero }, "seed \(seed): folded balances")
        #expect(whole.totals == ledger.totals, "seed \(seed): folded totals")
        for account in ledger.knownParticipants {
            #expect(closing[account] ?? .zero == ledger.balances(of: account).funds, "seed \(seed) \(account)")
        }
    }
}
