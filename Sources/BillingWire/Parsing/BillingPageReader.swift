import BillingCore

/// Reads the Billing API's response, `{"result": {"content": [ROW, ...]}}`, in one pass over its
/// bytes, handing each row to a sink as it is found; nothing but the row being read is held.
///
/// It accepts and rejects what `BillingResponse`'s Foundation-based decoding does (a differential
/// test holds it to that), at several times its speed.
enum BillingPageReader {
    /// Runs `read` over the body's bytes in place, or over a contiguous copy when the collection has
    /// no contiguous storage.
    static func withBytes<T>(
        _ body: some Collection<UInt8>, _ read: (UnsafeBufferPointer<UInt8>) throws(BillingResponseError) -> T
    ) throws(BillingResponseError) -> T {
        let result = body.withContiguousStorageIfAvailable { bytes in Result { () throws(BillingResponseError) in try read(bytes) } }
            ?? Array(body).withUnsafeBufferPointer { bytes in Result { () throws(BillingResponseError) in try read(bytes) } }
        return try result.get()
    }

    /// Reads one response body.
    static func read<Sink: BillingRowSink>(
        _ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink, passed: BytesPassed = .ignored
    ) throws(BillingResponseError) -> PageInfo {
        var scanner = JSONScanner(bytes)
        var passed = passed
        let tokens = UnsafeMutableBufferPointer<JSONToken>.allocate(capacity: BillingField.allCases.count)
        defer { tokens.deallocate() }
        scanner.skipWhitespace()
        let info = try readResponse(&scanner, tokens: tokens, into: &sink, passed: &passed, path: "")
        scanner.skipWhitespace()
        guard scanner.atEnd else { throw scanner.error("something follows the JSON document") }
        return info
    }

    /// Reads an archived day, `{"date": "YYYYMMDD", ..., "pages": [RESPONSE, ...]}`.
    static func readArchivedDay<Sink: BillingRowSink>(
        _ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink, passed: BytesPassed = .ignored
    ) throws(BillingResponseError) -> (date: String?, pageCount: Int) {
        var scanner = JSONScanner(bytes)
        var passed = passed
        let tokens = UnsafeMutableBufferPointer<JSONToken>.allocate(capacity: BillingField.allCases.count)
        defer { tokens.deallocate() }
        scanner.skipWhitespace()
        try scanner.expect(UInt8(ascii: "{"), "an archived day is a JSON object")
        var date: String?
        var pageCount = 0
        var sawPages = false
        scanner.skipWhitespace()
        if scanner.current != UInt8(ascii: "}") {
            repeat {
                let name = try memberName(&scanner)
                if name == "date", scanner.current == UInt8(ascii: "\"") {
                    date = scanner.text(of: try scanner.readString())
                } else if name == "pages" {
                    sawPages = true
                    try scanner.expect(UInt8(ascii: "["), "\"pages\" is a list of responses")
                    scanner.skipWhitespace()
                    if scanner.current == UInt8(ascii: "]") {
                        scanner.index += 1
                    } else {
                        repeat {
                            _ = try readResponse(&scanner, tokens: tokens, into: &sink, passed: &passed, path: ".pages[\(pageCount)]")
                            pageCount += 1
                        } while try scanner.nextMember(close: UInt8(ascii: "]"), in: "the pages")
                    }
                } else {
                    try scanner.skipValue()
                }
            } while try scanner.nextMember(close: UInt8(ascii: "}"), in: "the archived day")
        }
        scanner.skipWhitespace()
        guard scanner.atEnd else { throw scanner.error("something follows the JSON document") }
        guard sawPages else { throw BillingResponseError(reason: "the archived day has no \"pages\"") }
        return (date, pageCount)
    }

    /// A member's name and the colon after it; the cursor ends at the value.
    private static func memberName(_ scanner: inout JSONScanner) throws(BillingResponseError) -> String {
        guard scanner.current == UInt8(ascii: "\"") else { throw scanner.error("expected a member name in an object") }
        let name = scanner.text(of: try scanner.readString())
        scanner.skipWhitespace()
        try scanner.expect(UInt8(ascii: ":"), "expected ':' after a member name")
        scanner.skipWhitespace()
        return name
    }

