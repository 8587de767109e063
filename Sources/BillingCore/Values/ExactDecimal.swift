/// An exact decimal number, for money and usage amounts.
///
/// Binary floating point cannot hold `0.1` exactly, and sums of bills drift when it is used; this type
/// keeps every digit the API sent. The value is `significand / 10^scale`. It holds up to 38 significant
/// digits and up to `maxScale` decimal places, far more than any bill needs.
public struct ExactDecimal: Sendable {
    public static let maxScale = 18

    public let significand: Int128
    public let scale: Int

    public static let zero = ExactDecimal(significand: 0, scale: 0)

    @inlinable
    public init(significand: Int128, scale: Int) {
        precondition((0...Self.maxScale).contains(scale), "scale out of range")
        self.significand = significand
        self.scale = scale
    }

    /// For results whose scale is already known to be in range.
    @inlinable @inline(__always)
    init(unchecked significand: Int128, scale: Int) {
        self.significand = significand
        self.scale = scale
    }

    public init(_ integer: Int) {
        self.init(significand: Int128(integer), scale: 0)
    }

    /// Parses a JSON-style decimal number: optional sign, digits, optional fraction and exponent.
    ///
    /// Returns nil for anything else, including empty text, `NaN`, hex and numbers that would need more
    /// than `maxScale` decimal places or 38 digits.
    public init?<S: StringProtocol>(_ text: S) {
        var text = String(text)
        guard let value = text.withUTF8({ Self.parse($0) }) else { return nil }
        self = value
    }

    /// Parses the UTF-8 bytes of a decimal number; see `init?(_:)`.
    ///
    /// Up to 18 digits accumulate in a 64-bit integer, which covers every amount a bill holds; longer
    /// numbers continue in 128 bits. Inlinable: the wire reader calls it for every amount it reads.
    @inlinable
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ExactDecimal? {
        var index = 0
        let end = bytes.count
        var negative = false
        if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var small: UInt64 = 0
        var significand: Int128 = 0
        var digits = 0
        var scale = 0
        var sawPoint = false
        var sawDigit = false
        while index < end {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                sawDigit = true
                if digits > 0 || byte != UInt8(ascii: "0") { digits += 1 }
                let digit = UInt64(byte - UInt8(ascii: "0"))
                if digits <= 18 {
                    small = small &* 10 &+ digit
                } else {
                    guard digits <= 38 else { return nil }
                    if digits == 19 { significand = Int128(small) }
                    significand = significand * 10 + Int128(digit)
                }
                if sawPoint { scale += 1 }
            } else if byte == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index += 1
        }
        guard sawDigit else { return nil }
        if digits <= 18 { significand = Int128(small) }
        var exponent = 0
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var sawExponentDigit = false
            while index < end, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                sawExponentDigit = true
                exponent = exponent * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                guard exponent < 100 else { return nil }
                index += 1
            }
            guard sawExponentDigit else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard index == end else { return nil }
        scale -= exponent
        while scale < 0 {
            guard digits < 38 || significand == 0 else { return nil }
            significand *= 10
            if significand != 0 { digits += 1 }
            scale += 1
        }
        while scale > maxScale, significand % 10 == 0 {
            significand /= 10
            scale -= 1
        }
        guard scale <= maxScale else { return nil }
        return ExactDecimal(significand: negative ? -significand : significand, scale: scale)
    }

    /// The value with trailing fractional zeros removed, so equal values have equal representations.
    public var normalized: ExactDecimal {
        var (significand, scale) = (self.significand, self.scale)
        while scale > 0, significand % 10 == 0 {
            significand /= 10
            scale -= 1
        }
        return ExactDecimal(unchecked: significand, scale: significand == 0 ? 0 : scale)
    }

    /// How many digits an amount of a bill may have before its decimal point: every amount the API
    /// sends, and every sum of them for a key or a day, stays below 10^15 (a quadrillion) in magnitude.
    ///
    /// No real bill comes near it, and it keeps arithmetic safe: values below it, at up to `maxScale`
    /// places, have significands below 10^33, so sums of up to 170,000 of them fit in 128 bits.
    public static let billLimitDigits = 15

    /// 10^(billLimitDigits + scale), for each scale: literals, so a reader in another module checks
    /// an amount without a call to reach a table.
    @inlinable @inline(__always)
    static func billLimit(scale: Int) -> UInt128 {
        switch scale {
        case 0: return 1000000000000000
        case 1: return 10000000000000000
        case 2: return 100000000000000000
        case 3: return 1000000000000000000
        case 4: return 10000000000000000000
        case 5: return 100000000000000000000
        case 6: return 1000000000000000000000
        case 7: return 10000000000000000000000
        case 8: return 100000000000000000000000
        case 9: return 1000000000000000000000000
        case 10: return 10000000000000000000000000
        case 11: return 100000000000000000000000000
        case 12: return 1000000000000000000000000000
        case 13: return 10000000000000000000000000000
        case 14: return 100000000000000000000000000000
        case 15: return 1000000000000000000000000000000
        case 16: return 10000000000000000000000000000000
        case 17: return 100000000000000000000000000000000
        case 18: return 1000000000000000000000000000000000
        default: return 0
        }
    }

    /// Whether the magnitude is below 10^`billLimitDigits`.
    @inlinable @inline(__always)
    public var isWithinBillLimit: Bool { significand.magnitude < Self.billLimit(scale: scale) }

    /// The nearest `Double`, for statistics only; never store or sum it.
    @inlinable
    public var doubleValue: Double {
        // Any amount of a bill fits 64 bits, whose conversion is one instruction; Int128's goes through
        // a generic path. Both round the same exact integer to the nearest double.
        let whole = significand >= Int128(Int64.min) && significand <= Int128(Int64.max)
            ? Double(Int64(truncatingIfNeeded: significand)) : Double(significand)
        return whole / Self.powerOfTen(scale)
    }

    public var isZero: Bool { significand == 0 }
    public var isNegative: Bool { significand < 0 }

    @usableFromInline
    static func powerOfTen(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    @inlinable
    func rescaled(to newScale: Int) -> Int128 {
        var value = significand
        for _ in scale..<newScale { value *= 10 }
        return value
    }
}

