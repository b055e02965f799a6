import ArgumentParser

/// `--snapshot-every-entries` of the services that keep a ledger (the registry's holdings,
/// settlement's funds): one rule, default and message for both, which operators set alike.
public enum LedgerSnapshotCadence {
    public static let defaultEntries: Int64 = 1_000_000
    public static let maximumEntries: Int64 = 1_000_000_000_000

    /// The flag's value, else the environment's `variable`, else the default.
    /// - Throws: `ValidationError` for anything but a whole number from 0 to `maximumEntries`.
    public static func entries(flag: Int64?, variable: String, environment: [String: String]) throws -> Int64 {
        let text = flag.map(String.init) ?? environment[variable] ?? String(defaultEntries)
        guard let entries = Int64(text), (0...maximumEntries).contains(entries) else {
            throw ValidationError("--snapshot-every-entries '\(text)' must be a whole number from 0 to \(maximumEntries)")
        }
        return entries
    }
}