    private static func readResponse<Sink: BillingRowSink>(
        _ scanner: inout JSONScanner, tokens: UnsafeMutableBufferPointer<JSONToken>, into sink: inout Sink,
        passed: inout BytesPassed, path: String
    ) throws(BillingResponseError) -> PageInfo {
        guard scanner.current == UInt8(ascii: "{") else {
            try scanner.skipValue()
            throw BillingResponseError(reason: "\(path.isEmpty ? "the body" : path) is not a JSON object")
        }
        scanner.index += 1
        scanner.skipWhitespace()
        var info = PageInfo()
        var top = Paging()
        var inner = Paging()
        var sawResult = false
        var sawResultMember = false
        if scanner.current != UInt8(ascii: "}") {
            repeat {
                let name = try memberName(&scanner)
                switch name {
                case "result" where sawResultMember:
                    // A repeated member: the first one counts, as in Foundation's decoder.
                    try scanner.skipValue()
                case "result":
                    sawResultMember = true
                    if scanner.current == UInt8(ascii: "{") {
                        sawResult = true
                        info.rowCount = try readResult(
                            &scanner, tokens: tokens, into: &sink, passed: &passed, paging: &inner, content: &info.contentBytes,
                            path: path + ".result")
                    } else if scanner.current == UInt8(ascii: "n"), try scanner.readLiteral() == .null {
                        sawResult = false
                    } else {
                        try scanner.skipValue()
                        throw BillingResponseError(reason: "\(path).result is not an object")
                    }
                case "totalPages", "totalElements", "last":
                    try top.read(name, &scanner)
                default:
                    try scanner.skipValue()
                }
            } while try scanner.nextMember(close: UInt8(ascii: "}"), in: "an object")
        } else {
            scanner.index += 1
        }
        guard sawResult else {
            throw BillingResponseError(reason: "\(path.isEmpty ? "the body" : path) has no \"result\" (the body has no \"result\" object)")
        }
        info.totalPages = inner.totalPages ?? top.totalPages
        info.totalElements = inner.totalElements ?? top.totalElements
        info.isLast = inner.last ?? top.last
        return info
    }

    /// Reads the `result` object; returns how many rows its `content` held.
    private static func readResult<Sink: BillingRowSink>(
        _ scanner: inout JSONScanner, tokens: UnsafeMutableBufferPointer<JSONToken>, into sink: inout Sink,
        passed: inout BytesPassed, paging: inout Paging, content: inout Range<Int>?, path: String
    ) throws(BillingResponseError) -> Int {
        scanner.index += 1
        scanner.skipWhitespace()
        var rowCount = 0
        var sawContent = false
        var shape = RowShape()
        defer { shape.deallocate() }
        guard scanner.current != UInt8(ascii: "}") else {
            scanner.index += 1
            return 0
        }
        repeat {
            let name = try memberName(&scanner)
            switch name {
            case "content" where sawContent:
                try scanner.skipValue()
            case "content":
                sawContent = true
                switch scanner.current {
                case UInt8(ascii: "["):
                    let start = scanner.index
                    defer { content = start..<scanner.index }
                    scanner.index += 1
                    scanner.skipWhitespace()
                    if scanner.current == UInt8(ascii: "]") {
                        scanner.index += 1
                    } else {
                        repeat {
                            try takeRow(&scanner, tokens: tokens, shape: &shape, number: rowCount, path: path, into: &sink, passed: &passed)
                            rowCount += 1
                        } while try scanner.nextMember(close: UInt8(ascii: "]"), in: "the content list")
                    }
                case UInt8(ascii: "n"):
                    _ = try scanner.readLiteral()
                default:
                    try scanner.skipValue()
                    throw BillingResponseError(reason: "\(path).content is not a list of rows")
                }
            case "totalPages", "totalElements", "last":
                try paging.read(name, &scanner)
            default:
                try scanner.skipValue()
            }
        } while try scanner.nextMember(close: UInt8(ascii: "}"), in: "an object")
        return rowCount
    }

