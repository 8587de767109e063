import Foundation
import Testing

@testable import BillingApp

/// A hostile config file fails at once with a clear error, whatever it is built to cost.
@Suite struct ConfigBoundsTests {
    let loader = ConfigLoader(environment: [:])

    /// Nine levels of nine aliases: 387 million strings once expanded, from a 500-byte file. Reading it
    /// whole took 90-100 s and 17.9 GB before the unknown key was reported.
    @Test func nestedAliasesAreRefusedBeforeTheyAreExpanded() {
        var lines = [#"a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
        for level in 1...9 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ",") + "]")
        }
        lines.append("billingApi:\n  baseUrl: *a9")
        let error = #expect(throws: ConfigError.self) { try loader.parse(yaml: lines.joined(separator: "\n"), origin: "laughs.yaml") }
        #expect(error?.description == "the config file laughs.yaml is not valid YAML: it expands to more than 10000 values (aliases repeat what they name); write the values out")
    }

    @Test func anAliasUsedAFewTimesIsFine() throws {
        let yaml = """
            alert:
              slackWebhookUrl: &hook https://hooks.slack.example/services/T/B/x
              kakaoWorkWebhookUrl: *hook
            """
        let configuration = try loader.parse(yaml: yaml, origin: "anchors.yaml")
        #expect(configuration.alerts.kakaoWorkWebhookURL == "https://hooks.slack.example/services/T/B/x")
    }

    @Test func deepNestingIsRefused() {
        let yaml = "billingApi:\n  baseUrl: " + String(repeating: "[", count: 900) + String(repeating: "]", count: 900)
        let error = #expect(throws: ConfigError.self) { try loader.parse(yaml: yaml, origin: "deep.yaml") }
        #expect(error?.description.contains("nests deeper than 16 levels") == true)
    }

    @Test func aFileFarLargerThanAnyConfigIsRefusedUnread() {
        let yaml = "# " + String(repeating: "x", count: 300 << 10) + "\n"
        let error = #expect(throws: ConfigError.self) { try loader.parse(yaml: yaml, origin: "huge.yaml") }
        #expect(error?.description.contains("larger than 256 KiB") == true)
    }
}
