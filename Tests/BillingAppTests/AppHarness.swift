import BillingCore
import BillingSimulator
import BillingTesting
import Foundation
import InMemoryLogging
import Logging
import Synchronization

@testable import BillingApp
import SQLiteStore

/// An app on a real SQLite file and folder archive in a temporary folder, fetching from a simulator
/// on loopback through the real HTTP client, with its output captured.
final class AppHarness: Sendable {
    static let credentials = SimulatorServer.Credentials(id: "harness-id", secret: "harness-secret-9f8e7d")

    let folder: TemporaryDirectory
    let server: SimulatorServer
    private let lines = Mutex<[String]>([])
    /// The simulator's clock: what "now" is for the data it serves.
    let clock: ManualClock
    /// Everything the app logs, at trace level, for checks that secrets stay out of logs.
    let logs: InMemoryLogHandler

    init(bill: SimulatedBill = SimulatedBill(configuration: .init(seed: 3, spikeProbability: 0)), now: Date, pagingMetadata: Bool = false) throws {
        folder = try TemporaryDirectory()
        let clock = ManualClock(now)
        self.clock = clock
        var logs = InMemoryLogHandler()
        logs.logLevel = .trace
        self.logs = logs
        server = SimulatorServer(
            configuration: .init(credentials: Self.credentials, pagingMetadata: pagingMetadata, now: { clock.now }), bill: bill)
    }

    func configuration(baseURL: String, pageSize: Int = 10_000) -> AppConfiguration {
        var configuration = AppConfiguration.embeddedDefault(dataDirectory: folder.path)
        configuration.billingApi.baseURL = baseURL
        configuration.billingApi.credentialId = Self.credentials.id
        configuration.billingApi.credentialSecret = Self.credentials.secret
        configuration.billingApi.pageSize = pageSize
        configuration.billingApi.retry = .init(maxAttempts: 2, initialBackoff: .milliseconds(1))
        configuration.alerts.syslog = .off
        return configuration
    }

    func app(_ configuration: AppConfiguration) -> BillingApp {
        BillingApp(configuration: configuration, logger: Logger(label: "test") { _ in logs }) { line in
            self.lines.withLock { $0.append(line) }
        }
    }

    /// Runs `body` with an app whose source is the running simulator.
    func withApp<T>(pageSize: Int = 10_000, _ body: (BillingApp) async throws -> T) async throws -> T {
        try await server.run { baseURL in
            try await body(app(configuration(baseURL: baseURL, pageSize: pageSize)))
        }
    }

    /// Every log entry as text: message, metadata and error.
    var logText: String {
        logs.entries.map { "\($0.message) \($0.metadata) \(String(describing: $0.error))" }.joined(separator: "\n")
    }

    /// Moves the simulator's clock, so it serves today as billed by `now`.
    func setNow(_ now: Date) {
        clock.set(now)
    }

    var output: [String] {
        lines.withLock { $0 }
    }

    /// Output lines that announce an anomaly.
    var anomalyLines: [String] {
        output.flatMap { $0.split(separator: "\n").map(String.init) }.filter { $0.hasPrefix(AlertText.anomalyKeyword) }
    }

    deinit {
        folder.remove()
    }
}

extension Date {
    /// An instant given as KST wall-clock time.
    static func kst(_ day: String, hour: Int, minute: Int = 10) -> Date {
        let date = CalendarDay(day)!
        return Date(timeIntervalSince1970: TimeInterval(date.daysSinceEpoch * 86_400 + (hour - 9) * 3600 + minute * 60))
    }
}

extension BillingApp {
    /// The app's SQLite store, opened directly, for checks below the store's protocol.
    func openStore() throws -> SQLiteStore {
        guard case .sqlite(let path) = configuration.store else { throw CancellationError() }
        return try SQLiteStore(path: path)
    }
}