    /// Reads the row at the cursor, hands it to the sink, and reports the bytes passed when due.
    @inline(__always)
    private static func takeRow<Sink: BillingRowSink>(
        _ scanner: inout JSONScanner, tokens: UnsafeMutableBufferPointer<JSONToken>, shape: inout RowShape, number: Int,
        path: String, into sink: inout Sink, passed: inout BytesPassed
    ) throws(BillingResponseError) {
        let seen = try readRow(&scanner, tokens: tokens, shape: &shape, number: number, path: path)
        try sink.take(RawBillingRow(scanner: scanner, tokens: UnsafeBufferPointer(tokens), seen: seen, resultPath: path, number: number))
        if scanner.index >= passed.next { passed.report(scanner.index) }
    }

    /// Reads one row object, leaving its known fields' tokens in `tokens`; returns which fields it
    /// found (bit n for field n), so the tokens need no clearing between rows.
    @inline(__always)
    private static func readRow(
        _ scanner: inout JSONScanner, tokens: UnsafeMutableBufferPointer<JSONToken>, shape: inout RowShape, number: Int,
        path: String
    ) throws(BillingResponseError) -> UInt16 {
        var seen: UInt16 = 0
        guard scanner.current == UInt8(ascii: "{") else {
            try scanner.skipValue()
            throw BillingResponseError(reason: "\(path).content[\(number)] is not an object")
        }
        scanner.index += 1
        scanner.skipWhitespace()
        if scanner.current == UInt8(ascii: "}") {
            scanner.index += 1
            return seen
        }
        var position = 0
        repeat {
            var field: BillingField?
            if let predicted = shape.expected(at: position), shape.matches(predicted, in: scanner.bytes, at: scanner.index) {
                // `"name":` exactly as in the row before: a plain name, nothing more to check.
                scanner.index += shape.length(of: predicted)
                field = predicted
            } else {
                guard scanner.current == UInt8(ascii: "\"") else { throw scanner.error("expected a member name in an object") }
                let key = try scanner.readString()
                scanner.skipWhitespace()
                try scanner.expect(UInt8(ascii: ":"), "expected ':' after a member name")
                field = key.hasEscapes
                    ? BillingField(named: scanner.text(of: key))
                    : BillingField(bytes: UnsafeBufferPointer(rebasing: scanner.bytes[key.start..<key.end]))
                shape.record(field, at: position)
            }
            position += 1
            scanner.skipWhitespace()
            // Unknown members are passed over; a repeated one too, as the first one counts.
            guard let field, seen & 1 << field.rawValue == 0 else {
                try scanner.skipValue()
                continue
            }
            seen |= 1 << field.rawValue
            switch scanner.current {
            case UInt8(ascii: "\""): tokens[field.rawValue] = try scanner.readString()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): tokens[field.rawValue] = try scanner.readNumber()
            case UInt8(ascii: "n"), UInt8(ascii: "t"), UInt8(ascii: "f"):
                guard try scanner.readLiteral() == .null else {
                    throw BillingResponseError(reason: "\(path).content[\(number)].\(field): expected a string, a number or null, found a boolean")
                }
                tokens[field.rawValue] = JSONToken(kind: .null)
            default:
                try scanner.skipValue()
                throw BillingResponseError(reason: "\(path).content[\(number)].\(field): expected a string, a number or null")
            }
        } while try scanner.nextMember(close: UInt8(ascii: "}"), in: "a row")
        return seen
    }

    /// Paging metadata as found in one object; a value of another type counts as absent, and only the
    /// first of a repeated member counts.
    private struct Paging {
        var totalPages: Int?
        var totalElements: Int?
        var last: Bool?
        var seen: Set<String> = []

        mutating func read(_ name: String, _ scanner: inout JSONScanner) throws(BillingResponseError) {
            guard seen.insert(name).inserted else { return try scanner.skipValue() }
            switch (name, scanner.current) {
            case ("last", UInt8(ascii: "t")), ("last", UInt8(ascii: "f")):
                last = try scanner.readLiteral() == .true
            case ("totalPages", UInt8(ascii: "-")), ("totalPages", UInt8(ascii: "0")...UInt8(ascii: "9")),
                ("totalElements", UInt8(ascii: "-")), ("totalElements", UInt8(ascii: "0")...UInt8(ascii: "9")):
                let token = try scanner.readNumber()
                // An integral number counts, whatever its spelling: 3, 3.0 and 3e0 are all 3.
                let value = ExactDecimal.parse(UnsafeBufferPointer(rebasing: scanner.bytes[token.start..<token.end]))
                    .map(\.normalized).flatMap { $0.scale == 0 ? Int(exactly: $0.significand) : nil }
                if name == "totalPages" { totalPages = value } else { totalElements = value }
            default:
                try scanner.skipValue()
            }
        }
    }
}

