import BillingCore
import BillingWire
import Foundation
import Testing

/// The fast reader against Foundation's JSON parser, which `BillingResponse.decodeWithFoundation` uses.
@Suite struct BillingPageReaderTests {
    enum Outcome: Equatable, CustomStringConvertible {
        case read(BillingResponse)
        case rejected

        var description: String {
            switch self {
            case .read(let response): "read \(response.rows.count) rows: \(response)"
            case .rejected: "rejected"
            }
        }
    }

    static func fast(_ bytes: [UInt8]) -> Outcome {
        (try? BillingResponse.decode(bytes)).map(Outcome.read) ?? .rejected
    }

    static func foundation(_ bytes: [UInt8]) -> Outcome {
        (try? BillingResponse.decodeWithFoundation(bytes)).map(Outcome.read) ?? .rejected
    }

    @Test(arguments: 0..<8)
    func agreesWithFoundationOnGeneratedResponses(batch: Int) {
        var generator = ResponseGenerator(seed: UInt64(batch) * 7919 + 1)
        var read = 0
        for index in 0..<250 {
            let document = Array(generator.response().utf8)
            let expected = Self.foundation(document)
            #expect(Self.fast(document) == expected, "batch \(batch) case \(index): \(String(decoding: document, as: UTF8.self))")
            if case .read = expected { read += 1 }
        }
        // Most generated responses are valid; the rest exercise rejections of wrong field types.
        #expect(read > 150)
    }

