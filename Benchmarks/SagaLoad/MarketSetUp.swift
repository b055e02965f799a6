import Contract

/// The market the load trades in, set up through the services' own commands and waited for
/// through their events: SELLERS plants and BUYERS investors registered, the plants' 2019
/// output recorded and their 2020 allowances pre-allocated, every buyer's funds deposited, and
/// the CEA session opened at the reference price. Each step waits for its answers (at most
/// `--timeout` seconds) before the next depends on it.
struct MarketSetUp {
    /// Fen per tonne: the session's reference price and every order's price.
    static let price: Int64 = 5_000

    let sender: CommandSender
    let watcher: Watcher
    let participants: Participants
    let orders: Int
    let timeout: Double
    let registryAdminPort: Int
    let tradingDay: CivilDate

    func run() async throws {
        let sellers = participants.sellers, buyers = participants.buyers
        try sender.send(try participants.registrations(), to: .registryCommands)
        try sender.flush(seconds: 60)
        try await watcher.waitFor(.entityRegistered, count: sellers.count + buyers.count, timeout: timeout, what: "registration")

        try sender.send(sellers.map {
            RecordUnitOutput(entityId: $0, unitId: "U1", year: 2019, electricityMWh: 1_000_000, heatGJ: 0,
                             loadRate: 0.9, heatSupplyRatio: 0)
        }, to: .registryCommands)
        try sender.flush(seconds: 60)
        if let last = sellers.last {
            try await RegistryOutputs.awaitRecorded(entity: last, adminPort: registryAdminPort, timeout: timeout)
        }

        try sender.send([AllocateAllowances(year: 2020, phase: .pre)], to: .registryCommands)
        // Enough for every buy of the load at the order price plus fees, with a pair to spare.
        let perBuyer = Int64(orders / 2 / buyers.count + 1)
        try sender.send(buyers.map {
            DepositFunds(accountId: $0, amount: perBuyer * (Self.price + 10) * 2, reference: "bench-" + $0)
        }, to: .settlementCommands)
        try sender.flush(seconds: 60)
        try await watcher.waitFor(.allowancesAllocated, count: sellers.count, timeout: timeout, what: "allocation")
        try await watcher.waitFor(.fundsDeposited, count: buyers.count, timeout: timeout, what: "deposits")

        try sender.send([OpenSession(instrument: .cea, tradingDay: tradingDay, referencePrice: Self.price)], to: .marketOrders)
        try sender.flush(seconds: 60)
        try await watcher.waitFor(.sessionOpened, count: 1, timeout: timeout, what: "session open")
        // Let the registry and settlement take in the new trading day too.
        try await Task.sleep(for: .seconds(1))
    }
}
