import BillingCore
import BillingPipeline
import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// Rows per statement when many rows go in at once.
    static let batchSize = 2_000

    /// `items` in runs of `batchSize`, one statement's worth each.
    static func batches<Items: RandomAccessCollection>(of items: Items) -> [Items.SubSequence] where Items.Index == Int {
        stride(from: 0, to: items.count, by: batchSize).map { items[$0..<min($0 + batchSize, items.count)] }
    }

    /// Sends `items` to `table` through `COPY ... FROM STDIN`, a batch of rows a message.
    static func copy<Items: RandomAccessCollection>(
        _ items: Items, into table: String, columns: [String], on connection: PostgresConnection, logger: Logger,
        row: (inout CopyTextRows, Items.Element) -> Void
    ) async throws where Items.Index == Int {
        guard !items.isEmpty else { return }
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            for batch in batches(of: items) {
                var rows = CopyTextRows()
                for item in batch {
                    row(&rows, item)
                    rows.endRow()
                }
                try await writer.write(rows.buffer)
            }
        }
    }

    /// Writes one run's changes; called inside a single transaction.
    static func apply(_ changes: StoreChanges, on connection: PostgresConnection, logger: Logger) async throws {
        let now = changes.now
        try await replaceDays(changes.replacedDays, with: changes.dailyCosts, now: now, on: connection, logger: logger)
        for day in Set(changes.replacedDays + changes.dailyCosts.map(\.date)) {
            // Each service's exact total of the day, summed again from its rows.
            try await connection.query("DELETE FROM billing_daily_service WHERE date = \(day.compact)", logger: logger)
            try await connection.query(
                """
                INSERT INTO billing_daily_service (date, service_id, service_name, expect_amount, key_count)
                SELECT date, service_id, MAX(service_name), SUM(expect_amount), COUNT(*) FROM billing_daily
                WHERE date = \(day.compact) GROUP BY date, service_id
                """, logger: logger)
        }
        for (day, movers) in changes.movers {
            try await connection.query("DELETE FROM billing_daily_movers WHERE date = \(day.compact)", logger: logger)
            guard !movers.isEmpty else { continue }
            try await connection.query(
                """
                INSERT INTO billing_daily_movers (date, rank, domain_id, project_id, service_id, domain_name, project_name, service_name,
                    expect_amount, usual)
                SELECT \(day.compact), rank - 1, di, pi, si, dn, pn, sn, amount::numeric, usual
                FROM unnest(\(movers.map(\.key.domainId))::text[], \(movers.map(\.key.projectId))::text[], \(movers.map(\.key.serviceId))::text[],
                    \(movers.map(\.domainName))::text[], \(movers.map(\.projectName))::text[], \(movers.map(\.serviceName))::text[],
                    \(movers.map(\.amount.description))::text[], \(movers.map(\.usual))::float8[])
                    WITH ORDINALITY AS row(di, pi, si, dn, pn, sn, amount, usual, rank)
                """, logger: logger)
        }
        if let baselines = changes.baselines {
            // Every key's baseline is new each time, so the table is emptied and filled by COPY.
            // TRUNCATE, unlike DELETE, leaves no dead rows for the new ones' index entries to step
            // over (a reload of 125,000 baselines: 0.53 s against 0.9-1.5 s). It holds the table
            // until the commit, so a page reading baselines meanwhile waits for the new ones.
            try await connection.query("TRUNCATE billing_baseline", logger: logger)
            try await copy(
                baselines, into: "billing_baseline",
                columns: [
                    "domain_id", "project_id", "service_id", "mean", "std", "min", "max", "p50", "p95", "sample_count",
                    "window_start", "window_end", "computed_at",
                ], on: connection, logger: logger
            ) { rows, baseline in
                rows.text(baseline.key.domainId)
                rows.text(baseline.key.projectId)
                rows.text(baseline.key.serviceId)
                for value in [baseline.mean, baseline.std, baseline.min, baseline.max, baseline.p50, baseline.p95] { rows.double(value) }
                rows.integer(baseline.sampleCount)
                rows.text(baseline.windowStart.compact)
                rows.text(baseline.windowEnd.compact)
                rows.timestamp(baseline.computedAt)
            }
        }
        try await removeVanishedAnomalies(changes, on: connection, logger: logger)
        for anomaly in changes.anomalies {
            try await upsert(anomaly, now: now, on: connection, logger: logger)
        }
        for notification in changes.notifications {
            try await connection.query(
                """
                UPDATE billing_anomalies SET notify_status = \(notification.state.status.rawValue),
                    notified_at = \(notification.state.at), notify_detail = \(notification.state.detail), updated_at = \(now)
                WHERE date = \(notification.date.compact) AND hour = \(notification.hour)
                    AND domain_id = \(notification.key.domainId) AND project_id = \(notification.key.projectId)
                    AND service_id = \(notification.key.serviceId)
                """, logger: logger)
        }
        for batch in batches(of: changes.intraday) {
            try await connection.query(
                """
                INSERT INTO billing_intraday (date, hour, domain_id, project_id, service_id, expect_amount)
                SELECT d, h, di, pi, si, ea::numeric
                FROM unnest(\(batch.map(\.date.compact))::text[], \(batch.map(\.hour))::int8[], \(batch.map(\.key.domainId))::text[],
                    \(batch.map(\.key.projectId))::text[], \(batch.map(\.key.serviceId))::text[],
                    \(batch.map(\.expectAmount.description))::text[]) AS row(d, h, di, pi, si, ea)
                ON CONFLICT (date, hour, domain_id, project_id, service_id) DO UPDATE SET expect_amount = excluded.expect_amount
                """, logger: logger)
        }
        for delivery in changes.deliveries {
            try await connection.query(
                """
                INSERT INTO alert_deliveries (date, hour, domain_id, project_id, service_id, channel, status, attempts, last_error, updated_at)
                VALUES (\(delivery.date.compact), \(delivery.hour), \(delivery.key.domainId), \(delivery.key.projectId),
                    \(delivery.key.serviceId), \(delivery.channel), \(delivery.status.rawValue), \(delivery.attempts),
                    \(delivery.lastError), \(now))
                ON CONFLICT (date, hour, domain_id, project_id, service_id, channel) DO UPDATE SET status = excluded.status,
                    attempts = excluded.attempts, last_error = excluded.last_error, updated_at = excluded.updated_at
                """, logger: logger)
        }
        try await applyFeedback(changes, on: connection, logger: logger)
        for run in changes.jobRuns {
            try await connection.query(
                """
                INSERT INTO job_runs (job, date, row_count, key_count, finished_at)
                VALUES (\(run.job.rawValue), \(run.date.compact), \(run.rowCount), \(run.keyCount), \(run.finishedAt))
                ON CONFLICT (job, date) DO UPDATE SET row_count = excluded.row_count,
                    key_count = excluded.key_count, finished_at = excluded.finished_at
                """, logger: logger)
        }
    }

    private static func applyFeedback(_ changes: StoreChanges, on connection: PostgresConnection, logger: Logger) async throws {
        for silence in changes.silences {
            try await connection.query(
                """
                INSERT INTO alert_silences (id, matchers, until, reason, created_at)
                VALUES (\(silence.id), \(silence.matchText), \(silence.until.compact), \(silence.reason), \(silence.createdAt))
                ON CONFLICT (id) DO UPDATE SET matchers = excluded.matchers, until = excluded.until, reason = excluded.reason
                """, logger: logger)
        }
        for id in changes.removedSilences {
            try await connection.query("DELETE FROM alert_silences WHERE id = \(id)", logger: logger)
        }
        for feedback in changes.feedback {
            try await connection.query(
                """
                INSERT INTO anomaly_feedback (date, domain_id, project_id, service_id, verdict, note, recorded_at)
                VALUES (\(feedback.date.compact), \(feedback.key.domainId), \(feedback.key.projectId), \(feedback.key.serviceId),
                    \(feedback.verdict.rawValue), \(feedback.note), \(feedback.recordedAt))
                ON CONFLICT (date, domain_id, project_id, service_id) DO UPDATE SET verdict = excluded.verdict,
                    note = excluded.note, recorded_at = excluded.recorded_at
                """, logger: logger)
        }
        for flag in changes.anomalyFlags {
            try await connection.query(
                """
                UPDATE billing_daily SET is_anomaly = \(flag.isAnomaly), updated_at = \(changes.now)
                WHERE date = \(flag.date.compact) AND domain_id = \(flag.key.domainId) AND project_id = \(flag.key.projectId)
                    AND service_id = \(flag.key.serviceId) AND is_anomaly IS DISTINCT FROM \(flag.isAnomaly)
                """, logger: logger)
            try await connection.query(
                """
                UPDATE billing_history SET is_anomaly = \(flag.isAnomaly)
                WHERE day = \(Int32(flag.date.daysSinceEpoch)) AND key_id = (SELECT id FROM billing_keys
                    WHERE domain_id = \(flag.key.domainId) AND project_id = \(flag.key.projectId) AND service_id = \(flag.key.serviceId))
                """, logger: logger)
        }
    }

    /// For each day and hour judged again, removes the anomalies the new judgement does not hold, and
    /// withdraws their deliveries still owed.
    private static func removeVanishedAnomalies(
        _ changes: StoreChanges, on connection: PostgresConnection, logger: Logger
    ) async throws {
        for judged in changes.rejudged {
            let keep = judged.keys(among: changes.anomalies)
            var vanished: [CostKey] = []
            let stored = try await connection.query(
                "SELECT domain_id, project_id, service_id FROM billing_anomalies WHERE date = \(judged.date.compact) AND hour = \(judged.hour)",
                logger: logger)
            for try await (domain, project, service) in stored.decode((String, String, String).self) {
                let key = CostKey(domainId: domain, projectId: project, serviceId: service)
                if !keep.contains(key) { vanished.append(key) }
            }
            for key in vanished {
                try await connection.query(
                    """
                    DELETE FROM billing_anomalies WHERE date = \(judged.date.compact) AND hour = \(judged.hour)
                        AND domain_id = \(key.domainId) AND project_id = \(key.projectId) AND service_id = \(key.serviceId)
                    """, logger: logger)
                try await connection.query(
                    """
                    UPDATE alert_deliveries SET status = \(Delivery.Status.withdrawn.rawValue), updated_at = \(changes.now)
                    WHERE date = \(judged.date.compact) AND hour = \(judged.hour) AND domain_id = \(key.domainId)
                        AND project_id = \(key.projectId) AND service_id = \(key.serviceId)
                        AND status IN (\(Delivery.Status.pending.rawValue), \(Delivery.Status.failed.rawValue))
                    """, logger: logger)
            }
        }
    }

    private static func replaceDays(
        _ days: [CalendarDay], with costs: [DailyCost], now: Date, on connection: PostgresConnection, logger: Logger
    ) async throws {
        // Keys no longer in the day go; the rest are upserted below. The vanished keys are found here
        // and deleted by key, through the primary key's index: a set-based NOT IN or NOT EXISTS leaves
        // the choice to the planner, which with the day's new rows not yet counted by ANALYZE compared
        // every stored row with every kept key (many minutes for a day of 125,000 keys).
        var vanishedByDay: [(day: CalendarDay, keys: [CostKey])] = []
        var emptyDays: Set<CalendarDay> = []
        for day in days {
            let keep = Set(costs.lazy.filter { $0.date == day }.map(\.key))
            var vanished: [CostKey] = []
            let stored = try await connection.query(
                "SELECT domain_id, project_id, service_id FROM billing_daily WHERE date = \(day.compact)", logger: logger)
            var storedAny = false
            for try await (domain, project, service) in stored.decode((String, String, String).self) {
                storedAny = true
                let key = CostKey(domainId: domain, projectId: project, serviceId: service)
                if !keep.contains(key) { vanished.append(key) }
            }
            if !storedAny { emptyDays.insert(day) }
            for batch in batches(of: vanished) {
                try await connection.query(
                    """
                    DELETE FROM billing_daily WHERE date = \(day.compact)
                    AND (domain_id, project_id, service_id) IN (
                        SELECT * FROM unnest(\(batch.map(\.domainId))::text[], \(batch.map(\.projectId))::text[],
                            \(batch.map(\.serviceId))::text[]))
                    """, logger: logger)
            }
            vanishedByDay.append((day, vanished))
        }
        // A day that held nothing (the daily job's usual day) takes its rows by COPY: there is
        // nothing to conflict with. Otherwise rows go in batches through arrays (unnest), not one
        // round trip each: a day can hold many thousands of keys. A rerun that changes nothing
        // leaves a row as it was, timestamps included.
        if !costs.isEmpty, costs.allSatisfy({ emptyDays.contains($0.date) }) {
            try await copy(costs, into: "billing_daily", columns: dailyCopyColumns, on: connection, logger: logger) { rows, cost in
                rows.text(cost.date.compact)
                for text in [cost.key.domainId, cost.key.projectId, cost.key.serviceId, cost.domainName, cost.projectName, cost.serviceName] {
                    rows.text(text)
                }
                for amount in [cost.usageTime, cost.usageSize, cost.generalAmount, cost.discountAmount, cost.expectAmount] {
                    rows.text(amount.description)
                }
                rows.text(DailyCost.listJSON(cost.pricingTypes))
                rows.text(DailyCost.listJSON(cost.regions))
                rows.integer(cost.rowCount)
                rows.bool(cost.isAnomaly)
                rows.text(DailyCost.Part.json(cost.parts))
                rows.timestamp(now)
                rows.timestamp(now)
            }
        } else {
            for batch in batches(of: costs) {
                try await connection.query(
                    """
                    INSERT INTO billing_daily (date, domain_id, project_id, service_id, domain_name, project_name,
                        service_name, usage_time, usage_size, general_amount, discount_amount, expect_amount,
                        pricing_types, regions, row_count, is_anomaly, parts, created_at, updated_at)
                    SELECT d, di, pi, si, dn, pn, sn, ut::numeric, us::numeric, ga::numeric, da::numeric, ea::numeric,
                        pt, rg, rc, ia, pa, \(now), \(now)
                    FROM unnest(\(batch.map(\.date.compact))::text[], \(batch.map(\.key.domainId))::text[],
                        \(batch.map(\.key.projectId))::text[], \(batch.map(\.key.serviceId))::text[],
                        \(batch.map(\.domainName))::text[], \(batch.map(\.projectName))::text[], \(batch.map(\.serviceName))::text[],
                        \(batch.map(\.usageTime.description))::text[], \(batch.map(\.usageSize.description))::text[],
                        \(batch.map(\.generalAmount.description))::text[], \(batch.map(\.discountAmount.description))::text[],
                        \(batch.map(\.expectAmount.description))::text[], \(batch.map { DailyCost.listJSON($0.pricingTypes) })::text[],
                        \(batch.map { DailyCost.listJSON($0.regions) })::text[], \(batch.map(\.rowCount))::int8[],
                        \(batch.map(\.isAnomaly))::bool[], \(batch.map { DailyCost.Part.json($0.parts) })::text[])
                        AS row(d, di, pi, si, dn, pn, sn, ut, us, ga, da, ea, pt, rg, rc, ia, pa)
                    ON CONFLICT (date, domain_id, project_id, service_id) DO UPDATE SET
                        domain_name = excluded.domain_name, project_name = excluded.project_name,
                        service_name = excluded.service_name, usage_time = excluded.usage_time,
                        usage_size = excluded.usage_size, general_amount = excluded.general_amount,
                        discount_amount = excluded.discount_amount, expect_amount = excluded.expect_amount,
                        pricing_types = excluded.pricing_types, regions = excluded.regions,
                        row_count = excluded.row_count, is_anomaly = excluded.is_anomaly, parts = excluded.parts,
                        updated_at = excluded.updated_at
                    WHERE (billing_daily.domain_name, billing_daily.project_name, billing_daily.service_name,
                        billing_daily.usage_time, billing_daily.usage_size, billing_daily.general_amount,
                        billing_daily.discount_amount, billing_daily.expect_amount, billing_daily.pricing_types,
                        billing_daily.regions, billing_daily.row_count, billing_daily.is_anomaly, billing_daily.parts)
                        IS DISTINCT FROM (excluded.domain_name, excluded.project_name, excluded.service_name,
                        excluded.usage_time, excluded.usage_size, excluded.general_amount, excluded.discount_amount,
                        excluded.expect_amount, excluded.pricing_types, excluded.regions, excluded.row_count,
                        excluded.is_anomaly, excluded.parts)
                    """, logger: logger)
            }
        }
        try await replaceHistory(dropping: vanishedByDay, with: costs, on: connection, logger: logger)
    }

    /// billing_daily's columns in the order `replaceDays` copies them.
    static let dailyCopyColumns = [
        "date", "domain_id", "project_id", "service_id", "domain_name", "project_name", "service_name", "usage_time", "usage_size",
        "general_amount", "discount_amount", "expect_amount", "pricing_types", "regions", "row_count", "is_anomaly", "parts",
        "created_at", "updated_at",
    ]

    /// Keeps billing_history as billing_daily is: a replaced day loses the keys billing_daily lost
    /// (`vanished`), and every cost replaces its key's day. A key gets its number the first time it is
    /// seen.
    ///
    /// Rows are upserted, not deleted and inserted again: a day judged again with the same costs writes
    /// nothing, and a changed row keeps its key, so the foreign key is not checked again. Each row finds
    /// its key's number through a scalar subquery, one lookup in billing_keys' unique index, which the
    /// planner never turns into a join: with a join (or EXISTS) it may hash the whole table for every
    /// batch instead, a cost that grows with the keys kept (42 of a batch's 78 ms at 125,000 keys).
    private static func replaceHistory(
        dropping vanished: [(day: CalendarDay, keys: [CostKey])], with costs: [DailyCost], on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        for (day, keys) in vanished {
            for batch in batches(of: keys) {
                try await connection.query(
                    """
                    DELETE FROM billing_history WHERE day = \(Int32(day.daysSinceEpoch)) AND key_id = ANY (ARRAY(
                        SELECT (SELECT k.id FROM billing_keys k WHERE k.domain_id = row.di AND k.project_id = row.pi
                            AND k.service_id = row.si) FROM unnest(\(batch.map(\.domainId))::text[],
                            \(batch.map(\.projectId))::text[], \(batch.map(\.serviceId))::text[]) AS row(di, pi, si)))
                    """, logger: logger)
            }
        }
        for batch in batches(of: costs) {
            let (domains, projects, services) = (batch.map(\.key.domainId), batch.map(\.key.projectId), batch.map(\.key.serviceId))
            // Only keys not yet numbered are offered: an insert that meets a conflict costs far more
            // than a lookup. ON CONFLICT still covers another writer numbering the same key meanwhile.
            try await connection.query(
                """
                INSERT INTO billing_keys (domain_id, project_id, service_id)
                SELECT DISTINCT di, pi, si FROM unnest(\(domains)::text[], \(projects)::text[], \(services)::text[]) AS row(di, pi, si)
                WHERE (SELECT k.id FROM billing_keys k WHERE k.domain_id = row.di AND k.project_id = row.pi AND k.service_id = row.si) IS NULL
                ON CONFLICT DO NOTHING
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO billing_history (day, key_id, amount, is_anomaly)
                SELECT row.d, (SELECT k.id FROM billing_keys k WHERE k.domain_id = row.di AND k.project_id = row.pi
                    AND k.service_id = row.si), row.a, row.f
                FROM unnest(\(batch.map { Int32($0.date.daysSinceEpoch) })::int4[], \(domains)::text[], \(projects)::text[],
                    \(services)::text[], \(batch.map(\.expectAmount.doubleValue))::float8[], \(batch.map(\.isAnomaly))::bool[])
                    AS row(d, di, pi, si, a, f)
                ON CONFLICT (day, key_id) DO UPDATE SET amount = excluded.amount, is_anomaly = excluded.is_anomaly
                WHERE (billing_history.amount, billing_history.is_anomaly) IS DISTINCT FROM (excluded.amount, excluded.is_anomaly)
                """, logger: logger)
        }
    }

    private static func upsert(_ anomaly: Anomaly, now: Date, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO billing_anomalies (date, hour, domain_id, project_id, service_id, domain_name, project_name,
                service_name, observed, baseline_mean, baseline_std, z_score, ratio, z_score_threshold,
                ratio_threshold, detector, status, notify_status, notified_at, notify_detail, detected_at, updated_at,
                expected, expected_low, expected_high, impact, reason, driver, rarity_days, rarity_history_days)
            VALUES (\(anomaly.date.compact), \(anomaly.hour), \(anomaly.key.domainId), \(anomaly.key.projectId),
                \(anomaly.key.serviceId), \(anomaly.domainName), \(anomaly.projectName), \(anomaly.serviceName),
                \(anomaly.observed.description)::numeric, \(anomaly.baselineMean), \(anomaly.baselineStd),
                \(anomaly.zScore), \(anomaly.ratio), \(anomaly.zScoreThreshold), \(anomaly.ratioThreshold),
                \(anomaly.detector), \(anomaly.status), \(anomaly.notification.status.rawValue),
                \(anomaly.notification.at), \(anomaly.notification.detail), \(anomaly.detectedAt), \(now),
                \(anomaly.explanation.expected), \(anomaly.explanation.low), \(anomaly.explanation.high),
                \(anomaly.explanation.impact), \(anomaly.explanation.reason), \(anomaly.explanation.driver),
                \(anomaly.explanation.rarity?.days), \(anomaly.explanation.rarity?.historyDays))
            ON CONFLICT (date, hour, domain_id, project_id, service_id) DO UPDATE SET
                domain_name = excluded.domain_name, project_name = excluded.project_name,
                service_name = excluded.service_name, observed = excluded.observed,
                baseline_mean = excluded.baseline_mean, baseline_std = excluded.baseline_std,
                z_score = excluded.z_score, ratio = excluded.ratio, z_score_threshold = excluded.z_score_threshold,
                ratio_threshold = excluded.ratio_threshold, detector = excluded.detector, updated_at = excluded.updated_at,
                expected = excluded.expected, expected_low = excluded.expected_low, expected_high = excluded.expected_high,
                impact = excluded.impact, reason = excluded.reason, driver = excluded.driver,
                rarity_days = excluded.rarity_days, rarity_history_days = excluded.rarity_history_days
            """, logger: logger)
    }
}
