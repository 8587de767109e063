import BillingCore
import BillingSimulator
import BillingTesting
import Foundation
import Logging
import Testing

@testable import BillingApp

@Suite struct BenchRunnerTests {
    @Test func aSmallRunReportsEveryFigureForWhatItGenerated() async throws {
        var options = BenchRunner.Options()
        options.rows = 3_000
        options.keys = 400
        options.days = 4
        options.historyKeys = 100
        let report = try await BenchRunner(options: options, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }).run()
        let parse = try #require(report.parseAndAggregate)
        #expect(parse.rows == 3_000 && parse.keys == 400 && parse.bytes > 3_000 * 300)
        #expect(parse.seconds > 0 && parse.rowsPerSecond > 0)
        #expect(report.historySeeding?.detail["rows"] == 400)
        #expect(report.baselineRecomputation?.detail["baselines"] == 100)
        #expect(report.dailyJob?.detail["rows"] == 3_000 && report.dailyJob?.detail["keys"] == 400)
        #expect(report.hourlyJob?.detail["keys"] == 400)
        #expect((report.peakResidentMegabytes ?? 0) >= (report.peakResidentMegabytesAfterParse ?? 1))
        #expect(report.store == "sqlite")
    }

    @Test func theDayAsOneResponseFileFoldsToWhatItsPagesFoldTo() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let day = BenchDay(rows: 2_500, keys: 300)
        let file = folder.url.appendingPathComponent("day.json")
        let date = CalendarDay("20261125")!
        try day.writeResponse(to: file, day: date)
        var whole = DailyAggregator(date: date)
        _ = try whole.add(pageBody: try Data(contentsOf: file))
        var paged = DailyAggregator(date: date)
        for page in 0..<3 { _ = try paged.add(pageBody: day.page(page, size: 1_000, day: date)) }
        #expect(whole.rowCount == 2_500 && whole.keyCount == 300)
        #expect(whole.dailyCosts() == paged.dailyCosts())
    }

    @Test func aStoreThatHoldsDataIsRefused() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("used.sqlite")
        var options = BenchRunner.Options()
        options.rows = 500
        options.keys = 50
        options.days = 1
        options.historyKeys = 10
        options.store = .sqlite(path: path)
        _ = try await BenchRunner(options: options, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }).run()
        let error = await #expect(throws: BenchError.self) { try await BenchRunner(options: options, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }).run() }
        #expect(error?.description.contains("--store must name an empty one") == true)
    }
}
