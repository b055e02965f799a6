import Foundation

enum ProcessInfoEnvironment {
    static func value(_ name: String) -> String? {
        let value = ProcessInfo.processInfo.environment[name]
        return value?.isEmpty == false ? value : nil
    }
}

/// A failure while running a valid command (a refusal, an unreachable topic): ArgumentParser
/// prints it as `Error: ...` without the usage text that argument mistakes get.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
