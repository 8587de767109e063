import BillingCore
import BillingPipeline
import BillingSimulator
import BillingTesting
import BillingWire
import Foundation
import Logging
import ObjectArchive
import Testing

@testable import BillingApp
@testable import BillingLab

@Suite struct BenchRunnerTests {
    @Test func aSmallRunReportsEveryFigureForWhatItGenerated() async throws {
        var options = BenchRunner.Options()
        options.rows = 3_000
        options.keys = 400
        options.days = 4
        options.historyKeys = 100
        options.threads = 3
        options.compareOneThread = true
        let report = try await BenchRunner(options: options, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }).run()
        let parse = try #require(report.parseAndAggregate)
        // Three threads asked for, two used: one reads, one folds.
        #expect(parse.rows == 3_000 && parse.keys == 400 && parse.bytes > 3_000 * 300 && parse.threads == 2)
        // The same pages on one thread, and the ratio of the two times.
        let one = try #require(report.oneThread)
        #expect(one.rows == 3_000 && one.keys == 400 && one.bytes == parse.bytes && one.threads == 1)
        #expect(abs((report.speedupOverOneThread ?? 0) - one.seconds / parse.seconds) < 1e-9)
        // The rates are the counts over the time, as the README's table reads them.
        #expect(abs(parse.rowsPerSecond * parse.seconds - 3_000) < 1e-6)
        #expect(abs(parse.megabytesPerSecond * parse.seconds - Double(parse.bytes) / 1_000_000) < 1e-6)
        #expect(report.historySeeding?.detail["rows"] == 400)
        #expect(report.baselineRecomputation?.detail["baselines"] == 100)
        #expect(report.dailyJob?.detail["rows"] == 3_000 && report.dailyJob?.detail["keys"] == 400)
        #expect(report.reprocess?.detail["keys"] == 400 && report.reprocess?.detail["anomalies"] == report.dailyJob?.detail["anomalies"])
        #expect(report.hourlyJob?.detail["keys"] == 400)
        // Each step has its own peak, read on Linux, none above the run's. (Other tests run in this
        // process meanwhile, so what each figure holds is the benchmark's to show, not this test's.)
        let peaks = try [report.historySeeding, report.baselineRecomputation, report.dailyJob, report.reprocess, report.hourlyJob]
            .map { try #require($0?.peakResidentMegabytes) }
        let whole = try #require(report.peakResidentMegabytes)
        #expect((peaks + [try #require(report.peakResidentMegabytesAfterParse)]).allSatisfy { $0 <= whole })
        #expect(report.store == "sqlite")
    }

    /// A body under 1 MB is read on one thread whatever `--threads` asks for, and the figures say so.
    @Test func aSmallDayIsReportedAsReadOnOneThread() async throws {
        var options = BenchRunner.Options()
        (options.rows, options.keys, options.jobs, options.threads) = (500, 50, false, 2)
        let report = try await BenchRunner(options: options, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }).run()
        #expect(report.parseAndAggregate?.rows == 500 && report.parseAndAggregate?.threads == 1)
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

