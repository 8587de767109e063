import BillingApp
import BillingCore
import BillingPipeline
import BillingSimulator
import BillingWire
import Foundation
import Logging
import ObjectArchive

#if canImport(Glibc)
import Glibc
#endif

/// `billing-alert bench`: times the hot paths on a generated day of any size and prints one JSON object.
public struct BenchRunner: Sendable {
    public struct Options: Sendable {
        public var rows = 1_000_000
        public var keys = 125_000
        /// The order of the generated day's rows.
        public var order = BenchDay.Order.rounds
        /// Days of history seeded into the store before the jobs run.
        public var days = 90
        /// Keys with history (the first ones of the day's).
        public var historyKeys = 25_000
        /// The store the jobs use; nil: a new SQLite file in a temporary folder.
        public var store: AppConfiguration.StoreLocation?
        /// Times parse and aggregate of this API response file instead of a generated day.
        public var input: String?
        /// Runs `scripts/tutorial_aggregate.py` on the same file and reports both.
        public var comparePython = false
        /// A checkout of the Python tutorial: `comparePython` then times the tutorial's own
        /// `extract_entries` and `aggregate_daily` from it, rather than the repository's rendition.
        public var tutorialCheckout: String?
        /// Also times Foundation's `JSONDecoder` on the same pages, then folds its rows.
        public var compareFoundation = false
        /// Writes the generated day to this file as one API response, then reads it back as `input`.
        public var writeDay: String?
        public var jobs = true
        /// Threads for parse and aggregate: above 1, a body's rows are folded on a second thread.
        public var threads = 1
        /// Also times parse and aggregate on one thread, for the ratio in the same run.
        public var compareOneThread = false

        /// Hears each step as it starts (the command writes them to standard error); never timed.
        public var progress: @Sendable (String) -> Void = { _ in }

        public init() {}
    }

    public let options: Options
    public let logger: Logger
    /// The bench's day: what the daily job fetches; the hourly job fetches the next day.
    static let day = CalendarDay("20261125")!

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    public func run() async throws -> BenchReport {
        let benchDay = BenchDay(rows: options.rows, keys: options.keys, order: options.order)
        var report = BenchReport(rows: options.rows, keys: options.keys, order: options.input == nil ? options.order.rawValue : nil)
        if let path = options.writeDay {
            try benchDay.writeResponse(to: URL(fileURLWithPath: path), day: Self.day)
        }
        options.progress("bench: parsing and folding the day")
        if let path = options.input ?? options.writeDay {
            let parse = try Self.timeFile(path, threads: options.threads)
            report.parseAndAggregate = parse
            if options.input != nil { (report.rows, report.keys) = (parse.rows + parse.otherDayRows, parse.keys) }
        } else {
            report.parseAndAggregate = try Self.timePages(benchDay, threads: options.threads)
        }
        report.peakResidentMegabytesAfterParse = Self.peakResidentMegabytes()
        if options.compareOneThread {
            options.progress("bench: the same on one thread")
            // Handed back, the memory the first fold freed is not there to reuse: each fold starts as a
            // process does, and pays for its own pages.
            ProcessMemory.releaseFreedMemory()
            let one = try (options.input ?? options.writeDay).map { try Self.timeFile($0, threads: 1) } ?? Self.timePages(benchDay, threads: 1)
            report.oneThread = one
            if let fast = report.parseAndAggregate { report.speedupOverOneThread = one.seconds / fast.seconds }
        }
        if options.compareFoundation, options.input == nil, options.writeDay == nil {
            options.progress("bench: the same with Foundation's JSON decoder")
            let foundation = try Self.timePagesWithFoundation(benchDay)
            report.foundation = foundation
            if let fast = report.parseAndAggregate { report.speedupOverFoundation = foundation.seconds / fast.seconds }
        }
        if options.comparePython, let path = options.input ?? options.writeDay {
            options.progress("bench: the tutorial's Python on the same file")
            report.python = try Self.runPython(path, tutorialCheckout: options.tutorialCheckout)
            if let python = report.python, let fast = report.parseAndAggregate {
                report.speedupOverPython = python.seconds / fast.seconds
            }
        }
        if options.jobs {
            try await runJobs(benchDay, into: &report)
        }
        // Each step's peak was reset before it, and the process's own figure with it: the run's peak is
        // the highest of the stretches.
        let steps = [report.historySeeding, report.baselineRecomputation, report.dailyJob, report.reprocess, report.hourlyJob]
        report.peakResidentMegabytes = ([Self.peakResidentMegabytes(), report.peakResidentMegabytesAfterParse]
            + steps.map { $0?.peakResidentMegabytes }).compactMap { $0 }.max()
        report.mallocArenas = ProcessMemory.arenaCount()
        return report
    }

    /// Parse and aggregate of the generated day, fed page by page as the API sends them (10,000 rows a
    /// page); making the pages is not timed.
    static func timePages(_ benchDay: BenchDay, threads: Int) throws -> BenchReport.Parse {
        try timePages(benchDay, threads: threads) { aggregator, body in _ = try aggregator.add(pageBody: body, threads: threads) }
    }

