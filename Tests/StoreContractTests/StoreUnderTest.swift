import BillingPipeline
import BillingTesting
import Foundation
import GRDB
import Logging
import PostgresNIO
@testable import SQLiteStore
import Testing

@testable import PostgresStore

/// Each store implementation the contract runs against, with a way to make its next write fail.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqliteFile = "SQLite file"
    case sqliteMemory = "SQLite in memory"
    case postgres = "PostgreSQL"

    var testDescription: String { rawValue }

    /// Reaches below a store's protocol: raw rows, and a failure to inject.
    struct Probe: Sendable {
        /// Makes every later anomaly write with hour 99 fail inside the store, as a disk or constraint
        /// failure would.
        var refuseHour99: @Sendable () async throws -> Void
        /// The daily rows' key and timestamps, as the store holds them.
        var dailyTimestamps: @Sendable () async throws -> [String]
        /// Runs one SQL statement on the store's database, past its protocol.
        var execute: @Sendable (String) async throws -> Void
    }

    /// Runs `body` with a new, empty store. The PostgreSQL case is skipped, and counted, when its test
    /// server is not running; when the run requires services it fails instead.
    func withStore(_ body: (any JobStore, Probe) async throws -> Void) async throws {
        switch self {
        case .sqliteFile, .sqliteMemory:
            let folder = try TemporaryDirectory()
            defer { folder.remove() }
            let store = self == .sqliteFile ? try SQLiteStore(path: folder.file("nested/billing.sqlite")) : try SQLiteStore.inMemory()
            let probe = Probe(
                refuseHour99: {
                    try await store.database.write {
                        try $0.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON billing_anomalies WHEN NEW.hour = 99 BEGIN SELECT RAISE(ABORT, 'refused'); END")
                    }
                },
                dailyTimestamps: {
                    try await store.database.read {
                        try String.fetchAll($0, sql: "SELECT service_id || ' ' || created_at || ' ' || updated_at FROM billing_daily ORDER BY 1")
                    }
                },
                execute: { sql in try await store.database.write { try $0.execute(sql: sql) } })
            try await body(store, probe)
        case .postgres:
            try TestServices.skipUnlessPresent(.postgres)
            try await TestServices.withFreshDatabase { location in
                try await PostgresStore.withStore(location, logger: Logger(label: "test")) { store in
                    let logger = Logger(label: "test")
                    let probe = Probe(
                        refuseHour99: {
                            try await store.connection.query(
                                """
                                CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN
                                    IF NEW.hour = 99 THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql
                                """, logger: logger)
                            try await store.connection.query(
                                "CREATE TRIGGER refuse BEFORE INSERT ON billing_anomalies FOR EACH ROW EXECUTE FUNCTION refuse()",
                                logger: logger)
                        },
                        dailyTimestamps: {
                            var rows: [String] = []
                            let sequence = try await store.connection.query(
                                "SELECT service_id || ' ' || created_at::text || ' ' || updated_at::text FROM billing_daily ORDER BY 1",
                                logger: logger)
                            for try await row in sequence { rows.append(try row.decode(String.self)) }
                            return rows
                        },
                        execute: { sql in try await store.connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) })
                    try await body(store, probe)
                }
            }
        }
    }
}