/// Paging facts of one page.
public struct PageInfo: Sendable, Hashable {
    public var rowCount = 0
    public var totalPages: Int?
    public var totalElements: Int?
    public var isLast: Bool?
    /// Where the list of rows lies in the body, brackets included: what tells one page's rows from
    /// another's, whatever else the body holds.
    public var contentBytes: Range<Int>?

    public init(rowCount: Int = 0, totalPages: Int? = nil, totalElements: Int? = nil, isLast: Bool? = nil) {
        self.rowCount = rowCount
        self.totalPages = totalPages
        self.totalElements = totalElements
        self.isLast = isLast
    }
}

/// Where the reader reports the bytes it has read past and will not read again: every `step` bytes,
/// between rows, so a caller holding a large body (a mapped file) can let them go as it is read.
///
/// Each report is the stretch read since the one before, made on the thread that reads the body.
public struct BytesPassed: Sendable {
    private let step: Int
    private let release: (@Sendable (Range<Int>) -> Void)?
    /// Where the stretch not yet reported starts.
    private var from = 0
    /// The offset at which the next report is due.
    private(set) var next: Int

    /// Calls `release` with the stretch read since the last call, every `step` bytes.
    public init(every step: Int, release: @escaping @Sendable (Range<Int>) -> Void) {
        precondition(step > 0, "a step of at least one byte")
        self.step = step
        self.release = release
        next = step
    }

    private init() {
        step = .max
        release = nil
        next = .max
    }

    /// No reports.
    public static var ignored: BytesPassed { BytesPassed() }

    mutating func report(_ offset: Int) {
        if offset > from { release?(from..<offset) }
        from = offset
        next = offset + step
    }
}

/// Where the reader hands rows.
protocol BillingRowSink {
    mutating func take(_ row: RawBillingRow) throws(BillingResponseError)
}

/// The fields of a row the contract names.
enum BillingField: Int, CaseIterable, CustomStringConvertible {
    case meteringDate, domainId, domainName, projectId, projectName, serviceId, serviceName
    case region, pricingType, usageTime, usageSize, generalAmount, discountAmount, expectAmount

    var description: String {
        switch self {
        case .meteringDate: "meteringDate"
        case .domainId: "domainId"
        case .domainName: "domainName"
        case .projectId: "projectId"
        case .projectName: "projectName"
        case .serviceId: "serviceId"
        case .serviceName: "serviceName"
        case .region: "region"
        case .pricingType: "pricingType"
        case .usageTime: "usageTime"
        case .usageSize: "usageSize"
        case .generalAmount: "generalAmount"
        case .discountAmount: "discountAmount"
        case .expectAmount: "expectAmount"
        }
    }

    init?(named name: String) {
        var name = name
        guard let field = name.withUTF8({ Self(bytes: $0) }) else { return nil }
        self = field
    }

