import AsyncHTTPClient
import NIOCore
import BillingApp
import BillingCore
import BillingServe
import BillingTesting
import Foundation
import PostgresStore
import Synchronization
import Testing

/// A wall clock the test moves: a sleep returns once the test has set the time past its deadline.
final class SteppedClock: ServeClock {
    private let current: Mutex<Date>

    init(_ now: Date) {
        current = Mutex(now)
    }

    var now: Date { current.withLock { $0 } }

    func set(_ now: Date) {
        current.withLock { $0 = now }
    }

    func sleep(until deadline: Date) async throws {
        while now < deadline { try await Task.sleep(for: .milliseconds(5)) }
    }
}

/// `serve` on a real SQLite store filled by the daily job from the simulator, asked over loopback HTTP.
@Suite struct ServeTests {
    static let now = Date.kst("20261121", hour: 5, minute: 0)

    struct Answer {
        var status: Int
        var body: String
    }

    /// POSTs `fields` as a form to `path`, with `headers` added.
    static func post(_ base: String, _ path: String, _ fields: [(String, String)], headers: [(String, String)] = []) async throws -> Answer {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let body = fields.map { "\($0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        return Answer(status: Int(response.status.code), body: String(buffer: try await response.body.collect(upTo: 16 << 20)))
    }

    /// GETs `path` from the server.
    static func get(_ base: String, _ path: String) async throws -> Answer {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + path), timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        return Answer(status: Int(response.status.code), body: String(buffer: body))
    }

