import BillingApp
import BillingCore
import BillingPipeline
import BillingSimulator
import Foundation

extension BenchRunner {
    /// Seeds history, then times baseline recomputation, the daily job for the bench day, its
    /// reprocessing from the archived raw day, and the hourly job the next afternoon, end to end
    /// against the simulator on loopback.
    func runJobs(_ benchDay: BenchDay, into report: inout BenchReport) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("billing-alert-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = options.store ?? .sqlite(path: folder.appendingPathComponent("bench.sqlite").path)
        report.store = location.kind
        let nightAfter = Self.instant(Self.day.adding(days: 1), hour: 3)
        let afternoonAfter = Self.instant(Self.day.adding(days: 1), hour: 14)
        let clock = ManualClock(nightAfter)
        let server = SimulatorServer(configuration: .init(now: { clock.now }), benchDay: benchDay)
        try await server.run { baseURL in
            var configuration = AppConfiguration.embeddedDefault(dataDirectory: folder.path)
            configuration.store = location
            configuration.billingApi.baseURL = baseURL
            configuration.billingApi.credentialId = "bench"
            configuration.billingApi.credentialSecret = "bench"
            configuration.alerts.syslog = .off
            let app = BillingApp(configuration: configuration, logger: logger, output: { _ in })
            options.progress("bench: seeding \(options.days) days of history (1 of 5)")
            report.historySeeding = try await Self.step { try await seedHistory(app, benchDay) }
            options.progress("bench: recomputing the baselines (2 of 5)")
            report.baselineRecomputation = try await Self.step { try await timeBaselines(app, now: nightAfter) }
            options.progress("bench: the daily job (3 of 5)")
            report.dailyJob = try await Self.step {
                let daily = try await app.runDaily(day: Self.day, now: nightAfter)
                return ["rows": daily.fetch?.rowCount ?? 0, "keys": daily.total.keyCount, "anomalies": daily.anomalies.count]
            }
            options.progress("bench: reprocessing the day (4 of 5)")
            report.reprocess = try await Self.step {
                let reprocessed = try await app.runReprocess(day: Self.day, now: nightAfter)
                return ["keys": reprocessed.total.keyCount, "anomalies": reprocessed.anomalies.count]
            }
            clock.set(afternoonAfter)
            options.progress("bench: the hourly job (5 of 5)")
            report.hourlyJob = try await Self.step {
                let hourly = try await app.runHourly(day: nil, now: afternoonAfter)
                return ["keys": hourly.costs.count, "judged": hourly.judgedKeyCount, "anomalies": hourly.anomalies.count]
            }
        }
    }

    /// Times one step and finds its peak memory; `run` returns the step's figures.
    static func step(_ run: () async throws -> [String: Int]) async throws -> BenchReport.Timed {
        let measuresPeak = PeakMemory.reset()
        var detail: [String: Int] = [:]
        let seconds = try await ContinuousClock().measure { detail = try await run() }.seconds
        return .init(seconds: seconds, detail: detail, peakResidentMegabytes: measuresPeak ? PeakMemory.megabytes() : nil)
    }

    /// `days` days before the bench day for the first `historyKeys` keys, one commit per day.
    private func seedHistory(_ app: BillingApp, _ benchDay: BenchDay) async throws -> [String: Int] {
        let keys = min(options.historyKeys, options.keys)
        return try await app.withStore { store in
            guard try await store.baselines().isEmpty, try await store.jobRuns(in: StoreCopyJob.allDays).isEmpty else {
                throw BenchError("the bench writes history into its store, so --store must name an empty one")
            }
            for back in stride(from: options.days, through: 1, by: -1) {
                let date = Self.day.adding(days: -back)
                var changes = StoreChanges(now: Self.instant(date.adding(days: 1), hour: 3))
                changes.replacedDays = [date]
                changes.dailyCosts = (0..<keys).map { index in
                    let key = benchDay.key(index)
                    let amount = benchDay.historicalAmount(index, daysBack: back)
                    var cost = DailyCost(
                        date: date, key: key, domainName: "Domain \(index / 40 % 8)", projectName: "project-\(index / 40)",
                        serviceName: "Service \(key.serviceId)", generalAmount: amount, expectAmount: amount,
                        pricingTypes: ["ON_DEMAND"], regions: ["kr-central-2"], rowCount: 8)
                    cost.parts = [DailyCost.Part(pricingType: "ON_DEMAND", region: "kr-central-2", expectAmount: amount)]
                    return cost
                }
                try await store.commit(changes)
            }
            return ["days": options.days, "keys": keys, "rows": options.days * keys]
        }
    }

    /// Reads the baseline window's amounts from the store in one pass and computes every key's
    /// baseline, as the daily job does.
    private func timeBaselines(_ app: BillingApp, now: Date) async throws -> [String: Int] {
        try await app.withStore { store in
            let calculator = BaselineCalculator(windowDays: app.configuration.baselineDays)
            let window = calculator.window(endingOn: Self.day.adding(days: -1))
            return ["baselines": calculator.baselines(from: try await store.costHistory(in: window), window: window, computedAt: now).count]
        }
    }

    /// `hour`:10 on `day` in KST.
    static func instant(_ day: CalendarDay, hour: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch * 86_400 + (hour - 9) * 3600 + 600))
    }
}

extension AppConfiguration.StoreLocation {
    /// `sqlite` or `postgres`, for reports.
    var kind: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        }
    }
}
