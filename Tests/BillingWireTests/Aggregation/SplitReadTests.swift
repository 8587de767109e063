import BillingCore
import Testing

@testable import BillingWire

/// A body read by several readers at once folds to what one reader folds: the same costs in the same
/// order, the same counts, and, when the body is wrong, the same error.
@Suite struct SplitReadTests {
    static let day = CalendarDay("20261125")!

    /// One response of generated rows (every shape the contract allows, unknown members with nested
    /// objects and lists, strings with braces and commas) of at least `bytes` bytes.
    static func body(_ generator: inout ResponseGenerator, bytes: Int) -> [UInt8] {
        var rows: [String] = []
        var size = 0
        while size < bytes {
            let row = generator.space() + generator.row() + generator.space()
            rows.append(row)
            size += row.utf8.count + 1
        }
        return Array(#"{"totalPages":1,"result":{"content":[\#(rows.joined(separator: ","))],"last":true}}"#.utf8)
    }

    enum Folded: Equatable {
        case costs([DailyCost], rows: Int, otherDayRows: Int, total: ExactDecimal, info: PageInfo)
        case failed(String)
    }

    static func fold(_ body: [UInt8], threads: Int?) -> Folded {
        var aggregator = DailyAggregator(date: day)
        do throws(BillingResponseError) {
            let info = if let threads {
                try aggregator.add(pageBody: body, threads: threads, splittingFrom: 0)
            } else {
                try aggregator.add(pageBody: body)
            }
            return .costs(
                aggregator.dailyCosts(), rows: aggregator.rowCount, otherDayRows: aggregator.otherDayRowCount,
                total: aggregator.expectAmount, info: info)
        } catch {
            return .failed(error.reason)
        }
    }

    @Test(arguments: 0..<4)
    func aSplitReadFoldsWhatOneReaderFolds(batch: Int) {
        var generator = ResponseGenerator(seed: UInt64(batch) * 31 + 5)
        generator.completeRowPercent = 100
        var split = 0
        for index in 0..<2 {
            let body = Self.body(&generator, bytes: 300_000 + 200_000 * index)
            let one = Self.fold(body, threads: nil)
            for threads in [2, 3, 7] {
                #expect(Self.fold(body, threads: threads) == one, "batch \(batch) body \(index) on \(threads) threads")
                var aggregator = DailyAggregator(date: Self.day)
                if aggregator.readSplit(body.withUnsafeBufferPointer { $0 }, passed: .ignored, threads: threads) != nil { split += 1 }
            }
        }
        // Most bodies are read split; the others are read again by one reader, as a wrong body is.
        #expect(split >= 4, "only \(split) of 6 reads were split")
    }

    /// Plain rows of `keys` keys, `rows` of them, with `row(n)` where given in their place; with
    /// `traps`, each row holds braces and commas in a string and in nested values.
    static func plainBody(rows: Int, keys: Int = 50, traps: Bool = false, _ row: (Int) -> String? = { _ in nil }) -> [UInt8] {
        let extra = traps ? #""memo":"} , {\"not\":\"a row\"}","tags":[{"a":1},{"b":[{"c":"}, {"}]}],"# : ""
        let content = (0..<rows).map { number in
            row(number) ?? #"{"meteringDate":"20261125","domainId":"d","domainName":"\#(number > 10 ? "Acme" : "")","projectId":"p\#(number % keys)","#
                + #""serviceId":"\#(number % 7)","pricingType":"\#(number % 3 == 0 ? "SPOT" : "ON_DEMAND")","region":"r\#(number % 2)","#
                + extra + #""expectAmount":\#(number % 97).\#(number % 10)5}"#
        }
        return Array(#"{"result":{"content":[\#(content.joined(separator: ",\n"))]}}"#.utf8)
    }

    /// Braces and commas inside strings and nested values look like the start of a row: a reader that
    /// starts there is not used, and the costs are still those of one reader.
    @Test func bracesInsideRowsDoNotSplitThem() {
        let body = Self.plainBody(rows: 6_000, traps: true)
        let one = Self.fold(body, threads: nil)
        guard case .costs(let costs, let rows, _, _, _) = one else { Issue.record("\(one)"); return }
        #expect(rows == 6_000 && costs.count == 350 && costs.allSatisfy { $0.domainName == "Acme" })
        for threads in [2, 4, 9] { #expect(Self.fold(body, threads: threads) == one) }
    }

    /// An error past the first reader's stretch, or a sum that only the stretches together take past
    /// the limit, is reported as one reader reports it: the same row, the same words.
    @Test(arguments: [
        (5_500, #"{"meteringDate":"20261125","projectId":"p","serviceId":"s","expectAmount":1}"#, ".result.content[5500] has no domainId"),
        (5_900, #"{"meteringDate":"20261125","domainId":"d","projectId":"p","serviceId":"s","expectAmount":true}"#,
            ".result.content[5900].expectAmount: expected a string, a number or null, found a boolean"),
    ])
    func aWrongRowLateInTheBodyIsTheErrorOneReaderGives(at place: Int, row: String, error: String) {
        let body = Self.plainBody(rows: 6_000) { $0 == place ? row : nil }
        #expect(Self.fold(body, threads: nil) == .failed(error))
        for threads in [2, 3] { #expect(Self.fold(body, threads: threads) == .failed(error)) }
    }

    @Test func aSumPastTheLimitAcrossStretchesIsTheErrorOneReaderGives() {
        let large = { (number: Int) -> String? in
            [10, 3_000, 5_990].contains(number)
                ? #"{"meteringDate":"20261125","domainId":"d","projectId":"big","serviceId":"s","expectAmount":400000000000000}"# : nil
        }
        let body = Self.plainBody(rows: 6_000, large)
        let error = ".result.content[5990] takes its key's expectAmount to 10^15 or more, beyond any bill"
        #expect(Self.fold(body, threads: nil) == .failed(error))
        for threads in [2, 3] { #expect(Self.fold(body, threads: threads) == .failed(error)) }
    }

    /// A key's running sum that one reader takes past the limit before a negative row brings it back:
    /// stretches that each stay within it must not hide that. Sums near the limit are read by one reader.
    @Test func aRunningSumPastTheLimitIsNotHiddenByTheStretches() {
        let amounts = [10: "600000000000000", 3_500: "600000000000000", 3_600: "-600000000000000"]
        let body = Self.plainBody(rows: 6_000) { number in
            amounts[number].map { #"{"meteringDate":"20261125","domainId":"d","projectId":"big","serviceId":"s","expectAmount":\#($0)}"# }
        }
        let error = ".result.content[3500] takes its key's expectAmount to 10^15 or more, beyond any bill"
        #expect(Self.fold(body, threads: nil) == .failed(error))
        for threads in [2, 3] { #expect(Self.fold(body, threads: threads) == .failed(error)) }
    }

    /// Where the split is proved and no sum comes near the limit, the stretches are used: the same body
    /// read split and merged gives one reader's costs.
    @Test func aPlainBodyIsReadSplit() {
        let body = Self.plainBody(rows: 6_000)
        var one = DailyAggregator(date: Self.day)
        #expect(throws: Never.self) { _ = try one.add(pageBody: body) }
        for threads in [2, 4] {
            var split = DailyAggregator(date: Self.day)
            let info = body.withUnsafeBufferPointer { split.readSplit($0, passed: .ignored, threads: threads) }
            #expect(info?.rowCount == 6_000)
            #expect(split.dailyCosts() == one.dailyCosts() && split.rowCount == 6_000 && split.expectAmount == one.expectAmount)
        }
    }

    /// A reader of a stretch ends a row exactly where the next one starts, or its rows count for
    /// nothing: a start inside a row (here, inside a nested list of objects) is not a row's start.
    @Test func aStretchMustEndExactlyWhereTheNextBegins() throws {
        let row = #"{"domainId":"d","projectId":"p","serviceId":"s","tags":[{"a":1},{"b":2}],"expectAmount":1}"#
        let body = Array(#"{"result":{"content":[\#(row),\#(row),\#(row)]}}"#.utf8)
        let text = String(decoding: body, as: UTF8.self)
        let rowStarts = text.utf8.indices.enumerated().filter { text[$0.element...].hasPrefix(#"{"domainId""#) }.map(\.offset)
        let inside = try #require(text.range(of: #"{"b":2}"#)).lowerBound.utf16Offset(in: text)
        #expect(rowStarts.count == 3)
        let read = { (from: Int, to: Int?) -> RowRun? in
            var sink = RowCollector()
            return body.withUnsafeBufferPointer { try? BillingPageReader.readRows($0, from: from, to: to, into: &sink, passed: .ignored) }
        }
        // From a row's start: to the next row's start, or to the list's end.
        #expect(read(rowStarts[0], rowStarts[1])?.rows == 1)
        #expect(read(rowStarts[1], nil)?.rows == 2)
        // To a place inside a row, which the rows step over: nothing.
        #expect(read(rowStarts[0], inside + 200) == nil)
        #expect(read(rowStarts[0], rowStarts[1] + 1) == nil)
    }

    /// The first reader takes the other readers' rows only where a row of its own ends exactly at the
    /// split; a split it steps over missed, whatever the others say they read; one past the list is
    /// never reached, and the first reader reads it all.
    @Test(arguments: [(0, "handed over"), (1, "missed"), (-1, "missed"), (1_000, "not reached")])
    func theFirstReaderHandsOverOnlyAtARowsStart(shift: Int, outcome: String) throws {
        let row = #"{"domainId":"d","projectId":"p","serviceId":"s","expectAmount":1}"#
        let text = #"{"result":{"content":[\#(row),\#(row),\#(row)]}}"#
        let body = Array(text.utf8)
        let second = try #require(text.range(of: "},{")).upperBound.utf16Offset(in: text) - 1
        #expect(body[second] == UInt8(ascii: "{"))
        // The others claim to have read the rest: two rows, up to past the list's close.
        let split = ContentSplit(at: min(second + shift, body.count - 1)) { RowRun(rows: 2, end: body.count - 2) }
        var sink = RowCollector()
        let info = body.withUnsafeBufferPointer { try? BillingPageReader.read($0, into: &sink, split: split) }
        switch outcome {
        case "handed over":
            #expect(split.wasHandedOver && !split.hasMissed && info?.rowCount == 3 && sink.rows.count == 1)
        case "missed":
            #expect(split.hasMissed && info == nil)
        default:
            #expect(!split.wasHandedOver && !split.hasMissed && info?.rowCount == 3 && sink.rows.count == 3)
        }
    }
}
