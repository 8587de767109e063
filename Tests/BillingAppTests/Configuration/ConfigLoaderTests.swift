import BillingCore
import BillingTesting
import Foundation
import Testing

@testable import BillingApp

@Suite struct ConfigLoaderTests {
    let loader = ConfigLoader(environment: [:])

    @Test func theExampleFileParsesToTheDefaults() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../config/settings_example.yaml")
        let configuration = try loader.parse(yaml: String(contentsOf: url, encoding: .utf8), origin: "example")
        #expect(configuration.billingApi.baseURL == "https://billing-api.kakaocloud.com")
        #expect(configuration.billingApi.pageSize == 10_000)
        #expect(configuration.store == .sqlite(path: "data/billing.sqlite"))
        #expect("\(configuration.archive)" == "file:data/archive")
        #expect(configuration.detection == DetectionThresholds(zScore: 3, ratio: 2, minSamples: 5))
        #expect(configuration.timeZone.secondsFromGMT() == 9 * 3600)
        #expect(configuration.alerts.slackWebhookURL == nil)
        #expect(configuration.schedule.dailyHour == 2 && configuration.schedule.dailyMinute == 30)
        #expect(configuration.serve.token == nil && !configuration.serve.readOnly)
    }

    @Test func readsTheTutorialsKeysAndTheNewOnes() throws {
        let configuration = try loader.parse(
            yaml: """
                billingApi:
                  credentialId: id-1
                  credentialSecret: secret-1
                  baseUrl: http://127.0.0.1:9000
                alert:
                  slackWebhookUrl: https://hooks.slack.com/services/A/B/C
                store:
                  url: sqlite:/var/lib/billing/billing.sqlite
                archive:
                  url: file:/var/lib/billing/archive
                detection:
                  detector: classic
                  zScore: 4
                  ratio: 2.5
                  minSamples: 7
                timezone: UTC
                """, origin: "test.yaml")
        #expect(configuration.billingApi.credentialId == "id-1" && configuration.billingApi.credentialSecret == "secret-1")
        #expect(configuration.billingApi.baseURL == "http://127.0.0.1:9000")
        #expect(configuration.alerts.slackWebhookURL == "https://hooks.slack.com/services/A/B/C")
        #expect(configuration.store == .sqlite(path: "/var/lib/billing/billing.sqlite"))
        #expect("\(configuration.archive)" == "file:/var/lib/billing/archive")
        #expect(configuration.detection == DetectionThresholds(zScore: 4, ratio: 2.5, minSamples: 7))
        #expect(configuration.timeZone.secondsFromGMT() == 0)
    }

    @Test func theEnvironmentOverridesTheFileForEverySecret() throws {
        let loader = ConfigLoader(environment: [
            "BILLING_API_CREDENTIAL_ID": "env-id", "BILLING_API_CREDENTIAL_SECRET": "env-secret",
            "SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/env", "BILLING_ALERT_STORE_URL": "sqlite:env.sqlite",
        ])
        let configuration = try loader.parse(
            yaml: "billingApi:\n  credentialId: file-id\n  credentialSecret: file-secret\n", origin: "test.yaml")
        #expect(configuration.billingApi.credentialId == "env-id")
        #expect(configuration.billingApi.credentialSecret == "env-secret")
        #expect(configuration.alerts.slackWebhookURL == "https://hooks.slack.com/services/env")
        #expect(configuration.store == .sqlite(path: "env.sqlite"))
    }

    @Test func withoutAFileTheEmbeddedDefaultStillTakesTheEnvironment() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let configuration = try ConfigLoader(environment: ["BILLING_API_CREDENTIAL_ID": "x"], directory: folder.path).load(path: nil)
        #expect(configuration.origin == "the embedded default")
        #expect(configuration.billingApi.credentialId == "x")
        #expect(configuration.store == .sqlite(path: "data/billing.sqlite"))
    }

    @Test(arguments: [
        ("billingAPI:\n  credentialId: x\n", "billingApi"),
        ("billingApi:\n  credentialID: x\n", "billingApi.credentialId"),
        ("alert:\n  slackWebhookURL: x\n", "alert.slackWebhookUrl"),
        ("detection:\n  zscore: 3\n", "detection.zScore"),
        ("alert:\n  channels:\n    slak: {}\n", "alert.channels.slack"),
        ("alert:\n  channels:\n    slack:\n      minimpact: 5\n", "alert.channels.slack.minImpact"),
    ])
    func aMistypedKeyGetsASuggestion(yaml: String, suggestion: String) {
        let error = #expect(throws: ConfigError.self) { try loader.parse(yaml: yaml, origin: "test.yaml") }
        #expect(error?.description.contains("did you mean \(suggestion)?") == true)
    }

    @Test(arguments: [
        ("detection:\n  zScore: -1\n", "detection.zScore"),
        ("detection:\n  ratio: 1\n", "detection.ratio"),
        ("billingApi:\n  pageSize: 20000\n", "billingApi.pageSize"),
        ("timezone: Mars/Olympus\n", "timezone"),
        ("schedule:\n  dailyAt: \"25:00\"\n", "schedule.dailyAt"),
        ("store:\n  url: mysql://x\n", "store.url"),
        ("archive:\n  url: ftp://x\n", "archive.url"),
        ("detection:\n  zScore: high\n", "detection.zScore"),
        ("alert:\n  channels:\n    slack:\n      minImpact: -5\n", "alert.channels.slack.minImpact"),
        ("alert:\n  channels:\n    webhook:\n      digest: true\n", "alert.channels.webhook.digest"),
    ])
    func anInvalidValueNamesTheKeyAndWhatIsExpected(yaml: String, key: String) {
        let error = #expect(throws: ConfigError.self) { try loader.parse(yaml: yaml, origin: "test.yaml") }
        #expect(error?.description.contains(key) == true)
        #expect(error?.description.contains("expected") == true)
    }

    @Test func eachChannelsRouteIsReadOverItsDefault() throws {
        let configuration = try loader.parse(
            yaml: """
                alert:
                  channels:
                    slack: {minImpact: 50000, minPercent: 20, digest: true}
                    console: {digest: false}
                """, origin: "test.yaml")
        #expect(configuration.alerts.route(for: "slack") == ChannelRoute(minImpact: 50_000, minPercent: 20, immediate: true, digest: true))
        #expect(configuration.alerts.route(for: "console") == ChannelRoute(digest: false))
        #expect(configuration.alerts.route(for: "syslog") == ChannelRoute(digest: true), "syslog keeps the default: every anomaly and the digest")
        #expect(configuration.alerts.route(for: "kakaowork") == ChannelRoute(digest: false))
    }

    @Test func aPostgresURLIsReadAndItsPasswordNeverShown() throws {
        let configuration = try loader.parse(
            yaml: "store:\n  url: postgres://billing:pgPASSWORD@db.internal:6432/billing?sslmode=require\n", origin: "test.yaml")
        guard case .postgres(let location) = configuration.store else {
            Issue.record("expected a PostgreSQL store")
            return
        }
        #expect(location.host == "db.internal" && location.port == 6432 && location.user == "billing")
        #expect(location.password == "pgPASSWORD" && location.database == "billing" && location.tls == .require)
        #expect("\(configuration.store)" == "postgres://billing@db.internal:6432/billing")
    }

    @Test func thePostgresPasswordFromTheEnvironmentWins() throws {
        let loader = ConfigLoader(environment: ["BILLING_ALERT_STORE_PASSWORD": "from-env"])
        let configuration = try loader.parse(yaml: "store:\n  url: postgres://billing:in-file@db/billing\n", origin: "test.yaml")
        guard case .postgres(let location) = configuration.store else {
            Issue.record("expected a PostgreSQL store")
            return
        }
        #expect(location.password == "from-env")
    }

    @Test func aBrokenPostgresURLIsRefusedWithoutRepeatingIt() {
        let error = #expect(throws: ConfigError.self) {
            try loader.parse(yaml: "store:\n  url: postgres://billing:pgPASSWORD@db:notaport/billing\n", origin: "test.yaml")
        }
        #expect(error?.description.contains("store.url") == true)
        #expect(error?.description.contains("pgPASSWORD") == false)
    }

    @Test func aMongoOnlyConfigIsRefusedWithWhatToUseInstead() {
        let error = #expect(throws: ConfigError.self) {
            try loader.parse(yaml: "billingApi:\n  credentialId: x\nmongo:\n  uri: mongodb://u:p@h/db\n", origin: "test.yaml")
        }
        #expect(error?.description.contains("store.url") == true)
        #expect(error?.description.contains("mongodb://") == false)
    }

    @Test func aMongoSectionBesideAStoreIsIgnoredWithANote() throws {
        let configuration = try loader.parse(yaml: "store:\n  url: sqlite:x.sqlite\nmongo:\n  uri: mongodb://h/db\n", origin: "test.yaml")
        #expect(configuration.notes.contains { $0.contains("mongo section is ignored") })
    }

    @Test func brokenYAMLIsReportedAsSuch() {
        let error = #expect(throws: ConfigError.self) { try loader.parse(yaml: "billingApi: [unclosed\n", origin: "test.yaml") }
        #expect(error?.description.contains("not valid YAML") == true)
    }

    @Test func anEmptyFileIsTheDefault() throws {
        let configuration = try loader.parse(yaml: "", origin: "empty.yaml")
        #expect(configuration.store == .sqlite(path: "data/billing.sqlite"))
    }

    @Test func anS3ArchiveTakesTheTutorialsObjectStorageKeysAndTheEnvironment() throws {
        let loader = ConfigLoader(environment: ["OBJECT_STORAGE_SECRET_KEY": "env-secret"])
        let configuration = try loader.parse(
            yaml: """
                objectStorage:
                  endpoint: https://objectstorage.kr-central-2.kakaocloud.com
                  accessKey: AKID
                  secretKey: file-secret
                archive:
                  url: s3://billing-raw/prod
                  spool: /var/spool/billing
                """, origin: "test.yaml")
        guard case .s3(let s3, let spool) = configuration.archive else {
            Issue.record("expected an S3 archive")
            return
        }
        #expect(s3.bucket == "billing-raw" && s3.prefix == "prod" && s3.region == "kr-central-2")
        #expect(s3.accessKey == "AKID" && s3.secretKey == "env-secret" && spool == "/var/spool/billing")
        #expect("\(configuration.archive)" == "s3://billing-raw/prod at https://objectstorage.kr-central-2.kakaocloud.com")
    }

    @Test func theTutorialsBucketAloneMeansAnS3Archive() throws {
        let configuration = try loader.parse(
            yaml: "objectStorage:\n  endpoint: http://127.0.0.1:9\n  bucket: raw-bucket\n  accessKey: a\n  secretKey: b\n  region: kr-central-1\n",
            origin: "test.yaml")
        guard case .s3(let s3, _) = configuration.archive else {
            Issue.record("expected an S3 archive")
            return
        }
        #expect(s3.bucket == "raw-bucket" && s3.prefix.isEmpty && s3.region == "kr-central-1")
    }

    @Test func anS3ArchiveWithoutKeysNamesWhatIsMissingButNoValues() {
        let error = #expect(throws: ConfigError.self) {
            try loader.parse(yaml: "objectStorage:\n  accessKey: AKIDvisible\narchive:\n  url: s3://bucket\n", origin: "test.yaml")
        }
        let text = error?.description ?? ""
        #expect(text.contains("objectStorage.endpoint") && text.contains("objectStorage.secretKey"))
        #expect(!text.contains("objectStorage.accessKey (") && !text.contains("AKIDvisible"))
    }

    @Test func theSeasonalDetectorIsTheDefaultAndTakesItsOwnThresholds() throws {
        let defaults = try loader.parse(yaml: "", origin: "test.yaml")
        #expect(defaults.detectorName == "seasonal")
        let configuration = try loader.parse(
            yaml: "detection:\n  zScore: 5\n  ratio: 1.5\n  minImpact: 20000\n  minRarityDays: 30\n  rule: impact and z or impact and ratio\n",
            origin: "test.yaml")
        #expect(configuration.seasonal.zScore == 5 && configuration.seasonal.ratio == 1.5 && configuration.seasonal.minImpact == 20000)
        #expect(configuration.seasonal.minRarityDays == 30 && defaults.seasonal.minRarityDays == 0)
        #expect(configuration.seasonal.rule == DetectionRule("impact and z or impact and ratio"))
        #expect(configuration.detection == DetectionThresholds(), "the classic rule keeps its own thresholds")
    }

    @Test(arguments: [
        ("detection:\n  detector: magic\n", "detection.detector"),
        ("detection:\n  rule: z nand ratio\n", "detection.rule"),
        ("detection:\n  minImpact: -5\n", "detection.minImpact"),
        ("detection:\n  minRarityDays: -1\n", "detection.minRarityDays"),
    ])
    func invalidDetectorSettingsNameTheKey(yaml: String, key: String) {
        let error = #expect(throws: ConfigError.self) { try loader.parse(yaml: yaml, origin: "test.yaml") }
        #expect(error?.description.contains(key) == true)
    }
}

/// The keys a config file may hold come from the file's structs, so a key added to a struct is known
/// and a key left out of one is a typo.
@Suite struct ConfigKeysTests {
    @Test func everySectionOfTheFileIsKnownWithTheFieldsOfItsStruct() {
        #expect(Set(ConfigFile.knownKeys.keys) == ConfigFile.keys(of: ConfigFile()).union(["mongo"]))
        #expect(ConfigFile.knownKeys["billingApi"] == [
            "credentialId", "credentialSecret", "baseUrl", "pageSize", "maxPages", "timeoutSeconds", "maxAttempts",
        ])
        #expect(ConfigFile.routeKeys == ["minImpact", "minPercent", "immediate", "digest"])
    }

    @Test func everyKnownKeyIsReadAndANearMissIsNot() throws {
        let loader = ConfigLoader(environment: [:])
        _ = try loader.parse(yaml: "schedule: {dailyAt: \"03:00\", hourlyMinute: 5, logDir: logs}\nlock: {waitSeconds: 3}\n", origin: "t.yaml")
        #expect(throws: ConfigError.self) { try loader.parse(yaml: "lock: {waitSecond: 3}\n", origin: "t.yaml") }
    }
}
