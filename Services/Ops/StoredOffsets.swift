import ArgumentParser
import Contract
import Foundation
import GRDB
import Kafka
import Store

/// The offsets a service keeps in its SQLite file (DESIGN.md section 3: the next record to
/// read per partition, committed with the state it produced), compared with the broker's logs,
/// and moved by an operator.
///
/// A service whose broker lost records it had applied reports an offset fault and stays not
/// ready (`/readyz`): every new record below its stored offset would look applied. Which records
/// were lost is unknowable to the service, so an operator decides; the usual answer is to read
/// each such partition again from its log start (`set --lost-logs`): whatever the broker still
/// holds of what the service applied comes back as copies the inbox drops by id, and the rest
/// is applied.
struct StoredOffsets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offsets", abstract: "Show a service's stored offsets against the broker's logs, or move them.",
        subcommands: [Show.self, Move.self])

    struct StoreOption: ParsableArguments {
        @Option(help: "The service's SQLite file (its --db).") var db: String
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One line per stored partition: stored offset, the broker's log start and end, and what that means.",
            discussion: "Exits 1 when a log is behind the store (an offset fault) or the broker did not answer.")
        @OptionGroup var store: StoreOption
        @OptionGroup var broker: BrokerOptions

        func run() throws {
            let file = try OffsetFile(path: store.db)
            let stored = try file.load()
            if stored.isEmpty {
                print("\(store.db) stores no offsets yet")
                return
            }
            let logs = LogWatermarks(brokers: broker.resolved)
            defer { logs.close() }
            var rows: [[String]] = [["partition", "stored", "log start", "log end", "state"]]
            var troubled = false
            for (partition, offset) in stored.sorted(by: { $0.key < $1.key }) {
                switch logs.of(partition) {
                case .success(let marks):
                    let state = OffsetState(stored: offset, log: marks)
                    if case .logBehindStore = state { troubled = true }
                    rows.append([partition.description, String(offset), String(marks.low), String(marks.high), state.description])
                case .failure(let failure):
                    troubled = true
                    rows.append([partition.description, String(offset), "-", "-", failure.description])
                }
            }
            print(Table(rows).render())
            let moves = try file.recentMoves()
            if !moves.isEmpty {
                print("\noffset moves, by operators or by the service itself (newest first):")
                var moved: [[String]] = [["when (UTC)", "partition", "from", "to", "by", "reason"]]
                for move in moves {
                    moved.append([Timestamp(millisecondsSinceEpoch: move.movedAt).description, move.partition.description,
                                  move.from.map(String.init) ?? "none", String(move.to), move.movedBy, move.reason ?? "-"])
                }
                print(Table(moved).render())
            }
            if troubled { throw ExitCode(1) }
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Move stored offsets; prints the change, and writes it only with --yes, with the service stopped.",
            discussion: """
                The service keeps its offsets in memory while it runs and would write its own over \
                these at its next batch: stop it first (set refuses while a process has the file \
                open), then start it again after the change. A partition the store does not have, \
                or an offset outside the broker's log, is refused unless --force.
                """)
        @OptionGroup var store: StoreOption
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The topic of the partition to move.") var topic: String?
        @Option(help: "The partition to move.") var partition: Int32?
        @Option(help: "The next offset to read.") var offset: Int64?
        @Flag(help: "Move the partition to its log start (the oldest record the broker holds).") var logStart = false
        @Flag(help: "Move the partition to its log end (skip everything the broker holds now).") var logEnd = false
        @Flag(help: "Move every stored partition whose log ends below its stored offset to its log start.")
        var lostLogs = false
        @Option(help: "Why the offsets move, kept with the change in the store's offset_moves table.") var reason: String?
        @Flag(help: "Write the change (without it, only print it).") var yes = false
        @Flag(help: "Skip the checks: a partition the store lacks, an offset outside the log, an unreachable broker, the file open elsewhere.")
        var force = false

        func validate() throws {
            let targets = [offset != nil, logStart, logEnd].filter { $0 }.count
            if lostLogs {
                guard topic == nil, partition == nil, targets == 0 else {
                    throw ValidationError("--lost-logs moves every partition whose log was lost: give no --topic, --partition or target")
                }
                return
            }
            guard topic != nil, partition != nil else {
                throw ValidationError("give --topic and --partition (or --lost-logs)")
            }
            guard targets == 1 else { throw ValidationError("give exactly one of --offset, --log-start or --log-end") }
            if let offset, offset < 0 { throw ValidationError("--offset must be 0 or more") }
            if let partition, partition < 0 { throw ValidationError("--partition must be 0 or more") }
        }

        func run() throws {
            let file = try OffsetFile(path: store.db)
            let stored = try file.load()
            let logs = LogWatermarks(brokers: broker.resolved)
            defer { logs.close() }
            let moves = try plan(stored: stored, logs: logs)
            if moves.isEmpty {
                print("nothing to move: every stored partition's log reaches its stored offset")
                return
            }
            for move in moves {
                let after = move.log.map { " (\(OffsetState(stored: move.to, log: $0)))" } ?? ""
                print("\(move.partition): \(move.from.map(String.init) ?? "none") -> \(move.to)\(after)")
            }
            guard yes else {
                print("nothing written: stop the service, then run this again with --yes")
                return
            }
            if !force, let holder = OpenFileHolders.of(store.db).first {
                throw CommandFailure("process \(holder.pid) (\(holder.command)) has \(store.db) open: stop the service first "
                    + "(it would write its own offsets over these), or give --force")
            }
            try file.write(moves, by: OperatorName.current(), reason: reason)
            print("written to \(store.db), with who moved them and why (offsets show lists it); start the service again")
        }

        private func plan(stored: [TopicPartition: Int64], logs: LogWatermarks) throws -> [OffsetMove] {
            if lostLogs {
                var moves: [OffsetMove] = []
                var unanswered: [String] = []
                for (partition, offset) in stored.sorted(by: { $0.key < $1.key }) {
                    switch logs.of(partition) {
                    case .success(let marks):
                        guard case .logBehindStore = OffsetState(stored: offset, log: marks) else { continue }
                        moves.append(OffsetMove(partition: partition, from: offset, to: marks.low, log: marks))
                    case .failure(let failure):
                        unanswered.append("\(partition): \(failure)")
                    }
                }
                guard unanswered.isEmpty || force else {
                    throw CommandFailure("not every partition could be checked, so nothing was planned (--force moves the "
                        + "ones that could):\n  " + unanswered.joined(separator: "\n  "))
                }
                return moves
            }
            guard let topic, let partition else { return [] }
            let target = TopicPartition(topic: topic, partition: partition)
            if stored[target] == nil && !force {
                let known = stored.keys.sorted().map(\.description).joined(separator: ", ")
                throw CommandFailure("\(store.db) stores no offset for \(target) (it has: \(known.isEmpty ? "none" : known)); "
                    + "--force adds it")
            }
            let marks: Watermarks?
            switch logs.of(target) {
            case .success(let answer): marks = answer
            case .failure(let failure):
                guard force, offset != nil else { throw CommandFailure("\(target): \(failure); --force with --offset moves it unchecked") }
                marks = nil
            }
            let to: Int64
            if let offset {
                if let marks, !(marks.low...marks.high).contains(offset), !force {
                    throw CommandFailure("\(target): offset \(offset) is outside the broker's log (\(marks.low)-\(marks.high)); "
                        + "--force moves it there anyway")
                }
                to = offset
            } else {
                guard let marks else { return [] }
                to = logStart ? marks.low : marks.high
            }
            return [OffsetMove(partition: target, from: stored[target], to: to, log: marks)]
        }
    }
}

