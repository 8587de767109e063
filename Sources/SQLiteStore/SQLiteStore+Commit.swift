import BillingCore
import BillingPipeline
import Foundation
import GRDB

extension SQLiteStore {
    /// Writes one run's changes; called inside a single write transaction.
    static func apply(_ changes: StoreChanges, in db: Database) throws {
        let now = StoredValue.timestamp(changes.now)
        try replaceDays(changes.replacedDays, with: changes.dailyCosts, now: now, in: db)
        try refreshServiceTotals(
            of: Array(Set(changes.replacedDays + changes.dailyCosts.map(\.date))), replaced: Set(changes.replacedDays), costs: changes.dailyCosts,
            in: db)
        for (day, movers) in changes.movers {
            try db.run(sql: "DELETE FROM billing_daily_movers WHERE date = ?", arguments: [day.compact])
            for (rank, mover) in movers.enumerated() {
                try db.run(
                    sql: """
                        INSERT INTO billing_daily_movers (date, rank, domain_id, project_id, service_id, domain_name, project_name,
                            service_name, expect_amount, usual) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        day.compact, rank, mover.key.domainId, mover.key.projectId, mover.key.serviceId, mover.domainName,
                        mover.projectName, mover.serviceName, mover.amount.description, mover.usual,
                    ])
            }
        }
        if let baselines = changes.baselines {
            try replaceBaselines(baselines, in: db)
        }
        try removeVanishedAnomalies(changes, now: now, in: db)
        for anomaly in changes.anomalies {
            try upsert(anomaly, now: now, in: db)
        }
        for notification in changes.notifications {
            try db.run(
                sql: """
                    UPDATE billing_anomalies SET notify_status = ?, notified_at = ?, notify_detail = ?, updated_at = ?
                    WHERE date = ? AND hour = ? AND domain_id = ? AND project_id = ? AND service_id = ?
                    """,
                arguments: [
                    notification.state.status.rawValue, notification.state.at.map(StoredValue.timestamp),
                    notification.state.detail, now, notification.date.compact, notification.hour,
                    notification.key.domainId, notification.key.projectId, notification.key.serviceId,
                ])
        }
        for snapshot in changes.intraday {
            try db.run(
                sql: """
                    INSERT INTO billing_intraday (date, hour, domain_id, project_id, service_id, expect_amount)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (date, hour, domain_id, project_id, service_id) DO UPDATE SET expect_amount = excluded.expect_amount
                    """,
                arguments: [
                    snapshot.date.compact, snapshot.hour, snapshot.key.domainId, snapshot.key.projectId,
                    snapshot.key.serviceId, snapshot.expectAmount.description,
                ])
        }
        for delivery in changes.deliveries {
            try db.run(
                sql: """
                    INSERT INTO alert_deliveries (date, hour, domain_id, project_id, service_id, channel, status, attempts, last_error, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (date, hour, domain_id, project_id, service_id, channel) DO UPDATE SET status = excluded.status,
                        attempts = excluded.attempts, last_error = excluded.last_error, updated_at = excluded.updated_at
                    """,
                arguments: [
                    delivery.date.compact, delivery.hour, delivery.key.domainId, delivery.key.projectId, delivery.key.serviceId,
                    delivery.channel, delivery.status.rawValue, delivery.attempts, delivery.lastError, now,
                ])
        }
        try applyFeedback(changes, now: now, in: db)
        for run in changes.jobRuns {
            try db.run(
                sql: """
                    INSERT INTO job_runs (job, date, row_count, key_count, finished_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (job, date) DO UPDATE SET row_count = excluded.row_count,
                        key_count = excluded.key_count, finished_at = excluded.finished_at
                    """,
                arguments: [run.job.rawValue, run.date.compact, run.rowCount, run.keyCount, StoredValue.timestamp(run.finishedAt)])
        }
    }

    /// For each day and hour judged again, removes the anomalies the new judgement does not hold, and
    /// withdraws their deliveries still owed.
    private static func removeVanishedAnomalies(_ changes: StoreChanges, now: String, in db: Database) throws {
        for judged in changes.rejudged {
            let keep = judged.keys(among: changes.anomalies)
            let stored = try Row.fetchAll(
                db, sql: "SELECT domain_id, project_id, service_id FROM billing_anomalies WHERE date = ? AND hour = ?",
                arguments: [judged.date.compact, judged.hour])
            for row in stored {
                let key = CostKey(domainId: row["domain_id"], projectId: row["project_id"], serviceId: row["service_id"])
                guard !keep.contains(key) else { continue }
                let arguments: StatementArguments = [judged.date.compact, judged.hour, key.domainId, key.projectId, key.serviceId]
                try db.run(
                    sql: "DELETE FROM billing_anomalies WHERE date = ? AND hour = ? AND domain_id = ? AND project_id = ? AND service_id = ?",
                    arguments: arguments)
                try db.run(
                    sql: """
                        UPDATE alert_deliveries SET status = ?, updated_at = ?
                        WHERE date = ? AND hour = ? AND domain_id = ? AND project_id = ? AND service_id = ? AND status IN (?, ?)
                        """,
                    arguments: [Delivery.Status.withdrawn.rawValue, now] + arguments
                        + [Delivery.Status.pending.rawValue, Delivery.Status.failed.rawValue])
            }
        }
    }

    private static func applyFeedback(_ changes: StoreChanges, now: String, in db: Database) throws {
        for silence in changes.silences {
            try db.run(
                sql: """
                    INSERT INTO alert_silences (id, matchers, until, reason, created_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET matchers = excluded.matchers, until = excluded.until, reason = excluded.reason
                    """,
                arguments: [silence.id, silence.matchText, silence.until.compact, silence.reason, StoredValue.timestamp(silence.createdAt)])
        }
        for id in changes.removedSilences {
            try db.run(sql: "DELETE FROM alert_silences WHERE id = ?", arguments: [id])
        }
        for feedback in changes.feedback {
            try db.run(
                sql: """
                    INSERT INTO anomaly_feedback (date, domain_id, project_id, service_id, verdict, note, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (date, domain_id, project_id, service_id) DO UPDATE SET verdict = excluded.verdict,
                        note = excluded.note, recorded_at = excluded.recorded_at
                    """,
                arguments: [
                    feedback.date.compact, feedback.key.domainId, feedback.key.projectId, feedback.key.serviceId,
                    feedback.verdict.rawValue, feedback.note, StoredValue.timestamp(feedback.recordedAt),
                ])
        }
        for flag in changes.anomalyFlags {
            try db.run(
                sql: """
                    UPDATE billing_daily SET is_anomaly = ?, updated_at = ?
                    WHERE date = ? AND domain_id = ? AND project_id = ? AND service_id = ? AND is_anomaly IS NOT ?
                    """,
                arguments: [flag.isAnomaly, now, flag.date.compact, flag.key.domainId, flag.key.projectId, flag.key.serviceId, flag.isAnomaly])
            try db.run(
                sql: """
                    UPDATE billing_history SET is_anomaly = ?
                    WHERE day = ? AND key_id = (SELECT id FROM billing_keys WHERE domain_id = ? AND project_id = ? AND service_id = ?)
                    """,
                arguments: [flag.isAnomaly, flag.date.daysSinceEpoch, flag.key.domainId, flag.key.projectId, flag.key.serviceId])
        }
    }

    /// The columns that describe a day's cost; a rerun that changes none of them leaves the row as it was,
    /// timestamps included.
    private static let dailyContentColumns = [
        "domain_name", "project_name", "service_name", "usage_time", "usage_size", "general_amount",
        "discount_amount", "expect_amount", "pricing_types", "regions", "row_count", "is_anomaly", "parts",
    ]

    /// Sums each service's cost on `days` again, exactly (the amounts are decimal text, which SQLite
    /// would add as floating point), into billing_daily_service. A day in `replaced` holds exactly its
    /// `costs`, which are summed as they are; any other day is summed from its stored rows.
    static func refreshServiceTotals(of days: [CalendarDay], replaced: Set<CalendarDay> = [], costs: [DailyCost] = [], in db: Database) throws {
        let insert = try db.makeStatement(
            sql: "INSERT INTO billing_daily_service (date, service_id, service_name, expect_amount, key_count) VALUES (?, ?, ?, ?, ?)")
        for day in days {
            try db.run(sql: "DELETE FROM billing_daily_service WHERE date = ?", arguments: [day.compact])
            var sums = ServiceSums(day: day)
            if replaced.contains(day) {
                for cost in costs where cost.date == day { sums.add(service: cost.key.serviceId, name: cost.serviceName, amount: cost.expectAmount) }
            } else {
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT service_id, service_name, expect_amount FROM billing_daily WHERE date = ?", arguments: [day.compact])
                while let row = try rows.next()?.columns {
                    sums.add(service: try row.text("service_id"), name: try row.text("service_name"), amount: try row.decimal("expect_amount"))
                }
            }
            for total in sums.totals.values {
                try insert.execute(arguments: [day.compact, total.serviceId, total.serviceName, total.amount.description, total.keyCount])
            }
        }
    }

    /// One day's keys added up by service: the exact amount, the keys, and the greatest name.
    private struct ServiceSums {
        let day: CalendarDay
        var totals: [String: ServiceDayTotal] = [:]

        mutating func add(service: String, name: String, amount: ExactDecimal) {
            if var total = totals[service] {
                total.amount = total.amount + amount
                total.keyCount += 1
                total.serviceName = max(total.serviceName, name)
                totals[service] = total
            } else {
                totals[service] = ServiceDayTotal(date: day, serviceId: service, serviceName: name, amount: amount, keyCount: 1)
            }
        }
    }

    private static func replaceDays(
        _ days: [CalendarDay], with costs: [DailyCost], now: String, in db: Database
    ) throws {
        for day in days {
            // The stored keys the new costs leave out, found a row at a time (a stored day can hold a
            // row per key), then deleted once the read is done. The new keys are gathered only when
            // the day holds rows to compare with.
            let stored = try Row.fetchCursor(
                db, sql: "SELECT domain_id, project_id, service_id FROM billing_daily WHERE date = ?",
                arguments: [day.compact])
            var keep: Set<CostKey>?
            var gone: [CostKey] = []
            while let row = try stored.next() {
                let key = try row.columns.key()
                if keep == nil { keep = Set(costs.lazy.filter { $0.date == day }.map(\.key)) }
                if keep?.contains(key) != true { gone.append(key) }
            }
            for key in gone {
                try db.run(
                    sql: "DELETE FROM billing_daily WHERE date = ? AND domain_id = ? AND project_id = ? AND service_id = ?",
                    arguments: [day.compact, key.domainId, key.projectId, key.serviceId])
            }
        }
        let columns = ["date", "domain_id", "project_id", "service_id"] + dailyContentColumns + ["created_at", "updated_at"]
        let updates = (dailyContentColumns + ["updated_at"]).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let changed = dailyContentColumns.map { "billing_daily.\($0) IS NOT excluded.\($0)" }.joined(separator: " OR ")
        let statement = try BulkStatement(
            db,
            sql: """
                INSERT INTO billing_daily (\(columns.joined(separator: ", ")))
                VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
                ON CONFLICT (date, domain_id, project_id, service_id) DO UPDATE SET \(updates) WHERE \(changed)
                """)
        var date = (day: CalendarDay?.none, compact: "")
        var lists = (pricingTypes: ListText(), regions: ListText())
        for cost in costs {
            if cost.date != date.day { date = (cost.date, cost.date.compact) }
            try statement.run { row in
                for text in [date.compact, cost.key.domainId, cost.key.projectId, cost.key.serviceId, cost.domainName, cost.projectName, cost.serviceName] {
                    try row.text(text)
                }
                for amount in [cost.usageTime, cost.usageSize, cost.generalAmount, cost.discountAmount, cost.expectAmount] {
                    try row.text(amount.description)
                }
                try row.text(lists.pricingTypes.json(of: cost.pricingTypes))
                try row.text(lists.regions.json(of: cost.regions))
                try row.int(cost.rowCount)
                try row.bool(cost.isAnomaly)
                try row.text(DailyCost.Part.json(cost.parts))
                try row.text(now)
                try row.text(now)
            }
        }
        try replaceHistory(of: days, with: costs, in: db)
    }

    /// The stored text of a list of names, kept for the next row: keys share a few lists (a day's
    /// aggregator makes each once), and a list that shares the one before's storage compares equal
    /// at once.
    private struct ListText {
        private var list: [String]?
        private var text = ""

        mutating func json(of list: [String]) -> String {
            if list != self.list {
                self.list = list
                text = DailyCost.listJSON(list)
            }
            return text
        }
    }

    /// Keeps billing_history as billing_daily is: a replaced day holds exactly its costs, any other
    /// cost replaces its key's day. A key gets its number the first time it is seen.
    ///
    /// The numbers are read once, all of them, and only new keys are added: a day's costs come in
    /// the tens of thousands, and a statement per key to look its number up took a third of a commit.
    private static func replaceHistory(of days: [CalendarDay], with costs: [DailyCost], in db: Database) throws {
        for day in days {
            try db.run(sql: "DELETE FROM billing_history WHERE day = ?", arguments: [day.daysSinceEpoch])
        }
        guard !costs.isEmpty else { return }
        var numbers: [CostKey: Int64] = [:]
        try forEachNumberedKey(in: db) { number, key in numbers[key] = number }
        let newKey = try db.makeStatement(sql: "INSERT INTO billing_keys (domain_id, project_id, service_id) VALUES (?, ?, ?)")
        let insert = try BulkStatement(
            db,
            sql: """
                INSERT INTO billing_history (day, key_id, amount, is_anomaly) VALUES (?, ?, ?, ?)
                ON CONFLICT (day, key_id) DO UPDATE SET amount = excluded.amount, is_anomaly = excluded.is_anomaly
                """)
        for cost in costs {
            let number: Int64
            if let known = numbers[cost.key] {
                number = known
            } else {
                try newKey.execute(arguments: [cost.key.domainId, cost.key.projectId, cost.key.serviceId])
                number = db.lastInsertedRowID
                numbers[cost.key] = number
            }
            try insert.run { row in
                try row.int(cost.date.daysSinceEpoch)
                try row.int(Int(number))
                try row.double(cost.expectAmount.doubleValue)
                try row.bool(cost.isAnomaly)
            }
        }
    }

    private static func replaceBaselines(_ baselines: [Baseline], in db: Database) throws {
        try db.run(sql: "DELETE FROM billing_baseline")
        let statement = try BulkStatement(
            db,
            sql: """
                INSERT INTO billing_baseline (domain_id, project_id, service_id, mean, std, min, max, p50, p95,
                    sample_count, window_start, window_end, computed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        // Every baseline of a run shares its window and time: each is written out once.
        var shared = (start: CalendarDay?.none, end: CalendarDay?.none, at: Date?.none, texts: ["", "", ""])
        for baseline in baselines {
            if (baseline.windowStart, baseline.windowEnd, baseline.computedAt) != (shared.start, shared.end, shared.at) {
                shared = (
                    baseline.windowStart, baseline.windowEnd, baseline.computedAt,
                    [baseline.windowStart.compact, baseline.windowEnd.compact, StoredValue.timestamp(baseline.computedAt)]
                )
            }
            try statement.run { row in
                try row.text(baseline.key.domainId)
                try row.text(baseline.key.projectId)
                try row.text(baseline.key.serviceId)
                for value in [baseline.mean, baseline.std, baseline.min, baseline.max, baseline.p50, baseline.p95] {
                    try row.double(value)
                }
                try row.int(baseline.sampleCount)
                for text in shared.texts { try row.text(text) }
            }
        }
    }

    private static func upsert(_ anomaly: Anomaly, now: String, in db: Database) throws {
        try db.run(
            sql: """
                INSERT INTO billing_anomalies (date, hour, domain_id, project_id, service_id, domain_name,
                    project_name, service_name, observed, baseline_mean, baseline_std, z_score, ratio,
                    z_score_threshold, ratio_threshold, detector, status, notify_status, notified_at,
                    notify_detail, detected_at, updated_at, expected, expected_low, expected_high, impact, reason, driver,
                    rarity_days, rarity_history_days)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (date, hour, domain_id, project_id, service_id) DO UPDATE SET
                    domain_name = excluded.domain_name, project_name = excluded.project_name,
                    service_name = excluded.service_name, observed = excluded.observed,
                    baseline_mean = excluded.baseline_mean, baseline_std = excluded.baseline_std,
                    z_score = excluded.z_score, ratio = excluded.ratio,
                    z_score_threshold = excluded.z_score_threshold, ratio_threshold = excluded.ratio_threshold,
                    detector = excluded.detector, updated_at = excluded.updated_at, expected = excluded.expected,
                    expected_low = excluded.expected_low, expected_high = excluded.expected_high,
                    impact = excluded.impact, reason = excluded.reason, driver = excluded.driver,
                    rarity_days = excluded.rarity_days, rarity_history_days = excluded.rarity_history_days
                """,
            arguments: [
                anomaly.date.compact, anomaly.hour, anomaly.key.domainId, anomaly.key.projectId,
                anomaly.key.serviceId, anomaly.domainName, anomaly.projectName, anomaly.serviceName,
                anomaly.observed.description, anomaly.baselineMean, anomaly.baselineStd, anomaly.zScore,
                anomaly.ratio, anomaly.zScoreThreshold, anomaly.ratioThreshold, anomaly.detector,
                anomaly.status, anomaly.notification.status.rawValue,
                anomaly.notification.at.map(StoredValue.timestamp), anomaly.notification.detail,
                StoredValue.timestamp(anomaly.detectedAt), now, anomaly.explanation.expected, anomaly.explanation.low,
                anomaly.explanation.high, anomaly.explanation.impact, anomaly.explanation.reason, anomaly.explanation.driver,
                anomaly.explanation.rarity?.days, anomaly.explanation.rarity?.historyDays,
            ])
    }
}
