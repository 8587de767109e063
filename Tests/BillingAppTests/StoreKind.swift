import BillingTesting
import PostgresStore
import Testing

/// The store a test runs on: the embedded SQLite file, or a fresh database on the test PostgreSQL.
enum StoreKind: String, CaseIterable, Sendable {
    case sqlite, postgres

    /// Runs `body` with no database for SQLite, or a new PostgreSQL database dropped afterwards. The
    /// PostgreSQL case is skipped, and counted, when its test server is not running.
    func run<T>(_ body: (PostgresLocation?) async throws -> T) async throws -> T {
        switch self {
        case .sqlite: return try await body(nil)
        case .postgres:
            try TestServices.skipUnlessPresent(.postgres)
            return try await TestServices.withFreshDatabase { try await body($0) }
        }
    }
}
