import BillingApp
import BillingCore
import Foundation
import Testing

/// Who may change anything through `serve`: its own forms only, a token off loopback, nobody when
/// read-only. Each refusal leaves the store as it was.
@Suite struct WriteAccessTests {
    struct Anomaly: Decodable {
        var id: String
    }

    /// The seeded store's first anomaly id, and the form key a page of `base` hands out.
    static func firstAnomaly(_ base: String) async throws -> (id: String, formKey: String?) {
        let anomalies = try JSONDecoder().decode(
            [Anomaly].self, from: Data(try await ServeTests.get(base, "/api/v1/anomalies?from=20261001&to=20261121").body.utf8))
        let page = try await ServeTests.get(base, "/anomalies?from=20261001&to=20261121")
        let key = page.body.firstMatch(of: /name="form_key" value="([0-9a-f]+)"/).map { String($0.output.1) }
        return (try #require(anomalies.first).id, key)
    }

    static func verdicts(_ app: BillingApp) async throws -> [AnomalyFeedback] {
        try await app.withStore { try await $0.feedback(in: CalendarDay("20261001")!...CalendarDay("20261121")!) }
    }

    @Test func onLoopbackAFormFromThePageWritesAndOneWithoutItsKeyOrFromAnotherSiteDoesNot() async throws {
        let (_, app) = try await PagesTests.seeded()
        let (refused, crossSite, accepted) = try await ServeTests.serving(app, clock: SteppedClock(ServeTests.now)) { base in
            let (id, key) = try await Self.firstAnomaly(base)
            let formKey = try #require(key)
            let fields = [("verdict", "planned"), ("note", "batch rerun")]
            return (
                try await ServeTests.post(base, "/anomalies/\(id)/ack", fields + [("form_key", "0000")]),
                try await ServeTests.post(base, "/anomalies/\(id)/ack", fields + [("form_key", formKey)], headers: [("Sec-Fetch-Site", "cross-site")]),
                try await ServeTests.post(base, "/anomalies/\(id)/ack", fields + [("form_key", formKey)])
            )
        }
        #expect(refused.status == 403 && refused.body.contains("not one this server gave out"))
        #expect(crossSite.status == 403 && crossSite.body.contains("another site"))
        #expect(accepted.status == 200 && accepted.body.contains("marked planned"), "\(accepted.body)")
        let stored = try await Self.verdicts(app)
        #expect(stored.map(\.verdict) == [.planned] && stored.first?.note == "batch rerun")
    }

    @Test func offLoopbackEveryWriteNeedsTheToken() async throws {
        let (harness, _) = try await PagesTests.seeded()
        var configuration = harness.configuration(baseURL: "http://127.0.0.1:9")
        configuration.serve.token = "serve-TOKEN-3141"
        let app = harness.app(configuration)
        let (pageAsksForIt, missing, wrong, right) = try await ServeTests.serving(app, clock: SteppedClock(ServeTests.now), host: "0.0.0.0") { base in
            let base = base.replacingOccurrences(of: "0.0.0.0", with: "127.0.0.1")
            let (id, key) = try await Self.firstAnomaly(base)
            let formKey = try #require(key)
            let page = try await ServeTests.get(base, "/anomalies?from=20261001&to=20261121")
            let silence = [("match", "service=*"), ("until", "20261130"), ("reason", "window"), ("form_key", formKey)]
            return (
                page.body.contains("name=\"token\""),
                try await ServeTests.post(base, "/silences", silence),
                try await ServeTests.post(base, "/silences", silence + [("token", "guess")]),
                try await ServeTests.post(base, "/anomalies/\(id)/ack", [("verdict", "real"), ("form_key", formKey), ("token", "serve-TOKEN-3141")])
            )
        }
        #expect(pageAsksForIt)
        #expect(missing.status == 403 && missing.body.contains("token is missing or wrong"))
        #expect(wrong.status == 403)
        #expect(!(missing.body + wrong.body + right.body).contains("serve-TOKEN-3141"))
        #expect(right.status == 200 && right.body.contains("marked real"))
        #expect(try await app.withStore { try await $0.silences() }.isEmpty)
        #expect(try await Self.verdicts(app).map(\.verdict) == [.real])
    }

    @Test func offLoopbackWithoutATokenAndReadOnlyNothingIsWrittenAndTheFormsAreGone() async throws {
        let (harness, _) = try await PagesTests.seeded()
        var readOnly = harness.configuration(baseURL: "http://127.0.0.1:9")
        readOnly.serve.readOnly = true
        for (configuration, host, reason) in [
            (harness.configuration(baseURL: "http://127.0.0.1:9"), "0.0.0.0", "set serve.token or BILLING_ALERT_SERVE_TOKEN"),
            (readOnly, "127.0.0.1", "serve.readOnly: true"),
        ] {
            let app = harness.app(configuration)
            let (page, answer) = try await ServeTests.serving(app, clock: SteppedClock(ServeTests.now), host: host) { base in
                let base = base.replacingOccurrences(of: "0.0.0.0", with: "127.0.0.1")
                let (id, _) = try await Self.firstAnomaly(base)
                return (
                    try await ServeTests.get(base, "/anomalies?from=20261001&to=20261121"),
                    try await ServeTests.post(base, "/anomalies/\(id)/ack", [("verdict", "planned")])
                )
            }
            #expect(!page.body.contains("<form class=\"ack\""), "\(host)")
            #expect(answer.status == 403 && answer.body.contains(reason), "\(answer.body)")
            #expect(try await Self.verdicts(app).isEmpty)
        }
    }
}
