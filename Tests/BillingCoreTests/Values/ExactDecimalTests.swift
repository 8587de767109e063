import Foundation
import Testing

@testable import BillingCore

@Suite struct ExactDecimalTests {
    @Test(arguments: [
        ("0", "0"), ("12", "12"), ("-12.50", "-12.5"), ("0.1", "0.1"), ("1e3", "1000"),
        ("1.5E-2", "0.015"), ("+7", "7"), ("000123.4500", "123.45"),
        ("12345678901234567890.123456789012345678", "12345678901234567890.123456789012345678"),
    ])
    func parsesDecimalText(input: String, expected: String) throws {
        let value = try #require(ExactDecimal(input))
        #expect(value.description == expected)
    }

    /// The double of an amount is its significand's nearest double over the power of ten, whether
    /// the significand fits 64 bits (the fast path) or not: the same figure on both sides of 2^63.
    @Test(arguments: [
        "0.1", "-3.5", "12345678901234.07", "9007199254740993", "-9007199254740993.5", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "99999999999999999999.99", "0.000001",
    ])
    func itsDoubleIsTheNearestOfItsSignificandOverThePowerOfTen(text: String) throws {
        let value = try #require(ExactDecimal(text))
        var power = 1.0
        for _ in 0..<value.scale { power *= 10 }
        #expect(value.doubleValue == Double(value.significand) / power)
        #expect(abs(value.doubleValue - Double(text)!) <= Double(text)!.magnitude.ulp)
    }

    /// Its text is the number it was read from written plainly: no leading zeros but one, no trailing
    /// decimal zeros, no point without decimals, no sign on zero. The expected text is made from the
    /// input by those rules alone, on both sides of 64 bits.
    @Test func writesTheNumberItWasReadFromPlainly() throws {
        var random = SystemRandomNumberGenerator()
        func digits(_ count: Int) -> String {
            String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
        }
        for _ in 0..<5000 {
            let negative = Bool.random(using: &random)
            let whole = digits(Int.random(in: 1...15, using: &random))
            // Up to 18 decimals, often with trailing zeros.
            let fraction = digits(Int.random(in: 0...14, using: &random)) + String(repeating: "0", count: Int.random(in: 0...4, using: &random))
            let input = (negative ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
            let keptWhole = String(whole.drop { $0 == "0" })
            let keptFraction = String(fraction.reversed().drop { $0 == "0" }.reversed())
            var expected = (keptWhole.isEmpty ? "0" : keptWhole) + (keptFraction.isEmpty ? "" : "." + keptFraction)
            if negative, expected != "0" { expected = "-" + expected }
            #expect(try #require(ExactDecimal(input)).description == expected, "\(input)")
        }
    }

    @Test(arguments: ["", "-", ".", "1.2.3", "abc", "NaN", "0x10", "1e", "12 ", "1e200", "--1"])
    func rejectsWhatIsNotADecimalNumber(input: String) {
        #expect(ExactDecimal(input) == nil)
    }

    @Test func sumsExactlyWhereBinaryFloatingPointDrifts() throws {
        // Ten tenths add up to one exactly (as binary floating point they do not: 0.9999999999999999).
        var sum = ExactDecimal.zero
        for _ in 0..<10 { sum += try #require(ExactDecimal("0.1")) }
        #expect(sum == ExactDecimal(1))
        #expect(sum.description == "1")
    }

    @Test func comparesByValueAcrossScales() throws {
        let a = try #require(ExactDecimal("1.50"))
        let b = try #require(ExactDecimal("1.5"))
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(try #require(ExactDecimal("-0.01")) < .zero)
        #expect(try #require(ExactDecimal("2")) - a == ExactDecimal("0.5"))
    }

    @Test func decodesNumbersAndNumericStringsToTheSameValue() throws {
        let json = #"[123.456, "123.456", 0.1, "7", 12345678901234.5678]"#
        let values = try JSONDecoder().decode([ExactDecimal].self, from: Data(json.utf8))
        #expect(values.map(\.description) == ["123.456", "123.456", "0.1", "7", "12345678901234.5678"])
    }

    @Test func encodesAsAJSONNumberWithEveryDigit() throws {
        let value = try #require(ExactDecimal("98765432109876.54321"))
        let data = try JSONEncoder().encode([value])
        #expect(String(decoding: data, as: UTF8.self) == "[98765432109876.54321]")
    }

    @Test func rejectsANonNumericString() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([ExactDecimal].self, from: Data(#"["12abc"]"#.utf8))
        }
    }

    @Test func theBillLimitIsTenToTheLimitDigitsAtEveryScale() throws {
        for scale in 0...ExactDecimal.maxScale {
            let text = "1" + String(repeating: "0", count: ExactDecimal.billLimitDigits + scale)
            #expect(ExactDecimal.billLimit(scale: scale) == UInt128(text), "scale \(scale)")
            // Just under the limit is within it, the limit itself is not, at this scale.
            let limit = try #require(Int128(text))
            #expect(ExactDecimal(significand: limit - 1, scale: scale).isWithinBillLimit)
            #expect(!ExactDecimal(significand: -limit, scale: scale).isWithinBillLimit)
        }
    }

    @Test(arguments: [
        ("2.345", 2, "2.35"), ("-2.345", 2, "-2.35"), ("2.344", 2, "2.34"), ("7", 2, "7.00"), ("0.005", 2, "0.01"),
        ("-0.004", 2, "0.00"), ("12345678901234.5678", 2, "12345678901234.57"), ("1.5", 0, "2"), ("0.1", 3, "0.100"),
    ])
    func roundsHalfAwayFromZeroToAScale(value: String, scale: Int, expected: String) {
        #expect(ExactDecimal(value)!.fixed(places: scale) == expected)
        #expect(ExactDecimal(value)!.rounded(scale: scale) == ExactDecimal(expected)!)
    }
}
