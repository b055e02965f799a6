import Contract
import Foundation
import RegistryDomain

/// The contract and the registry domain both name `Instrument`, `UnitCategory`, `Cooling`,
/// `Sector`, `AllocationPhase`, `UnitAllocation` and `ComplianceStatus`: the wire types and the
/// domain's own. These aliases and conversions are the one place where the two meet.
typealias LedgerInstrument = RegistryDomain.Instrument
typealias WireInstrument = Contract.Instrument

extension EntityProfile {
    /// The registry domain's view of the contract's profile.
    var domainEntity: Entity {
        Entity(entityId: entityId, name: name, creditCode: creditCode,
               sector: RegistryDomain.Sector(rawValue: sector.rawValue) ?? .other, district: district,
               nationalETS: nationalETS, pilotMarket: pilotMarket, vocEmitter: vocEmitter, greenBenchmark: greenBenchmark,
               units: units.map { unit in
                   GeneratingUnit(unitId: unit.unitId,
                                  category: RegistryDomain.UnitCategory(rawValue: unit.category.rawValue) ?? .gas,
                                  capacityMW: Int(unit.capacityMW),
                                  cooling: RegistryDomain.Cooling(rawValue: unit.cooling.rawValue) ?? .water)
               })
    }
}

extension Contract.Instrument {
    var ledger: LedgerInstrument { LedgerInstrument(rawValue: rawValue) }
}

extension RegistryDomain.Instrument {
    var wire: WireInstrument { WireInstrument(rawValue: rawValue) }
}

extension Contract.AllocationPhase {
    var domain: RegistryDomain.AllocationPhase { self == .pre ? .pre : .final }
}

extension CivilDate {
    /// The domain's calendar day; nil outside the years it accepts (1000-9999).
    var calendarDay: CalendarDay? { CalendarDay(year: Int(year), month: Int(month), day: Int(day)) }
}

extension RegistryRefusal {
    /// The refusal as the runtime's error: it becomes a `CommandRejected` with this code and reason.
    var contractError: ContractError { ContractError(code: code, reason: reason) }
}

extension Decimal {
    /// Rounded half up to whole units (the values here are never negative).
    var roundedToWhole: Decimal {
        var input = self
        var output = Decimal()
        NSDecimalRound(&output, &input, 0, .plain)
        return output
    }

    /// The value rounded half up to a whole `Int64`; nil when it does not fit.
    var wholeInt64: Int64? { Int64(roundedToWhole.description) }

    /// An exact decimal from a binary number read off the wire: through Swift's shortest
    /// round-trip text (`0.82`), never through the binary value's long expansion.
    init?(exactly value: Double) {
        guard value.isFinite, let decimal = Decimal(string: "\(value)", locale: Locale(identifier: "en_US_POSIX")) else {
            return nil
        }
        self = decimal
    }
}

/// The registry's own refusal codes (the domain's are in `RefusalCode`).
enum ServiceRefusal {
    static let entityExists = "entity-exists"
    static let unknownEntity = "unknown-entity"
    static let entityDeregistered = "entity-deregistered"
    static let entitySuspended = "entity-suspended"
    static let notNationalETS = "not-national-ets"
    static let noUnits = "no-units"
    static let outputAlreadyAllocated = "output-already-allocated"
    static let alreadyAllocated = "already-allocated"
    static let finalAlreadyAllocated = "final-already-allocated"
    static let noEntities = "no-entities"
    static let wrongTopic = "wrong-topic"
    static let unsupportedCommand = "unsupported-command"
    static let invalidTradingDay = "invalid-trading-day"
}
