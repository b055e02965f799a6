import Contract
import RegistryDomain

/// The plants that sell and the investors that buy, as the registry is asked to register them:
/// `P0000`... are national-ETS power plants with one 600 MW coal unit, `I0000`... investors
/// without units. Every credit code carries a valid GB 32100-2015 check character, or the
/// registry would refuse the registration.
struct Participants {
    let sellers: [String]
    let buyers: [String]

    init(sellers: Int, buyers: Int) {
        self.sellers = (0..<sellers).map { "P" + Self.digits($0, 4) }
        self.buyers = (0..<buyers).map { "I" + Self.digits($0, 4) }
    }

    /// The registration of seller `index` (credit codes numbered from 1) or buyer `index`
    /// (numbered from 900,000, so that no investor shares a plant's code).
    func registrations() throws(BenchFailure) -> [RegisterEntity] {
        var commands: [RegisterEntity] = []
        for (index, entity) in sellers.enumerated() { commands.append(try Self.profile(entity, number: index + 1, plant: true)) }
        for (index, entity) in buyers.enumerated() { commands.append(try Self.profile(entity, number: 900_000 + index, plant: false)) }
        return commands
    }

    private static func profile(_ entityId: String, number: Int, plant: Bool) throws(BenchFailure) -> RegisterEntity {
        let units = plant ? [GeneratingUnitSpec(unitId: "U1", category: .coalAbove300MW, capacityMW: 600, cooling: .water)] : []
        return RegisterEntity(EntityProfile(
            entityId: entityId, name: (plant ? "Plant " : "Investor ") + entityId, creditCode: try creditCode(number),
            sector: plant ? .power : .investor, district: "jinjiang", nationalETS: plant, pilotMarket: nil,
            vocEmitter: false, greenBenchmark: false, units: units))
    }

    /// `913501` + the number in eight digits + `000`, completed with its check character.
    static func creditCode(_ number: Int) throws(BenchFailure) -> String {
        let prefix = "913501" + digits(number % 100_000_000, 8) + "000"
        guard let code = CreditCode.completing(prefix) else { throw BenchFailure("saga-bench: no credit code for \(prefix)") }
        return code
    }

    /// `value` in decimal, zero-padded to `width`.
    static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
