import Foundation
import Logging
import ObjectArchive
import PostgresNIO
import PostgresStore
import Synchronization
import Testing

/// The real servers scripts/test.sh starts for the tests: a PostgreSQL cluster and an S3-compatible
/// server that checks signatures. Tests that need one run when it is there, and always when the run
/// requires services (BILLING_ALERT_REQUIRE_SERVICES=1), so that a missing server fails loudly.
public enum TestServices {
    static let environment = ProcessInfo.processInfo.environment

    public static var required: Bool {
        environment["BILLING_ALERT_REQUIRE_SERVICES"] == "1"
    }

    /// The cluster's admin location (database `postgres`).
    public static var postgres: PostgresLocation? {
        environment["BILLING_ALERT_TEST_POSTGRES_URL"].flatMap { PostgresLocation(url: $0) }
    }

    public static var s3: (endpoint: String, accessKey: String, secretKey: String)? {
        guard let endpoint = environment["BILLING_ALERT_TEST_S3_ENDPOINT"],
            let access = environment["BILLING_ALERT_TEST_S3_ACCESS_KEY"],
            let secret = environment["BILLING_ALERT_TEST_S3_SECRET_KEY"]
        else { return nil }
        return (endpoint, access, secret)
    }

    /// Skips the running test case, and counts it for the run's last line, when one of `needs` is
    /// not here and the run does not require it. A case that needs a server asks here (or through
    /// the `.needs` trait) instead of leaving itself out of its argument list, so that every case a
    /// run did not cover is counted, one by one.
    public static func skipUnlessPresent(_ needs: TestPrerequisite..., sourceLocation: SourceLocation = #_sourceLocation) throws {
        try skipUnlessPresent(needs, sourceLocation: sourceLocation)
    }

    static func skipUnlessPresent(_ needs: [TestPrerequisite], sourceLocation: SourceLocation) throws {
        let missing = needs.filter { !$0.testsEnabled }
        guard !missing.isEmpty else { return }
        SkippedCases.shared.record(suite: Test.current?.id.nameComponents.first ?? "?", missing: missing)
        try Test.cancel(Comment(rawValue: "skipped: " + missing.map(\.missing).joined(separator: ", and ")), sourceLocation: sourceLocation)
    }

    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `body` with a new, empty database, dropped afterwards.
    public static func withFreshDatabase<T>(_ body: (PostgresLocation) async throws -> T) async throws -> T {
        guard let admin = postgres else {
            if let given = environment["BILLING_ALERT_TEST_POSTGRES_URL"] {
                throw Missing(description: "BILLING_ALERT_TEST_POSTGRES_URL '\(given.prefix(60))' is not a postgres:// URL")
            }
            throw Missing(description: "BILLING_ALERT_TEST_POSTGRES_URL is not set: run scripts/test.sh, which starts PostgreSQL")
        }
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await execute(admin, "CREATE DATABASE \(name)")
        var location = admin
        location.database = name
        location.tls = .disable
        do {
            let result = try await body(location)
            try await execute(admin, "DROP DATABASE \(name) WITH (FORCE)")
            return result
        } catch {
            try? await execute(admin, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
    }

    /// An S3 archive configuration on a new bucket of its own (created unless `createBucket` is false).
    public static func freshBucket(prefix: String = "", createBucket: Bool = true) async throws -> S3Archive.Configuration {
        guard let server = s3 else {
            throw Missing(
                description: "BILLING_ALERT_TEST_S3_ENDPOINT, _ACCESS_KEY and _SECRET_KEY are not all set: run scripts/test.sh, which starts the S3 server")
        }
        let bucket = "test-" + UUID().uuidString.lowercased().prefix(18)
        let configuration = S3Archive.Configuration(
            endpoint: server.endpoint, bucket: String(bucket), prefix: prefix, accessKey: server.accessKey, secretKey: server.secretKey)
        if createBucket { try await S3Archive(configuration: configuration).createBucket() }
        return configuration
    }

    /// The first column of the first row `sql` returns, as text, read on a session of its own.
    public static func firstText(of sql: String, in location: PostgresLocation) async throws -> String? {
        try await withConnection(to: location) { connection, logger in
            var text: String?
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(String.self) where text == nil {
                text = value
            }
            return text
        }
    }

    public static func execute(_ location: PostgresLocation, _ sql: String) async throws {
        try await withConnection(to: location) { connection, logger in
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
    }

    /// Runs `body` on a new session, closed however `body` ends.
    static func withConnection<T>(
        to location: PostgresLocation, _ body: (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        let (connection, logger) = try await connect(location)
        do {
            let result = try await body(connection, logger)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

extension TestServices {
    /// Every row of every table in the database's public schema, as text, in order: two dumps are equal
    /// when the database holds the same data.
    public static func dump(_ location: PostgresLocation) async throws -> [String] {
        try await withConnection(to: location) { connection, logger in
            var lines: [String] = []
            var tables: [String] = []
            let names = try await connection.query(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1", logger: logger)
            for try await name in names.decode(String.self) { tables.append(name) }
            for table in tables {
                let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT t::text FROM \"\(table)\" t ORDER BY 1"), logger: logger)
                for try await row in rows.decode(String.self) { lines.append("\(table) \(row)") }
            }
            return lines
        }
    }

    static func connect(_ location: PostgresLocation) async throws -> (PostgresConnection, Logger) {
        let logger = Logger(label: "test-services")
        let connection = try await PostgresConnection.connect(
            configuration: .init(
                host: location.host, port: location.port, username: location.user, password: location.password,
                database: location.database, tls: .disable),
            id: 1, logger: logger)
        return (connection, logger)
    }
}
