import BillingCore
import BillingPipeline
import ObjectArchive
import Foundation

extension BillingApp {
    /// Daily costs in `days`, one row per day and key.
    public func costsTable(days: ClosedRange<CalendarDay>) async throws -> Table {
        try await costsListing(days: days).data
    }

    /// Daily costs in `days` of the keys `keys` picks; `wide` shows whole ids.
    public func costsListing(days: ClosedRange<CalendarDay>, keys: KeyFilter = .all, wide: Bool = false) async throws -> Listing {
        let costs = try await withStore { try await $0.dailyCosts(in: days) }.filter {
            keys.matches($0.key, domainName: $0.domainName, projectName: $0.projectName, serviceName: $0.serviceName)
        }
        var text = TextTable(
            columns: [
                .init("date"), .init("service", name: true), .init("project", name: true), .init("domain", name: true),
                .init("cost (KRW)", number: true),
                .init("anomaly"), .init("key"),
            ],
            empty: "No daily cost is stored \(Self.span(days))\(Self.matching(keys)). "
                + "`billing-alert daily --date YYYYMMDD` fetches a finished day; `backfill --from --to` fetches many.")
        text.rows = costs.map { cost in
            [
                cost.date.iso, cost.serviceName, cost.projectName, cost.domainName, AmountText.grouped(cost.expectAmount, places: 2),
                cost.isAnomaly ? "yes" : "", Self.keyText(cost.key, wide: wide),
            ]
        }
        text.totals = [
            "total", "", "", "", AmountText.grouped(costs.reduce(.zero) { $0 + $1.expectAmount }, places: 2),
            "\(costs.filter(\.isAnomaly).count)",
            "\(Self.counted(Set(costs.map(\.key)).count, "key")), \(Self.counted(Set(costs.map(\.date)).count, "day"))",
        ]
        return Listing(data: Self.costsData(costs), text: text)
    }

    private static func costsData(_ costs: [DailyCost]) -> Table {
        Table(
            columns: [
                "date", "domainId", "domainName", "projectId", "projectName", "serviceId", "serviceName",
                "expectAmount", "generalAmount", "discountAmount", "usageTime", "usageSize", "pricingTypes", "regions",
                "rowCount", "isAnomaly",
            ],
            rows: costs.map { cost in
                [
                    .text(cost.date.compact), .text(cost.key.domainId), .text(cost.domainName), .text(cost.key.projectId),
                    .text(cost.projectName), .text(cost.key.serviceId), .text(cost.serviceName),
                    .number(cost.expectAmount.description), .number(cost.generalAmount.description),
                    .number(cost.discountAmount.description), .number(cost.usageTime.description),
                    .number(cost.usageSize.description), .list(cost.pricingTypes), .list(cost.regions),
                    .number(String(cost.rowCount)), .bool(cost.isAnomaly),
                ]
            })
    }

    /// The current baselines, with the names the latest daily rows carry.
    public func baselinesTable() async throws -> Table {
        try await baselinesListing().data
    }

