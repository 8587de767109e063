import BillingCore
import BillingTesting
import Foundation
import Logging
import Testing

@testable import BillingApp
@testable import BillingLab

@Suite struct DemoRunnerTests {
    @Test func theDemoFindsTheInjectedAnomaliesAndSaysWhereTheDataIs() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let lines = LineCollector()
        let now = Date.kst("20261126", hour: 14)
        let anomalies = try await DemoRunner(dataDirectory: folder.path, historyDays: 20, environment: [:], logger: Logger(label: "demo"), output: lines.append)
            .run(now: now)
        // Yesterday's planned spike (the daily job) and today's (the hourly job).
        #expect(anomalies.contains { $0.date.compact == "20261125" && $0.key.serviceId == "1" && $0.projectName == "payments" })
        #expect(anomalies.contains { $0.date.compact == "20261126" && $0.hour == 14 && $0.key.serviceId == "2" })
        let text = lines.text
        #expect(text.contains("anomalies found (\(anomalies.count))"))
        #expect(text.contains("\(folder.path)/billing.sqlite"))
        #expect(text.contains("swift run billing-alert anomalies --config \(folder.path)/settings.yaml"))
        #expect(FileManager.default.fileExists(atPath: folder.file("settings.yaml")))
        #expect(FileManager.default.fileExists(atPath: folder.file("archive/raw/year=2026/month=11/day=25/billing_20261125.json")))
        let reloaded = try ConfigLoader(environment: [:]).load(path: folder.file("settings.yaml"))
        #expect(reloaded.store == .sqlite(path: folder.path + "/billing.sqlite"))
        // It offers the dashboard on its data, and the dashboard shows what it found.
        #expect(text.contains("swift run billing-alert serve --config \(folder.path)/settings.yaml --no-jobs --port 8090"))
        let overview = try await ServeTests.serving(BillingApp(configuration: reloaded, logger: Logger(label: "demo")), clock: SteppedClock(now)) { base in
            try await ServeTests.get(base, "/")
        }
        #expect(overview.status == 200)
        // The overview lists the last week's open anomalies.
        let week = Set(anomalies.filter { $0.date >= CalendarDay("20261120")! }.map(\.id))
        #expect(!week.isEmpty)
        for id in week { #expect(overview.body.contains("data-id=\"\(id)\""), "\(id)") }
    }
}