extension ExactDecimal: AdditiveArithmetic {
    @inlinable
    public static func + (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        // Amounts of one bill mostly share a scale: no rescaling then.
        if lhs.scale == rhs.scale { return ExactDecimal(unchecked: lhs.significand + rhs.significand, scale: lhs.scale) }
        let scale = max(lhs.scale, rhs.scale)
        return ExactDecimal(significand: lhs.rescaled(to: scale) + rhs.rescaled(to: scale), scale: scale)
    }

    @inlinable
    public static func - (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let scale = max(lhs.scale, rhs.scale)
        return ExactDecimal(significand: lhs.rescaled(to: scale) - rhs.rescaled(to: scale), scale: scale)
    }
}

extension ExactDecimal: Comparable, Hashable {
    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        return lhs.rescaled(to: scale) == rhs.rescaled(to: scale)
    }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        return lhs.rescaled(to: scale) < rhs.rescaled(to: scale)
    }

    public func hash(into hasher: inout Hasher) {
        let value = normalized
        hasher.combine(value.significand)
        hasher.combine(value.scale)
    }
}

extension ExactDecimal: CustomStringConvertible, LosslessStringConvertible {
    /// Plain decimal notation without exponent, e.g. `-1234.5`; trailing fractional zeros are dropped.
    public var description: String {
        // Nearly every amount fits 64 bits: written digit by digit there, without Int128's division.
        if let small = UInt64(exactly: significand.magnitude) {
            return Self.plainText(negative: significand < 0, magnitude: small, scale: scale)
        }
        let value = normalized
        let magnitude = value.significand.magnitude
        var digits = String(magnitude)
        if value.scale > 0 {
            if digits.count <= value.scale {
                digits = String(repeating: "0", count: value.scale - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -value.scale))
        }
        return value.significand < 0 ? "-" + digits : digits
    }
}

extension ExactDecimal {
    /// `description` of a magnitude within 64 bits: trailing fractional zeros dropped, at least one
    /// digit before the point.
    static func plainText(negative: Bool, magnitude: UInt64, scale: Int) -> String {
        var (value, scale) = (magnitude, scale)
        while scale > 0, value % 10 == 0 {
            value /= 10
            scale -= 1
        }
        var digitCount = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            digitCount += 1
        }
        let length = (negative ? 1 : 0) + max(digitCount - scale, 1) + (scale > 0 ? scale + 1 : 0)
        return String(unsafeUninitializedCapacity: length) { out in
            // From the last character back: the decimals, the point, then at least one whole digit.
            var index = length
            func put(_ byte: UInt8) {
                index -= 1
                out[index] = byte
            }
            for _ in 0..<scale {
                put(UInt8(ascii: "0") + UInt8(value % 10))
                value /= 10
            }
            if scale > 0 { put(UInt8(ascii: ".")) }
            repeat {
                put(UInt8(ascii: "0") + UInt8(value % 10))
                value /= 10
            } while value > 0
            if negative { put(UInt8(ascii: "-")) }
            return length
        }
    }
}

extension ExactDecimal: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) {
        self.init(value)
    }
}

extension ExactDecimal {
    /// The value with exactly `scale` decimal places: padded with zeros, or rounded half away from
    /// zero (`2.345` to `2.35`, `-2.345` to `-2.35`).
    public func rounded(scale target: Int) -> ExactDecimal {
        precondition((0...Self.maxScale).contains(target), "scale out of range")
        if scale <= target {
            var significand = significand
            for _ in scale..<target { significand *= 10 }
            return ExactDecimal(significand: significand, scale: target)
        }
        var divisor: Int128 = 1
        for _ in target..<scale { divisor *= 10 }
        let (quotient, remainder) = significand.quotientAndRemainder(dividingBy: divisor)
        let away = remainder.magnitude * 2 >= divisor.magnitude ? (significand < 0 ? -1 : 1) : 0
        return ExactDecimal(significand: quotient + Int128(away), scale: target)
    }

    /// Plain notation with exactly `places` decimals, rounded as `rounded(scale:)` does: `7.00`, `-2.35`.
    public func fixed(places: Int) -> String {
        let value = rounded(scale: places)
        var digits = String(value.significand.magnitude)
        if places > 0 {
            if digits.count <= places { digits = String(repeating: "0", count: places - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
        }
        return value.significand < 0 ? "-" + digits : digits
    }
}