    /// The current baselines of the keys `keys` picks; `wide` shows every statistic and whole ids.
    public func baselinesListing(keys: KeyFilter = .all, wide: Bool = false) async throws -> Listing {
        let (stored, names) = try await withStore { store in
            let baselines = try await store.baselines()
            var names: [CostKey: DailyCost] = [:]
            if let end = baselines.map(\.windowEnd).max(), let start = baselines.map(\.windowStart).min() {
                for cost in try await store.dailyCosts(in: start...end) { names[cost.key] = cost }
            }
            return (baselines, names)
        }
        let baselines = stored.filter { baseline in
            let named = names[baseline.key]
            return keys.matches(
                baseline.key, domainName: named?.domainName ?? "", projectName: named?.projectName ?? "", serviceName: named?.serviceName ?? "")
        }
        let data = Table(
            columns: [
                "domainId", "projectId", "projectName", "serviceId", "serviceName", "mean", "std", "min", "max", "p50",
                "p95", "sampleCount", "windowStart", "windowEnd", "computedAt",
            ],
            rows: baselines.map { baseline in
                [
                    .text(baseline.key.domainId), .text(baseline.key.projectId), .text(names[baseline.key]?.projectName ?? ""),
                    .text(baseline.key.serviceId), .text(names[baseline.key]?.serviceName ?? ""), Self.statistic(baseline.mean),
                    Self.statistic(baseline.std), Self.statistic(baseline.min), Self.statistic(baseline.max),
                    Self.statistic(baseline.p50), Self.statistic(baseline.p95), .number(String(baseline.sampleCount)),
                    .text(baseline.windowStart.compact), .text(baseline.windowEnd.compact),
                    .text(baseline.computedAt.formatted(.iso8601)),
                ]
            })
        let statistics: [(String, KeyPath<Baseline, Double>)] =
            wide ? [("mean (KRW)", \.mean), ("std", \.std), ("min", \.min), ("p50", \.p50), ("p95", \.p95), ("max", \.max)]
            : [("mean (KRW)", \.mean), ("std", \.std), ("p95", \.p95)]
        var text = TextTable(
            columns: [.init("service", name: true), .init("project", name: true)] + (wide ? [.init("domain", name: true)] : [])
                + statistics.map { .init($0.0, number: true) } + [.init("days", number: true), .init("through"), .init("key")],
            empty: stored.isEmpty
                ? "No baselines yet: the daily job computes them from the days it stores. Run `billing-alert daily` or `backfill`."
                : "No baseline\(Self.matching(keys)) among the \(stored.count) stored.")
        text.rows = baselines.map { baseline in
            let named = names[baseline.key]
            return [named?.serviceName ?? "", named?.projectName ?? ""] + (wide ? [named?.domainName ?? ""] : [])
                + statistics.map { AmountText.grouped(baseline[keyPath: $0.1]) }
                + ["\(baseline.sampleCount)", baseline.windowEnd.iso, Self.keyText(baseline.key, wide: wide)]
        }
        // The means add up to what a usual day of these keys cost over the window.
        text.totals = ["total", ""] + (wide ? [""] : []) + [AmountText.grouped(baselines.reduce(0) { $0 + $1.mean })]
            + Array(repeating: "", count: statistics.count - 1) + ["", "", Self.counted(baselines.count, "key")]
        return Listing(data: data, text: text)
    }

    /// Anomalies in `days`, oldest first, with their ids and what people said of them.
    public func anomaliesTable(days: ClosedRange<CalendarDay>) async throws -> Table {
        try await anomaliesListing(days: days, now: Date()).data
    }

    /// Which anomalies a listing shows.
    public struct AnomalyFilter: Sendable {
        public var keys: KeyFilter = .all
        /// Only those with no verdict and no silence holding them back today.
        public var openOnly = false
        /// Only those that cost at least this much more than expected (KRW).
        public var minImpact: Double?

        public init(keys: KeyFilter = .all, openOnly: Bool = false, minImpact: Double? = nil) {
            self.keys = keys
            self.openOnly = openOnly
            self.minImpact = minImpact
        }

        func matches(_ tracked: TrackedAnomaly) -> Bool {
            let anomaly = tracked.anomaly
            return keys.matches(anomaly.key, domainName: anomaly.domainName, projectName: anomaly.projectName, serviceName: anomaly.serviceName)
                && (!openOnly || tracked.state == .open) && tracked.impact >= (minImpact ?? -.infinity)
        }

        var text: String {
            ([keys.isEmpty ? nil : keys.text, openOnly ? "--open" : nil, minImpact.map { "--min-impact \(AmountText.grouped($0))" }]
                .compactMap { $0 }).joined(separator: " ")
        }
    }

