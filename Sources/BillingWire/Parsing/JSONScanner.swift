import BillingCore

/// One JSON scalar found by the scanner: where its bytes are, without copying them.
///
/// Three words, so it comes back from the scanner in registers: a larger token is returned through
/// memory and read back whole before its parts' stores have landed, which stalls every member of
/// every row.
struct JSONToken: Sendable {
    enum Kind: UInt8, Sendable {
        case absent, null, string, number
    }

    /// For a string, the first byte after the opening quote; for a number, its first byte.
    var start = 0
    /// For a number of at most 18 digits without an exponent (every amount a bill holds), its value,
    /// read while its grammar was checked: `magnitude / 10^scale`, negated when `negative`.
    var magnitude: UInt64 = 0
    private var length: UInt32 = 0
    var kind: Kind = .absent
    var scale: UInt8 = 0
    private var flags: UInt8 = 0

    init(kind: Kind = .absent, start: Int = 0) {
        self.kind = kind
        self.start = start
    }

    /// The longest string or number a token can span.
    static let maxLength = Int(UInt32.max)

    /// For a string, the closing quote; for a number, the byte after its last.
    var end: Int {
        get { start + Int(length) }
        set { length = UInt32(truncatingIfNeeded: newValue - start) }
    }

    /// Whether a string holds backslash escapes, so its bytes are not its text.
    var hasEscapes: Bool {
        get { flags & 1 != 0 }
        set { flags = newValue ? flags | 1 : flags & ~1 }
    }

    var isSimple: Bool {
        get { flags & 2 != 0 }
        set { flags = newValue ? flags | 2 : flags & ~2 }
    }

    var negative: Bool {
        get { flags & 4 != 0 }
        set { flags = newValue ? flags | 4 : flags & ~4 }
    }
}

/// A strict RFC 8259 scanner over UTF-8 bytes: every value it passes over is checked, strings for
/// escapes, control characters and UTF-8, numbers for the JSON grammar, so it rejects what
/// Foundation's parser rejects. It copies nothing; callers read tokens' bytes in place.
struct JSONScanner {
    static let maxDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // A UTF-8 byte order mark is allowed before the document.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    }

    var atEnd: Bool { index >= bytes.count }

    /// The byte at the cursor, or 0 at the end (0 is never valid JSON outside a string).
    @inline(__always) var current: UInt8 { index < bytes.count ? bytes[index] : 0 }

    func error(_ what: String) -> BillingResponseError {
        BillingResponseError(reason: atEnd ? "the body ends early: \(what)" : "byte \(index): \(what)")
    }

    @inline(__always) mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    @inline(__always) mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws(BillingResponseError) {
        guard current == byte else { throw error(what()) }
        index += 1
    }

    /// After a member or element: true when another follows (a comma was read), false at `close`.
    @inline(__always) mutating func nextMember(close: UInt8, in what: String) throws(BillingResponseError) -> Bool {
        skipWhitespace()
        switch current {
        case UInt8(ascii: ","):
            index += 1
            skipWhitespace()
            return true
        case close:
            index += 1
            return false
        default:
            throw error("expected ',' or '\(Character(Unicode.Scalar(close)))' in \(what)")
        }
    }

