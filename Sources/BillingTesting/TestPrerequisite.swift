import Foundation
import Synchronization
import Testing

/// What some tests need beyond the package: the servers scripts/test.sh starts, and a browser that
/// .ci/run installs.
public enum TestPrerequisite: Sendable, CaseIterable {
    case postgres, s3, chromium

    var name: String {
        switch self {
        case .postgres: "PostgreSQL"
        case .s3: "the S3-compatible server"
        case .chromium: "Chromium"
        }
    }

    /// Chromium's binary, when it is installed.
    public static var chromiumPath: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    var isPresent: Bool {
        switch self {
        case .postgres: TestServices.environment["BILLING_ALERT_TEST_POSTGRES_URL"] != nil
        case .s3: TestServices.environment["BILLING_ALERT_TEST_S3_ENDPOINT"] != nil
        case .chromium: Self.chromiumPath != nil
        }
    }

    /// Why it is missing and what brings it, for a skipped test's line.
    var missing: String {
        switch self {
        case .postgres: "PostgreSQL is not running here (BILLING_ALERT_TEST_POSTGRES_URL is not set; scripts/test.sh starts it)"
        case .s3: "the S3-compatible server is not running here (BILLING_ALERT_TEST_S3_ENDPOINT is not set; scripts/test.sh starts it)"
        case .chromium: "Chromium is not installed (apt-get install chromium, as .ci/run does)"
        }
    }

    /// Whether the tests that need it run: when it is here, and always when the run requires services,
    /// so that a missing one fails loudly. A server location that is set but cannot be read also runs
    /// them, and they fail saying so.
    var testsEnabled: Bool { isPresent || TestServices.required }
}

/// Skips a suite's or a test's every case, one by one and counted, when something it needs is not
/// here: `@Suite(.needs(.postgres, .s3))`.
public struct NeedsPrerequisites: SuiteTrait, TestTrait, TestScoping {
    let needs: [TestPrerequisite]

    public var isRecursive: Bool { true }

    /// Each case is skipped and counted on its own, so the run's count is of cases, not of suites.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> NeedsPrerequisites? {
        testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try TestServices.skipUnlessPresent(needs, sourceLocation: test.sourceLocation)
        try await function()
    }
}

extension Trait where Self == NeedsPrerequisites {
    /// The suite or test needs these: without them each of its cases is skipped and counted.
    public static func needs(_ needs: TestPrerequisite...) -> NeedsPrerequisites { NeedsPrerequisites(needs: needs) }
}

/// The cases this run skipped for a missing server or browser, written to standard error as the
/// process exits, after every test has reported (`swift test` shows it as the run's last line), so
/// that a green run without them is not mistaken for a whole one.
struct SkippedCases: Sendable {
    /// Skipped cases per suite (the test's first name component), and per missing prerequisite.
    private(set) var bySuite: [String: Int] = [:]
    private(set) var byNeed: [TestPrerequisite: Int] = [:]

    var total: Int { bySuite.values.reduce(0, +) }

    mutating func add(suite: String, missing: [TestPrerequisite]) {
        bySuite[suite, default: 0] += 1
        for need in missing { byNeed[need, default: 0] += 1 }
    }

    /// The warning, or nil when nothing was skipped.
    var summary: String? {
        guard total > 0 else { return nil }
        let need = { (count: Int) in count == 1 ? "1 needs" : "\(count) need" }
        let needs = TestPrerequisite.allCases.compactMap { prerequisite in byNeed[prerequisite].map { "\(need($0)) \(prerequisite.name)" } }
        let suites = bySuite.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        return """
            warning: this run SKIPPED \(total == 1 ? "1 test case that needs" : "\(total) test cases that need") what is \
            not here (\(needs.joined(separator: ", "))), in \(suites.joined(separator: ", ")). \
            scripts/test.sh runs every case, and .ci/run installs what they need.
            """
    }

    static let shared = Recorder()

    final class Recorder: Sendable {
        private let counted = Mutex(SkippedCases())

        func record(suite: String, missing: [TestPrerequisite]) {
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
