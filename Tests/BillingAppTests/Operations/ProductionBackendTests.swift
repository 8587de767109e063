import BillingCore
import BillingPipeline
import BillingSimulator
import BillingTesting
import Foundation
import GRDB
import ObjectArchive
import PostgresStore
import Testing

@testable import BillingApp
@testable import SQLiteStore

/// The jobs on PostgreSQL and an S3-compatible archive, both real servers that scripts/test.sh starts.
@Suite(.needs(.postgres, .s3))
struct ProductionBackendTests {
    static let now = Date.kst("20261125", hour: 3)
    static let day = CalendarDay("20261124")!
    static let history = CalendarDay("20261110")!...CalendarDay("20261123")!

    @Test func postgresAndObjectStorageStoreWhatTheEmbeddedDefaultStores() async throws {
        let harness = try AppHarness(now: Self.now)
        let bucket = try await TestServices.freshBucket(prefix: "billing")
        try await TestServices.withFreshDatabase { database in
            try await harness.server.run { baseURL in
                let embedded = harness.app(harness.configuration(baseURL: baseURL))
                var production = harness.configuration(baseURL: baseURL)
                production.store = .postgres(database)
                production.archive = .s3(bucket, spool: harness.folder.file("spool"))
                let app = harness.app(production)
                for candidate in [embedded, app] {
                    try await candidate.runBackfill(days: Self.history, refetch: false)
                    try await candidate.runDaily(day: Self.day, now: Self.now)
                }
                let range = Self.history.lowerBound...Self.day
                let expected = try await embedded.withStore { try await $0.dailyCosts(in: range) }
                let stored = try await app.withStore { try await $0.dailyCosts(in: range) }
                #expect(!stored.isEmpty)
                #expect(stored == expected)
                let expectedAnomalies = try await embedded.withStore { try await $0.anomalies(in: range) }.map { "\($0.date)\($0.hour)\($0.key)\($0.observed)" }
                let anomalies = try await app.withStore { try await $0.anomalies(in: range) }.map { "\($0.date)\($0.hour)\($0.key)\($0.observed)" }
                #expect(anomalies == expectedAnomalies)
                let expectedBaselines = try await embedded.withStore { try await $0.baselines() }.map { "\($0.key) \($0.mean) \($0.sampleCount)" }
                #expect(try await app.withStore { try await $0.baselines() }.map { "\($0.key) \($0.mean) \($0.sampleCount)" } == expectedBaselines)
            }
        }
        let archive = S3Archive(configuration: bucket)
        let key = "raw/year=2026/month=11/day=24/billing_20261124.json"
        let object = try #require(try await archive.contents(of: key))
        let local = try Data(contentsOf: URL(fileURLWithPath: harness.folder.file("archive/" + key)))
        #expect(object == local)
        #expect(try await archive.list(prefix: "raw/").count == Self.history.lowerBound.days(until: Self.day) + 1)
    }

