import BillingTesting
import Foundation
import Testing

@testable import BillingApp

@Suite struct CronTableTests {
    @Test func installingTwiceLeavesOneCopyAndOtherLinesAlone() {
        var table = CronTable(text: "MAILTO=ops@example.com\n0 5 * * * /usr/bin/backup # nightly\n")
        let entries = [
            CronTable.Entry(job: "hourly", minute: 10, hour: nil, command: "run hourly"),
            CronTable.Entry(job: "daily", minute: 30, hour: 17, command: "run daily"),
        ]
        table.install(entries)
        table.install(entries)
        #expect(
            table.text == """
                MAILTO=ops@example.com
                0 5 * * * /usr/bin/backup # nightly
                10 * * * * run hourly # billing-alert:hourly
                30 17 * * * run daily # billing-alert:daily

                """)
        #expect(table.ownLines.count == 2)
    }

    @Test func removingTakesOnlyThisToolsLines() {
        var table = CronTable(text: "0 5 * * * backup # billing-alert is great\n10 * * * * x # billing-alert:hourly\n1 1 * * * y\n")
        #expect(table.removeOwn() == 1)
        #expect(table.text == "0 5 * * * backup # billing-alert is great\n1 1 * * * y\n")
    }

    @Test func convertsTheConfiguredTimeToTheMachinesTimeZone() {
        // 02:30 KST on a UTC machine is 17:30; :10 stays :10 for whole-hour offsets.
        #expect(CronTable.localTime(hour: 2, minute: 30, offsetMinutes: 540) == (17, 30))
        #expect(CronTable.localTime(hour: nil, minute: 10, offsetMinutes: 540) == (nil, 10))
        // India is KST - 3:30: :10 KST is :40 there, and 02:30 KST is 23:00 the day before.
        #expect(CronTable.localTime(hour: nil, minute: 10, offsetMinutes: 210) == (nil, 40))
        #expect(CronTable.localTime(hour: 2, minute: 30, offsetMinutes: 210) == (23, 0))
        #expect(CronTable.localTime(hour: 2, minute: 30, offsetMinutes: 0) == (2, 30))
    }
}

@Suite struct CronCommandTests {
    @Test func addTwiceInstallsTheEntriesOnceAndRemoveLeavesOtherEntries() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let crontab = folder.file("crontab")
        try "SHELL=/bin/sh\n15 3 * * * /usr/local/bin/other-job\n".write(toFile: crontab, atomically: true, encoding: .utf8)
        let runner = CommandRunner(directory: folder)
        let first = try await runner.run(["cron", "add", "--crontab-file", crontab])
        #expect(first.status == 0, "\(first.all)")
        // The test's binary is swift build's debug output: cron add says so, and still installs it.
        #expect(first.stderr.contains("warning: cron will run \(CommandRunner.binary.path), which the next `swift build` replaces"))
        #expect(first.stderr.contains("13x slower") == CommandRunner.binary.path.contains("/debug/"))
        let second = try await runner.run(["cron", "add", "--crontab-file", crontab])
        #expect(second.status == 0)
        let text = try String(contentsOfFile: crontab, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.filter { $0.hasSuffix("# billing-alert:hourly") }.count == 1)
        #expect(lines.filter { $0.hasSuffix("# billing-alert:daily") }.count == 1)
        let hourly = try #require(lines.first { $0.hasSuffix("# billing-alert:hourly") })
        #expect(hourly.contains(" hourly >> ") && hourly.contains("/logs/hourly.log' 2>&1"))
        #expect(hourly.contains(CommandRunner.binary.path))
        #expect(FileManager.default.fileExists(atPath: folder.file("logs")))
        let shown = try await runner.run(["cron", "show", "--crontab-file", crontab])
        #expect(shown.stdout.split(separator: "\n").count == 2)

        let removed = try await runner.run(["cron", "remove", "--crontab-file", crontab])
        #expect(removed.stdout.contains("removed 2"))
        #expect(try String(contentsOfFile: crontab, encoding: .utf8) == "SHELL=/bin/sh\n15 3 * * * /usr/local/bin/other-job\n")
        let none = try await runner.run(["cron", "show", "--crontab-file", crontab])
        #expect(none.stdout.contains("no billing-alert entries"))
    }

    @Test func theDailyTimeComesFromTheConfig() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let config = folder.file("settings.yaml")
        try "timezone: UTC\nschedule:\n  dailyAt: \"04:45\"\n  hourlyMinute: 7\n".write(toFile: config, atomically: true, encoding: .utf8)
        var runner = CommandRunner(directory: folder)
        runner.environment = ["TZ": "UTC"]
        let result = try await runner.run([
            "cron", "add", "--config", config, "--crontab-file", folder.file("crontab"), "--binary", "/usr/local/bin/billing-alert",
        ])
        #expect(result.status == 0, "\(result.all)")
        #expect(!result.stderr.contains("warning"))
        let text = try String(contentsOfFile: folder.file("crontab"), encoding: .utf8)
        #expect(text.contains("45 4 * * * "))
        #expect(text.contains("7 * * * * "))
        #expect(text.contains("--config '\(config)'"))
    }
}

@Suite struct SetupCronScriptTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../scripts/setup_cron.sh").standardizedFileURL.path

    func run(_ arguments: [String], in folder: TemporaryDirectory) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.script] + arguments
        process.currentDirectoryURL = folder.url
        process.environment = ["BILLING_ALERT_BIN": CommandRunner.binary.path, "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func addsShowsAndRemovesTheSameEntriesAsTheCommand() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let crontab = folder.file("crontab")
        #expect(try run(["add", "--crontab-file", crontab], in: folder).0 == 0)
        #expect(try run(["add", "--crontab-file", crontab], in: folder).0 == 0)
        let shown = try run(["show", "--crontab-file", crontab], in: folder)
        #expect(shown.1.split(separator: "\n").count == 2)
        #expect(shown.1.contains("# billing-alert:hourly") && shown.1.contains("# billing-alert:daily"))
        #expect(try run(["remove", "--crontab-file", crontab], in: folder).1.contains("removed 2"))
        let usage = try run(["install"], in: folder)
        #expect(usage.0 == 64 && usage.1.contains("usage:"))
    }
}
