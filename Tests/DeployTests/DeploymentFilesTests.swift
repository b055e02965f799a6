import Contract
import Foundation
import Testing

/// No Docker engine or cluster runs here, so the compose file and Kubernetes manifests are parsed
/// and checked against the code: services, admin ports, probes, volumes, the topic job.
@Suite("Deployment files")
struct DeploymentFilesTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    /// The admin ports the services default to (ServiceMain's `defaultAdminPort` per executable).
    static let services = ["registry": 8081, "matching": 8082, "settlement": 8083, "air-alert": 8084]

    func check(root: URL) throws -> (status: Int32, output: String) {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let products = manifest.components(separatedBy: ".executable(name: \"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
        let expected = try JSONSerialization.data(withJSONObject: [
            "services": Self.services, "products": products, "topics": TopicSpec.catalogue.map(\.topic.rawValue),
        ])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("deploy-expected-\(UUID()).json")
        try expected.write(to: file)
        let process = Process()
        process.executableURL = Self.root.appendingPathComponent(".tools/venv/bin/python")
        process.arguments = [Self.root.appendingPathComponent("deploy/check/check_deploy.py").path, root.path, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test func composeAndManifestsNameOnlyWhatTheCodeHas() throws {
        let result = try check(root: Self.root)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func everyServiceExecutableDefaultsToTheCheckedAdminPort() throws {
        for (name, port) in Self.services {
            let folder = name == "air-alert" ? "AirAlert" : name.prefix(1).uppercased() + name.dropFirst()
            let directory = Self.root.appendingPathComponent("Services/\(folder)/Executable")
            let sources = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }.joined()
            #expect(sources.contains("defaultAdminPort: \(port)"), "\(name) should default to admin port \(port)")
        }
    }

    @Test func aComposeFileThatProbesTheWrongPortIsCaught() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("deploy-copy-\(UUID())")
        try FileManager.default.createDirectory(at: copy.appendingPathComponent("deploy"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("deploy/k8s"), to: copy.appendingPathComponent("deploy/k8s"))
        let compose = try String(contentsOf: Self.root.appendingPathComponent("docker-compose.yml"), encoding: .utf8)
        try compose.replacingOccurrences(of: "http://127.0.0.1:8083/healthz", with: "http://127.0.0.1:9999/healthz")
            .write(to: copy.appendingPathComponent("docker-compose.yml"), atomically: true, encoding: .utf8)
        let result = try check(root: copy)
        #expect(result.status == 1)
        #expect(result.output.contains("settlement healthcheck does not probe :8083/healthz"))
    }
}