    /// Edited documents: what the fast reader accepts, Foundation accepts and reads the same; what
    /// Foundation rejects, the fast reader rejects. The fast reader also rejects some malformed JSON
    /// that Foundation lets through in values it does not decode (see `rejectsMalformedJSONThatFoundationSkips`).
    @Test(arguments: 0..<8)
    func agreesWithFoundationOnFuzzedResponses(batch: Int) {
        var generator = ResponseGenerator(seed: UInt64(batch) * 104_729 + 3)
        var rejected = 0
        for index in 0..<400 {
            let document = generator.mutated(generator.response())
            let expected = Self.foundation(document)
            let fast = Self.fast(document)
            let text = String(decoding: document, as: UTF8.self)
            if fast != .rejected { #expect(fast == expected, "batch \(batch) case \(index): \(text) \(document)") }
            if expected == .rejected { #expect(fast == .rejected, "batch \(batch) case \(index): \(text) \(document)") }
            if fast == .rejected { rejected += 1 }
        }
        #expect(rejected > 100, "the edits must break many documents, or the test proves little")
    }

    /// Foundation's decoder checks only the values it decodes; these are not JSON (RFC 8259), and the
    /// fast reader says so wherever they are.
    @Test(arguments: [
        (#"{"result":{"content":[],}}"#, "member name"),
        (#"{"result":{"content":[{},]}}"#, "expected a value"),
        (#"{"result":{"content":[{"x":[1,]}]}}"#, "expected a value"),
        (#"{"result":{"content":[],"x":01}}"#, "expected ','"),
        (#"{"result":{"content":[],"x":1.}}"#, "decimal point"),
        (#"{"result":{"content":[],"x":1e}}"#, "exponent"),
        (#"{"result":{"content":[],"x":"\q"}}"#, "unknown escape"),
        (#"{"result":{"content":[],"x":"\ud800"}}"#, "surrogate"),
        ("{\"result\":{\"content\":[],\"x\":\"a\u{01}b\"}}", "control character"),
    ])
    func rejectsMalformedJSONThatFoundationSkips(json: String, message: String) {
        let error = #expect(throws: BillingResponseError.self) { try BillingResponse.decode(Array(json.utf8)) }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }

    @Test(arguments: [
        ("", "ends early"),
        ("   ", "ends early"),
        ("[]", "not a JSON object"),
        ("{\"result\":{\"content\":[]}} x", "something follows"),
        ("{\"result\":{\"content\":[{\"expectAmount\":01}]}}", "expected ','"),
        ("{\"result\":{\"content\":[{\"expectAmount\":1.}]}}", "digit after its decimal point"),
        ("{\"result\":{\"content\":[{\"expectAmount\":-}]}}", "needs a digit"),
        ("{\"result\":{\"content\":[{\"expectAmount\":\"abc\"}]}}", ".result.content[0].expectAmount: 'abc' is not a decimal number"),
        ("{\"result\":{\"content\":[{\"domainId\":true}]}}", ".result.content[0].domainId: expected a string, a number or null"),
        ("{\"result\":{\"content\":[{\"region\":{}}]}}", ".result.content[0].region: expected a string, a number or null"),
        ("{\"result\":{\"content\":[1]}}", ".result.content[0] is not an object"),
        ("{\"result\":{\"content\":{}}}", "is not a list of rows"),
        ("{\"result\":5}", ".result is not an object"),
        ("{\"status\":\"ok\"}", "no \"result\""),
        ("{\"result\":null}", "no \"result\""),
        ("{\"result\":{\"content\":[{\"domainName\":\"a\u{01}b\"}]}}", "control character"),
        ("{\"result\":{\"content\":[{\"domainName\":\"\\ud800\"}]}}", "surrogate"),
        ("{\"result\":{\"content\":[{\"domainName\":\"\\udc00\"}]}}", "surrogate"),
        ("{\"result\":{\"content\":[{\"x\":\"\\u12\"}]}}", "four hex digits"),
        ("{\"result\":{\"content\":[{\"x\":\"abc}]}}", "not closed"),
        ("{\"result\":{\"content\":[{\"x\":tru}]}}", "expected a value"),
    ])
    func rejectsWhatFoundationRejectsAndSaysWhere(json: String, message: String) {
        let bytes = Array(json.utf8)
        #expect(Self.foundation(bytes) == .rejected, "Foundation accepts it, so the fast reader must too")
        let error = #expect(throws: BillingResponseError.self) { try BillingResponse.decode(bytes) }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }

    @Test func rejectsBytesThatAreNotUTF8() {
        for invalid: [UInt8] in [[0xFF], [0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            let bytes = Array("{\"result\":{\"content\":[{\"domainName\":\"a".utf8) + invalid + Array("b\"}]}}".utf8)
            #expect(Self.foundation(bytes) == Self.fast(bytes), "\(invalid)")
            #expect(Self.fast(bytes) == .rejected, "\(invalid)")
        }
    }

    @Test func readsEveryFieldExactlyWithEscapesAndNumbersAsStrings() throws {
        let json = #"""
            {"result": {"totalPages": 3, "content": [
              {"meteringDate": "20261125", "domainId": "d\u002d1", "domainName": "Acme \"Co\"", "projectId": 42,
               "serviceName": "가상 머신 😀", "region": "kr-central-2", "pricingType": "ON_DEMAND",
               "usageTime": " 1.50 ", "usageSize": null, "generalAmount": 12345678901234.5678, "discountAmount": "",
               "expectAmount": 1.2e3, "extra": {"nested": [1, "two", null]}}
            ]}, "last": true}
            """#
        let response = try BillingResponse.decode(Array(json.utf8))
        #expect(response == (try BillingResponse.decodeWithFoundation(Array(json.utf8))))
        let row = try #require(response.rows.first)
        #expect(row.domainId == "d-1" && row.domainName == "Acme \"Co\"" && row.projectId == "42")
        #expect(row.serviceName == "가상 머신 😀" && row.serviceId == nil)
        #expect(row.usageTime == ExactDecimal("1.5") && row.usageSize == nil && row.discountAmount == nil)
        #expect(row.generalAmount == ExactDecimal("12345678901234.5678") && row.expectAmount == ExactDecimal(1200))
        #expect(response.totalPages == 3 && response.isLast == true)
    }
}

/// The aggregator's fold straight from bytes against rows decoded by Foundation and folded one by one.
@Suite struct DailyAggregatorFromBytesTests {
    @Test(arguments: 0..<4)
    func foldingBytesEqualsFoldingDecodedRows(batch: Int) throws {
        var generator = ResponseGenerator(seed: UInt64(batch) + 77)
        generator.completeRowPercent = 97
        let day = CalendarDay("20261125")!
        var fromBytes = DailyAggregator(date: day)
        var fromRows = DailyAggregator(date: day)
        var (pages, refused) = (0, 0)
        for _ in 0..<60 {
            let page = Array(generator.response(rows: 40).utf8)
            guard let decoded = try? BillingResponse.decodeWithFoundation(page) else { continue }
            // A page with a row of the day that lacks its key or amount is refused on both paths.
            let before = (fromBytes, fromRows)
            let info = try? fromBytes.add(pageBody: page)
            let rowsTaken: Void? = try? fromRows.add(contentsOf: decoded.rows)
            #expect((info == nil) == (rowsTaken == nil))
            guard let info, rowsTaken != nil else {
                (fromBytes, fromRows) = before
                refused += 1
                continue
            }
            pages += 1
            #expect(info.rowCount == decoded.rows.count)
        }
        #expect(pages > 10 && refused > 10)
        #expect(fromBytes.dailyCosts() == fromRows.dailyCosts())
        #expect(fromBytes.rowCount == fromRows.rowCount && fromBytes.otherDayRowCount == fromRows.otherDayRowCount)
        #expect(fromBytes.otherDayRowCount > 0 && fromBytes.keyCount > 3)
    }
}

extension DailyAggregatorFromBytesTests {
    /// Ids that run together the same way without their boundaries, numeric and escaped ones, visited
    /// in the orders a response may use: the aggregator guesses each row's key from the
    /// row before, and a wrong guess must never be taken.
    static let trickyKeys: [(String, String, String)] = [
        (#""ab""#, #""c""#, #""1""#), (#""a""#, #""bc""#, #""1""#), (#""a""#, #""b""#, #""c1""#),
        (#""a""#, #""b""#, #""c""#), (#""abc""#, #""1""#, #""x""#), (#""ab""#, #""c1""#, #""x""#),
        (#""a""#, #""bc1""#, #""x""#), (#""\u0061b""#, #""c""#, #""1""#), (#""ab""#, #""c""#, #""1""#),
        (#""ab""#, #""c""#, "1"), (#""ab""#, #""c""#, #""2""#), (#""ab""#, #""c""#, #""10""#),
    ]

    @Test(arguments: ["rounds", "grouped", "reversed", "mixed"])
    func guessedKeysAreTheKeysFoundationReads(order: String) throws {
        let count = Self.trickyKeys.count
        let sequence: [Int] = switch order {
        case "rounds": (0..<3 * count).map { $0 % count }
        case "grouped": (0..<3 * count).map { $0 / 3 }
        case "reversed": (0..<3 * count).map { count - 1 - $0 % count }
        default: (0..<3 * count).map { ($0 * 7 + $0 / count) % count }
        }
        let rows = sequence.enumerated().map { place, key in
            let (domain, project, service) = Self.trickyKeys[key]
            let date = place % 5 == 4 ? "20261124" : "20261125"
            return #"{"meteringDate":"\#(date)","domainId":\#(domain),"projectId":\#(project),"serviceId":\#(service),"#
                + #""pricingType":"P\#(place % 2)","expectAmount":\#(place + 1)}"#
        }
        let page = Array(#"{"result":{"content":[\#(rows.joined(separator: ","))]}}"#.utf8)
        let day = CalendarDay("20261125")!
        var fromBytes = DailyAggregator(date: day)
        var fromRows = DailyAggregator(date: day)
        _ = try fromBytes.add(pageBody: page)
        try fromRows.add(contentsOf: try BillingResponse.decodeWithFoundation(page).rows)
        #expect(fromBytes.dailyCosts() == fromRows.dailyCosts())
        // "\\u0061b" is "ab" and 1 is "1": three keys of the list are others spelt differently.
        #expect(fromBytes.keyCount == count - 3)
    }
}

@Suite struct BillingFieldTests {
    @Test func everyFieldNameIsRecognisedAndNoNearMiss() {
        for field in BillingFieldNames.all {
            #expect(BillingFieldNames.recognises(field), "\(field)")
            var bytes = Array(field.utf8)
            for index in bytes.indices {
                let original = bytes[index]
                bytes[index] = original ^ 0x20
                #expect(!BillingFieldNames.recognises(String(decoding: bytes, as: UTF8.self)), "\(field) with byte \(index) changed")
                bytes[index] = original
            }
            #expect(!BillingFieldNames.recognises(field + "x") && !BillingFieldNames.recognises(String(field.dropLast())))
        }
    }
}

/// The row fields as a test sees them: through a one-row response.
enum BillingFieldNames {
    static let all = [
        "meteringDate", "domainId", "domainName", "projectId", "projectName", "serviceId", "serviceName",
        "region", "pricingType", "usageTime", "usageSize", "generalAmount", "discountAmount", "expectAmount",
    ]

    /// Whether a member of this name is read as a field: a boolean there is an error only for fields.
    static func recognises(_ name: String) -> Bool {
        let json = #"{"result":{"content":[{"\#(name)":true}]}}"#
        return (try? BillingResponse.decode(Array(json.utf8))) == nil
    }
}

/// Rows usually share their member order, and the reader checks each name against the row before
/// first; rows that break the pattern must read exactly as Foundation reads them.
@Suite struct RowShapeTests {
    @Test func rowsThatBreakTheOrderOfTheRowBeforeReadAsFoundationReadsThem() throws {
        let usual = #"{"domainId":"d","projectId":"p","serviceId":"1","expectAmount":"1.5","region":"kr"}"#
        let variants = [
            usual,
            #"{"domainId" :"d2","projectId":"p","serviceId":"1","expectAmount":2,"region":"kr"}"#,
            #"{"projectId":"p","domainId":"d3","serviceId":"1","expectAmount":3,"region":"kr"}"#,
            #"{"domainI\u0064":"d4","projectId":"p","serviceId":"1","expectAmount":4,"region":"kr"}"#,
            #"{"domainIdx":"d5","domainId":"d6","serviceId":"1","expectAmount":5,"region":"kr"}"#,
            #"{"domainId":"d7","projectId":"p","serviceId":"1","expectAmount":6}"#,
            #"{"domainId":"d8","projectId":"p","serviceId":"1","expectAmount":7,"region":"kr","extra":{"domainId":"x"}}"#,
            #"{"domainId":"d9","domainId":"shadowed","serviceId":"1","expectAmount":8,"region":"kr"}"#,
            usual,
        ]
        let body = Array((#"{"result":{"content":["# + (variants + variants.reversed()).joined(separator: ",") + "]}}").utf8)
        let fast = try BillingResponse.decode(body)
        #expect(fast == (try BillingResponse.decodeWithFoundation(body)))
        #expect(fast.rows.map(\.domainId) == ["d", "d2", "d3", "d4", "d6", "d7", "d8", "d9", "d", "d", "d9", "d8", "d7", "d6", "d4", "d3", "d2", "d"])
    }
}

@Suite struct NumberReadingTests {
    /// Short numbers are valued while their grammar is checked; longer ones and exponents are read
    /// again exactly. Both must give what the decimal parser gives.
    @Test(arguments: [
        "0", "-0", "0.5", "-0.05", "7", "123456789012345678", "12345678901234567.8", "1234567890123456789",
        "-999999999999999999", "0.000000000000000001", "1e3", "-2.5E-2", "123456789012345678901234567890",
    ])
    func amountsAsNumbersEqualTheirText(number: String) throws {
        let body = Array(#"{"result":{"content":[{"expectAmount":\#(number)}]}}"#.utf8)
        let row = try #require(try BillingResponse.decode(body).rows.first)
        #expect(row.expectAmount == ExactDecimal(number))
        #expect(row.expectAmount == (try BillingResponse.decodeWithFoundation(body).rows.first?.expectAmount))
    }
}