    /// Reads a string at the cursor (which is at its opening quote).
    mutating func readString() throws(BillingResponseError) -> JSONToken {
        index += 1
        var token = JSONToken(kind: .string, start: index)
        while index < bytes.count {
            // Eight bytes at a time up to the first quote, backslash, control character or non-ASCII byte.
            while index + 8 <= bytes.count {
                let word = UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let attention = Self.attention(word)
                if attention == 0 {
                    index += 8
                } else {
                    index += attention.trailingZeroBitCount >> 3
                    break
                }
            }
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                guard index - token.start <= JSONToken.maxLength else { throw error("a string is longer than 4 GiB") }
                token.end = index
                index += 1
                return token
            } else if byte == UInt8(ascii: "\\") {
                token.hasEscapes = true
                try readEscape()
            } else if byte < 0x20 {
                throw error("a control character inside a string must be escaped")
            } else if byte < 0x80 {
                index += 1
            } else {
                try readMultibyteScalar()
            }
        }
        throw error("a string is not closed")
    }

    /// The high bit of each byte of the eight that is `"`, `\\`, below 0x20 or above 0x7F, exact up to
    /// the first such byte (the bit tricks of "Bit Twiddling Hacks": `(x - 0x01…) & ~x & 0x80…` marks
    /// the zero bytes of x).
    @inline(__always)
    static func attention(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func zeros(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let quote = zeros(word ^ (ones &* 0x22))
        let backslash = zeros(word ^ (ones &* 0x5C))
        let control = (word &- ones &* 0x20) & ~word & highs
        return quote | backslash | control | (word & highs)
    }

    private mutating func readEscape() throws(BillingResponseError) {
        index += 1
        switch current {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 1
        case UInt8(ascii: "u"):
            index += 1
            let unit = try readHex4()
            if (0xD800...0xDBFF).contains(unit) {
                guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw error("a \\u escape of a high surrogate must be followed by a low surrogate")
                }
                index += 2
                guard (0xDC00...0xDFFF).contains(try readHex4()) else {
                    throw error("a \\u escape of a high surrogate must be followed by a low surrogate")
                }
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw error("a \\u escape of a low surrogate has no high surrogate before it")
            }
        default:
            throw error("an unknown escape in a string")
        }
    }

    private mutating func readHex4() throws(BillingResponseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Self.hexValue(current) else { throw error("a \\u escape needs four hex digits") }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// One UTF-8 scalar of two to four bytes, checked as Unicode's table 3-7 defines well-formed UTF-8.
    private mutating func readMultibyteScalar() throws(BillingResponseError) {
        let lead = bytes[index]
        let (count, low, high): (Int, UInt8, UInt8) = switch lead {
        case 0xC2...0xDF: (2, 0x80, 0xBF)
        case 0xE0: (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80, 0xBF)
        case 0xED: (3, 0x80, 0x9F)
        case 0xF0: (4, 0x90, 0xBF)
        case 0xF1...0xF3: (4, 0x80, 0xBF)
        case 0xF4: (4, 0x80, 0x8F)
        default: throw error("a string holds bytes that are not UTF-8")
        }
        guard index + count <= bytes.count else { throw error("a string holds bytes that are not UTF-8") }
        let second = bytes[index + 1]
        guard second >= low, second <= high else { throw error("a string holds bytes that are not UTF-8") }
        for offset in 2..<max(count, 2) where bytes[index + offset] & 0xC0 != 0x80 {
            throw error("a string holds bytes that are not UTF-8")
        }
        index += count
    }

    /// Reads a number at the cursor, checking the JSON grammar: `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    mutating func readNumber() throws(BillingResponseError) -> JSONToken {
        var token = JSONToken(kind: .number, start: index)
        var digits = 0
        if current == UInt8(ascii: "-") {
            token.negative = true
            index += 1
        }
        if current == UInt8(ascii: "0") {
            index += 1
            digits = 1
        } else if Self.isDigit(current) {
            while Self.isDigit(current) {
                token.magnitude = token.magnitude &* 10 &+ UInt64(current - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
        } else {
            throw error("a number needs a digit")
        }
        var fraction = 0
        if current == UInt8(ascii: ".") {
            index += 1
            guard Self.isDigit(current) else { throw error("a number needs a digit after its decimal point") }
            while Self.isDigit(current) {
                token.magnitude = token.magnitude &* 10 &+ UInt64(current - UInt8(ascii: "0"))
                fraction += 1
                index += 1
            }
        }
        var exponent = false
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            exponent = true
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard Self.isDigit(current) else { throw error("a number needs a digit in its exponent") }
            while Self.isDigit(current) { index += 1 }
        }
        guard index - token.start <= JSONToken.maxLength else { throw error("a number is longer than 4 GiB") }
        token.end = index
        // Up to 18 digits cannot overflow 64 bits; anything longer is read again, exactly, when asked.
        token.isSimple = !exponent && digits + fraction <= 18
        token.scale = UInt8(truncatingIfNeeded: fraction)
        return token
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Reads `true`, `false` or `null` at the cursor; returns which.
    mutating func readLiteral() throws(BillingResponseError) -> JSONLiteral {
        let (literal, rest): (JSONLiteral, StaticString) = switch current {
        case UInt8(ascii: "t"): (.true, "rue")
        case UInt8(ascii: "f"): (.false, "alse")
        case UInt8(ascii: "n"): (.null, "ull")
        default: throw error("expected a value")
        }
        let count = rest.utf8CodeUnitCount
        guard index + 1 + count <= bytes.count else { throw error("expected a value") }
        for offset in 0..<count where bytes[index + 1 + offset] != rest.utf8Start[offset] {
            throw error("expected a value")
        }
        index += 1 + count
        return literal
    }

    /// Checks and passes over any value.
    mutating func skipValue(depth: Int = 0) throws(BillingResponseError) {
        switch current {
        case UInt8(ascii: "\""): _ = try readString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try readNumber()
        case UInt8(ascii: "{"):
            guard depth < Self.maxDepth else { throw error("values are nested too deeply") }
            index += 1
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                index += 1
                return
            }
            repeat {
                guard current == UInt8(ascii: "\"") else { throw error("expected a member name in an object") }
                _ = try readString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "expected ':' after a member name")
                skipWhitespace()
                try skipValue(depth: depth + 1)
            } while try nextMember(close: UInt8(ascii: "}"), in: "an object")
        case UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw error("values are nested too deeply") }
            index += 1
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                index += 1
                return
            }
            repeat {
                try skipValue(depth: depth + 1)
            } while try nextMember(close: UInt8(ascii: "]"), in: "an array")
        default:
            _ = try readLiteral()
        }
    }

    /// The text of a string token, with its escapes decoded.
    func text(of token: JSONToken) -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[token.start..<token.end])
        guard token.hasEscapes else { return String(decoding: raw, as: UTF8.self) }
        return String(decoding: Self.unescaped(raw), as: UTF8.self)
    }

    /// The UTF-8 bytes a checked string's escapes stand for.
    static func unescaped(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var index = 0
        func hex4(_ at: Int) -> UInt32 {
            (0..<4).reduce(0) { $0 << 4 | UInt32(hexValue(raw[at + $1]) ?? 0) }
        }
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            let kind = raw[index + 1]
            index += 2
            switch kind {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(index)
                index += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (hex4(index + 2) - 0xDC00)
                    index += 6
                }
                output.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            default: output.append(kind)
            }
        }
        return output
    }
}

enum JSONLiteral {
    case `true`, `false`, null
}
