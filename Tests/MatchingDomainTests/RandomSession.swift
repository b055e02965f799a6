import Foundation
@testable import MatchingDomain

/// One input to the engine, recorded so that a run can be replayed.
enum EngineInput: Equatable {
    case submit(OrderRequest)
    case cancel(OrderID, AccountID)
    case hold(OrderID)
    case refuse(OrderID)
    case methods(MethodSet)
    case close(TradingDay)
    case open(TradingDay, Fen?)
    case closeAuction

    func apply(to engine: inout MatchingEngine) -> [MatchingOutput] {
        var outputs: [MatchingOutput] = []
        switch self {
        case .submit(let request): engine.submit(request, into: &outputs)
        case .cancel(let id, let account): engine.cancel(orderID: id, account: account, instrument: "CEA", into: &outputs)
        case .hold(let id): engine.holdPlaced(orderID: id, into: &outputs)
        case .refuse(let id): engine.holdRefused(orderID: id, code: "insufficient-funds", reason: "Not enough.", into: &outputs)
        case .methods(let methods): engine.setMethods(methods, instrument: "CEA", into: &outputs)
        case .close(let day): engine.closeSession(instrument: "CEA", tradingDay: day, into: &outputs)
        case .closeAuction: engine.closeAuction(instrument: "CEA", into: &outputs)
        case .open(let day, let reference):
            engine.openSession(instrument: "CEA", tradingDay: day, referencePrice: reference, into: &outputs)
        }
        return outputs
    }
}

/// A seeded random trading run over several days: listed orders around the reference (a few
/// outside the band or too large), holds placed late, refused, or early, cancels of any order,
/// phase changes, closes. Ends by closing the session and delivering every outstanding hold,
/// so that every order has ended.
struct RandomSession {
    private(set) var inputs: [EngineInput] = []
    private(set) var outputs: [[MatchingOutput]] = []
    private(set) var submitted: [OrderRequest] = []
    private(set) var engine = MatchingEngine()
    private(set) var bookProblems: [String] = []
    private(set) var snapshot: Data?
    private(set) var snapshotIndex = 0
    private var random: SplitMix64
    private var awaitingHold: [OrderID] = []
    private var day = 16
    private let checkBook: Bool
    private let snapshotAt: Int?

    var tradeCount: Int { Array(outputs.joined()).trades.count }

    init(seed: UInt64, steps: Int, checkBookAfterEachInput: Bool = false, snapshotAt: Int? = nil) {
        random = SplitMix64(seed: seed)
        checkBook = checkBookAfterEachInput
        self.snapshotAt = snapshotAt
        apply(.open(tradingDay, 5_000))
        for step in 0..<steps { randomStep(step) }
        apply(.close(tradingDay))
        for id in awaitingHold { apply(.hold(id)) }
    }

    private var tradingDay: TradingDay { TradingDay("2026-07-\(day)") }

    private mutating func randomStep(_ step: Int) {
        let roll = random.next() % 1_000
        switch roll {
        case 0..<350: submitAwaitingHold(randomOrder(step))
        case 350..<720 where !awaitingHold.isEmpty:
            let id = awaitingHold.remove(at: Int(random.next() % UInt64(awaitingHold.count)))
            apply(random.next() % 10 == 0 ? .refuse(id) : .hold(id))
        case 720..<840 where !submitted.isEmpty:
            let recent = min(submitted.count, 200)
            let victim = submitted[submitted.count - 1 - Int(random.next() % UInt64(recent))]
            apply(.cancel(victim.orderID, victim.account))
        case 840..<880:
            let request = randomOrder(step)
            submitted.append(request)
            apply(.hold(request.orderID))
            apply(.submit(request))
        case 880..<885: apply(.methods(.paused))
        case 885..<920: apply(.methods(.all))
        case 920..<923:
            apply(.close(tradingDay))
            day += 1
            apply(.open(tradingDay, nil))
        case 923..<940: blockQuotes(step)
        case 940..<965: auctionOrder(step)
        case 965..<968: apply(.closeAuction)
        default: break
        }
    }

    /// A block quote from one account to another, answered by the mirror order half the time.
    private mutating func blockQuotes(_ step: Int) {
        let reference = engine.session(of: "CEA")?.referencePrice.rawValue ?? 5_000
        let price = Fen(reference + Int64(random.next() % 201) - 100)
        let quantity = Tonnes(100_000 + Int64(random.next() % 3) * 50_000)
        let (seller, buyer) = (AccountID("a\(random.next() % 12)"), AccountID("b\(random.next() % 3)"))
        let quote = OrderRequest(orderID: OrderID("o\(step)q"), account: seller, instrument: "CEA", side: .sell,
                                 method: .block, quantity: quantity, price: price, counterparty: buyer)
        submitAwaitingHold(quote)
        if random.next() % 2 == 0 {
            submitAwaitingHold(OrderRequest(orderID: OrderID("o\(step)m"), account: buyer, instrument: "CEA",
                                            side: .buy, method: .block, quantity: quantity, price: price,
                                            counterparty: seller))
        }
    }

    /// An auction sale by `gov` (refused while one runs) or a bid in it.
    private mutating func auctionOrder(_ step: Int) {
        let reference = engine.session(of: "CEA")?.referencePrice.rawValue ?? 5_000
        let sale = random.next() % 5 == 0
        let request = OrderRequest(
            orderID: OrderID("o\(step)a"), account: sale ? "gov" : AccountID("a\(random.next() % 12)"),
            instrument: "CEA", side: sale ? .sell : .buy, method: .auction,
            quantity: Tonnes(sale ? 5_000 : Int64(random.next() % 2_000 + 1)),
            price: Fen(reference + Int64(random.next() % 101) - 50))
        submitAwaitingHold(request)
    }

    private mutating func submitAwaitingHold(_ request: OrderRequest) {
        submitted.append(request)
        awaitingHold.append(request.orderID)
        apply(.submit(request))
    }

    private mutating func randomOrder(_ step: Int) -> OrderRequest {
        let side: Side = random.next() % 2 == 0 ? .buy : .sell
        let reference = engine.session(of: "CEA")?.referencePrice.rawValue ?? 5_000
        let offset = Int64(random.next() % 61) - 30
        let outlier = random.next() % 50 == 0
        let price = outlier ? reference * 2 : reference + offset + (side == .buy ? -5 : 5)
        let quantity = random.next() % 100 == 0 ? 100_000 : Int64(random.next() % 1_000 + 1)
        let request = OrderRequest(orderID: OrderID("o\(step)"), account: AccountID("a\(random.next() % 12)"),
                                   instrument: "CEA", side: side, quantity: Tonnes(quantity), price: Fen(price))
        return request
    }

    private mutating func apply(_ input: EngineInput) {
        if inputs.count == snapshotAt {
            snapshot = try? JSONEncoder().encode(engine)
            snapshotIndex = inputs.count
        }
        inputs.append(input)
        outputs.append(input.apply(to: &engine))
        if checkBook {
            for problem in engine.instruments[0].book.invariantViolations() {
                bookProblems.append("after input \(inputs.count): \(problem)")
            }
        }
    }
}
