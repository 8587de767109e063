import BillingTesting
import Foundation
import Testing

/// `status`, `--version` and `help` through the built binary.
@Suite struct StatusCommandTests {
    struct Report: Decodable {
        struct Job: Decodable {
            var job: String
            var lastDay: String?
            var state: String
        }

        var version: String
        var now: String
        var store: String
        var storeError: String?
        var scheduler: String
        var jobs: [Job]
        var openAnomalies: Int?
        var spooledDays: [String]
    }

    struct RunRow: Decodable {
        var job: String
        var date: String
    }

    struct AnomalyRow: Decodable {
        var id: String
    }

    @Test func afterTheDemoStatusSaysWhatEachJobFinishedAndWhatIsOpen() async throws {
        let demo = try await ListingTests.Demo.shared()
        let config = ["--config", "data/demo/settings.yaml"]
        let crontab = demo.folder.file("crontab")
        let report = try await demo.json(Report.self, ["status", "--crontab-file", crontab] + config)
        let runs = try await demo.json([RunRow].self, ["runs"] + demo.days)
        #expect(report.jobs.map(\.job) == ["daily", "hourly"])
        #expect(report.jobs[0].lastDay == runs.filter { $0.job == "daily" }.map(\.date).max())
        #expect(report.jobs[1].lastDay == runs.filter { $0.job == "hourly" }.map(\.date).max())
        #expect(report.jobs.allSatisfy { $0.state == "ok" }, "\(report.jobs)")
        #expect(report.store == "sqlite:data/demo/billing.sqlite" && report.storeError == nil && report.spooledDays.isEmpty)
        #expect(report.version.hasPrefix("billing-alert "))
        #expect(report.scheduler.hasPrefix("no billing-alert cron entries"))

        // The open anomalies of the 7 days through today, in the configured zone (`now` is its time).
        let today = String(report.now.prefix(10)).replacingOccurrences(of: "-", with: "")
        let weekAgo = try #require(DateFormatter.compactDay.date(from: today)).addingTimeInterval(-6 * 86_400)
        let open = try await demo.json(
            [AnomalyRow].self, ["anomalies", "--open", "--from", DateFormatter.compactDay.string(from: weekAgo), "--to", today] + config)
        #expect(report.openAnomalies == Set(open.map(\.id)).count)
        #expect((report.openAnomalies ?? 0) > 0)

        let text = try await demo.run(["status", "--crontab-file", crontab] + config).stdout
        #expect(text.contains("daily job       ok; last finished \(report.jobs[0].lastDay ?? "?")"))
        #expect(text.contains("open anomalies  \(report.openAnomalies ?? -1) in the last 7 days"))

        _ = try await demo.run(["cron", "add", "--crontab-file", crontab, "--binary", "/usr/local/bin/billing-alert"] + config)
        let installed = try await demo.json(Report.self, ["status", "--crontab-file", crontab] + config)
        #expect(installed.scheduler.hasPrefix("cron: 2 billing-alert entries"))
    }

    @Test func aDailyRunMissingAndAStoreThatCannotBeReadAreSaid() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let runner = CommandRunner(directory: folder)
        let empty = try folder.writeConfig(baseURL: "http://127.0.0.1:9", id: "id", secret: "status-SECRET-1")
        let fresh = try await runner.run(["status", "--config", empty, "--crontab-file", folder.file("crontab"), "--format", "json"])
        #expect(fresh.status == 0, "\(fresh.all)")
        let report = try JSONDecoder().decode(Report.self, from: Data(fresh.stdout.utf8))
        #expect(report.jobs[0].state.hasPrefix("behind: ") && report.jobs[0].lastDay == nil)

        let unreachable = folder.file("unreachable.yaml")
        try "store:\n  url: postgres://billing:pw-SECRET-9@127.0.0.1:9/billing?sslmode=disable\n".write(toFile: unreachable, atomically: true, encoding: .utf8)
        let down = try await runner.run(["status", "--config", unreachable, "--crontab-file", folder.file("crontab")])
        #expect(down.status == 1)
        #expect(down.stdout.contains("cannot be read") && down.stdout.contains("daily job       unknown"))
        #expect(!down.all.contains("pw-SECRET-9"))
    }

    /// `--log-format json`: every log line is one JSON object a shipper can read, with its fields.
    @Test func logsAsJSONAreOneObjectPerLine() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let result = try await CommandRunner(directory: folder).run(["demo", "--log-level", "info", "--log-format", "json"])
        #expect(result.status == 0, "\(result.all)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count >= 2)
        for line in lines {
            let object = try #require(try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String], "\(line)")
            #expect(object["level"] != nil && object["message"] != nil && object["label"] == "billing-alert")
            #expect(object["time"].flatMap { try? Date.ISO8601FormatStyle().parse($0) } != nil)
        }
        #expect(lines.contains { $0.contains("\"message\":\"fetched and archived a day\"") && $0.contains("\"rows\":") })
        let text = try await CommandRunner(directory: folder).run(["runs", "--log-format", "yaml"])
        #expect(text.status == 64)
    }

    @Test func versionNamesTheCommitAndHelpForAnUnknownCommandIsAUsageError() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let runner = CommandRunner(directory: folder)
        let version = try await runner.run(["--version"])
        #expect(version.status == 0)
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let git = try await CommandRunner.capture(
            URL(fileURLWithPath: "/usr/bin/git"), ["-C", package.path, "rev-parse", "--short=12", "HEAD"], environment: [:])
        let commit = git.status == 0 ? git.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : "unknown"
        #expect(version.stdout.hasPrefix("billing-alert 0.9.0 (commit \(commit)"), "\(version.stdout)")

        let unknown = try await runner.run(["help", "nope"])
        #expect(unknown.status == 64 && unknown.stderr.contains("no command 'nope'"))
        let nested = try await runner.run(["help", "silence", "nope"])
        #expect(nested.status == 64 && nested.stderr.contains("no command 'silence nope'"))
        let known = try await runner.run(["help", "silence", "add"])
        #expect(known.status == 0 && known.stdout.contains("--until"))
    }
}

extension DateFormatter {
    /// YYYYMMDD in UTC, for day arithmetic in tests.
    static let compactDay: DateFormatter = {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter
    }()
}
