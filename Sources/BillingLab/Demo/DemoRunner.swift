import BillingApp
import BillingCore
import BillingPipeline
import BillingSimulator
import Foundation
import Logging

/// `billing-alert demo`: the whole pipeline on the embedded default against the local simulator.
public struct DemoRunner: Sendable {
    public var dataDirectory: String
    public var historyDays: Int
    public var environment: [String: String]
    public let output: @Sendable (String) -> Void
    public let logger: Logger

    public init(
        dataDirectory: String = "data/demo", historyDays: Int = 35,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger, output: @escaping @Sendable (String) -> Void = { print($0) }
    ) {
        self.dataDirectory = dataDirectory
        self.historyDays = historyDays
        self.environment = environment
        self.logger = logger
        self.output = output
    }

    static let credentials = SimulatorServer.Credentials(id: "demo-credential", secret: "demo-secret")

    /// The simulated organisation's planned anomalies around `today`.
    /// The seed of the demo's organisation.
    public static let seed: UInt64 = 7

    /// The bill the demo fetches when run on `today`: `simulate-api --demo-of` serves it again.
    public static func bill(today: CalendarDay) -> SimulatedBill {
        SimulatedBill(configuration: .init(seed: seed, spikes: spikes(today: today)))
    }

    static func spikes(today: CalendarDay) -> [SimulatedBill.Spike] {
        [
            // Yesterday a virtual machine fleet ran at four times its size: the daily job flags it.
            SimulatedBill.Spike(day: today.adding(days: -1), serviceId: "1", projectName: "payments", factor: 4),
            // Today block storage snapshots run away: the hourly job sees it within the hour.
            SimulatedBill.Spike(day: today, serviceId: "2", projectName: "storefront", factor: 30),
        ]
    }

    /// Runs the demo; returns the anomalies the store holds afterwards.
    @discardableResult
    public func run(now: Date) async throws -> [Anomaly] {
        var configuration = AppConfiguration.embeddedDefault(dataDirectory: dataDirectory)
        configuration.origin = "the demo"
        configuration.alerts.syslog = .off
        configuration.alerts.slackWebhookURL = environment[ConfigLoader.Variable.slackWebhookURL].flatMap { $0.isEmpty ? nil : $0 }
        configuration.billingApi.credentialId = Self.credentials.id
        configuration.billingApi.credentialSecret = Self.credentials.secret
        let today = CalendarDay.containing(now, in: configuration.timeZone).day
        let bill = Self.bill(today: today)
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials, now: { now }), bill: bill)

        output("billing-alert demo: a simulated Kakao Cloud organisation (\(bill.keyCount) services across projects) on 127.0.0.1")
        return try await server.run { baseURL in
            configuration.billingApi.baseURL = baseURL
            let quiet = BillingApp(configuration: configuration, logger: logger, output: { _ in })
            let app = BillingApp(configuration: configuration, logger: logger, output: output)
            let history = today.adding(days: -historyDays)...today.adding(days: -2)
            let backfill = try await quiet.runBackfill(days: history, refetch: false)
            output("backfill \(history.lowerBound.iso)..\(history.upperBound.iso): \(backfill.fetched) days fetched, \(backfill.skipped) already stored, through the real HTTP client")
            output("\n== daily job for yesterday ==")
            try await app.runDaily(day: nil, now: now)
            output("\n== hourly job for today so far ==")
            try await app.runHourly(day: nil, now: now)
            return try await summarize(app: app, days: history.lowerBound...today, now: now)
        }
    }

    private func summarize(app: BillingApp, days: ClosedRange<CalendarDay>, now: Date) async throws -> [Anomaly] {
        let anomalies = try await app.withStore { try await $0.anomalies(in: days) }
        output("\n== anomalies found (\(anomalies.count)) ==")
        output(try await app.anomaliesListing(days: days, now: now).render(.table))
        let configPath = dataDirectory + "/settings.yaml"
        try demoConfig().write(toFile: configPath, atomically: true, encoding: .utf8)
        let archived = (FileManager.default.enumerator(atPath: dataDirectory + "/archive")?.allObjects as? [String])?
            .filter { $0.hasSuffix(".json") }.count ?? 0
        output(
            """

            == files written ==
            store:   \(dataDirectory)/billing.sqlite (SQLite; the tables are listed under "Data" in the README)
            archive: \(dataDirectory)/archive/raw/year=YYYY/month=MM/day=DD/billing_YYYYMMDD.json (\(archived) days)
            config:  \(configPath) (points the commands below at the demo's data)

            == try next ==
            swift run billing-alert status --config \(configPath)
            swift run billing-alert serve --config \(configPath) --no-jobs --port 8090   # open http://127.0.0.1:8090
            swift run billing-alert anomalies --config \(configPath) --from \(days.lowerBound.compact) --to \(days.upperBound.compact)
            swift run billing-alert costs --config \(configPath) --date \(days.upperBound.adding(days: -1).compact) --format json
            swift run billing-alert baselines --config \(configPath) --format csv
            swift run billing-alert ack \(anomalies.last(where: { $0.hour == Anomaly.wholeDay })?.id.description ?? "ID") --as planned --config \(configPath)
            swift run billing-alert silence add --match "project=store*" --for 7d --reason testing --config \(configPath)
            swift run billing-alert reprocess --config \(configPath) --date \(days.upperBound.adding(days: -1).compact)
            swift run billing-alert simulate-api --port 8080 --demo-of \(days.upperBound.compact)   # this demo's bill again, where its config points
            swift run billing-alert daily --config \(configPath) --date \(days.upperBound.adding(days: -1).compact)   # with simulate-api up: the same costs
            """)
        return anomalies
    }

    private func demoConfig() -> String {
        """
        # Written by `billing-alert demo`: the demo's store and archive. The simulator it used has stopped;
        # `billing-alert simulate-api --port 8080 --demo-of DAY` (the day the demo ran) serves its bill again here.
        billingApi:
          baseUrl: http://127.0.0.1:8080
          credentialId: \(Self.credentials.id)
          credentialSecret: \(Self.credentials.secret)
        store:
          url: sqlite:\(dataDirectory)/billing.sqlite
        archive:
          url: file:\(dataDirectory)/archive
        alert:
          syslog: off

        """
    }
}
