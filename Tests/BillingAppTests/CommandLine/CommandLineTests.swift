import BillingCore
import BillingPipeline
import BillingSimulator
import BillingTesting
import SQLiteStore
import Foundation
import GRDB
import Testing

/// The command-line tool as a separate process: exit statuses, messages, and what never appears in them.
@Suite struct CommandLineTests {
    static let credentials = SimulatorServer.Credentials(id: "cli-id", secret: "cli-SECRET-b7c6d5")

    /// Two finished days a week before the machine's today: the binary reads today from the clock and
    /// refuses a later day, and the simulator serves any day, so these hold on any machine's date.
    static let earlier = CalendarDay.containing(Date(), in: TimeZone(identifier: "Asia/Seoul")!).day.adding(days: -7)
    static let later = earlier.adding(days: 1)

    func config(_ folder: TemporaryDirectory, baseURL: String, secret: String, extra: String = "") throws -> String {
        try folder.writeConfig(
            baseURL: baseURL, id: Self.credentials.id, secret: secret, api: ["pageSize: 10", "maxAttempts: 1"], extra: extra)
    }

    @Test func refusedCredentialsExitNonZeroNameTheKeysAndNeverPrintTheSecret() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials), bill: SimulatedBill())
        let wrongSecret = "wrong-SECRET-a1b2c3"
        let result = try await server.run { baseURL in
            let path = try config(folder, baseURL: baseURL, secret: wrongSecret)
            return try await CommandRunner(directory: folder).run(["daily", "--config", path, "--date", Self.later.compact, "--log-level", "trace"])
        }
        #expect(result.status != 0)
        #expect(result.stderr.contains("billingApi.credentialId") && result.stderr.contains("billingApi.credentialSecret"))
        #expect(result.stderr.contains("HTTP 401"))
        #expect(!result.all.contains(wrongSecret))
    }

    @Test func secretsFromTheEnvironmentStayOutOfTheOutputToo() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials), bill: SimulatedBill())
        let result = try await server.run { baseURL in
            let path = try config(folder, baseURL: baseURL, secret: "overridden-by-env")
            var runner = CommandRunner(directory: folder)
            runner.environment = ["BILLING_API_CREDENTIAL_SECRET": "env-SECRET-zz99"]
            return try await runner.run(["hourly", "--config", path, "--log-level", "trace"])
        }
        #expect(result.status != 0)
        #expect(!result.all.contains("env-SECRET-zz99"))
    }

    @Test func aMalformedBodyExitsNonZeroAndLeavesTheStoreUnchanged() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials), bill: SimulatedBill())
        try await server.run { baseURL in
            let path = try config(folder, baseURL: baseURL, secret: Self.credentials.secret)
            let runner = CommandRunner(directory: folder)
            let good = try await runner.run(["daily", "--config", path, "--date", Self.earlier.compact])
            #expect(good.status == 0, "\(good.all)")
            let before = try await runner.run(["costs", "--config", path, "--from", Self.earlier.compact, "--to", Self.later.compact, "--format", "csv"])
            server.fail([.malformedBody], onPage: 1)
            let bad = try await runner.run(["daily", "--config", path, "--date", Self.later.compact])
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("page 1 for \(Self.later.compact)") && bad.stderr.contains("nothing was stored"))
            let after = try await runner.run(["costs", "--config", path, "--from", Self.earlier.compact, "--to", Self.later.compact, "--format", "csv"])
            #expect(after.stdout == before.stdout)
            #expect(before.stdout.split(separator: "\n").count > 1)
        }
    }

    @Test func aMongoOnlyConfigSaysWhatToUseInstead() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("settings.yaml")
        try "mongo:\n  uri: mongodb://user:mongoPASSWORD@localhost:27017/billing\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await CommandRunner(directory: folder).run(["costs", "--config", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("MongoDB") && result.stderr.contains("store.url") && result.stderr.contains("sqlite:"))
        #expect(!result.all.contains("mongoPASSWORD"))
    }

    @Test func anAskedForConfigThatIsMissingIsAnError() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let result = try await CommandRunner(directory: folder).run(["costs", "--config", "nope.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("nope.yaml does not exist"))
    }

    @Test func withoutAConfigTheEmbeddedDefaultAsksForCredentials() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let result = try await CommandRunner(directory: folder).run(["hourly"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("BILLING_API_CREDENTIAL_ID") && result.stderr.contains("billing-alert demo"))
        // The embedded store was still created, under data/.
        #expect(FileManager.default.fileExists(atPath: folder.file("data/billing.sqlite")))
    }

    @Test func badArgumentsAreUsageErrors() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let runner = CommandRunner(directory: folder)
        let badDate = try await runner.run(["daily", "--date", "20261340"])
        #expect(badDate.status == 64)
        #expect(badDate.stderr.contains("--date"))
        let reversed = try await runner.run(["backfill", "--from", "20261110", "--to", "20261101"])
        #expect(reversed.status == 64)
        #expect(reversed.stderr.contains("give the earlier day first"))
        let order = try await runner.run(["bench", "--rows", "10", "--keys", "2", "--order", "sorted", "--skip-jobs"])
        #expect(order.status == 64)
        #expect(order.stderr.contains("--order is rounds, grouped or scattered, not 'sorted'"))
    }

    @Test func configCheckReportsEachPartOnItsOwnLine() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let hooks = CaptureServer()
        hooks.respond(with: [400, 405, 405], body: "no_text")
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials), bill: SimulatedBill())
        var before: [String] = []
        let result = try await hooks.run { hooksBase in
            try await server.run { baseURL in
                let path = try config(
                    folder, baseURL: baseURL, secret: Self.credentials.secret,
                    extra: "objectStorage:\n  bucket: raw\n")
                before = try FileManager.default.subpathsOfDirectory(atPath: folder.url.path).sorted()
                var runner = CommandRunner(directory: folder)
                runner.environment = [
                    "SLACK_WEBHOOK_URL": hooksBase + "/services/SLACKsecretPATH", "KAKAOWORK_WEBHOOK_URL": hooksBase + "/kakao/KAKAOsecret",
                    "ALERT_WEBHOOK_URL": hooksBase + "/hook/HOOKsecret",
                ]
                return try await runner.run(["config", "check", "--config", path])
            }
        }
        #expect(result.status == 0, "\(result.all)")
        // A check only looks: no store file, no archive folder, nothing else made.
        #expect(try FileManager.default.subpathsOfDirectory(atPath: folder.url.path).sorted() == before)
        // Slack gets an empty payload it refuses; the other webhooks a GET, so nothing is posted.
        #expect(hooks.requests.map { "\($0.method) \($0.path) \($0.body.count)" } == [
            "POST /services/SLACKsecretPATH 2", "GET /kakao/KAKAOsecret 0", "GET /hook/HOOKsecret 0",
        ])
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("kakaowork") && $0.contains(" ok ") && $0.contains("HTTP 405 to a GET") })
        #expect(lines.contains { $0.hasPrefix("webhook") && $0.contains(" ok ") })
        #expect(lines.contains { $0.hasPrefix("billing API") && $0.contains(" ok ") })
        #expect(lines.contains { $0.hasPrefix("store") && $0.contains(" ok ") })
        #expect(lines.contains { $0.hasPrefix("archive") && $0.contains(" ok ") })
        #expect(lines.contains { $0.hasPrefix("slack") && $0.contains(" ok ") })
        #expect(lines.contains { $0.hasPrefix("syslog") })
        #expect(lines.contains { $0.contains("objectStorage") })
        #expect(!result.all.contains("SLACKsecretPATH") && !result.all.contains(Self.credentials.secret))
        #expect(!result.all.contains("KAKAOsecret") && !result.all.contains("HOOKsecret"))
    }

    /// A store whose schema is behind the binary is reported, not migrated: the file stays byte for byte.
    @Test func configCheckReportsAMissingMigrationWithoutApplyingIt() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let runner = CommandRunner(directory: folder)
        #expect(try await runner.run(["store", "migrate"]).status == 0)
        let path = folder.file("data/billing.sqlite")
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "DROP TABLE billing_daily_movers; DELETE FROM grdb_migrations WHERE identifier LIKE 'v8:%'")
        }
        try await queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let listing = try FileManager.default.subpathsOfDirectory(atPath: folder.url.path).sorted()
        let check = try await runner.run(["config", "check"])
        #expect(check.stdout.contains("the schema lacks 1 migration(s) (v8: each day's top movers)"), "\(check.all)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: folder.url.path).sorted() == listing)
        #expect(try await runner.run(["store", "migrate"]).status == 0)
        #expect(try await runner.run(["config", "check"]).stdout.contains("open, schema up to date"))
    }

    @Test func configCheckFailsWhenTheAPIRefusesTheCredentials() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials), bill: SimulatedBill())
        let result = try await server.run { baseURL in
            try await CommandRunner(directory: folder).run(["config", "check", "--config", try config(folder, baseURL: baseURL, secret: "bad-SECRET-1")])
        }
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAILED") && result.stdout.contains("billingApi.credentialSecret"))
        #expect(!result.all.contains("bad-SECRET-1"))
    }

    @Test func reportsPrintJSONWithCamelCaseKeysAndNumbersAsNumbers() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials), bill: SimulatedBill())
        try await server.run { baseURL in
            let path = try config(folder, baseURL: baseURL, secret: Self.credentials.secret)
            let runner = CommandRunner(directory: folder)
            #expect(try await runner.run(["daily", "--config", path, "--date", Self.earlier.compact]).status == 0)
            let result = try await runner.run(["costs", "--config", path, "--date", Self.earlier.compact, "--format", "json"])
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
            #expect(!rows.isEmpty)
            let row = rows[0]
            #expect(row["date"] as? String == Self.earlier.compact)
            for key in ["domainId", "projectId", "serviceId", "serviceName", "domainName", "projectName"] {
                #expect(row[key] is String, "\(key)")
            }
            for key in ["expectAmount", "generalAmount", "discountAmount", "usageTime", "usageSize"] {
                #expect(row[key] is NSNumber, "\(key)")
            }
            #expect(row["pricingTypes"] is [String] && row["isAnomaly"] is Bool)
            let baselines = try await runner.run(["baselines", "--config", path, "--format", "json"])
            let baselineRows = try #require(try JSONSerialization.jsonObject(with: Data(baselines.stdout.utf8)) as? [[String: Any]])
            #expect(baselineRows.first?["mean"] is NSNumber && baselineRows.first?["sampleCount"] is NSNumber)
            let anomalies = try await runner.run(["anomalies", "--config", path, "--date", Self.earlier.compact, "--format", "json"])
            #expect(anomalies.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        }
    }
}

