// swift-tools-version:6.1
import PackageDescription

/// The carbon-market and air-alert backend: four services that talk only over Kafka topics,
/// each owning one SQLite file. See DESIGN.md in the shared folder and README.md.
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

/// The service executables and the benchmarks allocate through jemalloc (Debian `libjemalloc-dev`
/// to build, `libjemalloc2` to run): a service's threads (loop, decode and encode helpers,
/// publisher, librdkafka) contended on glibc's malloc arenas, and the runtime moved ~25% more
/// records per second with jemalloc in interleaved runs (BENCHMARKS.md, session 6).
let jemalloc: [LinkerSetting] = [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]

let package = Package(
    name: "eco-market",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "registry", targets: ["registry"]),
        .executable(name: "ecoctl", targets: ["ecoctl"]),
        .executable(name: "matching", targets: ["matching"]),
        .executable(name: "settlement", targets: ["settlement"]),
        .executable(name: "air-alert", targets: ["air-alert"]),
        .executable(name: "matching-bench", targets: ["matching-bench"]),
        .executable(name: "runtime-bench", targets: ["runtime-bench"]),
        .executable(name: "saga-load", targets: ["saga-load"]),
        .library(name: "Contract", targets: ["Contract"]),
        .library(name: "EcoTestKit", targets: ["EcoTestKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // MARK: Shared: the contract, transport, store and runtime every service uses
        .systemLibrary(name: "CRdKafka", path: "Shared/CRdKafka", pkgConfig: "rdkafka",
                       providers: [.apt(["librdkafka-dev"])]),
        .target(name: "Kafka", dependencies: ["CRdKafka"], path: "Shared/Kafka", swiftSettings: strict),
        .target(name: "Contract", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
                path: "Shared/Contract", swiftSettings: strict),
        .target(name: "BinaryCoding", path: "Shared/BinaryCoding", swiftSettings: strict),
        .target(name: "CSQLiteTuning", path: "Shared/CSQLiteTuning", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(name: "Store", dependencies: ["CSQLiteTuning", .product(name: "GRDB", package: "GRDB.swift"),
                                             .product(name: "GRDBSQLite", package: "GRDB.swift")],
                path: "Shared/Store", swiftSettings: strict),
        .target(name: "ServiceRuntime", dependencies: [
            "Kafka", "Contract", "Store",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Shared/Runtime", swiftSettings: strict),
        .target(name: "EcoTestKit", dependencies: ["Kafka", "Contract"],
                path: "Shared/TestKit", swiftSettings: strict),

        // MARK: Registry
        .target(name: "RegistryDomain", dependencies: ["BinaryCoding"], path: "Services/Registry/Domain",
                swiftSettings: strict),
        .target(name: "RegistryService", dependencies: [
            "RegistryDomain", "Contract", "ServiceRuntime", "Store",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
        ], path: "Services/Registry/Service", swiftSettings: strict),
        .executableTarget(name: "registry", dependencies: [
            "RegistryService", "ServiceRuntime", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
                          path: "Services/Registry/Executable", swiftSettings: strict,
                          linkerSettings: jemalloc),

        // MARK: Matching
        .target(name: "MatchingDomain", dependencies: ["BinaryCoding"], path: "Services/Matching/Domain", swiftSettings: strict),
        .target(name: "MatchingService", dependencies: [
            "MatchingDomain", "Contract", "ServiceRuntime", "Store",
            .product(name: "GRDB", package: "GRDB.swift"),
        ], path: "Services/Matching/Service", swiftSettings: strict),
        .executableTarget(name: "matching", dependencies: [
            "MatchingService", "ServiceRuntime", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Services/Matching/Executable", swiftSettings: strict,
                          linkerSettings: jemalloc),
        .executableTarget(name: "matching-bench", dependencies: [
            "MatchingDomain", "BinaryCoding",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ], path: "Services/Matching/Bench", swiftSettings: strict,
                          linkerSettings: jemalloc),

        // MARK: Settlement
        .target(name: "SettlementDomain", dependencies: ["BinaryCoding"], path: "Services/Settlement/Domain",
                swiftSettings: strict),
        .target(name: "SettlementService", dependencies: [
            "SettlementDomain", "Contract", "ServiceRuntime", "Store",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
        ], path: "Services/Settlement/Service", swiftSettings: strict),
        .executableTarget(name: "settlement", dependencies: [
            "SettlementService", "ServiceRuntime", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Services/Settlement/Executable", swiftSettings: strict,
                          linkerSettings: jemalloc),

        // MARK: Air alert
        .target(name: "AirAlertDomain", path: "Services/AirAlert/Domain", swiftSettings: strict),
        .target(name: "AirAlertService", dependencies: [
            "AirAlertDomain", "Contract", "ServiceRuntime", "Store",
            .product(name: "GRDB", package: "GRDB.swift"),
        ], path: "Services/AirAlert/Service", swiftSettings: strict),
        .executableTarget(name: "air-alert", dependencies: [
            "AirAlertService", "ServiceRuntime", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Services/AirAlert/Executable", swiftSettings: strict,
                          linkerSettings: jemalloc),

        // MARK: Ops CLI
        .executableTarget(name: "ecoctl", dependencies: [
            "Contract", "Kafka", "EcoTestKit", "RegistryDomain", "Store",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ], path: "Services/Ops", swiftSettings: strict),

        // MARK: Benchmarks
        .executableTarget(name: "runtime-bench", dependencies: [
            "Kafka", "Contract", "Store", "ServiceRuntime", "EcoTestKit",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ], path: "Benchmarks/RuntimeBench", swiftSettings: strict,
                          linkerSettings: jemalloc),
        // The order-saga benchmark's load generator (deploy/bench/saga-bench.sh): Kafka and the
        // contract's envelopes, the registry's credit-code check, the test kit's admin-port GET.
        .executableTarget(name: "saga-load", dependencies: [
            "Kafka", "Contract", "RegistryDomain", "EcoTestKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ], path: "Benchmarks/SagaLoad", swiftSettings: strict,
                          linkerSettings: jemalloc),

        // MARK: Tests
        .testTarget(name: "ContractTests", dependencies: ["Contract"], swiftSettings: strict),
        .testTarget(name: "BinaryCodingTests", dependencies: ["BinaryCoding"], swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["Store", "ServiceRuntime", "Contract",
                                                       .product(name: "GRDB", package: "GRDB.swift"),
                                                       .product(name: "GRDBSQLite", package: "GRDB.swift")],
                    swiftSettings: strict),
        .testTarget(name: "RuntimeTests", dependencies: [
            "ServiceRuntime", "Store", "Contract", "Kafka", .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka", "EcoTestKit"], swiftSettings: strict),
        .testTarget(name: "RegistryDomainTests", dependencies: ["RegistryDomain"], swiftSettings: strict),
        .testTarget(name: "RegistryIntegrationTests", dependencies: [
            "EcoTestKit", "Contract", "RegistryDomain", "registry",
            .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: strict),
        .testTarget(name: "OpsIntegrationTests", dependencies: [
            "EcoTestKit", "Contract", "Kafka", "RegistryDomain", "ecoctl", "registry", "matching", "settlement", "air-alert",
        ], swiftSettings: strict),
        .testTarget(name: "DeployTests", dependencies: ["Contract"], swiftSettings: strict),
        .testTarget(name: "MatchingDomainTests", dependencies: ["MatchingDomain", "BinaryCoding"], swiftSettings: strict),
        .testTarget(name: "RegistryServiceTests", dependencies: [
            "RegistryService", "RegistryDomain", "ServiceRuntime", "Store", "Contract", "Kafka", "EcoTestKit",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "MatchingServiceTests", dependencies: [
            "MatchingService", "MatchingDomain", "ServiceRuntime", "Store", "Contract", "Kafka",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "MatchingIntegrationTests", dependencies: [
            "EcoTestKit", "Contract", "RegistryDomain", "matching",
            .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: strict),
        .testTarget(name: "SettlementDomainTests", dependencies: ["SettlementDomain", "BinaryCoding"], swiftSettings: strict),
        .testTarget(name: "SettlementServiceTests", dependencies: [
            "SettlementService", "SettlementDomain", "ServiceRuntime", "Store", "Contract", "Kafka", "EcoTestKit",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "SettlementIntegrationTests", dependencies: [
            "EcoTestKit", "Contract", "RegistryDomain", "registry", "matching", "settlement",
            .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: strict),
        .testTarget(name: "AirAlertServiceTests", dependencies: [
            "AirAlertService", "AirAlertDomain", "ServiceRuntime", "Store", "Contract", "Kafka",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "AirAlertIntegrationTests", dependencies: [
            "EcoTestKit", "Contract", "RegistryDomain", "air-alert", "registry",
            .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: strict),
        .testTarget(name: "AirAlertDomainTests", dependencies: ["AirAlertDomain"], swiftSettings: strict),
        .testTarget(name: "ReliabilityTests", dependencies: [
            "EcoTestKit", "Contract", "RegistryDomain", "registry", "matching", "settlement", "air-alert",
        ], swiftSettings: strict),
    ]
)
