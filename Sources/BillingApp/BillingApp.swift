import AlertChannels
import BillingCore
import BillingPipeline
import Foundation
import KakaoBilling
import Logging
import ObjectArchive
import PostgresStore
import SQLiteStore

/// The one place that turns a configuration into concrete parts and runs the jobs through them.
public struct BillingApp: Sendable {
    /// The release this source is, as `--version` and `status` say it.
    public static let version = "0.9.0"

    public let configuration: AppConfiguration
    public let logger: Logger
    /// Where reports go (standard output in the command-line tool).
    public let output: @Sendable (String) -> Void
    /// Told why each time the Billing API is tried again (`rate_limited`, `server_error`, `timeout`,
    /// `unreachable`): `serve` counts them.
    public var apiRetried: @Sendable (String) -> Void = { _ in }

    public init(configuration: AppConfiguration, logger: Logger, output: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.configuration = configuration
        self.logger = logger
        self.output = output
    }

    /// Opens the configured store for `body` and closes it afterwards.
    public func withStore<T>(_ body: (any JobStore) async throws -> T) async throws -> T {
        try await withStore(at: configuration.store, body)
    }

    /// Opens the store at `location` (migrating it) for `body` and closes it afterwards.
    public func withStore<T>(at location: AppConfiguration.StoreLocation, _ body: (any JobStore) async throws -> T) async throws -> T {
        switch location {
        case .sqlite(let path):
            return try await body(SQLiteStore(path: path))
        case .postgres(let location):
            return try await PostgresStore.withStore(location, logger: logger) { try await body($0) }
        }
    }

    func makeArchive() -> any RawArchive {
        switch configuration.archive {
        case .folder(let path):
            return LocalFolderArchive(root: URL(fileURLWithPath: path))
        case .s3(let s3, let spool):
            return SpoolingArchive(remote: S3Archive(configuration: s3), spool: LocalFolderArchive(root: URL(fileURLWithPath: spool)))
        }
    }

    /// Uploads days an earlier run could not archive; a failure is reported and leaves them spooled.
    func flushSpool() async {
        guard let archive = makeArchive() as? SpoolingArchive, let waiting = try? archive.spool.keys(), !waiting.isEmpty else {
            return
        }
        do {
            let uploaded = try await archive.flush(logger: logger)
            output("archive: uploaded \(uploaded.count) spooled day(s) to \(configuration.archive)")
        } catch {
            output("warning: \(waiting.count) spooled day(s) are still waiting for the archive: \(error)")
        }
    }

    func makeSource() -> KakaoBillingClient {
        var client = KakaoBillingClient(configuration: configuration.billingApi, logger: logger)
        client.retried = apiRetried
        return client
    }

    func makeAlerter() -> Alerter {
        var channels: [any AlertChannel] = [ConsoleChannel(write: output)]
        let alerts = configuration.alerts
        if alerts.syslog == .on || (alerts.syslog == .auto && SyslogChannel.isAvailable(at: alerts.syslogSocket)) {
            channels.append(SyslogChannel(socketPath: alerts.syslogSocket))
        }
        if let webhook = alerts.slackWebhookURL {
            channels.append(SlackChannel(webhookURL: webhook))
        }
        if let webhook = alerts.kakaoWorkWebhookURL {
            channels.append(KakaoWorkChannel(webhookURL: webhook))
        }
        if let webhook = alerts.webhookURL {
            channels.append(AlertmanagerWebhookChannel(url: webhook))
        }
        return Alerter(channels: channels, routes: Dictionary(uniqueKeysWithValues: channels.map { ($0.name, alerts.route(for: $0.name)) }))
    }

    public var detector: AnomalyDetector {
        switch configuration.detectorName {
        case ClassicDetector.name:
            return .classic(ClassicDetector(thresholds: configuration.detection), BaselineCalculator(windowDays: configuration.baselineDays))
        default:
            return .seasonal(SeasonalDetector(settings: configuration.seasonal))
        }
    }

    func dailyJob(store: any JobStore, source: any BillingSource, allowEmpty: Bool = false) -> DailyJob {
        // The raw day is written here while its pages arrive: on disk beside the spool (not inside it,
        // where a later run would upload it), not in a temporary folder that may live in memory.
        let incoming = URL(fileURLWithPath: configuration.spoolDirectory).deletingLastPathComponent()
            .appendingPathComponent("incoming")
        var job = DailyJob(
            source: source, archive: makeArchive(), rawDays: ScratchFolder(directory: incoming), store: store,
            detector: detector, baselineCalculator: BaselineCalculator(windowDays: configuration.baselineDays),
            alerter: makeAlerter(), logger: logger)
        job.lockWait = configuration.lockWait
        job.alertPolicy = configuration.alerts.policy
        job.allowEmpty = allowEmpty
        return job
    }

    /// The KST (or configured time zone) day and hour of `now`.
    public func today(_ now: Date) -> (day: CalendarDay, hour: Int) {
        CalendarDay.containing(now, in: configuration.timeZone)
    }
}
