import BillingCore
import Testing

@testable import BillingWire

/// A body read on one thread and folded on another folds to what one thread folds: the same costs in
/// the same order, the same counts, and, when the body is wrong, the same error.
@Suite struct HandOffReadTests {
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
                try aggregator.add(pageBody: body, threads: threads, handingOffFrom: 0)
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
    func aHandedOffReadFoldsWhatOneReaderFolds(batch: Int) {
        var generator = ResponseGenerator(seed: UInt64(batch) * 31 + 5)
        generator.completeRowPercent = 100
        for index in 0..<2 {
            let body = Self.body(&generator, bytes: 2_500_000 + 1_000_000 * index)
            let one = Self.fold(body, threads: nil)
            guard case .costs(_, let rows, _, _, _) = one else { Issue.record("\(one)"); continue }
            // More than two batches, so both batches are filled and handed over again.
            #expect(rows > 2 * RowHandOff.batchRows, "batch \(batch) body \(index): \(rows) rows")
            #expect(Self.fold(body, threads: 2) == one, "batch \(batch) body \(index)")
        }
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

    /// Rows with braces and commas in strings and nested values, and names that arrive late.
    @Test func rowsWithNestedValuesFoldAsOneReaderFoldsThem() {
        let body = Self.plainBody(rows: 6_000, traps: true)
        let one = Self.fold(body, threads: nil)
        guard case .costs(let costs, let rows, _, _, _) = one else { Issue.record("\(one)"); return }
        #expect(rows == 6_000 && costs.count == 350 && costs.allSatisfy { $0.domainName == "Acme" })
        #expect(Self.fold(body, threads: 2) == one)
    }

    /// An error late in the body, in a row the reader finds wrong or one the fold does, or a sum taken
    /// past the limit, is reported as one reader reports it: the same row, the same words.
    @Test(arguments: [
        (5_500, #"{"meteringDate":"20261125","projectId":"p","serviceId":"s","expectAmount":1}"#, ".result.content[5500] has no domainId"),
        (5_900, #"{"meteringDate":"20261125","domainId":"d","projectId":"p","serviceId":"s","expectAmount":true}"#,
            ".result.content[5900].expectAmount: expected a string, a number or null, found a boolean"),
    ])
    func aWrongRowLateInTheBodyIsTheErrorOneReaderGives(at place: Int, row: String, error: String) {
        let body = Self.plainBody(rows: 6_000) { $0 == place ? row : nil }
        #expect(Self.fold(body, threads: nil) == .failed(error))
        #expect(Self.fold(body, threads: 2) == .failed(error))
    }

    @Test func aSumPastTheLimitLateInTheBodyIsTheErrorOneReaderGives() {
        let large = { (number: Int) -> String? in
            [10, 3_000, 5_990].contains(number)
                ? #"{"meteringDate":"20261125","domainId":"d","projectId":"big","serviceId":"s","expectAmount":400000000000000}"# : nil
        }
        let body = Self.plainBody(rows: 6_000, large)
        let error = ".result.content[5990] takes its key's expectAmount to 10^15 or more, beyond any bill"
        #expect(Self.fold(body, threads: nil) == .failed(error))
        #expect(Self.fold(body, threads: 2) == .failed(error))
    }

    /// A key's running sum that one reader takes past the limit before a negative row brings it back.
    @Test func aRunningSumPastTheLimitIsNotHiddenByALaterRow() {
        let amounts = [10: "600000000000000", 3_500: "600000000000000", 3_600: "-600000000000000"]
        let body = Self.plainBody(rows: 6_000) { number in
            amounts[number].map { #"{"meteringDate":"20261125","domainId":"d","projectId":"big","serviceId":"s","expectAmount":\#($0)}"# }
        }
        let error = ".result.content[3500] takes its key's expectAmount to 10^15 or more, beyond any bill"
        #expect(Self.fold(body, threads: nil) == .failed(error))
        #expect(Self.fold(body, threads: 2) == .failed(error))
    }
}
