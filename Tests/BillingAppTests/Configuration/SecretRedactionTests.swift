import Foundation
import Testing

@testable import BillingApp

/// A whole configuration printed, debugged or dumped (as a failing test or a careless log line would)
/// shows no secret.
@Suite struct SecretRedactionTests {
    @Test func noSecretInAnyRenderingOfTheConfiguration() throws {
        let loader = ConfigLoader(environment: [
            "BILLING_API_CREDENTIAL_SECRET": "api-SECRET-1", "OBJECT_STORAGE_SECRET_KEY": "s3-SECRET-2",
            "BILLING_ALERT_STORE_PASSWORD": "pg-SECRET-3", "SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/slack-SECRET-4",
            "KAKAOWORK_WEBHOOK_URL": "https://kakaowork.com/bots/hook/kakao-SECRET-5", "ALERT_WEBHOOK_URL": "https://am.example/hook-SECRET-6",
            "BILLING_ALERT_SERVE_TOKEN": "serve-SECRET-7",
        ])
        let configuration = try loader.parse(
            yaml: """
                billingApi: {credentialId: visible-id}
                store: {url: "postgres://billing@db:5432/billing"}
                objectStorage: {endpoint: "https://objectstorage.kr-central-2.kakaocloud.com", accessKey: AKID, bucket: raw-bucket}
                """, origin: "test.yaml")
        var dumped = ""
        dump(configuration, to: &dumped)
        let renderings = [String(describing: configuration), String(reflecting: configuration), dumped]
        for rendering in renderings {
            for secret in (1...7).map({ "SECRET-\($0)" }) {
                #expect(!rendering.contains(secret), "\(secret) in \(rendering.prefix(80))")
            }
        }
        #expect(dumped.contains("visible-id") && dumped.contains("<redacted>"))
        #expect(configuration.serve.token == "serve-SECRET-7")
    }
}