    @Test func anUnreachableArchiveSpoolsTheDayAndTheNextRunUploadsIt() async throws {
        let harness = try AppHarness(now: Self.now)
        let bucket = try await TestServices.freshBucket()
        var unreachable = bucket
        unreachable.endpoint = "http://127.0.0.1:1"
        unreachable.timeout = .seconds(1)
        let spool = harness.folder.file("spool")
        let key = "raw/year=2026/month=11/day=24/billing_20261124.json"
        try await harness.server.run { baseURL in
            var configuration = harness.configuration(baseURL: baseURL)
            configuration.archive = .s3(unreachable, spool: spool)
            let error = await #expect(throws: ArchiveDeferred.self) {
                try await harness.app(configuration).runDaily(day: Self.day, now: Self.now)
            }
            #expect(error?.description.contains("the next run uploads it") == true)
            #expect(error?.description.contains("objectStorage.endpoint") == true)
            // The day's aggregates were stored all the same, and its raw data waits in the spool.
            #expect(try await harness.app(configuration).withStore { try await $0.dailyCosts(in: Self.day...Self.day) }.count > 0)
            #expect(FileManager.default.fileExists(atPath: spool + "/" + key))

            configuration.archive = .s3(bucket, spool: spool)
            try await harness.app(configuration).runDaily(day: Self.day.adding(days: -1), now: Self.now)
        }
        #expect(try await S3Archive(configuration: bucket).head(key) != nil)
        #expect(!FileManager.default.fileExists(atPath: spool + "/" + key))
        #expect(harness.output.contains { $0.contains("uploaded 1 spooled day") })
    }

    /// reprocess reads the day the bucket holds through a download into incoming/ beside the spool, which
    /// it removes;
    /// a day still waiting in the spool is read from there, as it is the newest.
    @Test func reprocessReadsTheDayFromTheBucketOrTheSpool() async throws {
        let harness = try AppHarness(now: Self.now)
        let bucket = try await TestServices.freshBucket(prefix: "billing")
        let spool = harness.folder.file("spool")
        let key = "raw/year=2026/month=11/day=24/billing_20261124.json"
        try await harness.server.run { baseURL in
            var configuration = harness.configuration(baseURL: baseURL)
            configuration.archive = .s3(bucket, spool: spool)
            try await harness.app(configuration).runDaily(day: Self.day, now: Self.now)
        }
        // The simulator has stopped: the rows can only come from the archive.
        var offline = harness.configuration(baseURL: "http://127.0.0.1:1")
        offline.archive = .s3(bucket, spool: spool)
        let app = harness.app(offline)
        func stored() async throws -> [String] {
            try await app.withStore { try await $0.dailyCosts(in: Self.day...Self.day) }.map { "\($0.key) \($0.expectAmount) \($0.rowCount)" }
        }
        func forget() async throws {
            try await app.openStore().database.write { try $0.execute(sql: "DELETE FROM billing_daily WHERE date = '20261124'") }
        }
        let before = try await stored()
        #expect(before.count > 3)
        try await forget()
        try await app.runReprocess(day: Self.day, now: Self.now)
        #expect(try await stored() == before)
        // The download went to incoming/ beside the spool, and is gone.
        let incoming = URL(fileURLWithPath: spool).deletingLastPathComponent().appendingPathComponent("incoming").path
        #expect(try FileManager.default.contentsOfDirectory(atPath: incoming).isEmpty)

        // With the bucket out of reach, the copy in the spool is read.
        let object = try #require(try await S3Archive(configuration: bucket).contents(of: key))
        try FileManager.default.createDirectory(atPath: spool + "/raw/year=2026/month=11/day=24", withIntermediateDirectories: true)
        try object.write(to: URL(fileURLWithPath: spool + "/" + key))
        var unreachable = bucket
        unreachable.endpoint = "http://127.0.0.1:1"
        unreachable.timeout = .seconds(1)
        offline.archive = .s3(unreachable, spool: spool)
        try await forget()
        try await harness.app(offline).runReprocess(day: Self.day, now: Self.now)
        #expect(try await stored() == before)
    }

    @Test func wrongObjectStorageKeysAreReportedWithoutTheSecretAndLoseNothing() async throws {
        let harness = try AppHarness(now: Self.now)
        var bucket = try await TestServices.freshBucket()
        bucket.secretKey = "wrong-SECRET-s3-777"
        try await harness.server.run { baseURL in
            var configuration = harness.configuration(baseURL: baseURL)
            configuration.archive = .s3(bucket, spool: harness.folder.file("spool"))
            let error = await #expect(throws: ArchiveDeferred.self) {
                try await harness.app(configuration).runDaily(day: Self.day, now: Self.now)
            }
            #expect(error?.description.contains("objectStorage.secretKey") == true)
            #expect(error?.description.contains("wrong-SECRET-s3-777") == false)
        }
        #expect(!harness.output.joined().contains("wrong-SECRET-s3-777"))
        #expect(!harness.logText.contains("wrong-SECRET-s3-777"))
    }

    @Test func aPostgresThatIsDownIsAClearErrorWithoutThePassword() async throws {
        let harness = try AppHarness(now: Self.now)
        var configuration = harness.configuration(baseURL: "http://127.0.0.1:1")
        configuration.store = .postgres(PostgresLocation(host: "127.0.0.1", port: 1, user: "billing", password: "pg-SECRET-down", database: "billing", tls: .disable))
        let error = await #expect(throws: PostgresStoreError.self) {
            try await harness.app(configuration).runDaily(day: Self.day, now: Self.now)
        }
        let text = error?.description ?? ""
        #expect(text.contains("cannot connect to PostgreSQL at postgres://billing@127.0.0.1:1/billing"))
        #expect(text.contains("store.url"))
        #expect(!text.contains("pg-SECRET-down"))
        #expect(error?.isRetryable == true)
    }

    @Test func aWrongPostgresPasswordOrDatabaseSaysWhichToFix() async throws {
        let admin = try #require(TestServices.postgres)
        var missing = admin
        missing.database = "no_such_database"
        missing.tls = .disable
        let harness = try AppHarness(now: Self.now)
        var configuration = harness.configuration(baseURL: "http://127.0.0.1:1")
        configuration.store = .postgres(missing)
        let error = await #expect(throws: PostgresStoreError.self) {
            try await harness.app(configuration).runDaily(day: Self.day, now: Self.now)
        }
        #expect(error?.description.contains("createdb no_such_database") == true)
        #expect(error?.isRetryable == false)
    }

    @Test(arguments: ["sqlite", "postgres"])
    func twoDailyRunsForOneDateStartedTogetherLeaveOneSetOfRows(store: String) async throws {
        let harness = try AppHarness(now: Self.now)
        try await TestServices.withFreshDatabase { database in
            try await harness.server.run { baseURL in
                var configuration = harness.configuration(baseURL: baseURL, pageSize: 5)
                if store == "postgres" { configuration.store = .postgres(database) }
                // The first run holds the lock while the second waits for it.
                var waiting = configuration
                waiting.lockWait = JobLockTests.lockWait
                async let first = harness.app(waiting).runDaily(day: Self.day, now: Self.now)
                async let second = harness.app(waiting).runDaily(day: Self.day, now: Self.now)
                let reports = try await [first, second]
                #expect(reports[0].total.keyCount == reports[1].total.keyCount)
                #expect(harness.logText.contains("another run holds the lock; waiting for it"), "the second run waited for the first")
                let rows = try await harness.app(configuration).withStore { try await $0.dailyCosts(in: Self.day...Self.day) }
                #expect(rows.count == reports[0].total.keyCount)
                #expect(Set(rows.map(\.key)).count == rows.count)

                // With no wait, a run that finds the lock held stops at once and writes nothing.
                var stopping = configuration
                stopping.lockWait = .zero
                let holder = harness.app(configuration)
                try await holder.withStore { store in
                    try await store.withJobLock("daily:\(Self.day.compact)", wait: .zero) {
                        let error = await #expect(throws: JobLockBusy.self) {
                            try await harness.app(stopping).runDaily(day: Self.day, now: Self.now.addingTimeInterval(60))
                        }
                        #expect(error?.description.contains("another run of daily for 20261124 is in progress") == true)
                        #expect(error?.description.contains("lock.waitSeconds") == true)
                    }
                }
            }
        }
    }
}

