import BillingTesting
import Foundation
import Testing

/// What a careful user meets when a config is not what it should be.
@Suite struct ConfigMistakesTests {
    @Test func aDeviceIsNotAConfigFile() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let result = try await CommandRunner(directory: folder).run(["config", "check", "--config", "/dev/null"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/dev/null is not a regular file"), "\(result.stderr)")
        #expect(!result.all.contains("permission"))
    }

    @Test(arguments: [
        ("billingApi:\n  timeoutSeconds: abc\n", "billingApi.timeoutSeconds", "expected a number"),
        ("billingApi:\n  pageSize: [1]\n", "billingApi.pageSize", "expected a single value (text or a number), not a list"),
        ("billingApi: 5\n", "billingApi", "expected a section of keys"),
        ("lock:\n  waitSeconds: true\n", "lock.waitSeconds", "expected a"),
    ])
    func aValueOfTheWrongKindSaysWhatTheKeyTakes(yaml: String, key: String, expected: String) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try yaml.write(toFile: folder.file("settings.yaml"), atomically: true, encoding: .utf8)
        let result = try await CommandRunner(directory: folder).run(["config", "check", "--config", "settings.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(key) in settings.yaml is not valid: \(expected)"), "\(result.stderr)")
        for decoderWords in ["Expected to decode", "Scalar", "but found"] { #expect(!result.stderr.contains(decoderWords)) }
    }

    @Test func configCheckOnlyLooks() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try """
            billingApi: {baseUrl: "http://127.0.0.1:9", credentialId: a, credentialSecret: b}
            store: {url: "sqlite:data/deep/billing.sqlite"}
            archive: {url: "file:data/archive"}
            alert: {syslog: off}
            """.write(toFile: folder.file("settings.yaml"), atomically: true, encoding: .utf8)
        let before = try FileManager.default.subpathsOfDirectory(atPath: folder.url.path).sorted()
        let result = try await CommandRunner(directory: folder).run(["config", "check", "--config", "settings.yaml"])
        #expect(result.stdout.contains("the file does not exist yet; the first run makes it"), "\(result.all)")
        #expect(result.stdout.contains("the folder does not exist yet; the first run makes it"), "\(result.all)")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: folder.url.path).sorted() == before)
    }
}
