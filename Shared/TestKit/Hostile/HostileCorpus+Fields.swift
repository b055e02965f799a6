import Contract
import Foundation

/// Readable envelopes whose content is wrong: a field of the wrong type, a number no field can
/// hold, a zero or negative quantity, a type or major version nobody knows. The header is
/// readable unless the mutation broke the JSON itself, so readers that decode the type also
/// answer with `CommandRejected`.
extension RecordMaker {
    mutating func wrongType() -> HostileRecord {
        let base = template()
        var options: [(String, String, String)] = []  // (field, raw value, description)
        for field in base.stringFields {
            options += [(field, "\(unit)", "a number"), (field, "true", "a bool"), (field, "null", "null"),
                        (field, "{}", "an object"), (field, "[\(JSONText.quoted(field))]", "an array")]
        }
        for field in base.positiveFields {
            options += [(field, JSONText.quoted("10"), "a string"), (field, "false", "a bool"), (field, "null", "null"),
                        (field, "[10]", "an array")]
        }
        for field in base.doubleFields {
            options += [(field, JSONText.quoted("high"), "a string"), (field, "null", "null")]
        }
        for field in base.enumFields {
            options += [(field, JSONText.quoted("sideways-\(unit)"), "an unknown enumeration value"), (field, "7", "a number")]
        }
        options += [("data", "[]", "an array"), ("data", JSONText.quoted("data"), "a string"), ("data", "null", "null"),
                    ("data", "42", "a number"), ("occurredAt", "\(unit)", "a number"),
                    ("occurredAt", JSONText.quoted("yesterday at noon"), "a string that is no time")]
        let (field, raw, what) = rng.pick(options)
        let text = JSONText.replacingValue(of: field, with: raw, in: base.json) ?? base.json
        // A bad `occurredAt` fails the header itself: only the dead letter can answer it.
        let readable = field != "occurredAt"
        if Int.random(in: 0..<8, using: &rng) == 0, let required = base.stringFields.first,
           let removed = JSONText.removingField(required, in: base.json) {
            return record(removed, key: base.key, label: "\(base.type) without \(required)", eventId: base.id,
                          expectations: deadLettered(codes: ["missing-field"], header: (base.id, base.type)))
        }
        return record(text, key: base.key, label: "\(base.type) with \(field) as \(what)", eventId: readable ? base.id : nil,
                      expectations: deadLettered(codes: [], header: readable ? (base.id, base.type) : nil))
    }

    /// Numbers out of every field's range. The parser may refuse such a number while reading
    /// the document (then no header is readable) or while decoding the field, so only the dead
    /// letter is promised.
    mutating func badNumber() -> HostileRecord {
        let base = template { !$0.positiveFields.isEmpty || !$0.doubleFields.isEmpty }
        let integers = ["1e400", "-1e400", "99999999999999999999", "-99999999999999999999", "9223372036854775808",
                        "-9223372036854775809", "1.5", "10.000000000000001", "NaN", "Infinity", "-Infinity", "0x10", "1e", "--1", ".5"]
        let doubles = ["1e400", "-1e400", "99999999999999999999", "-1", "1e308", "NaN", "Infinity", "-Infinity"]
        let useDouble = base.positiveFields.isEmpty || (!base.doubleFields.isEmpty && Bool.random(using: &rng))
        let field = useDouble ? rng.pick(base.doubleFields) : rng.pick(base.positiveFields)
        let raw = rng.pick(useDouble ? doubles : integers)
        let text = JSONText.replacingValue(of: field, with: raw, in: base.json) ?? base.json
        return record(text, key: base.key, label: "\(base.type) with \(field) \(raw)", eventId: base.id,
                      expectations: deadLettered(codes: [], header: nil))
    }

    mutating func nonPositive() -> HostileRecord {
        let base = template { !$0.positiveFields.isEmpty }
        guard let field = base.positiveFields.isEmpty ? nil : rng.pick(base.positiveFields) else { return invalidJSON() }
        let raw = rng.pick(["0", "-1", "-0", "-5000", "-9223372036854775808", "-1000000000000"])
        let text = JSONText.replacingValue(of: field, with: raw, in: base.json) ?? base.json
        return record(text, key: base.key, label: "\(base.type) with \(field) \(raw)", eventId: base.id,
                      expectations: deadLettered(codes: ["invalid-field"], header: (base.id, base.type)))
    }

    mutating func unknownType() -> HostileRecord {
        let base = template()
        let names = ["\(base.type)V2", "FrobnicateWidget", "DROP TABLE inbox", String(base.type.rawValue.lowercased()),
                     String(repeating: "VeryLongTypeName", count: 12), "Ордер", "SubmitOrder\u{0}", "TradeExecuted ",
                     "../../etc/passwd", "\(context.ghostPrefix)\(unit)Type"]
        let name = rng.pick(names)
        precondition(!PayloadCatalogue.all.contains(EventType(rawValue: name)), "\(name) is a real type")
        let text = JSONText.replacingValue(of: "type", with: JSONText.quoted(name), in: base.json) ?? base.json
        return record(text, key: base.key, label: "a record of type '\(name.prefix(40))'", eventId: base.id,
                      expectations: deadLettered(codes: ["unknown-type"], header: nil))
    }

    mutating func unknownVersion() -> HostileRecord {
        let base = template()
        let version = rng.pick([0, 2, 3, 7, 99, -1, Int(Int32.max), Int.max])
        let text = JSONText.replacingValue(of: "version", with: "\(version)", in: base.json) ?? base.json
        return record(text, key: base.key, label: "\(base.type) version \(version)", eventId: base.id,
                      expectations: deadLettered(codes: ["unsupported-version"], header: (base.id, base.type)))
    }
}
