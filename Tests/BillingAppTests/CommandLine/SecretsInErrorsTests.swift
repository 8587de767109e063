import BillingTesting
import Foundation
import Testing

/// A password or key written into a URL of the configuration never reaches the output: the value is
/// refused (or repeated with its user and password hidden), at every log level.
@Suite struct SecretsInErrorsTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// `key: value` lines that replace the defaults below, by section.
        var billingApiBaseURL = "http://127.0.0.1:9"
        var storeURL: String?
        var archiveURL: String?
        var environment: [String: String] = [:]
        /// What the error names.
        var key: String

        var testDescription: String { name }
    }

    static let password = "PW-s3cr3t-Zq9"

    static let cases: [Case] = [
        Case(name: "store.url of another database", storeURL: "mysql://u:\(password)@h/db", key: "store.url"),
        Case(name: "store.url with one slash", storeURL: "postgres:/u:\(password)@h/db", key: "store.url"),
        Case(name: "store.url from the environment", environment: ["BILLING_ALERT_STORE_URL": "mysql://u:\(password)@h/db"], key: "BILLING_ALERT_STORE_URL"),
        Case(name: "billingApi.baseUrl with a user", billingApiBaseURL: "https://user:\(password)@billing.example", key: "billingApi.baseUrl"),
        Case(name: "BILLING_API_BASE_URL with a user", environment: ["BILLING_API_BASE_URL": "http://user:\(password)@127.0.0.1:9/"], key: "BILLING_API_BASE_URL"),
        Case(name: "archive.url with keys", archiveURL: "s3://AKID:\(password)@raw-bucket/prefix", key: "archive.url"),
        Case(name: "archive.url of another scheme", archiveURL: "gs://u:\(password)@raw-bucket", key: "archive.url"),
    ]

    @Test(arguments: cases)
    func aPasswordInAURLIsNeverPrinted(_ test: Case) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("settings.yaml")
        try """
            billingApi:
              baseUrl: "\(test.billingApiBaseURL)"
              credentialId: id
              credentialSecret: secret
            store:
              url: "\(test.storeURL ?? "sqlite:" + folder.file("data/billing.sqlite"))"
            archive:
              url: "\(test.archiveURL ?? "file:" + folder.file("data/archive"))"
            objectStorage: {endpoint: "http://127.0.0.1:9", accessKey: AKID, secretKey: other}
            alert: {syslog: off}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        var runner = CommandRunner(directory: folder)
        runner.environment = test.environment
        for arguments in [["config", "check"], ["daily", "--date", CommandLineTests.earlier.compact]] {
            let result = try await runner.run(arguments + ["--config", path, "--log-level", "trace"])
            #expect(result.status == 1, "\(arguments): \(result.all)")
            #expect(!result.all.contains(Self.password), "\(arguments): \(result.all)")
            #expect(result.stderr.contains(test.key), "\(arguments): \(result.stderr)")
        }
        // Nothing was made of a configuration that was refused.
        #expect(!FileManager.default.fileExists(atPath: folder.file("data/billing.sqlite")))
    }
}
