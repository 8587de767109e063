import BillingCore
import BillingPipeline
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// The production store: PostgreSQL, with exactly the SQLite store's tables and semantics.
///
/// One connection, used by one job at a time; `withStore` opens it, brings the schema up to date and
/// closes it when the body returns.
public final class PostgresStore: BillingStore, JobLedger, IntradayLog, DeliveryLog, FeedbackLog, HistoryLog {
    let connection: PostgresConnection
    public let location: PostgresLocation
    let logger: Logger

    private init(connection: PostgresConnection, location: PostgresLocation, logger: Logger) {
        self.connection = connection
        self.location = location
        self.logger = logger
    }

    /// Connects, migrates, runs `body`, and closes the connection however `body` ends.
    public static func withStore<T>(
        _ location: PostgresLocation, logger: Logger, _ body: (PostgresStore) async throws -> T
    ) async throws -> T {
        let store = try await connect(location, logger: logger)
        do {
            let result = try await body(store)
            try? await store.connection.close()
            return result
        } catch {
            try? await store.connection.close()
            throw error
        }
    }

    /// The migrations the database has not had yet, read without writing anything: what `config
    /// check` reports.
    public static func pendingMigrations(_ location: PostgresLocation, logger: Logger) async throws -> [String] {
        let connection = try await open(location, logger: logger)
        do {
            var applied = Set<String>()
            let exists = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger)
            var hasTable = false
            for try await row in exists { hasTable = try row.decode(Bool.self) }
            if hasTable {
                for try await row in try await connection.query("SELECT id FROM schema_migrations", logger: logger) {
                    applied.insert(try row.decode(String.self))
                }
            }
            try? await connection.close()
            return PostgresSchema.migrations.map(\.id).filter { !applied.contains($0) }
        } catch {
            try? await connection.close()
            throw PostgresStoreError.failed("read the schema's migrations", location, error)
        }
    }

    static func connect(_ location: PostgresLocation, logger: Logger) async throws -> PostgresStore {
        let connection = try await open(location, logger: logger)
        do {
            try await PostgresSchema.migrate(connection, logger: logger)
        } catch {
            try? await connection.close()
            throw PostgresStoreError.failed("bring the schema up to date", location, error)
        }
        return PostgresStore(connection: connection, location: location, logger: logger)
    }

    private static func open(_ location: PostgresLocation, logger: Logger) async throws -> PostgresConnection {
        let connection: PostgresConnection
        do {
            var configuration = PostgresConnection.Configuration(
                host: location.host, port: location.port, username: location.user, password: location.password,
                database: location.database, tls: try tls(location.tls))
            configuration.options.connectTimeout = .seconds(location.connectTimeout.components.seconds)
            // The store's statements are short, or read one stretch of an index: compiling them to machine
            // code costs more than it saves (the history read of 30 days of 25,000 keys took 0.22-0.31 s
            // with the server's default JIT, 0.15-0.16 s without). This session only; the server's own
            // setting is left as it is.
            configuration.options.additionalStartupParameters = [("jit", "off")]
            // The whole connect, TLS and sign-in included: a server that takes the connection and then
            // says nothing is given up on in time.
            connection = try await withDeadline(location.connectTimeout) { [configuration] in
                try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            }
        } catch {
            throw PostgresStoreError.connecting(location, error)
        }
        return connection
    }

    private static func tls(_ mode: PostgresLocation.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable:
            return .disable
        case .prefer, .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            let context = try NIOSSLContext(configuration: configuration)
            return mode == .prefer ? .prefer(context) : .require(context)
        case .verifyFull:
            return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    /// A daily cost's columns, money as exact decimal text.
    static let dailyColumns = """
        date, domain_id, project_id, service_id, domain_name, project_name, service_name,
        usage_time::text AS usage_time, usage_size::text AS usage_size, general_amount::text AS general_amount,
        discount_amount::text AS discount_amount, expect_amount::text AS expect_amount, pricing_types, regions,
        row_count, is_anomaly, parts
        """

    public func dailyCosts(in days: ClosedRange<CalendarDay>) async throws -> [DailyCost] {
        try await read("read daily costs") {
            try await self.connection.query(
                """
                SELECT \(unescaped: Self.dailyColumns) FROM billing_daily WHERE date BETWEEN \(days.lowerBound.compact) AND \(days.upperBound.compact)
                ORDER BY date, domain_id, project_id, service_id
                """, logger: self.logger)
        } map: { try DailyCost(stored: StoredRow($0)) }
    }

    public func baselines() async throws -> [Baseline] {
        try await read("read baselines") {
            try await self.connection.query(
                "SELECT * FROM billing_baseline ORDER BY domain_id, project_id, service_id", logger: self.logger)
        } map: { try Baseline(stored: StoredRow($0)) }
    }

    public func baseline(of key: CostKey) async throws -> Baseline? {
        try await read("read a baseline") {
            try await self.connection.query(
                """
                SELECT * FROM billing_baseline
                WHERE domain_id = \(key.domainId) AND project_id = \(key.projectId) AND service_id = \(key.serviceId)
                """, logger: self.logger)
        } map: { try Baseline(stored: StoredRow($0)) }.first
    }

    public func baselineWindowEnd() async throws -> CalendarDay? {
        try await read("read the baselines' window") {
            try await self.connection.query("SELECT MAX(window_end) FROM billing_baseline", logger: self.logger)
        } map: { row in
            try row.decode(String?.self).flatMap(CalendarDay.init)
        }.first ?? nil
    }

    public func anomalies(in days: ClosedRange<CalendarDay>) async throws -> [Anomaly] {
        try await read("read anomalies") {
            try await self.connection.query(
                """
                SELECT date, hour, domain_id, project_id, service_id, domain_name, project_name, service_name,
                    observed::text AS observed, baseline_mean, baseline_std, z_score, ratio, z_score_threshold,
                    ratio_threshold, detector, status, notify_status, notified_at, notify_detail, detected_at,
                    expected, expected_low, expected_high, impact, reason, driver, rarity_days, rarity_history_days
                FROM billing_anomalies WHERE date BETWEEN \(days.lowerBound.compact) AND \(days.upperBound.compact)
                ORDER BY date, hour, domain_id, project_id, service_id
                """, logger: self.logger)
        } map: { try Anomaly(stored: StoredRow($0)) }
    }

    public func intradaySnapshots(in days: ClosedRange<CalendarDay>, hour: Int) async throws -> [IntradaySnapshot] {
        try await read("read intraday snapshots") {
            try await self.connection.query(
                """
                SELECT date, hour, domain_id, project_id, service_id, expect_amount::text AS expect_amount FROM billing_intraday
                WHERE hour = \(hour) AND date BETWEEN \(days.lowerBound.compact) AND \(days.upperBound.compact)
                ORDER BY date, domain_id, project_id, service_id
                """, logger: self.logger)
        } map: { try IntradaySnapshot(stored: StoredRow($0)) }
    }

    public func deliveries(in days: ClosedRange<CalendarDay>) async throws -> [Delivery] {
        try await read("read alert deliveries") {
            try await self.connection.query(
                """
                SELECT * FROM alert_deliveries WHERE date BETWEEN \(days.lowerBound.compact) AND \(days.upperBound.compact)
                ORDER BY date, hour, domain_id, project_id, service_id, channel
                """, logger: self.logger)
        } map: { try Delivery(stored: StoredRow($0)) }
    }

    public func costHistory(in days: ClosedRange<CalendarDay>, skipping skipped: CalendarDay?) async throws -> CostHistory {
        do {
            // Numbers first, from the narrow table, as a row of arrays a day (decoding a row costs the
            // client far more than an array's element); then the ids of the keys that have any. Each
            // day's arrays are one aggregate over one stretch of the primary key, so the server holds
            // one day at a time, where grouping by key held every key's arrays at once and spilled them
            // to disk (0.56 s against 0.19 s for 30 days of 25,000 keys). The days come in the series'
            // order (an ORDER BY would make the server hold every day's arrays before the first), so each
            // key's entries are in order as they are appended; should they not be, they are sorted here.
            var slots: [Int64: Int] = [:]
            var keyEntries: [[CostHistory.Entry]] = []
            let rows = try await connection.query(
                """
                SELECT d, h.keys, h.amounts, h.flags
                FROM generate_series(\(Int32(days.lowerBound.daysSinceEpoch)), \(Int32(days.upperBound.daysSinceEpoch))) AS d
                CROSS JOIN LATERAL (
                    SELECT array_agg(key_id) AS keys, array_agg(amount) AS amounts, array_agg(is_anomaly) AS flags
                    FROM billing_history WHERE day = d
                ) AS h
                WHERE d IS DISTINCT FROM \(skipped.map { Int32($0.daysSinceEpoch) }) AND h.keys IS NOT NULL
                """, logger: logger)
            var lastDay = Int32.min, inOrder = true
            let lastInRange = Int32(days.upperBound.daysSinceEpoch)
            for try await (day, keyArray, amountArray, anomalyArray) in rows.decode((Int32, ByteBuffer, ByteBuffer, ByteBuffer).self) {
                var keys = try BinaryArray(keyArray, of: .int8, column: "billing_history.key_id")
                var amounts = try BinaryArray(amountArray, of: .float8, column: "billing_history.amount")
                var anomalies = try BinaryArray(anomalyArray, of: .bool, column: "billing_history.is_anomaly")
                guard keys.count == amounts.count, keys.count == anomalies.count else {
                    throw PostgresStoreError.corruptValue(column: "billing_history", value: "day \(day)'s keys and amounts do not pair up")
                }
                inOrder = inOrder && day > lastDay
                lastDay = day
                for _ in 0..<keys.count {
                    let key = try keys.nextInt64()
                    let entry = CostHistory.Entry(day: day, amount: try amounts.nextDouble(), isAnomaly: try anomalies.nextBool())
                    if let slot = slots[key] {
                        keyEntries[slot].append(entry)
                    } else {
                        // Room for every day left, so a key's array is not regrown (and left up to
                        // half empty) as its days arrive.
                        var entries: [CostHistory.Entry] = []
                        entries.reserveCapacity(Int(lastInRange - day) + 1)
                        entries.append(entry)
                        slots[key] = keyEntries.count
                        keyEntries.append(entries)
                    }
                }
            }
            var history = CostHistory()
            guard !slots.isEmpty else { return history }
            if !inOrder {
                for slot in keyEntries.indices { keyEntries[slot].sort { $0.day < $1.day } }
            }
            let keys = try await connection.query(
                "SELECT id, domain_id, project_id, service_id FROM billing_keys WHERE id = ANY(\(Array(slots.keys))::int8[])", logger: logger)
            for try await (id, domain, project, service) in keys.decode((Int64, String, String, String).self) {
                guard let slot = slots.removeValue(forKey: id) else { continue }
                history.append(keyEntries[slot], for: CostKey(domainId: domain, projectId: project, serviceId: service))
                keyEntries[slot] = []
            }
            if let missing = slots.keys.first {
                throw PostgresStoreError.corruptValue(column: "billing_history.key_id", value: "\(missing), a key number billing_keys does not hold")
            }
            return history
        } catch let error as PostgresStoreError {
            throw error
        } catch {
            throw PostgresStoreError.failed("read cost history", location, error)
        }
    }

    public func keyCount(on day: CalendarDay) async throws -> Int {
        try await read("count the day's keys") {
            try await self.connection.query(
                "SELECT count(*) FROM billing_history WHERE day = \(Int32(day.daysSinceEpoch))", logger: self.logger)
        } map: { row in
            Int(try row.decode(Int64.self))
        }.first ?? 0
    }

    public func serviceTotals(in days: ClosedRange<CalendarDay>) async throws -> [ServiceDayTotal] {
        try await read("read service totals") {
            try await connection.query(
                """
                SELECT date, service_id, service_name, expect_amount::text, key_count FROM billing_daily_service
                WHERE date BETWEEN \(days.lowerBound.compact) AND \(days.upperBound.compact)
                ORDER BY date, service_id
                """, logger: logger)
        } map: { row in
            let (date, service, name, amount, count) = try row.decode((String, String, String, String, Int64).self)
            guard let day = CalendarDay(date) else { throw PostgresStoreError.corruptValue(column: "date", value: date) }
            guard let sum = ExactDecimal(amount) else { throw PostgresStoreError.corruptValue(column: "expect_amount", value: amount) }
            return ServiceDayTotal(date: day, serviceId: service, serviceName: name, amount: sum, keyCount: Int(count))
        }
    }

    public func movers(on day: CalendarDay) async throws -> [DailyDigest.Mover] {
        try await read("read the day's movers") {
            try await connection.query(
                """
                SELECT domain_id, project_id, service_id, domain_name, project_name, service_name, expect_amount::text, usual
                FROM billing_daily_movers WHERE date = \(day.compact) ORDER BY rank
                """, logger: logger)
        } map: { row in
            let (domain, project, service, domainName, projectName, serviceName, amount, usual) = try row.decode(
                (String, String, String, String, String, String, String, Double).self)
            guard let exact = ExactDecimal(amount) else { throw PostgresStoreError.corruptValue(column: "expect_amount", value: amount) }
            return DailyDigest.Mover(
                key: CostKey(domainId: domain, projectId: project, serviceId: service), domainName: domainName, projectName: projectName,
                serviceName: serviceName, amount: exact, usual: usual)
        }
    }

    public func dailyCosts(of keys: [CostKey], in days: ClosedRange<CalendarDay>) async throws -> [DailyCost] {
        let keys = Array(Set(keys))
        return try await read("read daily costs") {
            try await self.connection.query(
                """
                SELECT \(unescaped: Self.dailyColumns) FROM billing_daily WHERE date BETWEEN \(days.lowerBound.compact) AND \(days.upperBound.compact)
                AND (domain_id, project_id, service_id) IN (
                    SELECT * FROM unnest(\(keys.map(\.domainId))::text[], \(keys.map(\.projectId))::text[], \(keys.map(\.serviceId))::text[]))
                ORDER BY date, domain_id, project_id, service_id
                """, logger: self.logger)
        } map: { try DailyCost(stored: StoredRow($0)) }
    }

    public func silences() async throws -> [Silence] {
        try await read("read silences") {
            try await self.connection.query("SELECT * FROM alert_silences ORDER BY id", logger: self.logger)
        } map: { try Silence(stored: StoredRow($0)) }
    }

    public func feedback(in days: ClosedRange<CalendarDay>) async throws -> [AnomalyFeedback] {
        try await read("read feedback") {
            try await self.connection.query(
                """
                SELECT * FROM anomaly_feedback WHERE date BETWEEN \(days.lowerBound.compact) AND \(days.upperBound.compact)
                ORDER BY date, domain_id, project_id, service_id
                """, logger: self.logger)
        } map: { try AnomalyFeedback(stored: StoredRow($0)) }
    }

    public func jobRuns(in days: ClosedRange<CalendarDay>) async throws -> [JobRun] {
        try await read("read job runs") {
            try await self.connection.query(
                """
                SELECT * FROM job_runs WHERE date BETWEEN \(days.lowerBound.compact) AND \(days.upperBound.compact)
                ORDER BY job, date
                """, logger: self.logger)
        } map: { try JobRun(stored: StoredRow($0)) }.compactMap { $0 }
    }

    public func commit(_ changes: StoreChanges) async throws {
        guard !changes.isEmpty else { return }
        do {
            try await connection.withTransaction(logger: logger) { connection in
                try await Self.apply(changes, on: connection, logger: self.logger)
            }
        } catch let error as PostgresTransactionError {
            throw PostgresStoreError.failed("save the run's results", location, error.closureError ?? error.commitError ?? error)
        } catch {
            throw PostgresStoreError.failed("save the run's results", location, error)
        }
    }

    private func read<T>(
        _ what: String, _ query: () async throws -> PostgresRowSequence, map: (PostgresRow) throws -> T
    ) async throws -> [T] {
        do {
            var values: [T] = []
            for try await row in try await query() { values.append(try map(row)) }
            return values
        } catch let error as PostgresStoreError {
            throw error
        } catch {
            throw PostgresStoreError.failed(what, location, error)
        }
    }
}
