import AirAlertDomain
@testable import AirAlertService
import Contract
import Foundation
import Logging
@testable import ServiceRuntime
import Store
import Testing

/// Published ids, configuration files and the offline tools.
@Suite("Ids and configuration")
struct ConfigurationAndIdTests {
    /// `deploy/rules/` beside this package (found from this file's path).
    static let rulesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("deploy/rules")

    /// Air-alert is off the order path: its consumer parks fetches longer (fewer of them on a
    /// broker the saga shares), and an operator's `--kafka-property` still overrides it.
    @Test func theConsumerWaitsLongerForFetchesThanTheOrderPath() throws {
        let handler = AirAlertHandler()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("air-\(UUID().uuidString).sqlite").path
        let store = try EventStore(path: path, migrations: handler.migrate)
        let plain = ServiceLoop(handler: handler, store: store, options: RuntimeOptions(brokers: "127.0.0.1:1"),
                                logger: Logger(label: "test"))
        #expect(plain.consumerConfiguration["fetch.wait.max.ms"] == "200")
        var options = RuntimeOptions(brokers: "127.0.0.1:1")
        options.kafkaProperties = ["fetch.wait.max.ms": "20"]
        let overridden = ServiceLoop(handler: handler, store: store, options: options, logger: Logger(label: "test"))
        #expect(overridden.consumerConfiguration["fetch.wait.max.ms"] == "20")
    }

    @Test func ascIIDistrictIdsArePublishedAsTheDomainNamesThem() {
        #expect(WireID.alert("wuhou-3") == "wuhou-3")
        #expect(WireID.directive("wuhou-3/orange/E-1", alertId: "wuhou-3") == "wuhou-3:orange:E-1")
    }

    @Test func otherIdsBecomeStableNameBasedIdsTheContractAccepts() throws {
        let alert = WireID.alert("锦江区-1")
        #expect(alert == WireID.alert("锦江区-1"))
        #expect(alert != WireID.alert("锦江区-2"))
        try Check.identifier(alert, "alertId")
        let long = String(repeating: "E", count: 64)
        let directive = WireID.directive("wuhou-3/orange/\(long)", alertId: "wuhou-3")
        try Check.identifier(directive, "directiveId")
        #expect(directive.hasPrefix("directive-"))
        let chinese = WireID.directive("锦江区-1/red/E-1", alertId: "锦江区-1")
        #expect(chinese == "\(alert):red:E-1")
    }

    @Test func reasonsAreClippedToTheContractsLimitAtACharacterBoundary() {
        let long = String(repeating: "臭氧", count: 400)
        let clipped = long.clipped()
        #expect(clipped.utf8.count <= Check.maxReasonLength)
        #expect(clipped.hasSuffix("..."))
        #expect("short".clipped() == "short")
    }

    @Test func theDeployedMeasureTableIsTheDefault() throws {
        let url = Self.rulesDirectory.appendingPathComponent("air-measures.json")
        let loaded = try AirAlertConfiguration.load(rulesPath: nil, measuresPath: url.path)
        #expect(loaded.measures == MeasureTable.defaults)
    }

    @Test func theDeployedRulesAreTheDefaults() throws {
        let url = Self.rulesDirectory.appendingPathComponent("air-rules.json")
        let loaded = try AirAlertConfiguration.load(rulesPath: url.path, measuresPath: nil)
        #expect(loaded.rules == AirAlertRules())
    }

    @Test func aMeasureTableADirectiveCouldNotCarryIsRefused() {
        var table = MeasureTable.defaults
        table.red.vocEmitters.standard = (1...40).map { "measure \($0)" }
        #expect(throws: ConfigurationError.self) { try AirAlertConfiguration(measures: table).validate() }
        table = .defaults
        table.yellow.constructionSites.standard = [""]
        #expect(throws: ConfigurationError.self) { try AirAlertConfiguration(measures: table).validate() }
    }

    @Test func anObservationRetentionWithinAMonthOfTheDeduplicationWindowIsRefused() throws {
        // The default window is 7 days: a kept hour must outlive it by 30 days.
        for days in [0, 7, 36] {
            #expect(throws: ConfigurationError.self) { try AirAlertConfiguration(observationRetentionDays: days).validate() }
        }
        try AirAlertConfiguration(observationRetentionDays: 37).validate()
        var rules = AirAlertRules()
        rules.observations.dedupWindowSeconds = 30 * 86_400 + 1 // a part day counts as a whole one
        #expect(throws: ConfigurationError.self) {
            try AirAlertConfiguration(rules: rules, observationRetentionDays: 60).validate()
        }
        try AirAlertConfiguration(rules: rules, observationRetentionDays: 61).validate()
    }

    @Test func aConfigurationFileThatIsNotJSONIsRefusedWithItsPath() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID()).json").path
        try Data("{\"yellow\": 1}".utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try AirAlertConfiguration.load(rulesPath: nil, measuresPath: path)
            Issue.record("a malformed measure table was accepted")
        } catch let error as ConfigurationError {
            #expect(error.description.contains(path))
            #expect(error.description.contains("yellow"))
        }
    }

    @Test func theIndexToolRendersTheDomainsReport() throws {
        let report = try AirAlertTools.indexReport(o3OneHour: 180, o3EightHour: 220, standardId: nil)
        #expect(report.contains("O3 8-hour  220 ug/m3 -> IAQI 155"))
        #expect(throws: ConfigurationError.self) {
            try AirAlertTools.indexReport(o3OneHour: -1, o3EightHour: 0, standardId: nil)
        }
        #expect(throws: ConfigurationError.self) {
            try AirAlertTools.indexReport(o3OneHour: 1, o3EightHour: 0, standardId: "hj633-1999")
        }
    }
}
