import ArgumentParser
import BillingApp
import BillingLab
import BillingSimulator
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time parse and aggregate, the daily and hourly jobs and baseline recomputation on a generated day; prints one JSON object.",
        discussion: """
            Build with -c release for meaningful figures: swift run -c release billing-alert bench.

            Parse and aggregate runs page by page as the API sends them (10,000 rows a page), or on one --input file; \
            with --threads 2 or more, a body of 1 MB or more has its rows folded on a second thread while the first \
            reads on. The peak resident memory right after it is the day's.

            The jobs run against the simulator on loopback, on a new SQLite file unless --store names an empty store.
            """)

    @OptionGroup var options: GlobalOptions
    @Option(help: "Rows in the generated day.") var rows = 1_000_000
    @Option(help: "Keys (domain, project, service) in the generated day.") var keys = 125_000
    @Option(help: "The generated day's row order: rounds (every key once, then again), grouped (a key's rows together) or scattered (no order).")
    var order = "rounds"
    @Option(help: "Days of history seeded before the jobs run.") var days = 90
    @Option(help: "Keys with history (the first of the day's).") var historyKeys = 25_000
    @Option(help: "An empty store for the jobs: sqlite:PATH or postgres://...; default a new SQLite file.") var store: String?
    @Option(help: "Time parse and aggregate of this file instead of a generated day: an API response, or an archived raw day.")
    var input: String?
    @Option(help: "Write the generated day to this file as one API response, and time reading it back.") var writeDay: String?
    @Flag(help: "Also run scripts/tutorial_aggregate.py (the tutorial's way) on the same file.") var comparePython = false
    @Option(
        help: """
            A checkout of the Python tutorial (the folder that holds core/aggregator.py): --compare-python then times the \
            tutorial's own extract_entries and aggregate_daily from it, instead of the repository's rendition.
            """)
    var tutorial: String?
    @Flag(help: "Also time Foundation's JSONDecoder on the same generated pages.") var compareFoundation = false
    @Flag(help: "Only parse and aggregate; skip the jobs.") var skipJobs = false
    @Option(
        help: """
            Threads for parse and aggregate: 1 reads and folds each body on one; 2 or more read a body of 1 MB or more on \
            one and fold its rows on another. Default: the machine's cores.
            """)
    var threads = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Also time parse and aggregate on one thread, and report the ratio.") var compareOneThread = false

    func validate() throws {
        guard rows > 0, keys > 0, keys <= rows else { throw ValidationError("--rows and --keys must be positive, with at least one row per key") }
        guard BenchDay.Order(rawValue: order) != nil else {
            throw ValidationError("--order is rounds, grouped or scattered, not '\(order)'")
        }
        guard days >= 0, historyKeys >= 0 else { throw ValidationError("--days and --history-keys cannot be negative") }
        guard (1...256).contains(threads) else { throw ValidationError("--threads is from 1 to 256, not \(threads)") }
        if comparePython, input == nil, writeDay == nil {
            throw ValidationError("--compare-python needs a file: give --input FILE.json or --write-day FILE.json")
        }
        if let tutorial {
            guard comparePython else { throw ValidationError("--tutorial is the code --compare-python runs: give --compare-python too") }
            let module = URL(fileURLWithPath: tutorial).appendingPathComponent("core/aggregator.py").path
            guard FileManager.default.fileExists(atPath: module) else {
                throw ValidationError("--tutorial \(tutorial) is not a checkout of the tutorial: it has no core/aggregator.py")
            }
        }
    }

    func run() async throws {
        try await options.withApp { app in
            var bench = BenchRunner.Options()
            bench.rows = rows
            bench.keys = keys
            bench.order = BenchDay.Order(rawValue: order) ?? .rounds
            bench.days = days
            bench.historyKeys = historyKeys
            bench.input = input
            bench.writeDay = writeDay
            bench.comparePython = comparePython
            bench.tutorialCheckout = tutorial
            bench.compareFoundation = compareFoundation
            bench.jobs = !skipJobs
            bench.threads = threads
            bench.compareOneThread = compareOneThread
            bench.progress = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            if let store { bench.store = try app.storeLocation(store, option: "--store") }
            #if DEBUG
                FileHandle.standardError.write(Data("warning: this is a debug build, many times slower than release; bench with `swift run -c release billing-alert bench`\n".utf8))
            #endif
            var report = try await BenchRunner(options: bench, logger: app.logger).run()
            #if DEBUG
                report.build = "debug"
            #endif
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            app.output(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
    }
}
