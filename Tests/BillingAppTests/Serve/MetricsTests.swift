import BillingApp
import BillingCore
import BillingServe
import BillingTesting
import Foundation
import Testing

/// `/metrics` read by Prometheus's own Python parser (prometheus_client, which .ci/run installs).
@Suite struct MetricsTests {
    struct Sample: Decodable, Hashable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    /// The samples prometheus_client's text-format parser reads from `text`; it throws on a malformed line.
    static func parse(_ text: String) async throws -> [Sample] {
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            samples = [{"name": s.name, "labels": s.labels, "value": s.value}
                       for family in text_string_to_metric_families(sys.stdin.read()) for s in family.samples]
            print(json.dumps(samples))
            """
        let result = try await CommandRunner.capture(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script],
            environment: ProcessInfo.processInfo.environment, input: Data(text.utf8))
        guard result.status == 0 else {
            throw ParseFailure(description: "prometheus_client could not parse /metrics (pip install prometheus_client): \(result.stderr)")
        }
        return try JSONDecoder().decode([Sample].self, from: Data(result.stdout.utf8))
    }

    struct ParseFailure: Error, CustomStringConvertible {
        var description: String
    }

    static func value(_ samples: [Sample], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    @Test func metricsParseAndChangeWithTheRunServeMakes() async throws {
        let harness = try AppHarness(bill: .init(configuration: .init(seed: 5, spikeProbability: 0)), now: ServeTests.now)
        let clock = SteppedClock(ServeTests.now)
        let hourlyAt = ServeTests.now.addingTimeInterval(600)
        let (before, after) = try await harness.withApp { app in
            // Yesterday is done, so serve starts with nothing to catch up; at 05:10 the hourly job runs.
            try await app.runDaily(day: CalendarDay("20261120")!, now: ServeTests.now)
            return try await ServeTests.serving(app, clock: clock, jobs: true) { base in
                let before = try await ServeTests.get(base, "/metrics")
                harness.setNow(hourlyAt)
                // The hourly run's first request is refused once for its rate, then tried again.
                harness.server.fail([.status(429, retryAfter: "0")])
                clock.set(hourlyAt)
                var after = before
                for _ in 0..<600 where !after.body.contains(#"billing_alert_job_runs_total{job="hourly",outcome="succeeded"} 1"#) {
                    try await Task.sleep(for: .milliseconds(50))
                    after = try await ServeTests.get(base, "/metrics")
                }
                return (before, after)
            }
        }
        #expect(before.status == 200 && after.status == 200)
        let first = try await Self.parse(before.body)
        let second = try await Self.parse(after.body)
        let succeeded = ["job": "hourly", "outcome": "succeeded"]
        #expect(Self.value(first, "billing_alert_job_runs_total", succeeded) == 0)
        #expect(Self.value(second, "billing_alert_job_runs_total", succeeded) == 1)
        #expect(Self.value(first, "billing_alert_rows_fetched_total", ["job": "hourly"]) == 0)
        #expect((Self.value(second, "billing_alert_rows_fetched_total", ["job": "hourly"]) ?? 0) > 0)
        #expect(Self.value(first, "billing_alert_job_last_success_timestamp_seconds", ["job": "hourly"]) == nil)
        #expect(Self.value(second, "billing_alert_job_last_success_timestamp_seconds", ["job": "hourly"]) == hourlyAt.timeIntervalSince1970)
        #expect(second.contains { $0.name == "billing_alert_job_duration_seconds_count" && $0.labels == ["job": "hourly"] && $0.value == 1 })
        #expect(Self.value(first, "billing_alert_api_retries_total", ["reason": "rate_limited"]) == 0)
        #expect(Self.value(second, "billing_alert_api_retries_total", ["reason": "rate_limited"]) == 1)
        #expect(Self.value(second, "billing_alert_api_retries_total", ["reason": "server_error"]) == 0)
        #expect(Self.value(second, "billing_alert_store_up") == 1)
        #expect(Self.value(second, "billing_alert_spool_days_waiting") == 0)
        // The daily run's anomalies, none of them acknowledged or silenced.
        let open = try await harness.app(harness.configuration(baseURL: "http://127.0.0.1:9")).withStore {
            Set(try await $0.anomalies(in: CalendarDay("20261115")!...CalendarDay("20261121")!).map(\.id)).count
        }
        #expect(Self.value(second, "billing_alert_open_anomalies") == Double(open))
    }
}
