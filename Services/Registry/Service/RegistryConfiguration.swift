import Foundation
import RegistryDomain

/// The registry's rules, all configuration (RULES.md): allocation benchmarks and factors,
/// which year's output a pre-allocation is based on, compliance percentages, registration.
public struct RegistryConfiguration: Sendable {
    public var allocationRules: AllocationRules
    /// A pre-allocation for year Y uses the output of year Y - `referenceYearLag` ...
    public var referenceYearLag: Int
    /// ... unless this table names Y's reference year (the 2019-2020 plan based both years'
    /// pre-allocation on 2018, for example: `{"2019": 2018, "2020": 2018}`).
    public var referenceYears: [Int: Int]
    public var complianceRules: ComplianceRules
    public var registrationPolicy: RegistrationPolicy
    /// Besides each new trading day, the holdings ledger snapshot is stored at the end of the
    /// first batch that takes the journal this many entries past the stored one, so that a
    /// restart never replays more than about this many entries; 0 for at day starts only.
    public var snapshotEveryEntries: Int

    public init(allocationRules: AllocationRules = .plan2019To2020, referenceYearLag: Int = 1,
                referenceYears: [Int: Int] = [:], complianceRules: ComplianceRules = .firstCycle,
                registrationPolicy: RegistrationPolicy = RegistrationPolicy(), snapshotEveryEntries: Int = 1_000_000) {
        self.allocationRules = allocationRules
        self.referenceYearLag = referenceYearLag
        self.referenceYears = referenceYears
        self.complianceRules = complianceRules
        self.registrationPolicy = registrationPolicy
        self.snapshotEveryEntries = max(0, snapshotEveryEntries)
    }

    /// The year whose output a pre-allocation for `year` uses.
    public func referenceYear(forPreAllocationOf year: Int) -> Int {
        referenceYears[year] ?? year - referenceYearLag
    }

    /// Reads an allocation rules document (`deploy/rules/allocation-2019-2020.json` is the
    /// shipped one). Besides the fields of `AllocationRules` it may carry
    /// `"preAllocationReferenceYearLag": 1` and `"preAllocationReferenceYears": {"2020": 2018}`.
    /// - Throws: `ConfigurationError` naming the file and every problem.
    public mutating func loadAllocationRules(from url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ConfigurationError("cannot read allocation rules \(url.path): \(error.localizedDescription)")
        }
        do {
            allocationRules = try AllocationRules.load(from: data)
        } catch {
            throw ConfigurationError("allocation rules \(url.path): \(error.reason)")
        }
        let extras: ReferenceYearRules
        do {
            extras = try JSONDecoder().decode(ReferenceYearRules.self, from: data)
        } catch {
            throw ConfigurationError("allocation rules \(url.path): reference years do not decode: \(error)")
        }
        if let lag = extras.preAllocationReferenceYearLag {
            guard (0...10).contains(lag) else {
                throw ConfigurationError("allocation rules \(url.path): preAllocationReferenceYearLag must be 0...10, got \(lag)")
            }
            referenceYearLag = lag
        }
        var years: [Int: Int] = [:]
        for (key, reference) in extras.preAllocationReferenceYears ?? [:] {
            guard let year = Int(key), reference <= year else {
                throw ConfigurationError("allocation rules \(url.path): preAllocationReferenceYears maps '\(key)' to \(reference); "
                    + "keys are years and a reference year may not follow the year it serves")
            }
            years[year] = reference
        }
        referenceYears = years
    }

    /// Reads compliance rules (JSON of `ComplianceRules`: `offsetCapBasisPoints`,
    /// `shortfallCapBasisPoints`, `version`, optional `surrenderDeadline`).
    /// - Throws: `ConfigurationError` naming the file and every problem.
    public mutating func loadComplianceRules(from url: URL) throws {
        do {
            let rules = try JSONDecoder().decode(ComplianceRules.self, from: Data(contentsOf: url))
            guard rules.problems.isEmpty else {
                throw ConfigurationError("compliance rules \(url.path): \(rules.problems.joined(separator: "; "))")
            }
            complianceRules = rules
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError("cannot read compliance rules \(url.path): \(error)")
        }
    }
}

/// The optional reference-year fields of an allocation rules document.
private struct ReferenceYearRules: Decodable {
    var preAllocationReferenceYearLag: Int?
    var preAllocationReferenceYears: [String: Int]?
}

/// A rules file that cannot be used: the service refuses to start with it.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
