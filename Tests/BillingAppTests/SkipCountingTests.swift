import BillingTesting
import Foundation
import Testing

/// Cases that need the test servers, run only inside `SkipCountingTests`' child processes (which set
/// BILLING_ALERT_SKIP_FIXTURE): each case that runs prints one line, so the parent sees which ran.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["BILLING_ALERT_SKIP_FIXTURE"] == "1"))
struct SkipCountingFixture {
    /// Three SQLite cases and three PostgreSQL cases, through the store list every store test uses.
    @Test(arguments: StoreKind.allCases, 1...3)
    func storeCase(kind: StoreKind, round: Int) async throws {
        try await kind.run { _ in print("fixture ran \(kind) \(round)") }
    }

    /// Three cases that need both servers.
    @Suite(.needs(.postgres, .s3)) struct BothServers {
        @Test func one() { print("fixture ran both") }
        @Test(arguments: 1...2) func two(round: Int) { print("fixture ran both \(round)") }
    }

    /// One case that needs the S3-compatible server.
    @Test(.needs(.s3)) func s3Only() { print("fixture ran s3") }
}

/// A run without the servers counts every case it skipped, case by case, on its last line; a run that
/// requires them runs those cases instead, and fails.
@Suite struct SkipCountingTests {
    /// Runs this test bundle again on `SkipCountingFixture` alone, with no test server given.
    static func runFixture(requireServices: Bool) async throws -> CommandRunner.Result {
        var environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("BILLING_ALERT_TEST_") && $0.key != "BILLING_ALERT_REQUIRE_SERVICES"
        }
        environment["BILLING_ALERT_SKIP_FIXTURE"] = "1"
        if requireServices { environment["BILLING_ALERT_REQUIRE_SERVICES"] = "1" }
        return try await CommandRunner.capture(
            URL(fileURLWithPath: CommandLine.arguments[0]), ["--testing-library", "swift-testing", "--filter", "SkipCountingFixture"],
            environment: environment)
    }

    static func ranLines(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").filter { $0.hasPrefix("fixture ran") }.map(String.init).sorted()
    }

    @Test func aRunWithoutTheServersCountsEachSkippedCase() async throws {
        let result = try await Self.runFixture(requireServices: false)
        #expect(result.status == 0, "\(result.all)")
        #expect(Self.ranLines(result.stdout) == ["fixture ran sqlite 1", "fixture ran sqlite 2", "fixture ran sqlite 3"])
        let last = result.stderr.split(separator: "\n").last.map(String.init)
        #expect(
            last == """
                warning: this run SKIPPED 7 test cases that need what is not here (6 need PostgreSQL, 4 need the \
                S3-compatible server), in SkipCountingFixture 7. scripts/test.sh runs every case, and .ci/run installs \
                what they need.
                """)
    }

    @Test func aRunThatRequiresTheServersRunsEachCaseAndFailsWithoutThem() async throws {
        let result = try await Self.runFixture(requireServices: true)
        #expect(result.status != 0)
        #expect(
            Self.ranLines(result.stdout) == [
                "fixture ran both", "fixture ran both 1", "fixture ran both 2", "fixture ran s3",
                "fixture ran sqlite 1", "fixture ran sqlite 2", "fixture ran sqlite 3",
            ])
        #expect(result.all.contains("BILLING_ALERT_TEST_POSTGRES_URL is not set"))
        #expect(!result.stderr.contains("SKIPPED"))
    }
}
