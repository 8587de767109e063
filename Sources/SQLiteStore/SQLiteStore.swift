import BillingCore
import BillingPipeline
import Foundation
import GRDB

/// The embedded store: one SQLite file, the same tables and semantics as the PostgreSQL store.
public struct SQLiteStore: BillingStore, JobLedger, IntradayLog, DeliveryLog, FeedbackLog, HistoryLog {
    let database: DatabaseQueue
    /// Where the data lives, for messages; `:memory:` for an in-memory store.
    public let path: String

    /// Opens (creating when needed) the store at `path` and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
        do {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            database = try DatabaseQueue(path: path, configuration: configuration)
            // Two processes opening a new file together must not both create the tables.
            try SQLiteStore.holdingFileLock(path + ".locks/migrate.lock") {
                try SQLiteSchema.migrator.migrate(database)
            }
        } catch {
            throw SQLiteStoreError.cannotOpen(path: path, reason: SQLiteStoreError.reason(error))
        }
    }

    /// The migrations the file at `path` has not had yet, read without writing anything (no
    /// migration, no lock file): what `config check` reports.
    public static func pendingMigrations(at path: String) throws -> [String] {
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let database = try DatabaseQueue(path: path, configuration: configuration)
            let applied = try database.read { try SQLiteSchema.migrator.appliedIdentifiers($0) }
            return SQLiteSchema.migrator.migrations.filter { !applied.contains($0) }
        } catch {
            throw SQLiteStoreError.cannotOpen(path: path, reason: SQLiteStoreError.reason(error))
        }
    }

    /// A store that lives in memory only, for tests and trials.
    public static func inMemory() throws -> SQLiteStore {
        try SQLiteStore(memory: ())
    }

    private init(memory: Void) throws {
        path = ":memory:"
        database = try DatabaseQueue()
        try SQLiteSchema.migrator.migrate(database)
    }

    public func dailyCosts(in days: ClosedRange<CalendarDay>) async throws -> [DailyCost] {
        try await read("read daily costs") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM billing_daily WHERE date BETWEEN ? AND ?
                    ORDER BY date, domain_id, project_id, service_id
                    """,
                arguments: [days.lowerBound.compact, days.upperBound.compact]
            ).map { try DailyCost(stored: $0.columns) }
        }
    }

    public func costHistory(in days: ClosedRange<CalendarDay>, skipping skipped: CalendarDay?) async throws -> CostHistory {
        try await read("read cost history") { db in
            // Numbers first, from the narrow table; then the ids of the keys that have any.
            var entries: [Int64: [CostHistory.Entry]] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT day, key_id, amount, is_anomaly FROM billing_history WHERE day BETWEEN ? AND ? AND day IS NOT ?",
                arguments: [days.lowerBound.daysSinceEpoch, days.upperBound.daysSinceEpoch, skipped?.daysSinceEpoch])
            while let row = try rows.next() {
                entries[row[1] as Int64, default: []].append(
                    CostHistory.Entry(day: Int32(truncatingIfNeeded: row[0] as Int64), amount: row[2], isAnomaly: row[3]))
            }
            var history = CostHistory()
            guard !entries.isEmpty else { return history }
            try Self.forEachNumberedKey(in: db, wanted: { entries[$0] != nil }) { number, key in
                if let keyEntries = entries.removeValue(forKey: number) { history.append(keyEntries, for: key) }
            }
            if let missing = entries.keys.first {
                throw SQLiteStoreError.corruptValue(column: "billing_history.key_id", value: "\(missing), a key number billing_keys does not hold")
            }
            return history
        }
    }

    public func keyCount(on day: CalendarDay) async throws -> Int {
        try await read("count the day's keys") { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM billing_history WHERE day = ?", arguments: [day.daysSinceEpoch]) ?? 0
        }
    }

    public func serviceTotals(in days: ClosedRange<CalendarDay>) async throws -> [ServiceDayTotal] {
        try await read("read service totals") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT date, service_id, service_name, expect_amount, key_count FROM billing_daily_service
                    WHERE date BETWEEN ? AND ? ORDER BY date, service_id
                    """,
                arguments: [days.lowerBound.compact, days.upperBound.compact]
            ).map { row in
                let columns = row.columns
                return ServiceDayTotal(
                    date: try columns.day("date"), serviceId: try columns.text("service_id"), serviceName: try columns.text("service_name"),
                    amount: try columns.decimal("expect_amount"), keyCount: row["key_count"])
            }
        }
    }

    public func movers(on day: CalendarDay) async throws -> [DailyDigest.Mover] {
        try await read("read the day's movers") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM billing_daily_movers WHERE date = ? ORDER BY rank", arguments: [day.compact]).map { row in
                let columns = row.columns
                return DailyDigest.Mover(
                    key: try columns.key(), domainName: try columns.text("domain_name"), projectName: try columns.text("project_name"),
                    serviceName: try columns.text("service_name"), amount: try columns.decimal("expect_amount"), usual: row["usual"])
            }
        }
    }

    public func dailyCosts(of keys: [CostKey], in days: ClosedRange<CalendarDay>) async throws -> [DailyCost] {
        try await read("read daily costs") { db in
            let statement = try db.makeStatement(
                sql: "SELECT * FROM billing_daily WHERE date BETWEEN ? AND ? AND domain_id = ? AND project_id = ? AND service_id = ?")
            var costs: [DailyCost] = []
            for key in Set(keys) {
                costs += try Row.fetchAll(
                    statement, arguments: [days.lowerBound.compact, days.upperBound.compact, key.domainId, key.projectId, key.serviceId]
                ).map { try DailyCost(stored: $0.columns) }
            }
            return costs.sorted { ($0.date, $0.key) < ($1.date, $1.key) }
        }
    }

    public func baselines() async throws -> [Baseline] {
        try await read("read baselines") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM billing_baseline ORDER BY domain_id, project_id, service_id"
            ).map { try Baseline(stored: $0.columns) }
        }
    }

    public func baseline(of key: CostKey) async throws -> Baseline? {
        try await read("read a baseline") { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM billing_baseline WHERE domain_id = ? AND project_id = ? AND service_id = ?",
                arguments: [key.domainId, key.projectId, key.serviceId]
            ).map { try Baseline(stored: $0.columns) }
        }
    }

    public func baselineWindowEnd() async throws -> CalendarDay? {
        try await read("read the baselines' window") { db in
            try String.fetchOne(db, sql: "SELECT MAX(window_end) FROM billing_baseline").flatMap(CalendarDay.init)
        }
    }

    public func anomalies(in days: ClosedRange<CalendarDay>) async throws -> [Anomaly] {
        try await read("read anomalies") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM billing_anomalies WHERE date BETWEEN ? AND ?
                    ORDER BY date, hour, domain_id, project_id, service_id
                    """,
                arguments: [days.lowerBound.compact, days.upperBound.compact]
            ).map { try Anomaly(stored: $0.columns) }
        }
    }

    public func intradaySnapshots(in days: ClosedRange<CalendarDay>, hour: Int) async throws -> [IntradaySnapshot] {
        try await read("read intraday snapshots") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM billing_intraday WHERE hour = ? AND date BETWEEN ? AND ? ORDER BY date, domain_id, project_id, service_id",
                arguments: [hour, days.lowerBound.compact, days.upperBound.compact]
            ).map { try IntradaySnapshot(stored: $0.columns) }
        }
    }

    public func deliveries(in days: ClosedRange<CalendarDay>) async throws -> [Delivery] {
        try await read("read alert deliveries") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM alert_deliveries WHERE date BETWEEN ? AND ? ORDER BY date, hour, domain_id, project_id, service_id, channel",
                arguments: [days.lowerBound.compact, days.upperBound.compact]
            ).map { try Delivery(stored: $0.columns) }
        }
    }

    public func silences() async throws -> [Silence] {
        try await read("read silences") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert_silences ORDER BY id").map { try Silence(stored: $0.columns) }
        }
    }

    public func feedback(in days: ClosedRange<CalendarDay>) async throws -> [AnomalyFeedback] {
        try await read("read feedback") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM anomaly_feedback WHERE date BETWEEN ? AND ? ORDER BY date, domain_id, project_id, service_id",
                arguments: [days.lowerBound.compact, days.upperBound.compact]
            ).map { try AnomalyFeedback(stored: $0.columns) }
        }
    }

    public func jobRuns(in days: ClosedRange<CalendarDay>) async throws -> [JobRun] {
        try await read("read job runs") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM job_runs WHERE date BETWEEN ? AND ? ORDER BY job, date",
                arguments: [days.lowerBound.compact, days.upperBound.compact]
            ).compactMap { try JobRun(stored: $0.columns) }
        }
    }

    public func commit(_ changes: StoreChanges) async throws {
        guard !changes.isEmpty else { return }
        do {
            try await database.write { db in try Self.apply(changes, in: db) }
        } catch let error as SQLiteStoreError {
            throw error
        } catch {
            throw SQLiteStoreError.failed("save the run's results", path: path, reason: SQLiteStoreError.reason(error))
        }
    }

    private func read<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.read(body)
        } catch let error as SQLiteStoreError {
            throw error
        } catch {
            throw SQLiteStoreError.failed(what, path: path, reason: SQLiteStoreError.reason(error))
        }
    }
}