@Suite struct CommandLineStatusTests {
    static let credentials = SimulatorServer.Credentials(id: "status-id", secret: "status-secret")

    @Test func anUnreachableArchiveExitsWithStatus3AfterStoringTheDay() async throws {
        let day = CommandLineTests.earlier
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let server = SimulatorServer(configuration: .init(credentials: Self.credentials), bill: SimulatedBill())
        let result = try await server.run { baseURL in
            let path = folder.file("settings.yaml")
            try """
                billingApi: {baseUrl: "\(baseURL)", credentialId: \(Self.credentials.id), credentialSecret: \(Self.credentials.secret)}
                store: {url: "sqlite:\(folder.file("billing.sqlite"))"}
                objectStorage: {endpoint: "http://127.0.0.1:1", accessKey: AKID, secretKey: s3-SECRET-exit3, timeoutSeconds: 1}
                archive: {url: "s3://raw-bucket", spool: "\(folder.file("spool"))"}
                alert: {syslog: off}
                """.write(toFile: path, atomically: true, encoding: .utf8)
            return try await CommandRunner(directory: folder).run(["daily", "--config", path, "--date", day.compact])
        }
        #expect(result.status == 3, "\(result.all)")
        #expect(result.stdout.contains("daily \(day.compact):"))
        #expect(result.stderr.contains("the archive step failed") && result.stderr.contains("the next run uploads it"))
        #expect(!result.all.contains("s3-SECRET-exit3"))
        #expect(FileManager.default.fileExists(atPath: folder.file("spool/" + RawDayDocument.key(for: day))))
    }