    /// Runs `body` with the base URL of a server on `app`, stopped afterwards.
    static func serving<T: Sendable>(
        _ app: BillingApp, clock: any ServeClock, jobs: Bool = false, host: String = "127.0.0.1",
        _ body: @escaping @Sendable (String) async throws -> T
    ) async throws -> T {
        var settings = BillingServer.Options()
        settings.host = host
        settings.port = 0
        settings.runsJobs = jobs
        let options = settings
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await BillingServer(app: app, clock: clock).run(options) { continuation.yield($0) }
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let result = try await body("http://127.0.0.1:\(port)")
            group.cancelAll()
            while let _ = try? await group.next() {}
            return result
        }
    }

    /// A config file for the binary on the harness's store and archive.
    static func configFile(_ harness: AppHarness) throws -> String {
        let path = harness.folder.file("settings.yaml")
        try """
            store:
              url: sqlite:\(harness.folder.file("billing.sqlite"))
            archive:
              url: file:\(harness.folder.file("archive"))
            alert:
              syslog: off
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func apiAnswersAreTheCommandLinesJSONForTheSameDays() async throws {
        let harness = try AppHarness(bill: .init(configuration: .init(seed: 5, spikeProbability: 0.05)), now: Self.now)
        try await harness.withApp { app in
            try await app.runBackfill(days: CalendarDay("20261112")!...CalendarDay("20261120")!, refetch: false)
            _ = try await app.addSilence(match: "service=compute", until: CalendarDay("20991231")!, reason: "planned", now: Self.now)
        }
        let app = harness.app(harness.configuration(baseURL: "http://127.0.0.1:9"))
        let config = try Self.configFile(harness)
        let runner = CommandRunner(directory: harness.folder)
        let days = ["--from", "20261112", "--to", "20261120"]
        let cases: [(path: String, command: [String])] = [
            ("/api/v1/costs?from=20261112&to=20261120", ["costs"] + days),
            ("/api/v1/costs?date=20261118", ["costs", "--date", "20261118"]),
            ("/api/v1/anomalies?from=20261112&to=20261120", ["anomalies"] + days),
            ("/api/v1/runs?from=20261112&to=20261120", ["runs"] + days),
            ("/api/v1/baselines", ["baselines"]),
            ("/api/v1/silences", ["silence", "list"]),
        ]
        let answers = try await Self.serving(app, clock: SteppedClock(Self.now)) { base in
            var answers: [Answer] = []
            for (path, _) in cases { answers.append(try await Self.get(base, path)) }
            return answers
        }
        for ((path, command), answer) in zip(cases, answers) {
            let cli = try await runner.run(command + ["--config", config, "--format", "json"])
            #expect(cli.status == 0, "\(command): \(cli.stderr)")
            #expect(answer.status == 200, "\(path): \(answer.body)")
            #expect(answer.body == cli.stdout, "\(path)")
            #expect(answer.body.count > 10, "\(path) answered nothing: \(answer.body)")
        }
        // Something to compare: the days, an anomaly, runs and a silence are there.
        #expect(answers[0].body.contains("\"date\": \"20261112\"") && answers[0].body.contains("\"date\": \"20261120\""))
        #expect(answers[2].body.contains("\"observed\""))
        #expect(answers[5].body.contains("service=compute"))
    }

    @Test func aDayThatIsNotOneIsRefusedWithWhatToGive() async throws {
        let harness = try AppHarness(now: Self.now)
        let app = harness.app(harness.configuration(baseURL: "http://127.0.0.1:9"))
        let (bad, reversed) = try await Self.serving(app, clock: SteppedClock(Self.now)) { base in
            (try await Self.get(base, "/api/v1/costs?from=2026-13-45"), try await Self.get(base, "/api/v1/anomalies?from=20261120&to=20261110"))
        }
        #expect(bad.status == 400 && bad.body.contains("from=2026-13-45 is not a day; give YYYYMMDD"))
        #expect(reversed.status == 400 && reversed.body.contains("from 20261120 is after to 20261110"))
    }

    @Test func readyAfterADailyRunWithin26HoursAndUnreadyWhenTheStoreIsDown() async throws {
        let harness = try AppHarness(now: Self.now)
        let clock = SteppedClock(Self.now)
        try await harness.withApp { app in
            let (empty, _) = try await Self.serving(app, clock: clock) { base in (try await Self.get(base, "/readyz"), 0) }
            #expect(empty.status == 503 && empty.body.contains("has not finished a day yet"))
            try await app.runDaily(day: CalendarDay("20261120")!, now: Self.now)
            let (ready, stale) = try await Self.serving(app, clock: clock) { base in
                let ready = try await Self.get(base, "/readyz")
                clock.set(Self.now.addingTimeInterval(27 * 3600))
                return (ready, try await Self.get(base, "/readyz"))
            }
            #expect(ready.status == 200 && ready.body.contains("\"ready\": true"), "\(ready.body)")
            #expect(stale.status == 503 && stale.body.contains("over 26 hours ago"), "\(stale.body)")
        }
        // The store's file can no longer be opened: a directory stands where it was.
        let file = harness.folder.file("billing.sqlite")
        try FileManager.default.removeItem(atPath: file)
        try FileManager.default.createDirectory(atPath: file, withIntermediateDirectories: false)
        let app = harness.app(harness.configuration(baseURL: "http://127.0.0.1:9"))
        let down = try await Self.serving(app, clock: clock) { base in try await Self.get(base, "/readyz") }
        #expect(down.status == 503 && down.body.contains("unreachable"), "\(down.body)")
    }

    @Test func noAnswerShowsASecretOrAWebhookURL() async throws {
        // Every secret the configuration can hold, and a PostgreSQL store that refuses connections, so
        // the error paths answer too.
        let secrets = ["pg-PASSWORD-4471", "api-SECRET-5582", "hooks.slack.com/services/T0/B0/SLACK-6693", "kakao-HOOK-7704", "alertmanager-HOOK-8815"]
        let harness = try AppHarness(now: Self.now)
        var configuration = harness.configuration(baseURL: "http://127.0.0.1:9")
        configuration.store = .postgres(try #require(PostgresLocation(url: "postgres://billing:\(secrets[0])@127.0.0.1:9/billing?sslmode=disable")))
        configuration.billingApi.credentialSecret = secrets[1]
        configuration.alerts.slackWebhookURL = "https://" + secrets[2]
        configuration.alerts.kakaoWorkWebhookURL = "https://example.invalid/" + secrets[3]
        configuration.alerts.webhookURL = "https://example.invalid/" + secrets[4]
        let paths = [
            "/healthz", "/readyz", "/metrics", "/api/v1/costs", "/api/v1/anomalies", "/api/v1/runs", "/api/v1/baselines", "/api/v1/silences",
            "/api/v1/costs?from=bad", "/nowhere", "/", "/anomalies", "/operations", "/key?domain=d&project=p&service=s",
        ]
        let answers = try await Self.serving(harness.app(configuration), clock: SteppedClock(Self.now)) { base in
            var answers: [Answer] = []
            for path in paths { answers.append(try await Self.get(base, path)) }
            return answers
        }
        #expect(answers[1].status == 503 && answers[3].status == 503 && answers[10].status == 503, "the store is down: \(answers[1].body)")
        for (path, answer) in zip(paths, answers) {
            for secret in secrets { #expect(!answer.body.contains(secret), "\(path) shows \(secret)") }
        }
    }
}
