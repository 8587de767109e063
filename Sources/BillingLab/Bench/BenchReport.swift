/// What `billing-alert bench` measured; printed as one JSON object.
public struct BenchReport: Sendable, Encodable {
    public struct Parse: Sendable, Encodable {
        public var seconds: Double
        public var bytes: Int
        public var rows: Int
        public var keys: Int
        public var megabytesPerSecond: Double
        public var rowsPerSecond: Double

        /// Rows dated another day than the one folded, left out.
        public var otherDayRows: Int
        /// Threads that read and folded each body (`--threads`): 1, or 2 with the rows folded on the
        /// second while the first reads on.
        public var threads: Int

        init(seconds: Double, bytes: Int, rows: Int, keys: Int, otherDayRows: Int = 0, threads: Int = 1) {
            self.seconds = seconds
            self.threads = threads
            self.bytes = bytes
            self.rows = rows
            self.keys = keys
            self.otherDayRows = otherDayRows
            megabytesPerSecond = Double(bytes) / 1_000_000 / seconds
            rowsPerSecond = Double(rows) / seconds
        }
    }

    public struct Python: Sendable, Codable {
        public var seconds: Double
        public var peakResidentMegabytes: Double
        /// The keys the Python code aggregated the day into.
        public var keys: Int
        /// The code that ran: the tutorial checkout's `core/aggregator.py`, or the repository's
        /// `scripts/tutorial_aggregate.py`.
        public var code: String
    }

    public struct Timed: Sendable, Encodable {
        public var seconds: Double
        public var detail: [String: Int] = [:]
        /// The process's peak resident memory while this step ran, counting what it already held when
        /// the step began; nil where the system cannot tell.
        public var peakResidentMegabytes: Double?
    }

    /// `release` or `debug`: figures from a debug build are many times slower and not comparable.
    public var build = "release"
    public var rows: Int
    public var keys: Int
    /// The generated day's row order; nil for a day read from `--input`.
    public var order: String?
    public var parseAndAggregate: Parse?
    /// The process's peak resident memory right after parse and aggregate (nothing larger ran before).
    public var peakResidentMegabytesAfterParse: Double?
    /// The same pages through Foundation's `JSONDecoder`, then folded (`--compare-foundation`).
    public var foundation: Parse?
    /// The same parse and aggregate on one thread (`--compare-one-thread`), and its time over the
    /// figure's with `--threads`.
    public var oneThread: Parse?
    public var speedupOverOneThread: Double?
    public var speedupOverFoundation: Double?
    public var python: Python?
    /// The Python code's time (`python.code`) over this parser's, on the same file.
    public var speedupOverPython: Double?
    public var store: String?
    public var historySeeding: Timed?
    public var baselineRecomputation: Timed?
    public var dailyJob: Timed?
    /// `reprocess` of the same day from its archived raw JSON, read back a window at a time.
    public var reprocess: Timed?
    public var hourlyJob: Timed?
    /// The process's peak resident memory over the whole run.
    public var peakResidentMegabytes: Double?
    /// The glibc malloc arenas the run's threads allocated from: 1, unless the environment set another
    /// limit (`ProcessMemory.useOneArena`).
    public var mallocArenas: Int?
}