    /// At once with no wait; after the wait, having said it waits, with one: either way status 4, and
    /// nothing asked of the API (its address here answers nothing).
    @Test(arguments: [0, 1])
    func aRunThatFindsTheLockHeldStopsWithStatus4(waitSeconds: Int) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let database = folder.file("billing.sqlite")
        let path = folder.file("settings.yaml")
        try """
            billingApi: {baseUrl: "http://127.0.0.1:1", credentialId: a, credentialSecret: b}
            store: {url: "sqlite:\(database)"}
            lock: {waitSeconds: \(waitSeconds)}
            alert: {syslog: off}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let holder = try SQLiteStore(path: database)
        let result = try await holder.withJobLock("daily:20261119", wait: .zero) {
            try await CommandRunner(directory: folder).run(["daily", "--config", path, "--date", "20261119"])
        }
        #expect(result.status == 4, "\(result.all)")
        #expect(result.stderr.contains("another run of daily for 20261119 is in progress"))
        #expect(result.stderr.contains("stopped after waiting 1 s") == (waitSeconds == 1), "\(result.stderr)")
        #expect(result.all.contains("another run holds the lock; waiting for it") == (waitSeconds == 1), "\(result.all)")
        #expect(!result.all.contains("cannot reach the Billing API"))
    }

    @Test func storeMigrateCreatesTheSchema() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let result = try await CommandRunner(directory: folder).run(["store", "migrate"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("schema up to date at sqlite:data/billing.sqlite"))
        #expect(FileManager.default.fileExists(atPath: folder.file("data/billing.sqlite")))
    }
}

@Suite struct AlertTestCommandTests {
    @Test func sendsASampleThroughEachChannelAndReportsEachWithoutItsURL() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let server = CaptureServer()
        server.respond(with: [200, 200, 500], body: "boom")
        let result = try await server.run { base in
            var runner = CommandRunner(directory: folder)
            runner.environment = [
                "SLACK_WEBHOOK_URL": base + "/slack/slackSECRET1", "KAKAOWORK_WEBHOOK_URL": base + "/kakao/kakaoSECRET2",
                "ALERT_WEBHOOK_URL": base + "/am/amSECRET3",
            ]
            return try await runner.run(["alert", "test"])
        }
        #expect(result.status == 1, "\(result.all)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("console") && $0.hasSuffix(" ok") })
        #expect(lines.contains { $0.hasPrefix("slack") && $0.hasSuffix(" ok") })
        #expect(lines.contains { $0.hasPrefix("kakaowork") && $0.hasSuffix(" ok") })
        #expect(lines.contains { $0.hasPrefix("webhook") && $0.contains("FAILED") && $0.contains("HTTP 500") })
        #expect(result.stdout.contains("Test message (not a real anomaly)"))
        for secret in ["slackSECRET1", "kakaoSECRET2", "amSECRET3"] { #expect(!result.all.contains(secret)) }
        #expect(server.requests.map(\.path) == ["/slack/slackSECRET1", "/kakao/kakaoSECRET2", "/am/amSECRET3"])
    }

    /// A closed port refuses at once: the failure is the refusal itself, not a webhook that "did not
    /// answer within 10 s" (what a pool retrying the connection until its deadline reports), and each
    /// failure is said once, not again as a log warning.
    @Test func aClosedPortFailsAtOnceAndEachFailureIsSaidOnce() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        var runner = CommandRunner(directory: folder)
        runner.environment = ["SLACK_WEBHOOK_URL": "http://127.0.0.1:9/slack/closedSECRET", "ALERT_WEBHOOK_URL": "http://127.0.0.1:9/am/closedSECRET"]
        let result = try await runner.run(["alert", "test"])
        #expect(result.status == 1)
        for channel in ["slack", "webhook"] {
            let failures = result.all.components(separatedBy: "\n").filter { $0.contains(channel) && $0.contains("FAILED") }
            #expect(failures.count == 1, "\(result.all)")
            #expect(failures.allSatisfy { $0.contains("could not be reached: Connection refused") }, "\(result.all)")
        }
        #expect(!result.all.contains("did not answer within"))
        #expect(!result.stderr.contains("alert channel failed") && !result.all.contains("closedSECRET"))
    }

    @Test func anUnknownChannelNamesTheConfiguredOnes() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let result = try await CommandRunner(directory: folder).run(["alert", "test", "--channel", "pager"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no configured channel is called 'pager'") && result.stderr.contains("console"))
    }
}

@Suite struct FeedbackCommandTests {
    @Test func silencesAreAddedListedAndRemovedThroughTheBinary() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let runner = CommandRunner(directory: folder)
        let added = try await runner.run(["silence", "add", "--match", "service=Virtual Machine,project=pay*", "--until", "20991231", "--reason", "migration week"])
        #expect(added.status == 0, "\(added.all)")
        let id = try #require(added.stdout.split(separator: " ").dropFirst().first.map(String.init))
        let listed = try await runner.run(["silence", "list", "--format", "csv"])
        #expect(listed.stdout.contains("\(id),\"service=Virtual Machine,project=pay*\",20991231,active,migration week"))
        let removed = try await runner.run(["silence", "remove", id])
        #expect(removed.status == 0 && removed.stdout.contains("removed"))
        let again = try await runner.run(["silence", "remove", id])
        #expect(again.status == 1 && again.stderr.contains("billing-alert silence list"))
    }

    /// On the demo's data: a silence says which anomalies it holds back, the same silence twice is
    /// refused, `--for` counts days from today, and a verdict given again without a note keeps the note.
    @Test func aSilenceNamesWhatItHoldsBackAndIsNotAddedTwiceAndAckKeepsItsNote() async throws {
        let demo = try await ListingTests.Demo.run()
        defer { demo.folder.remove() }
        let config = ["--config", "data/demo/settings.yaml"]
        struct Row: Decodable {
            var id: String
            var projectName: String
            var serviceName: String
        }
        let anomalies = try JSONDecoder().decode([Row].self, from: Data(try await demo.run(["anomalies", "--format", "json"] + config).stdout.utf8))
        let target = try #require(anomalies.last)
        let match = "project=\(target.projectName),service=\(target.serviceName)"
        let added = try await demo.run(["silence", "add", "--match", match, "--for", "3d", "--reason", "test"] + config)
        let held = Set(anomalies.filter { $0.projectName == target.projectName && $0.serviceName == target.serviceName }.map(\.id))
        #expect(added.stdout.contains("it holds back \(held.count) anomal"))
        for id in held { #expect(added.stdout.contains("  \(id)  \(target.serviceName) in \(target.projectName)")) }
        let id = try #require(added.stdout.split(separator: " ").dropFirst().first.map(String.init))
        let twice = try await demo.runner.run(["silence", "add", "--match", match, "--for", "3d", "--reason", "again"] + config)
        #expect(twice.status == 1 && twice.stderr.contains("silence \(id) already holds back alerts"), "\(twice.all)")
        struct Listed: Decodable { var until: String }
        let listed = try JSONDecoder().decode([Listed].self, from: Data(try await demo.run(["silence", "list", "--format", "json"] + config).stdout.utf8))
        // Three days from today, in the configured zone (the anomalies' latest day is today's hourly one).
        let today = String(anomalies.map(\.id).max()?.prefix(8) ?? "")
        let expected = DateFormatter.compactDay.string(from: DateFormatter.compactDay.date(from: today)!.addingTimeInterval(3 * 86_400))
        #expect(listed.map(\.until) == [expected])

        #expect(try await demo.run(["ack", target.id, "--as", "real", "--note", "ticket 42"] + config).status == 0)
        #expect(try await demo.run(["ack", target.id, "--as", "planned"] + config).status == 0)
        struct Said: Decodable {
            var id: String
            var feedback: String?
            var feedbackNote: String?
        }
        let said = try JSONDecoder().decode([Said].self, from: Data(try await demo.run(["anomalies", "--format", "json"] + config).stdout.utf8))
        #expect(said.filter { $0.id == target.id }.allSatisfy { $0.feedback == "planned" && $0.feedbackNote == "ticket 42" })
    }

    @Test(arguments: [
        (["silence", "add", "--match", "region=kr", "--until", "20991231", "--reason", "x"], "use domain, project, service"),
        (["silence", "add", "--match", "service=1", "--until", "20200101", "--reason", "x"], "has already passed"),
        (["ack", "not-an-id", "--as", "planned"], "is not an anomaly id"),
        (["ack", "20261125-0123abcd", "--as", "maybe"], "planned"),
        (["ack", "20261125-0123abcd", "--as", "planned"], "no anomaly has the id 20261125-0123abcd"),
    ])
    func badFeedbackGetsAClearError(arguments: [String], message: String) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let result = try await CommandRunner(directory: folder).run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.all)")
    }
}