    /// Anomalies in `days` that `filter` picks. JSON and CSV hold every record (an hourly one and the
    /// day's); the table shows each anomaly once, as its latest record says, with where it stands.
    public func anomaliesListing(
        days: ClosedRange<CalendarDay>, filter: AnomalyFilter = AnomalyFilter(), wide: Bool = false, now: Date
    ) async throws -> Listing {
        let (anomalies, feedback, silences) = try await withStore { store in
            (try await store.anomalies(in: days), try await store.feedback(in: days), try await store.silences())
        }
        let today = self.today(now).day
        let tracked = TrackedAnomaly.latest(anomalies, feedback: feedback, silences: silences, today: today)
        let picked = tracked.filter(filter.matches)
        let shown = Dictionary(uniqueKeysWithValues: picked.map { ($0.id, $0) })
        let data = Table(
            columns: [
                "id", "date", "hour", "domainId", "domainName", "projectId", "projectName", "serviceId", "serviceName",
                "observed", "baselineMean", "baselineStd", "zScore", "ratio", "zScoreThreshold", "ratioThreshold",
                "detector", "status", "notifyStatus", "detectedAt", "expected", "expectedLow", "expectedHigh", "impact", "reason", "driver",
                "rarityDays", "rarity", "notifyDetail", "feedback", "feedbackNote",
            ],
            rows: anomalies.filter { shown[$0.id] != nil }.map { anomaly in
                let said = shown[anomaly.id]?.verdict
                return [
                    .text(anomaly.id.description), .text(anomaly.date.compact), .number(String(anomaly.hour)), .text(anomaly.key.domainId),
                    .text(anomaly.domainName), .text(anomaly.key.projectId), .text(anomaly.projectName),
                    .text(anomaly.key.serviceId), .text(anomaly.serviceName), .number(anomaly.observed.description),
                    Self.statistic(anomaly.baselineMean), Self.statistic(anomaly.baselineStd),
                    anomaly.zScore.map(Self.statistic) ?? .null, Self.statistic(anomaly.ratio),
                    Self.statistic(anomaly.zScoreThreshold), Self.statistic(anomaly.ratioThreshold),
                    .text(anomaly.detector), .text(anomaly.status), .text(anomaly.notification.status.rawValue),
                    .text(anomaly.detectedAt.formatted(.iso8601)),
                    anomaly.explanation.expected.map(Self.statistic) ?? .null,
                    anomaly.explanation.low.map(Self.statistic) ?? .null,
                    anomaly.explanation.high.map(Self.statistic) ?? .null,
                    anomaly.explanation.impact.map(Self.statistic) ?? .null,
                    anomaly.explanation.reason.map(Table.Cell.text) ?? .null,
                    anomaly.explanation.driver.map(Table.Cell.text) ?? .null,
                    anomaly.explanation.rarity.map { .number(String($0.days)) } ?? .null,
                    anomaly.explanation.rarity.map { .text($0.text) } ?? .null,
                    anomaly.notification.detail.map(Table.Cell.text) ?? .null,
                    said.map { .text($0.verdict.rawValue) } ?? .null, said?.note.map(Table.Cell.text) ?? .null,
                ]
            })
        var text = TextTable(
            columns: [
                .init("id"), .init("hour", number: true), .init("service", name: true), .init("project", name: true),
            ] + (wide ? [.init("domain", name: true)] : []) + [
                .init("observed (KRW)", number: true), .init("expected", number: true), .init("impact", number: true), .init("state"),
            ] + (wide ? [.init("rarity", name: true), .init("driver", name: true), .init("detector"), .init("key")] : []),
            empty: anomalies.isEmpty
                ? "No anomaly was found \(Self.span(days)). The hourly and daily jobs record them as they judge the bill."
                : "None of the \(tracked.count) anomalies \(Self.span(days)) matches \(filter.text).")
        let ordered = picked.sorted { ($0.anomaly.date, $0.anomaly.hour, $0.anomaly.key) < ($1.anomaly.date, $1.anomaly.hour, $1.anomaly.key) }
        text.rows = ordered.map { tracked in
            let anomaly = tracked.anomaly
            let state = tracked.verdict.map { "\(tracked.state.rawValue) (\($0.verdict.rawValue))" } ?? tracked.state.rawValue
            return [
                anomaly.id.description, anomaly.hour == Anomaly.wholeDay ? "day" : String(anomaly.hour), anomaly.serviceName, anomaly.projectName,
            ] + (wide ? [anomaly.domainName] : []) + [
                AmountText.grouped(anomaly.observed, places: 2), AmountText.grouped(tracked.expected), Self.signed(tracked.impact), state,
            ] + (wide
                ? [anomaly.explanation.rarity?.text ?? "", anomaly.explanation.driver ?? "", anomaly.detector, Self.keyText(anomaly.key, wide: true)]
                : [])
        }
        text.totals = [Self.counted(picked.count, "anomaly", plural: "anomalies"), "", "", ""] + (wide ? [""] : []) + [
            AmountText.grouped(picked.reduce(.zero) { $0 + $1.anomaly.observed }, places: 2), "",
            Self.signed(picked.reduce(0) { $0 + $1.impact }), "\(picked.filter { $0.state == .open }.count) open",
        ] + (wide ? ["", "", "", ""] : [])
        return Listing(data: data, text: text)
    }