/// Where a stored offset stands against its partition's log.
enum OffsetState: Equatable, CustomStringConvertible {
    case caughtUp
    case behind(records: Int64)
    /// The log ends below the stored offset: records the service applied are gone from the broker.
    case logBehindStore(missing: Int64)
    /// The broker no longer holds the next record (retention deleted it before it was read).
    case belowLogStart(skipped: Int64)

    init(stored: Int64, log: Watermarks) {
        if log.high < stored {
            self = .logBehindStore(missing: stored - log.high)
        } else if stored < log.low {
            self = .belowLogStart(skipped: log.low - stored)
        } else if stored == log.high {
            self = .caughtUp
        } else {
            self = .behind(records: log.high - stored)
        }
    }

    var description: String {
        switch self {
        case .caughtUp: "caught up"
        case .behind(let records): "\(records) records to read"
        case .logBehindStore(let missing):
            "LOG BEHIND STORE by \(missing): the broker lost records this service applied (set --lost-logs)"
        case .belowLogStart(let skipped): "\(skipped) records deleted by the broker before they were read"
        }
    }
}

/// One partition's stored offset, before and after, and its log when the broker answered.
struct OffsetMove: Equatable {
    var partition: TopicPartition
    var from: Int64?
    var to: Int64
    var log: Watermarks?
}

/// A service's SQLite file, opened for its `offsets` table only: never migrated or created here.
struct OffsetFile {
    let queue: DatabaseQueue

