import Contract
import Foundation
import Testing

/// The published contract (`asyncapi.yaml`) describes what the code encodes: every sample of
/// every type, encoded as a full record, validates against the document's schema of its type,
/// and the document lists exactly the code's topics and types (`deploy/contract/check_asyncapi.py`).
@Suite("AsyncAPI document")
struct AsyncAPITests {
    @Test("every sample validates against asyncapi.yaml, which lists exactly the code's topics and types")
    func documentDescribesTheCode() throws {
        let sampled = Set((Samples.all + SamplesAdditions.all).map { type(of: $0).eventType })
        let unsampled = PayloadCatalogue.all.eventTypes.filter { !sampled.contains($0) }
        #expect(unsampled.isEmpty, "add a sample of \(unsampled) to SamplesAdditions.all (and the type to asyncapi.yaml)")
        let check = try ContractCheck()
        defer { check.remove() }
        let result = try check.run()
        #expect(result.status == 0,
                "check_asyncapi.py refused \(check.root.path)/asyncapi.yaml or a sample:\n\(result.output)")
        #expect(result.output.contains("ok: "), "\(result.output)")
    }

    @Test("the check refuses a broken record or a document out of step with the code", arguments: Breakage.all)
    func brokenInputIsRefused(_ breakage: Breakage) throws {
        let check = try ContractCheck()
        defer { check.remove() }
        try breakage.apply(check)
        let result = try check.run()
        #expect(result.status == 1, "expected exit 1, got \(result.status):\n\(result.output)")
        #expect(result.output.contains(breakage.expected), "expected '\(breakage.expected)' in:\n\(result.output)")
    }

    @Test("the added samples are records the code accepts")
    func addedSamplesDecode() throws {
        for payload in SamplesAdditions.all {
            try payload.validate()
            let decoded = try EventCodec().decode(ContractCheck.record(payload), catalogue: .all)
            #expect(same(decoded.payload, payload))
        }
        for letter in SamplesAdditions.deadLetters {
            let decoded = try JSONDecoder().decode(DeadLetter.self, from: SamplesAdditions.encode(letter))
            #expect(decoded == letter)
        }
    }
}

/// One way to break the check's input, and the words its report must contain.
struct Breakage: Sendable, CustomStringConvertible {
    let description: String
    let expected: String
    let apply: @Sendable (ContractCheck) throws -> Void

    static let all: [Breakage] = [
        Breakage(description: "a negative quantity", expected: "SubmitOrder: $.data.quantity: -5 is less than the minimum of 1") { check in
            try check.write("SubmitOrder", Wire.edited(Samples.submitOrder) { $0["quantity"] = -5 })
        },
        Breakage(description: "a missing required field", expected: "SubmitOrder: $.data: 'accountId' is a required property") { check in
            try check.write("SubmitOrder", Wire.edited(Samples.submitOrder) { $0["accountId"] = nil })
        },
        Breakage(description: "a price that is not an integer of fen", expected: "SubmitOrder: $.data.price") { check in
            try check.write("SubmitOrder", Wire.edited(Samples.submitOrder) { $0["price"] = 52.5 })
        },
        Breakage(description: "an enumeration value the code does not have", expected: "SubmitOrder: $.data.side") { check in
            try check.write("SubmitOrder", Wire.edited(Samples.submitOrder) { $0["side"] = "short" })
        },
        Breakage(description: "an envelope without occurredAt", expected: "SubmitOrder: $: 'occurredAt' is a required property") { check in
            try check.write("SubmitOrder", Wire.edited(Samples.submitOrder, inData: false) { $0["occurredAt"] = nil })
        },
        Breakage(description: "a timestamp without milliseconds", expected: "SubmitOrder: $.occurredAt") { check in
            try check.write("SubmitOrder", Wire.edited(Samples.submitOrder, inData: false) {
                $0["occurredAt"] = "2026-07-16T01:30:00Z"
            })
        },
        Breakage(description: "a record under another type's name", expected: "SubmitOrder: $.type") { check in
            try check.write("SubmitOrder", ContractCheck.record(Samples.all[1]))
        },
        Breakage(description: "a type the document lacks", expected: "PhantomEvent: $: the code encodes this type") { check in
            try check.write("PhantomEvent", Wire.edited(Samples.submitOrder, inData: false) { $0["type"] = "PhantomEvent" })
        },
        Breakage(description: "a documented type without a sample", expected: "TradeExecuted: $: is in the document but has no sample") { check in
            try check.removeSamples(of: "TradeExecuted")
        },
        Breakage(description: "a type routed to a topic the document does not list it on",
                 expected: "topic market.orders: messages: PhantomCommand travels on it in the code but is not listed") { check in
            try check.editCatalogue { topics in
                topics = topics.map { $0.topic == "market.orders" ? $0.adding(type: "PhantomCommand") : $0 }
            }
        },
        Breakage(description: "a field the code requires left out of the schema's required",
                 expected: "SubmitOrder: $.data.accountId: the code requires this field but the schema does not") { check in
            // SubmitOrder and OrderAccepted share this list.
            try check.editDocument(replacing: "required: [orderId, accountId, instrument, side, method, quantity, price]",
                                   with: "required: [orderId, instrument, side, method, quantity, price]")
        },
        Breakage(description: "an optional field the schema requires",
                 expected: "CommandRejected: $.data.key: the schema requires this field but the code does not") { check in
            try check.editDocument(replacing: "required: [commandId, commandType, code, reason]",
                                   with: "required: [commandId, commandType, code, reason, key]")
        },
        Breakage(description: "a partition count other than the code provisions",
                 expected: "topic settlement.commands: bindings.kafka.partitions: is 6, the code provisions 3") { check in
            try check.editDocument(replacing: "kafka: {topic: settlement.commands, partitions: 3,",
                                   with: "kafka: {topic: settlement.commands, partitions: 6,")
        },
        Breakage(description: "an enumeration value the code does not have, in the document",
                 expected: "AlertIssued: $.data.level: 'yellow' is not one of") { check in
            try check.editDocument(replacing: "enum: [yellow, orange, red]", with: "enum: [amber, orange, red]")
        },
        Breakage(description: "a topic the document lacks", expected: "topic phantom.events: $.channels: is in the code's catalogue but has no channel") { check in
            try check.editCatalogue { topics in
                topics.append(ContractCheck.CatalogueTopic(topic: "phantom.events", types: ["EntityRegistered"], partitions: 3,
                                                           key: "entityId", writers: ["registry"], readers: ["ops"]))
            }
        },
    ]
}