    /// The finished job runs dated in `days`, by job then date: what each fetched and when it finished.
    public func runsTable(days: ClosedRange<CalendarDay>) async throws -> Table {
        try await runsListing(days: days).data
    }

    /// The same, with finishing times in the configured time zone.
    public func runsListing(days: ClosedRange<CalendarDay>) async throws -> Listing {
        let runs = try await withStore { try await $0.jobRuns(in: days) }
        let data = Table(
            columns: ["job", "date", "rowCount", "keyCount", "finishedAt"],
            rows: runs.map { run in
                [
                    .text(run.job.rawValue), .text(run.date.compact), .number(String(run.rowCount)), .number(String(run.keyCount)),
                    .text(run.finishedAt.formatted(.iso8601)),
                ]
            })
        var text = TextTable(
            columns: [.init("job"), .init("date"), .init("rows", number: true), .init("keys", number: true), .init("finished")],
            empty: "No job finished a day \(Self.span(days)). `billing-alert daily` runs the daily job; `status` says what is due.")
        text.rows = runs.map { run in
            [run.job.rawValue, run.date.iso, Self.count(run.rowCount), Self.count(run.keyCount), localTime(run.finishedAt)]
        }
        return Listing(data: data, text: text)
    }

    /// "2026-11-21 03:10 +09:00" in the configured time zone.
    public func localTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = configuration.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let offset = configuration.timeZone.secondsFromGMT(for: date) / 60
        return String(
            format: "%04d-%02d-%02d %02d:%02d %@%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0, offset < 0 ? "-" : "+", abs(offset) / 60, abs(offset) % 60)
    }

    /// "on 2026-11-20" or "from 2026-11-14 to 2026-11-20".
    static func span(_ days: ClosedRange<CalendarDay>) -> String {
        days.lowerBound == days.upperBound ? "on \(days.lowerBound.iso)" : "from \(days.lowerBound.iso) to \(days.upperBound.iso)"
    }

    /// " that matches --service 'x'" when keys are filtered.
    static func matching(_ keys: KeyFilter) -> String {
        keys.isEmpty ? "" : " that matches \(keys.text)"
    }

    /// The key's ids, each cut to 8 characters unless `wide`: "26c4f3a5/f04162ab/5".
    static func keyText(_ key: CostKey, wide: Bool) -> String {
        [key.domainId, key.projectId, key.serviceId].map { wide || $0.count <= 8 ? $0 : String($0.prefix(8)) }.joined(separator: "/")
    }

    /// "+80,256.00" or "-1,200.50".
    static func signed(_ value: Double) -> String {
        (value > 0 ? "+" : "") + AmountText.grouped(value)
    }

    /// "1 key", "3 keys".
    static func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
        "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
    }

    /// "1,000,000".
    static func count(_ value: Int) -> String {
        AmountText.grouped(Double(value), digits: 0)
    }

    /// The raw days waiting in the spool for the archive, oldest first; none for a folder archive.
    public func spooledDays() -> [String] {
        guard let archive = makeArchive() as? SpoolingArchive else { return [] }
        return ((try? archive.spool.keys()) ?? []).sorted()
    }

    /// Statistics are doubles; four decimals are plenty and keep JSON free of binary noise.
    public static func statistic(_ value: Double) -> Table.Cell {
        guard value.isFinite else { return .null }
        return .number(ExactDecimal(String(format: "%.4f", value))?.description ?? "0")
    }
}