    /// The same pages decoded by Foundation's `JSONDecoder` into rows, then folded.
    static func timePagesWithFoundation(_ benchDay: BenchDay) throws -> BenchReport.Parse {
        try timePages(benchDay) { aggregator, body in try aggregator.add(contentsOf: try BillingResponse.decodeWithFoundation(body).rows) }
    }

    private static func timePages(
        _ benchDay: BenchDay, threads: Int = 1, fold: (inout DailyAggregator, [UInt8]) throws -> Void
    ) throws -> BenchReport.Parse {
        var aggregator = DailyAggregator(date: day)
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        var bytes = 0
        var threadsUsed = 1
        let size = 10_000
        for page in 0..<(benchDay.rows + size - 1) / size {
            let body = benchDay.page(page, size: size, day: day)
            bytes += body.count
            threadsUsed = max(threadsUsed, DailyAggregator.threadsReading(bodyOf: body.count, threads: threads))
            elapsed += try clock.measure { try fold(&aggregator, body) }
        }
        return .init(seconds: elapsed.seconds, bytes: bytes, rows: aggregator.rowCount, keys: aggregator.keyCount, threads: threadsUsed)
    }

    /// Parse and aggregate of one file, mapped into memory a window at a time (the mapping is timed
    /// too): an API response, or an archived raw day (`billing_YYYYMMDD.json` from the archive). Its
    /// rows are folded for the day it names first: an archived day's date, else its first row's.
    static func timeFile(_ path: String, threads: Int = 1) throws -> BenchReport.Parse {
        var aggregator: DailyAggregator?
        var bytes = 0
        var threadsUsed = 1
        let elapsed = try ContinuousClock().measure {
            let file = try MappedFile(path: path)
            bytes = file.count
            let (date, isArchivedDay) = file.withBytes { bytes, _ in (firstDay(in: bytes), RawDayDocument.isArchivedDay(head: bytes)) }
            var fold = DailyAggregator(date: date ?? day)
            if isArchivedDay {
                // An archived day's pages are read and folded on one thread.
                _ = try RawDayDocument.fold(file, into: &fold)
            } else {
                threadsUsed = DailyAggregator.threadsReading(bodyOf: file.count, threads: threads)
                _ = try file.withBytes { bytes, passed in try fold.add(pageBody: bytes, passed: passed, threads: threads) }
            }
            aggregator = fold
        }
        return .init(
            seconds: elapsed.seconds, bytes: bytes, rows: aggregator?.rowCount ?? 0, keys: aggregator?.keyCount ?? 0,
            otherDayRows: aggregator?.otherDayRowCount ?? 0, threads: threadsUsed)
    }

    /// The first `"date"` or `"meteringDate"` in the first 4 KiB of a document.
    static func firstDay(in bytes: UnsafeBufferPointer<UInt8>) -> CalendarDay? {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        let names = ["\"date\":\"", "\"meteringDate\":\""]
        let found = names.compactMap { head.range(of: $0) }.min { $0.lowerBound < $1.lowerBound }
        return found.flatMap { CalendarDay(String(head[$0.upperBound...].prefix { $0 != "\"" })) }
    }

    /// Times `scripts/tutorial_aggregate.py` on the file at `path`: the tutorial's own functions when
    /// `tutorialCheckout` is given, else the script's rendition of them.
    static func runPython(_ path: String, tutorialCheckout: String? = nil) throws -> BenchReport.Python {
        let script = URL(fileURLWithPath: "scripts/tutorial_aggregate.py")
        guard FileManager.default.fileExists(atPath: script.path) else {
            throw BenchError("--compare-python runs scripts/tutorial_aggregate.py; run the bench from the repository's root")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, path] + (tutorialCheckout.map { [$0] } ?? [])
        // One pipe for both streams, so neither can fill while the other is read; the figures are the
        // last line.
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let last = text.split(separator: "\n").last.map(String.init) ?? ""
        guard process.terminationStatus == 0, let python = try? JSONDecoder().decode(BenchReport.Python.self, from: Data(last.utf8)) else {
            throw BenchError("scripts/tutorial_aggregate.py failed (exit \(process.terminationStatus)): \(text.suffix(600))")
        }
        return python
    }

    /// The process's peak resident memory so far.
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}

/// The peak resident memory of one stretch of the run: Linux lets a process reset its peak to what it
/// holds now (5 written to /proc/self/clear_refs) and read it (VmHWM in /proc/self/status).
enum PeakMemory {
    /// Starts a new stretch; false where the peak cannot be reset.
    ///
    /// Each job runs in a process of its own when scheduled, so memory an earlier step freed is first
    /// handed back to the system (`ProcessMemory.releaseFreedMemory`): malloc keeps freed pages
    /// otherwise, and the next step would be charged for them.
    static func reset() -> Bool {
        ProcessMemory.releaseFreedMemory()
        let descriptor = open("/proc/self/clear_refs", O_WRONLY)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return write(descriptor, "5", 1) == 1
    }

    /// The peak since the last reset, in MB; nil where it cannot be read.
    static func megabytes() -> Double? {
        // procfs files report no size, so this one is read to its end rather than by size.
        guard let status = FileHandle(forReadingAtPath: "/proc/self/status")?.readDataToEndOfFile() else { return nil }
        let line = String(decoding: status, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        return line.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Double($0) }.map { $0 / 1024 }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
