import Contract
import RegistryDomain

/// A small, fast, seedable generator (SplitMix64) so the demo market is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The demo's market: the power plants of a national ETS and the VOCs enterprises of a city.
struct DemoData {
    static let provinces = ["shanxi", "inner-mongolia", "shandong", "jiangsu", "guangdong", "henan", "hebei", "sichuan",
                            "anhui", "zhejiang", "xinjiang", "hubei", "ningxia", "shaanxi", "yunnan"]
    /// Districts of the city whose ozone plan the demo plays (Chengdu).
    static let cityDistricts = ["jinjiang", "qingyang", "jinniu", "wuhou", "chenghua", "longquanyi", "xindu", "wenjiang",
                                "shuangliu", "pidu"]

    var powerPlants: [EntityProfile] = []
    var cityEnterprises: [EntityProfile] = []
    /// Registrations the registry must refuse (bad credit code, national and pilot at once).
    var refusable: [EntityProfile] = []

    init(powerPlants count: Int, cityEnterprises cityCount: Int, seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let categories: [(Contract.UnitCategory, ClosedRange<Int64>)] = [
            (.coalAbove300MW, 350...1000), (.coal300MWOrBelow, 100...300), (.coalUnconventional, 50...300), (.gas, 100...500)]
        for index in 0..<count {
            let unitCount = Int.random(in: 1...3, using: &random)
            let kind = categories[Int.random(in: 0..<100, using: &random) < 70 ? 0 : Int.random(in: 1...3, using: &random)]
            let units = (1...unitCount).map { unit in
                GeneratingUnitSpec(unitId: "U\(unit)", category: kind.0, capacityMW: Int64.random(in: kind.1, using: &random),
                                   cooling: Int.random(in: 0..<4, using: &random) == 0 ? .air : .water)
            }
            let province = Self.provinces[Int.random(in: 0..<Self.provinces.count, using: &random)]
            powerPlants.append(EntityProfile(
                entityId: String(format: "PWR-%04d", index + 1), name: "\(province.capitalized) Power Plant \(index + 1)",
                creditCode: Self.creditCode(index: index, kind: 1), sector: .power, district: province, nationalETS: true,
                vocEmitter: false, greenBenchmark: false, units: units))
        }
        let sectors: [Contract.Sector] = [.chemicals, .furniture, .printing, .construction, .other]
        for index in 0..<cityCount {
            let sector = sectors[Int.random(in: 0..<sectors.count, using: &random)]
            let district = Self.cityDistricts[index % Self.cityDistricts.count]
            cityEnterprises.append(EntityProfile(
                entityId: String(format: "VOC-%04d", index + 1), name: "\(district.capitalized) \(sector.rawValue) works \(index + 1)",
                creditCode: Self.creditCode(index: index, kind: 2), sector: sector, district: district, nationalETS: false,
                vocEmitter: sector != .other, greenBenchmark: Int.random(in: 0..<10, using: &random) < 2, units: []))
        }
        var badCode = powerPlants.first ?? cityEnterprises[0]
        badCode.entityId = "PWR-BADCODE"
        badCode.creditCode = String(badCode.creditCode.dropLast()) + (badCode.creditCode.hasSuffix("0") ? "1" : "0")
        var pilot = powerPlants.first ?? cityEnterprises[0]
        pilot.entityId = "PWR-PILOT"
        pilot.pilotMarket = "shanghai"
        pilot.creditCode = Self.creditCode(index: 9999, kind: 3)
        refusable = [badCode, pilot]
    }

    /// A valid unified social credit code, distinct per (kind, index).
    static func creditCode(index: Int, kind: Int) -> String {
        let body = String(format: "91%04d%08d%03d", 1000 + kind, index, kind)
        return CreditCode.completing(String(body.prefix(17))) ?? body
    }
}
