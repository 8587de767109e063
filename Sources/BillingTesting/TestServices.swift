import Foundation
import Logging
import ObjectArchive
import PostgresNIO
import PostgresStore
import Synchronization

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

    /// Whether PostgreSQL tests should run (and fail when it is missing but required). When they do
    /// not, the run says so once on standard error, so a green run without them is not mistaken for
    /// a whole one.
    public static var postgresTestsEnabled: Bool {
        // A URL that is set but cannot be read enables the tests, which then fail saying so.
        let given = environment["BILLING_ALERT_TEST_POSTGRES_URL"] != nil
        if !given, !required {
            _ = warnedPostgres
            countSkip(\.postgres)
        }
        return given || required
    }

    /// Whether S3 tests should run (and fail when it is missing but required), said like PostgreSQL's.
    public static var s3TestsEnabled: Bool {
        if s3 == nil, !required {
            _ = warnedS3
            countSkip(\.s3)
        }
        return s3 != nil || required
    }

    /// How many times a suite or a test asked for a server that is missing: each was then skipped, or
    /// ran without its PostgreSQL case.
    private struct Skips {
        var postgres = 0
        var s3 = 0
    }

    private static let skips = Mutex(Skips())

    private static func countSkip(_ server: WritableKeyPath<Skips, Int>) {
        _ = reportsSkipsAtExit
        skips.withLock { $0[keyPath: server] += 1 }
    }

    /// The run's last line on standard error says how much it skipped, after every test has reported.
    private static let reportsSkipsAtExit: Void = {
        atexit {
            let counted = TestServices.skips.withLock { $0 }
            var parts: [String] = []
            let times = { (count: Int) in count == 1 ? "once" : "\(count) times" }
            if counted.postgres > 0 { parts.append("PostgreSQL \(times(counted.postgres))") }
            if counted.s3 > 0 { parts.append("the S3-compatible server \(times(counted.s3))") }
            FileHandle.standardError.write(Data("""
                warning: this run SKIPPED what needs a missing server: suites and tests asked for \
                \(parts.joined(separator: " and ")), and each was skipped (listed above) or ran without its \
                PostgreSQL case. scripts/test.sh runs them all.

                """.utf8))
        }
    }()

    private static let warnedPostgres: Void = skipping("PostgreSQL", variable: "BILLING_ALERT_TEST_POSTGRES_URL")
    private static let warnedS3: Void = skipping("the S3-compatible server", variable: "BILLING_ALERT_TEST_S3_ENDPOINT")

    private static func skipping(_ server: String, variable: String) {
        FileHandle.standardError.write(Data("""
            warning: \(server) is not running for the tests (\(variable) is not set): every suite and store case that needs it \
            is SKIPPED and this run does not cover it. scripts/test.sh starts it and runs them all.

            """.utf8))
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
            throw Missing(description: "BILLING_ALERT_TEST_S3_ENDPOINT is not set: run scripts/test.sh, which starts the S3 server")
        }
        let bucket = "test-" + UUID().uuidString.lowercased().prefix(18)
        let configuration = S3Archive.Configuration(
            endpoint: server.endpoint, bucket: String(bucket), prefix: prefix, accessKey: server.accessKey, secretKey: server.secretKey)
        if createBucket { try await S3Archive(configuration: configuration).createBucket() }
        return configuration
    }

    static func execute(_ location: PostgresLocation, _ sql: String) async throws {
        let (connection, logger) = try await connect(location)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}

extension TestServices {
    /// Every row of every table in the database's public schema, as text, in order: two dumps are equal
    /// when the database holds the same data.
    public static func dump(_ location: PostgresLocation) async throws -> [String] {
        let (connection, logger) = try await connect(location)
        do {
            var lines: [String] = []
            var tables: [String] = []
            let names = try await connection.query(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1", logger: logger)
            for try await name in names.decode(String.self) { tables.append(name) }
            for table in tables {
                let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT t::text FROM \"\(table)\" t ORDER BY 1"), logger: logger)
                for try await row in rows.decode(String.self) { lines.append("\(table) \(row)") }
            }
            try await connection.close()
            return lines
        } catch {
            try? await connection.close()
            throw error
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
