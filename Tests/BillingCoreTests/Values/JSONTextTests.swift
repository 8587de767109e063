import Foundation
import Testing

@testable import BillingCore

@Suite struct JSONTextTests {
    /// Every ASCII character, the escapes among them, and text beyond ASCII.
    static let samples: [String] = [
        String(String.UnicodeScalarView((0..<0x80).compactMap(Unicode.Scalar.init))),
        "", "plain", "kr-central-2", "a/b\\c\"d", "한글 서비스", "é\u{2028}\u{7f}", "\u{1F600} end", "\n", "\"\"",
    ]

    @Test(arguments: samples)
    func writesAStringAsFoundationsEncoderDoes(text: String) throws {
        let encoded = String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
        #expect(JSONText.quoted(text) == encoded)
        #expect(try JSONDecoder().decode(String.self, from: Data(JSONText.quoted(text).utf8)) == text)
    }
}
