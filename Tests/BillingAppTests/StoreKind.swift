import BillingTesting
import PostgresStore

/// The store a test runs on: the embedded SQLite file, or a fresh database on the test PostgreSQL.
enum StoreKind: String, CaseIterable, Sendable {
    case sqlite, postgres

    /// The stores that can run here: PostgreSQL when its test server is up (always, under CI).
    static let available: [StoreKind] = TestServices.postgresTestsEnabled ? [.sqlite, .postgres] : [.sqlite]

    /// Runs `body` with no database for SQLite, or a new PostgreSQL database dropped afterwards.
    func run<T>(_ body: (PostgresLocation?) async throws -> T) async throws -> T {
        switch self {
        case .sqlite: try await body(nil)
        case .postgres: try await TestServices.withFreshDatabase { try await body($0) }
        }
    }
}
