import BillingPipeline
import BillingSimulator
import BillingTesting
import Foundation
import SQLiteStore
import Testing

/// What a run that died leaves behind is removed by the next run of its day, and only by it; lock
/// files do not pile up.
@Suite struct LeftoversTests {
    /// A finished day by the machine's clock (the binary refuses a later one), and the day before it.
    static let day = CommandLineTests.later.compact
    static let other = CommandLineTests.earlier
    static let dayFolder = "data/archive/" + (RawDayDocument.key(for: CommandLineTests.later) as NSString).deletingLastPathComponent

    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test func theNextRunOfADayRemovesWhatACrashedRunOfItLeftAndNothingElse() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        // A raw day half written, a download half done, and a half-made copy beside the archived day,
        // as a run killed at each point leaves them; and the same for another day, whose run may be live.
        let ours = [
            "data/incoming/billing_\(Self.day).6F1C-crashed.partial.json", "data/incoming/.download.billing_\(Self.day).json.9A2B",
            "\(Self.dayFolder)/.billing_\(Self.day).json.5D3E",
        ]
        let others = [
            "data/incoming/billing_\(Self.other.compact).77AA.partial.json",
            "data/archive/" + (RawDayDocument.key(for: Self.other) as NSString).deletingLastPathComponent + "/.billing_\(Self.other.compact).json.1B2C",
        ]
        for path in ours + others { try write(#"{"format":"half"#, to: folder.file(path)) }
        let server = SimulatorServer(configuration: .init(credentials: CommandLineTests.credentials), bill: SimulatedBill())
        let result = try await server.run { baseURL in
            let path = try CommandLineTests().config(folder, baseURL: baseURL, secret: CommandLineTests.credentials.secret)
            return try await CommandRunner(directory: folder).run(["daily", "--config", path, "--date", Self.day])
        }
        #expect(result.status == 0, "\(result.all)")
        for path in ours { #expect(!FileManager.default.fileExists(atPath: folder.file(path)), "\(path) is still there") }
        for path in others { #expect(FileManager.default.fileExists(atPath: folder.file(path)), "\(path) was removed") }
        #expect(FileManager.default.fileExists(atPath: folder.file("\(Self.dayFolder)/billing_\(Self.day).json")))
        let incoming = try FileManager.default.contentsOfDirectory(atPath: folder.file("data/incoming"))
        #expect(incoming.filter { $0.contains(Self.day) }.isEmpty)
    }

    @Test func aLockFileGoesWithItsLockAndTheLockStillExcludes() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = try SQLiteStore(path: folder.file("billing.sqlite"))
        let locks = folder.file("billing.sqlite.locks")
        for day in ["20261118", "20261119", "20261120"] {
            try await store.withJobLock("daily:\(day)", wait: .zero) {
                #expect(FileManager.default.fileExists(atPath: "\(locks)/daily-\(day).lock"))
                await #expect(throws: JobLockBusy.self) {
                    try await store.withJobLock("daily:\(day)", wait: .zero) {}
                }
            }
        }
        // Only the schema's lock stays: one file, not one per job and day.
        #expect(try FileManager.default.contentsOfDirectory(atPath: locks) == ["migrate.lock"])
    }

    @Test func aRunWaitingOnALockFileThatIsRemovedTakesTheNewOne() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = try SQLiteStore(path: folder.file("billing.sqlite"))
        let (held, holding) = AsyncStream.makeStream(of: Void.self)
        let order = OrderLog()
        async let first: Void = store.withJobLock("daily:20261120", wait: .zero) {
            holding.yield()
            try await Task.sleep(for: .milliseconds(600))
            await order.add("first done")
        }
        for await _ in held { break }
        // Opens the lock file now, then finds it gone once the first run lets go: it must lock the
        // file that takes its place, not the removed one, and only after the first run.
        try await store.withJobLock("daily:20261120", wait: .seconds(30)) {
            await order.add("second ran")
            #expect(FileManager.default.fileExists(atPath: folder.file("billing.sqlite.locks/daily-20261120.lock")))
        }
        try await first
        #expect(await order.entries == ["first done", "second ran"])
    }
}

actor OrderLog {
    var entries: [String] = []
    func add(_ entry: String) { entries.append(entry) }
}