@Suite(.needs(.postgres))
struct StoreCopyTests {
    @Test func copiesTheEmbeddedStoreIntoPostgresWithoutLossAndRefusesAFullDestination() async throws {
        let harness = try AppHarness(
            bill: SimulatedBill(configuration: .init(seed: 5, spikes: [.init(day: CalendarDay("20261120")!, serviceId: "1", factor: 6)])),
            now: Date.kst("20261125", hour: 3))
        try await harness.withApp { app in
            try await app.runBackfill(days: CalendarDay("20261101")!...CalendarDay("20261123")!, refetch: false)
            try await app.runHourly(day: nil, now: Date.kst("20261125", hour: 3))
        }
        let sqliteURL = "sqlite:" + harness.folder.file("billing.sqlite")
        try await TestServices.withFreshDatabase { database in
            let postgresURL = "postgres://\(database.user)@\(database.host):\(database.port)/\(database.database)?sslmode=disable"
            let runner = CommandRunner(directory: harness.folder)
            let copy = try await runner.run(["store", "copy", "--from", sqliteURL, "--to", postgresURL])
            #expect(copy.status == 0, "\(copy.all)")
            #expect(copy.stdout.contains("counts and sums match"))
            #expect(copy.stdout.contains("store copy: reading the source (1 of 3)") && copy.stdout.contains("checking counts and sums (3 of 3)"))
            let app = harness.app(harness.configuration(baseURL: "http://127.0.0.1:1"))
            let everything = CalendarDay("20261101")!...CalendarDay("20261130")!
            let source = try await app.withStore { try await $0.dailyCosts(in: everything) }
            let copied = try await app.withStore(at: .postgres(database)) { try await $0.dailyCosts(in: everything) }
            #expect(copied == source && !source.isEmpty)
            let sourceAnomalies = try await app.withStore { try await $0.anomalies(in: everything) }
            let copiedAnomalies = try await app.withStore(at: .postgres(database)) { try await $0.anomalies(in: everything) }
            #expect(copiedAnomalies == sourceAnomalies && !sourceAnomalies.isEmpty)
            let day = CalendarDay("20261120")!
            let sourceMovers = try await app.withStore { try await $0.movers(on: day) }
            #expect(try await app.withStore(at: .postgres(database)) { try await $0.movers(on: day) } == sourceMovers && sourceMovers.count == 10)
            #expect(try await app.withStore(at: .postgres(database)) { try await $0.completedDays(of: .daily, in: everything) }.count == 23)
            let snapshots = try await app.withStore(at: .postgres(database)) { try await $0.intradaySnapshots(in: everything, hour: 3) }
            #expect(!snapshots.isEmpty)
            #expect(copy.stdout.contains("intraday snapshots"))

            let again = try await runner.run(["store", "copy", "--from", sqliteURL, "--to", postgresURL])
            #expect(again.status == 1)
            #expect(again.stderr.contains("the destination store is not empty"))
        }
    }
}

