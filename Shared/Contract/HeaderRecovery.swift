import Foundation

extension EventDecoder {
    /// Foundation refuses a document holding a number it cannot represent (`1e400`,
    /// `99999999999999999999`) before it reads any field, so such a refusal had no header: the
    /// record was dead-lettered but its sender got no `CommandRejected`. The document is valid
    /// JSON (it passed `StrictJSON`), so read the header from FastJSON's tree instead and name
    /// the number that was out of range.
    func recoveringHeader(_ failure: DecodeFailure, from bytes: Data) -> DecodeFailure {
        guard failure.header == nil, failure.error.code == "malformed-json",
              let root = bytes.withUnsafeBytes({ FastJSON.parse($0) }), let header = Self.header(of: root) else { return failure }
        let reason = Self.outOfRangeNumber(in: root, path: "").map { "\($0.path): the number \($0.text.prefix(40)) is out of range" }
            ?? failure.error.reason
        return DecodeFailure(ContractError(code: "invalid-field", reason: reason), header: header)
    }

    /// The first number (depth first) that no Swift integer or finite `Double` can hold.
    static func outOfRangeNumber(in node: FJNode, path: String) -> (path: String, text: String)? {
        switch node {
        case .number(let text):
            // FastJSON keeps as text the integers Int64 cannot hold (and "-0", which is zero).
            let integral = !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
            guard let value = Double(text), value.isFinite, !integral || value == 0 else { return (path.isEmpty ? "record" : path, text) }
            return nil
        case .object(let entries):
            for entry in entries {
                if let found = outOfRangeNumber(in: entry.value, path: path.isEmpty ? entry.key : "\(path).\(entry.key)") { return found }
            }
            return nil
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = outOfRangeNumber(in: item, path: "\(path)[\(index)]") { return found }
            }
            return nil
        default:
            return nil
        }
    }
}