    init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw CommandFailure("no file at \(path)") }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            let isServiceStore = try queue.read { try $0.tableExists("offsets") && $0.tableExists("inbox") }
            guard isServiceStore else { throw CommandFailure("\(path) is not a service's store (it has no offsets table)") }
        } catch let error as DatabaseError {
            throw CommandFailure("cannot open \(path): \(error.message ?? error.description)")
        }
    }

    func load() throws -> [TopicPartition: Int64] {
        try queue.read(Offsets.load)
    }

    /// Writes every move in one transaction, as the service stores its offsets, each with a row
    /// in `offset_moves` saying who moved it and why.
    func write(_ moves: [OffsetMove], by movedBy: String, reason: String?) throws {
        let now = Timestamp.now().millisecondsSinceEpoch
        try queue.write { db in
            try OffsetMoves.createTable(db)
            for move in moves {
                try Offsets.store(db, move.partition, next: move.to)
                try OffsetMoves.record(db, OffsetMoves.Move(movedAt: now, partition: move.partition, from: move.from,
                                                            to: move.to, movedBy: movedBy, reason: reason))
            }
        }
    }

    func recentMoves() throws -> [OffsetMoves.Move] {
        try queue.read { try OffsetMoves.recent($0) }
    }
}

/// Who runs `ecoctl`, as the offset audit records it: `ECO_OPERATOR` when set (a name the
/// team recognises), else the login name, with the host.
enum OperatorName {
    static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let name = environment["ECO_OPERATOR"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
        return "\(name)@\(ProcessInfo.processInfo.hostName)"
    }
}

/// The processes on this machine that have a file open (Linux `/proc/<pid>/fd`), so that
/// `offsets set` does not write under a running service. Processes in other containers sharing
/// the volume are not seen.
enum OpenFileHolders {
    struct Holder {
        var pid: Int32
        var command: String
    }

    static func of(_ path: String) -> [Holder] {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let own = ProcessInfo.processInfo.processIdentifier
        let files = FileManager.default
        guard let entries = try? files.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> Holder? in
            guard let pid = Int32(entry), pid != own,
                  let descriptors = try? files.contentsOfDirectory(atPath: "/proc/\(entry)/fd") else { return nil }
            let holds = descriptors.contains { descriptor in
                (try? files.destinationOfSymbolicLink(atPath: "/proc/\(entry)/fd/\(descriptor)")) == target
            }
            guard holds else { return nil }
            let command = (try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            return Holder(pid: pid, command: command)
        }
    }
}

/// Why the broker gave no watermarks for a partition.
enum WatermarkFailure: Error, CustomStringConvertible {
    /// The broker answered, and the answer was an error (an unknown topic or partition, say).
    case refused(KafkaError)
    /// No answer: the broker is down or unreachable.
    case unreachable(KafkaError)
    /// Not asked: the broker did not answer an earlier partition.
    case notAsked

    var description: String {
        switch self {
        case .refused(let error): "the broker refused: \(error.message)"
        case .unreachable(let error): "broker did not answer: \(error.message)"
        case .notAsked: "not asked: the broker did not answer above"
        }
    }
}

/// The broker's log start and end per partition, asked once each. Once the broker failed to
/// answer, the other partitions are not asked (each would wait out the same timeout); an error
/// the broker did answer with belongs to its partition alone.
final class LogWatermarks {
    private let consumer: Result<KafkaConsumer, KafkaError>
    private var unreachable = false

    /// librdkafka's codes for a request that got no answer (`__TRANSPORT`, `__ALL_BROKERS_DOWN`,
    /// `__TIMED_OUT`).
    private static let noAnswer: Set<Int32> = [-195, -187, -185]

    init(brokers: String) {
        consumer = Result { () throws(KafkaError) -> KafkaConsumer in
            // librdkafka's own connection log would bury the table when the broker is down; the
            // failure is reported on each line instead.
            try KafkaConsumer(configuration: KafkaConfiguration(brokers: brokers, clientID: "ecoctl-offsets",
                                                                properties: ["log_level": "0"]),
                              groupID: "ecoctl-offsets")
        }
    }

    func of(_ partition: TopicPartition) -> Result<Watermarks, WatermarkFailure> {
        if unreachable { return .failure(.notAsked) }
        let consumer: KafkaConsumer
        switch self.consumer {
        case .success(let made): consumer = made
        case .failure(let error): return .failure(.unreachable(error))
        }
        do {
            return .success(try consumer.queryWatermarks(topic: partition.topic, partition: partition.partition, timeoutMs: 5000))
        } catch {
            guard Self.noAnswer.contains(error.code) else { return .failure(.refused(error)) }
            unreachable = true
            return .failure(.unreachable(error))
        }
    }

    func close() {
        if case .success(let consumer) = consumer { consumer.close() }
    }
}