    /// Matches by length and the bytes that tell the names apart, then checks the whole name.
    @inline(__always)
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        let candidate: BillingField
        switch (bytes.count, bytes.first ?? 0) {
        case (12, UInt8(ascii: "m")): candidate = .meteringDate
        case (12, UInt8(ascii: "e")): candidate = .expectAmount
        case (8, _): candidate = .domainId
        case (10, _): candidate = .domainName
        case (9, UInt8(ascii: "p")): candidate = .projectId
        case (9, UInt8(ascii: "s")): candidate = .serviceId
        case (9, UInt8(ascii: "u")): candidate = bytes[5] == UInt8(ascii: "T") ? .usageTime : .usageSize
        case (11, UInt8(ascii: "p")): candidate = bytes[1] == UInt8(ascii: "r") && bytes[2] == UInt8(ascii: "o") ? .projectName : .pricingType
        case (11, UInt8(ascii: "s")): candidate = .serviceName
        case (6, _): candidate = .region
        case (13, _): candidate = .generalAmount
        case (14, _): candidate = .discountAmount
        default: return nil
        }
        guard candidate.matches(bytes) else { return nil }
        self = candidate
    }

    /// Compares the name's first and last eight bytes (they overlap; "region" is shorter) without a
    /// call, since every member of every row goes through here.
    @inline(__always)
    private func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        guard bytes.count >= 8 else {
            return raw.loadUnaligned(as: UInt32.self) == 0x69676572 && raw.loadUnaligned(fromByteOffset: 2, as: UInt32.self) == 0x6E6F6967
        }
        let (head, tail) = words
        return raw.loadUnaligned(as: UInt64.self) == head && raw.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self) == tail
    }

    /// The name's first and last eight bytes, little-endian.
    private var words: (UInt64, UInt64) {
        switch self {
        case .meteringDate: (0x676E_6972_6574_656D, 0x6574_6144_676E_6972)
        case .domainId: (0x6449_6E69_616D_6F64, 0x6449_6E69_616D_6F64)
        case .domainName: (0x614E_6E69_616D_6F64, 0x656D_614E_6E69_616D)
        case .projectId: (0x4974_6365_6A6F_7270, 0x6449_7463_656A_6F72)
        case .projectName: (0x4E74_6365_6A6F_7270, 0x656D_614E_7463_656A)
        case .serviceId: (0x4965_6369_7672_6573, 0x6449_6563_6976_7265)
        case .serviceName: (0x4E65_6369_7672_6573, 0x656D_614E_6563_6976)
        case .region: (0, 0)
        case .pricingType: (0x5467_6E69_6369_7270, 0x6570_7954_676E_6963)
        case .usageTime: (0x6D69_5465_6761_7375, 0x656D_6954_6567_6173)
        case .usageSize: (0x7A69_5365_6761_7375, 0x657A_6953_6567_6173)
        case .generalAmount: (0x416C_6172_656E_6567, 0x746E_756F_6D41_6C61)
        case .discountAmount: (0x746E_756F_6373_6964, 0x746E_756F_6D41_746E)
        case .expectAmount: (0x6D41_7463_6570_7865, 0x746E_756F_6D41_7463)
        }
    }
}

/// The member order of the row before: the rows of a response nearly always share it, so each member
/// name of the next row is first compared with the one expected at its place, `"name":` as a whole,
/// before the general path reads and checks it.
struct RowShape {
    static let places = 32
    /// Each known field's `"name":`, one after another, and where each starts.
    private static let quoted: [UInt8] = BillingField.allCases.flatMap { Array("\"\($0)\":".utf8) }
    private static let starts: [Int] = BillingField.allCases.reduce(into: [0]) { $0.append($0.last! + $1.description.utf8.count + 3) }

    private let names: UnsafeMutableBufferPointer<UInt8>
    private let offsets: UnsafeMutableBufferPointer<Int>
    /// The field expected at each place, as its raw value plus one; 0 for none.
    private let expected: UnsafeMutableBufferPointer<UInt8>

    init() {
        names = .allocate(capacity: Self.quoted.count)
        _ = names.initialize(from: Self.quoted)
        offsets = .allocate(capacity: Self.starts.count)
        _ = offsets.initialize(from: Self.starts)
        expected = .allocate(capacity: Self.places)
        expected.initialize(repeating: 0)
    }

    func deallocate() {
        names.deallocate()
        offsets.deallocate()
        expected.deallocate()
    }

    @inline(__always)
    func expected(at place: Int) -> BillingField? {
        guard place < Self.places, expected[place] != 0 else { return nil }
        return BillingField(rawValue: Int(expected[place]) - 1)
    }

    @inline(__always)
    func length(of field: BillingField) -> Int {
        offsets[field.rawValue + 1] - offsets[field.rawValue]
    }

    /// Compares the first and last eight bytes of `"name":` (they overlap; every one is at least nine
    /// bytes long) without a call.
    @inline(__always)
    func matches(_ field: BillingField, in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let length = length(of: field)
        guard index + length <= bytes.count else { return false }
        let name = UnsafeRawPointer(names.baseAddress! + offsets[field.rawValue])
        let here = UnsafeRawPointer(bytes.baseAddress! + index)
        return name.loadUnaligned(as: UInt64.self) == here.loadUnaligned(as: UInt64.self)
            && name.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self) == here.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
    }

    @inline(__always)
    func record(_ field: BillingField?, at place: Int) {
        guard place < Self.places else { return }
        expected[place] = field.map { UInt8($0.rawValue + 1) } ?? 0
    }
}