/// A scratch directory holding what `check_asyncapi.py` compares: a copy of asyncapi.yaml, one
/// `<Type>.json` record per sample (`<Type>.<n>.json` for further samples of a type), the
/// catalogue of the code's topics (`catalogue.json`) and the fields the code requires in each
/// sample (`required.json`); and a way to run the check on it.
struct ContractCheck: Sendable {
    let root: URL
    let directory: URL
    var samples: URL { directory.appendingPathComponent("samples", isDirectory: true) }
    var catalogue: URL { directory.appendingPathComponent("catalogue.json") }
    var required: URL { directory.appendingPathComponent("required.json") }
    /// A copy of the repository's asyncapi.yaml, so that a test may break it.
    var document: URL { directory.appendingPathComponent("asyncapi.yaml") }

    /// One topic of the code, as the check reads it.
    struct CatalogueTopic: Codable, Sendable {
        var topic: String
        var types: [String]
        var partitions: Int?
        var key: String?
        var writers: [String]?
        var readers: [String]?

        func adding(type: String) -> CatalogueTopic {
            var copy = self
            copy.types.append(type)
            return copy
        }
    }

    init() throws {
        root = try Self.repositoryRoot()
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("asyncapi-check-\(UUID().uuidString.lowercased())", isDirectory: true)
        try FileManager.default.createDirectory(at: samples, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: root.appendingPathComponent("asyncapi.yaml"), to: document)
        var count: [String: Int] = [:]
        var required: [RequiredKeys] = []
        func add(_ name: String, _ record: Data, missingField: (Data) -> Bool) throws {
            count[name, default: 0] += 1
            let file = count[name] == 1 ? "\(name).json" : "\(name).\(count[name] ?? 0).json"
            try record.write(to: samples.appendingPathComponent(file))
            required += RequiredKeys.probe(file: file, record: record, missingField: missingField)
        }
        for payload in Samples.all + SamplesAdditions.all {
            try add(type(of: payload).eventType.rawValue, Self.record(payload)) { Wire.failure($0)?.error.code == "missing-field" }
        }
        for letter in SamplesAdditions.deadLetters {
            try add(DeadLetter.eventType, SamplesAdditions.encode(letter)) { bytes in
                do {
                    _ = try JSONDecoder().decode(DeadLetter.self, from: bytes)
                    return false
                } catch DecodingError.keyNotFound {
                    return true
                } catch {
                    return false
                }
            }
        }
        try writeCatalogue(Self.codeCatalogue())
        try JSONEncoder().encode(required).write(to: self.required)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The full record value of `payload` under the samples' fixed header, as producers encode it.
    static func record(_ payload: any EventPayload) -> Data {
        func encode<P: EventPayload>(_ data: P) -> Data {
            EventCodec().encode(Envelope(header: Samples.header(for: data), data: data))
        }
        return encode(payload)
    }

    /// The topics of `TopicSpec.catalogue` and `PayloadCatalogue.routes`, with the types each carries.
    static func codeCatalogue() -> [CatalogueTopic] {
        var topics = TopicSpec.catalogue.map { spec in
            let types = spec.topic.isDeadLetter
                ? [DeadLetter.eventType]
                : PayloadCatalogue.catalogue(of: spec.topic).eventTypes.map(\.rawValue)
            return CatalogueTopic(topic: spec.topic.rawValue, types: types, partitions: spec.partitions, key: spec.key,
                                  writers: spec.writers, readers: spec.readers)
        }
        for route in PayloadCatalogue.routes where !topics.contains(where: { $0.topic == route.topic.rawValue }) {
            topics.append(CatalogueTopic(topic: route.topic.rawValue, types: route.types.map { $0.eventType.rawValue }))
        }
        return topics
    }

    func write(_ name: String, _ record: Data) throws {
        try record.write(to: samples.appendingPathComponent("\(name).json"))
    }

    func removeSamples(of name: String) throws {
        for file in try FileManager.default.contentsOfDirectory(atPath: samples.path)
        where file == "\(name).json" || file.hasPrefix("\(name).") {
            try FileManager.default.removeItem(at: samples.appendingPathComponent(file))
        }
    }

    /// Replaces `old` (which must occur) by `new` in the copy of the document.
    func editDocument(replacing old: String, with new: String) throws {
        let text = try String(contentsOf: document, encoding: .utf8)
        guard text.contains(old) else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "asyncapi.yaml has no '\(old)'"])
        }
        try text.replacingOccurrences(of: old, with: new).write(to: document, atomically: true, encoding: .utf8)
    }

    func writeCatalogue(_ topics: [CatalogueTopic]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(["topics": topics]).write(to: catalogue)
    }

    func editCatalogue(_ change: (inout [CatalogueTopic]) -> Void) throws {
        var topics = try JSONDecoder().decode([String: [CatalogueTopic]].self, from: Data(contentsOf: catalogue))["topics"] ?? []
        change(&topics)
        try writeCatalogue(topics)
    }

    /// Runs `check_asyncapi.py` with the project's Python; returns its exit status and output.
    func run() throws -> (status: Int32, output: String) {
        let python = root.appendingPathComponent(".tools/venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            return (-1, "\(python.path) is missing: run deploy/local/tools.sh to install the pinned checker wheels")
        }
        let process = Process()
        process.executableURL = python
        process.arguments = [root.appendingPathComponent("deploy/contract/check_asyncapi.py").path,
                             document.path, samples.path, "--catalogue", catalogue.path, "--required", required.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// The folder holding Package.swift and asyncapi.yaml, above this file (symlinks resolved, so a
    /// scratch package that links the test folder still finds the repository).
    static func repositoryRoot() throws -> URL {
        var folder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            let manager = FileManager.default
            if manager.fileExists(atPath: folder.appendingPathComponent("Package.swift").path),
               manager.fileExists(atPath: folder.appendingPathComponent("asyncapi.yaml").path) {
                return folder
            }
            folder.deleteLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no Package.swift with asyncapi.yaml above \(#filePath)"])
    }
}

/// The keys of one object of a sample record, and those the code requires: removing one makes
/// decoding fail for a missing field. The check compares them with the schema's `required`.
struct RequiredKeys: Encodable {
    /// A step from the record's root: an object key or an array index.
    enum Step: Encodable {
        case key(String)
        case index(Int)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .key(let key): try container.encode(key)
            case .index(let index): try container.encode(index)
            }
        }
    }

    var file: String
    var at: [Step]
    var keys: [String]
    var required: [String]

    /// Every object of `record` (the record itself, `data`, array elements ...), each key removed in turn.
    static func probe(file: String, record: Data, missingField: (Data) -> Bool) -> [RequiredKeys] {
        let root = (try? JSONSerialization.jsonObject(with: record)) ?? [:]
        return objects(in: root, at: []).map { at, object in
            let keys = object.keys.sorted()
            let required = keys.filter { key in
                let edited = removing(key, at: at[...], in: root)
                let bytes = (try? JSONSerialization.data(withJSONObject: edited, options: [.sortedKeys])) ?? Data()
                return missingField(bytes)
            }
            return RequiredKeys(file: file, at: at, keys: keys, required: required)
        }
    }

    private static func objects(in value: Any, at path: [Step]) -> [([Step], [String: Any])] {
        if let object = value as? [String: Any] {
            return [(path, object)] + object.keys.sorted().flatMap { key in
                objects(in: object[key] ?? NSNull(), at: path + [.key(key)])
            }
        }
        if let array = value as? [Any] {
            return array.indices.flatMap { index in objects(in: array[index], at: path + [.index(index)]) }
        }
        return []
    }

    private static func removing(_ key: String, at path: ArraySlice<Step>, in value: Any) -> Any {
        switch path.first {
        case nil:
            var object = value as? [String: Any] ?? [:]
            object[key] = nil
            return object
        case .key(let step)?:
            var object = value as? [String: Any] ?? [:]
            object[step] = removing(key, at: path.dropFirst(), in: object[step] ?? NSNull())
            return object
        case .index(let step)?:
            var array = value as? [Any] ?? []
            array[step] = removing(key, at: path.dropFirst(), in: array[step])
            return array
        }
    }
}
