import Foundation
import Synchronization
import Testing

/// A server scripts/test.sh starts for the tests.
public enum TestServer: Sendable, CaseIterable {
    case postgres, s3

    var name: String {
        switch self {
        case .postgres: "PostgreSQL"
        case .s3: "the S3-compatible server"
        }
    }

    /// The variable scripts/test.sh sets to the server's location.
    var variable: String {
        switch self {
        case .postgres: "BILLING_ALERT_TEST_POSTGRES_URL"
        case .s3: "BILLING_ALERT_TEST_S3_ENDPOINT"
        }
    }

    /// Whether the tests that need the server run: when its location is given, and always when the
    /// run requires services, so that a missing server fails loudly. A location that is set but
    /// cannot be read also runs them, and they fail saying so.
    var testsEnabled: Bool {
        TestServices.environment[variable] != nil || TestServices.required
    }
}

/// Skips a suite's or a test's every case, one by one and counted, when a server it needs is not
/// running: `@Suite(.needs(.postgres, .s3))`.
public struct NeedsServers: SuiteTrait, TestTrait, TestScoping {
    let servers: [TestServer]

    public var isRecursive: Bool { true }

    /// Each case is skipped and counted on its own, so the run's count is of cases, not of suites.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> NeedsServers? {
        testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try TestServices.skipUnlessRunning(servers, sourceLocation: test.sourceLocation)
        try await function()
    }
}

extension Trait where Self == NeedsServers {
    /// The suite or test needs these servers: without them each of its cases is skipped and counted.
    public static func needs(_ servers: TestServer...) -> NeedsServers { NeedsServers(servers: servers) }
}

/// The cases this run skipped for a missing server, written to standard error as the process exits,
/// after every test has reported (`swift test` shows it as the run's last line), so that a green run
/// without the servers is not mistaken for a whole one.
struct SkippedCases: Sendable {
    /// Skipped cases per suite (the test's first name component), and per missing server.
    private(set) var bySuite: [String: Int] = [:]
    private(set) var byServer: [TestServer: Int] = [:]

    var total: Int { bySuite.values.reduce(0, +) }

    mutating func add(suite: String, missing: [TestServer]) {
        bySuite[suite, default: 0] += 1
        for server in missing { byServer[server, default: 0] += 1 }
    }

    /// The warning, or nil when nothing was skipped.
    var summary: String? {
        guard total > 0 else { return nil }
        let need = { (count: Int) in count == 1 ? "1 needs" : "\(count) need" }
        let servers = TestServer.allCases.compactMap { server in byServer[server].map { "\(need($0)) \(server.name)" } }
        let suites = bySuite.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        return """
            warning: this run SKIPPED \(total == 1 ? "1 test case that needs" : "\(total) test cases that need") a server \
            which is not running (\(servers.joined(separator: ", "))), in \(suites.joined(separator: ", ")). \
            scripts/test.sh starts the servers and runs every case.
            """
    }

    static let shared = Recorder()

    final class Recorder: Sendable {
        private let counted = Mutex(SkippedCases())

        func record(suite: String, missing: [TestServer]) {
            counted.withLock { $0.add(suite: suite, missing: missing) }
        }

        init() {
            atexit {
                guard let summary = SkippedCases.shared.counted.withLock({ $0.summary }) else { return }
                FileHandle.standardError.write(Data((summary + "\n").utf8))
            }
        }
    }
}