    /// An archived raw day, as the daily job leaves it in the archive, reads as its pages do.
    @Test func anArchivedDayIsTimedAsItsPages() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let day = BenchDay(rows: 2_500, keys: 300)
        // Not the bench's own day: the file's rows are read for the day the file names.
        let date = CalendarDay("20261105")!
        let writer = try RawDayWriter(directory: folder.url, date: date, fetchedAt: Date(timeIntervalSince1970: 0))
        for page in 0..<3 { try writer.append(page: day.page(page, size: 1_000, day: date)) }
        let file = try writer.finish(FetchSummary(pageCount: 3, rowCount: 2_500, pageSize: 1_000, endpoint: "http://x"))
        let archived = try BenchRunner.timeFile(file.path)
        #expect(archived.rows == 2_500 && archived.keys == 300 && archived.otherDayRows == 0)
        let response = folder.url.appendingPathComponent("day.json")
        try day.writeResponse(to: response, day: date)
        let whole = try BenchRunner.timeFile(response.path)
        #expect(whole.rows == 2_500 && whole.keys == 300 && whole.otherDayRows == 0)
        // A response is not taken for an archived day, nor the other way round.
        #expect(!RawDayDocument.isArchivedDay(head: try Data(contentsOf: response)))
        #expect(RawDayDocument.isArchivedDay(head: try Data(contentsOf: file)))
    }

    /// Each order is the same rows in another sequence: every row once, so the day folds to the same
    /// costs; and the orders do differ, where a key's row follows another's.
    @Test(arguments: [(2_500, 300), (2_000, 400), (997, 997), (7, 3)])
    func everyOrderHoldsTheSameRows(rows: Int, keys: Int) throws {
        let date = CalendarDay("20261125")!
        var costs: [[DailyCost]] = []
        var sequences: [[Int]] = []
        for order in BenchDay.Order.allCases {
            let day = BenchDay(rows: rows, keys: keys, order: order)
            var aggregator = DailyAggregator(date: date)
            for page in 0..<(rows + 999) / 1_000 { _ = try aggregator.add(pageBody: day.page(page, size: 1_000, day: date)) }
            #expect(aggregator.rowCount == rows && aggregator.keyCount == keys)
            costs.append(aggregator.dailyCosts())
            sequences.append((0..<rows).map { day.row(at: $0) % keys })
        }
        #expect(costs.allSatisfy { $0 == costs[0] })
        if rows > keys {
            #expect(Set(sequences).count == 3)
            // grouped: a key's rows together.
            #expect(zip(sequences[1], sequences[1].dropFirst()).filter { $0 != $1 }.count == keys - 1)
        }
    }

    /// 300 MB held and let go: the process's peak counts it, a new stretch's peak does not. Measured
    /// in a process of its own (an exit test), so that no other test's memory moves the figures.
    @Test func aStretchsPeakLeavesOutWhatWasFreedBeforeIt() async throws {
        let child = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            let before = PeakMemory.megabytes() ?? -1
            let size = 300 << 20
            let block = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 4096)
            for page in stride(from: 0, to: size, by: 4096) { block[page] = 1 }
            let held = PeakMemory.megabytes() ?? -1
            block.deallocate()
            let reset = PeakMemory.reset()
            let after = PeakMemory.megabytes() ?? -1
            print(reset, before, held, after)
        }
        let figures = String(decoding: try #require(child).standardOutputContent, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        try #require(figures.count == 4, "\(figures)")
        let (before, held, after) = (Double(figures[1]) ?? -1, Double(figures[2]) ?? -1, Double(figures[3]) ?? -1)
        #expect(figures[0] == "true" && before > 0)
        // The block is counted while held, and the new stretch starts near where the process began.
        #expect(held >= before + 290 && after < before + 50, "before \(before) MB, held \(held) MB, after \(after) MB")
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

    /// `--compare-python` times the repository's rendition of the tutorial, or, given a checkout of the
    /// tutorial, that checkout's own `extract_entries` and `aggregate_daily`, on the same file.
    @Test func thePythonComparisonRunsTheRenditionOrTheCheckoutsOwnFunctions() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        var options = BenchRunner.Options()
        (options.rows, options.keys, options.jobs, options.comparePython) = (2_000, 150, false, true)
        options.writeDay = folder.file("day.json")
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let rendition = try await BenchRunner(options: options, logger: logger).run()
        let python = try #require(rendition.python)
        #expect(python.code == "scripts/tutorial_aggregate.py" && python.keys == 150 && python.seconds > 0)
        let parse = try #require(rendition.parseAndAggregate)
        #expect(abs((rendition.speedupOverPython ?? 0) - python.seconds / parse.seconds) < 1e-9)

        // A stand-in checkout, laid out as the tutorial is, whose functions give one summary a row:
        // the count the report shows is theirs, not the rendition's 150 keys.
        let checkout = folder.file("tutorial")
        try FileManager.default.createDirectory(atPath: checkout + "/core", withIntermediateDirectories: true)
        try "".write(toFile: checkout + "/core/__init__.py", atomically: false, encoding: .utf8)
        try """
            def extract_entries(data):
                return data["result"]["content"]

            def aggregate_daily(entries):
                return [dict(entry) for entry in entries]
            """.write(toFile: checkout + "/core/aggregator.py", atomically: false, encoding: .utf8)
        options.tutorialCheckout = checkout
        let tutorial = try #require(try await BenchRunner(options: options, logger: logger).run().python)
        #expect(tutorial.code == checkout + "/core/aggregator.py" && tutorial.keys == 2_000)

        // A checkout whose aggregator lacks one of the two functions says which.
        try "def extract_entries(data):\n    return []\n".write(toFile: checkout + "/core/aggregator.py", atomically: false, encoding: .utf8)
        let error = await #expect(throws: BenchError.self) { try await BenchRunner(options: options, logger: logger).run() }
        #expect(error?.description.contains("has no aggregate_daily: is it the tutorial's aggregator?") == true, "\(String(describing: error))")
    }

    /// A folder that is not a checkout of the tutorial, or `--tutorial` without `--compare-python`, is
    /// refused before anything is timed.
    @Test func aTutorialFolderThatIsNotACheckoutIsAUsageError() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let runner = CommandRunner(directory: folder)
        let common = ["bench", "--rows", "100", "--keys", "10", "--skip-jobs", "--write-day", folder.file("day.json")]
        let empty = try await runner.run(common + ["--compare-python", "--tutorial", folder.path])
        #expect(empty.status == 64, "\(empty.all)")
        #expect(empty.stderr.contains("--tutorial \(folder.path) is not a checkout of the tutorial: it has no core/aggregator.py"), "\(empty.stderr)")
        let alone = try await runner.run(common + ["--tutorial", folder.path])
        #expect(alone.status == 64 && alone.stderr.contains("give --compare-python too"), "\(alone.all)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("day.json")))
    }

    /// A thread count the bench cannot use is a usage error that says what it takes.
    @Test(arguments: ["0", "-2", "1000"])
    func aWrongThreadCountIsAUsageError(threads: String) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let result = try await CommandRunner(directory: folder).run(["bench", "--rows", "100", "--keys", "10", "--skip-jobs", "--threads=\(threads)"])
        #expect(result.status == 64, "\(result.all)")
        #expect(result.stderr.contains("--threads is from 1 to 256, not \(threads)"), "\(result.stderr)")
    }

    /// Figures say which build made them, and a debug build is warned about.
    @Test func theBinarySaysWhichBuildItIs() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let result = try await CommandRunner(directory: folder).run(["bench", "--rows", "2000", "--keys", "100", "--skip-jobs"])
        #expect(result.status == 0, "\(result.all)")
        struct Figures: Decodable { var build: String }
        let build = try JSONDecoder().decode(Figures.self, from: Data(result.stdout.utf8)).build
        #expect(result.stderr.contains("bench: parsing and folding the day"))
        #if DEBUG
            #expect(build == "debug" && result.stderr.contains("warning: this is a debug build"))
        #else
            #expect(build == "release" && !result.stderr.contains("warning:"))
        #endif
    }
}
