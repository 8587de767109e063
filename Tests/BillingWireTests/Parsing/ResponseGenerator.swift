import BillingCore
import BillingSimulator

/// Writes billing responses in every shape the contract allows: fields in any order, missing or null,
/// numbers as numbers or strings, escapes and unicode in strings, unknown fields of any type, paging
/// metadata inside `result` or beside it, and any whitespace between tokens.
struct ResponseGenerator {
    var random: SeededRandom
    /// How often a row surely names its key and has an expectAmount, as a row of the day must; the
    /// other rows may lack them like any field.
    var completeRowPercent = 0

    init(seed: UInt64) {
        random = SeededRandom(seed, "responses")
    }

    static let fields = [
        "meteringDate", "domainId", "domainName", "projectId", "projectName", "serviceId", "serviceName",
        "region", "pricingType", "usageTime", "usageSize", "generalAmount", "discountAmount", "expectAmount",
    ]

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

    mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }

    mutating func space() -> String {
        chance(70) ? "" : pick([" ", "\n", "\t", "\r\n  ", "  "])
    }

    mutating func response(rows: Int = 0) -> String {
        let count = rows > 0 ? rows : Int.random(in: 0...6, using: &random)
        var members = ["\"content\":" + space() + "[" + (0..<count).map { _ in space() + row() + space() }.joined(separator: ",") + "]"]
        if chance(20) { members = ["\"content\":" + pick(["null", "[]"])] }
        if chance(10) { members = [] }
        members += metadata()
        if chance(40) { members.append(quoted(word()) + ":" + value(depth: 0)) }
        members.shuffle(using: &random)
        var top = ["\"result\":" + space() + "{" + members.map { space() + $0 + space() }.joined(separator: ",") + "}"]
        top += metadata()
        if chance(40) { top.append("\"status\":" + value(depth: 0)) }
        top.shuffle(using: &random)
        return space() + "{" + top.map { space() + $0 + space() }.joined(separator: ",") + "}" + space()
    }

    mutating func metadata() -> [String] {
        var members: [String] = []
        if chance(30) { members.append("\"totalPages\":" + pick(["1", "3", "0", "null", "\"2\"", "true"])) }
        if chance(30) { members.append("\"totalElements\":" + pick(["12", "0", "null", "\"12\""])) }
        if chance(30) { members.append("\"last\":" + pick(["true", "false", "null", "\"true\"", "1", "-1"])) }
        return members
    }

    static let required: Set = ["domainId", "projectId", "serviceId", "expectAmount"]

    mutating func row() -> String {
        var members: [String] = []
        let complete = chance(completeRowPercent)
        for field in Self.fields where (complete && Self.required.contains(field)) || chance(85) {
            members.append(key(field) + space() + ":" + space() + fieldValue(field, present: complete && Self.required.contains(field)))
        }
        if chance(30) { members.append(quoted(word()) + ":" + value(depth: 0)) }
        members.shuffle(using: &random)
        if chance(5), let first = members.first { members.append(first) }
        return "{" + members.map { space() + $0 + space() }.joined(separator: ",") + "}"
    }

    /// A member name, sometimes spelt with escapes that stand for the same text.
    mutating func key(_ name: String) -> String {
        guard chance(5), let first = name.unicodeScalars.first else { return quoted(name) }
        return "\"\\u" + String(format: "%04x", first.value) + name.dropFirst() + "\""
    }

    /// A value for the field; when `present`, neither null nor empty.
    mutating func fieldValue(_ field: String, present: Bool = false) -> String {
        if !present, chance(8) { return "null" }
        switch field {
        case "meteringDate": return pick(["\"20261125\"", "\"20261124\"", "\"2026-11-25\"", "\"\"", "20261125"])
        case "domainId", "projectId":
            return pick(["\"d-1\"", "\"d-2\"", "\"p-1\"", "\"c4a71cac9dfc29511e17f4996587bc2c\"", "7"] + (present ? [] : ["\"\""]))
        case "serviceId": return pick(["\"1\"", "\"2\"", "3", "1.50", "\"\\u0031\""])
        case "usageTime", "usageSize", "generalAmount", "discountAmount", "expectAmount": return amount()
        default: return quoted(text())
        }
    }

    mutating func amount() -> String {
        let integer = String(Int.random(in: 0...9_999_999, using: &random))
        let fraction = chance(60) ? "." + String(Int.random(in: 0...99_999, using: &random)) : ""
        let sign = chance(10) ? "-" : ""
        let exponent = chance(10) ? pick(["e2", "E-3", "e+1"]) : ""
        let number = sign + integer + fraction + exponent
        return chance(30) ? "\"" + pick(["", " ", "\\t"]) + number + pick(["", " "]) + "\"" : number
    }

    mutating func word() -> String {
        pick(["x", "extra", "tags", "resourceId", "memo", "currency", "unit"])
    }

    mutating func text() -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...6, using: &random) {
            text += pick(["Virtual Machine", "kr-central-2", "ON_DEMAND", "é", "가나", "😀", "\\\"", "\\\\", "\\n", "\\u00e9", "\\ud83d\\ude00", "\\/", "a b"])
        }
        return text
    }

    mutating func quoted(_ text: String) -> String { "\"" + text + "\"" }

    mutating func value(depth: Int) -> String {
        switch Int.random(in: 0..<(depth > 2 ? 5 : 7), using: &random) {
        case 0: return "null"
        case 1: return pick(["true", "false"])
        case 2: return amount()
        case 3, 4: return quoted(text())
        case 5: return "[" + (0..<Int.random(in: 0...3, using: &random)).map { _ in value(depth: depth + 1) }.joined(separator: ",") + "]"
        default:
            return "{" + (0..<Int.random(in: 0...3, using: &random)).map { index in "\"k\(index)\":" + space() + value(depth: depth + 1) }.joined(separator: ",") + "}"
        }
    }

    /// The document with one random edit: a byte dropped, changed or added, a span repeated, or the end cut.
    mutating func mutated(_ document: String) -> [UInt8] {
        var bytes = Array(document.utf8)
        guard !bytes.isEmpty else { return bytes }
        let at = Int.random(in: 0..<bytes.count, using: &random)
        let interesting: [UInt8] = Array("{}[]:,\"\\0123456789-+.eEtrufalsn \u{01}".utf8) + [0xC3, 0xFF, 0x80]
        switch Int.random(in: 0..<5, using: &random) {
        case 0: bytes.remove(at: at)
        case 1: bytes[at] = pick(interesting)
        case 2: bytes.insert(pick(interesting), at: at)
        case 3:
            let end = min(bytes.count, at + Int.random(in: 1...12, using: &random))
            bytes.insert(contentsOf: bytes[at..<end], at: end)
        default: bytes.removeSubrange(at...)
        }
        return bytes
    }
}