@Suite(.needs(.postgres, .s3))
struct ProductionConfigCheckTests {
    @Test func reportsPostgresAndTheArchiveAsReachableOrNotWithTheReason() async throws {
        let harness = try AppHarness(now: Date.kst("20261125", hour: 3))
        let bucket = try await TestServices.freshBucket()
        try await TestServices.withFreshDatabase { database in
            var good = harness.configuration(baseURL: "http://127.0.0.1:1")
            good.billingApi.timeout = .seconds(1)
            good.store = .postgres(database)
            good.archive = .s3(bucket, spool: harness.folder.file("spool"))
            let results = await harness.app(good).checkConfiguration(now: Date())
            #expect(results.first { $0.part == "store" }?.failed == false)
            #expect(results.first { $0.part == "archive" }?.failed == false)

            var bad = good
            var down = database
            down.port = 1
            down.password = "pg-SECRET-check"
            bad.store = .postgres(down)
            var missing = bucket
            missing.bucket = "no-such-bucket-here"
            bad.archive = .s3(missing, spool: harness.folder.file("spool"))
            let failures = await harness.app(bad).checkConfiguration(now: Date())
            let store = try #require(failures.first { $0.part == "store" })
            let archive = try #require(failures.first { $0.part == "archive" })
            #expect(store.failed && store.line.contains("cannot connect to PostgreSQL") && !store.line.contains("pg-SECRET-check"))
            #expect(archive.failed && archive.line.contains("NoSuchBucket"))
            #expect(!failures.map(\.line).joined().contains(bucket.secretKey))
        }
    }
}
