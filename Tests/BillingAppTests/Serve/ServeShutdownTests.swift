import BillingCore
import BillingSimulator
import BillingTesting
import Foundation
import Testing

/// The `serve` process stopped by SIGTERM while its daily run waits on a Billing API that stalls.
@Suite struct ServeShutdownTests {
    static let credentials = SimulatorServer.Credentials(id: "serve-id", secret: "serve-SECRET-c4d3")

    func config(_ folder: TemporaryDirectory, baseURL: String) throws -> String {
        try folder.writeConfig(baseURL: baseURL, id: Self.credentials.id, secret: Self.credentials.secret, api: ["maxAttempts: 1"])
    }

    @Test func sigtermDuringARunExitsZeroAndLeavesTheStoreAsItWas() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let runner = CommandRunner(directory: folder)
        let store = ["--from", "20200101", "--to", "20991231", "--format", "csv"]
        // A day stored first, so "as it was" is not just empty.
        let (before, path) = try await SimulatorServer(configuration: .init(credentials: Self.credentials), bill: SimulatedBill()).run { baseURL in
            let path = try config(folder, baseURL: baseURL)
            let daily = try await runner.run(["daily", "--config", path, "--date", CommandLineTests.earlier.compact])
            #expect(daily.status == 0, "\(daily.all)")
            let costs = try await runner.run(["costs", "--config", path] + store)
            let runs = try await runner.run(["runs", "--config", path] + store)
            return (costs.stdout + runs.stdout, path)
        }
        #expect(before.contains(CommandLineTests.earlier.compact))
        // Yesterday is not done, so serve starts the daily run at once; its answer stalls half way.
        let stalling = SimulatorServer(configuration: .init(credentials: Self.credentials, fault: .stall), bill: SimulatedBill())
        let (status, stderr) = try await stalling.run { baseURL in
            _ = try config(folder, baseURL: baseURL)
            let process = Process()
            process.executableURL = CommandRunner.binary
            process.arguments = ["serve", "--config", path, "--port", "0", "--grace-seconds", "1"]
            process.currentDirectoryURL = folder.url
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            for _ in 0..<600 where stalling.requests.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            #expect(!stalling.requests.isEmpty, "serve never asked for the missed day")
            try await Task.sleep(for: .milliseconds(300))
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<600 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        }
        #expect(status == 0, "\(stderr)")
        #expect(stderr.contains("abandoned by shutdown; it wrote nothing"), "\(stderr)")
        let costs = try await runner.run(["costs", "--config", path] + store)
        let runs = try await runner.run(["runs", "--config", path] + store)
        #expect(costs.stdout + runs.stdout == before)
    }
}

/// `serve` as a separate process under different host time zones: the jobs keep the configured zone's
/// wall-clock times.
@Suite struct ServeTimeZoneTests {
    @Test func theHostsTimeZoneDoesNotMoveTheSchedule() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        // Nothing listens on port 9, so the catch-up run fails at once; the schedule is logged before it.
        let path = try folder.writeConfig(baseURL: "http://127.0.0.1:9", id: "id", secret: "secret", api: ["maxAttempts: 1"])
        let seoul = TimeZone(identifier: "Asia/Seoul")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = seoul
        for host in ["UTC", "America/New_York", "Pacific/Chatham", "Asia/Kolkata"] {
            let started = Date()
            let process = Process()
            process.executableURL = CommandRunner.binary
            process.arguments = ["serve", "--config", path, "--port", "0", "--log-level", "notice", "--grace-seconds", "0"]
            process.currentDirectoryURL = folder.url
            process.environment = ["TZ": host, "PATH": "/usr/bin:/bin"]
            let log = folder.url.appendingPathComponent("serve-\(host.replacingOccurrences(of: "/", with: "-")).log")
            try Data().write(to: log)
            process.standardError = try FileHandle(forWritingTo: log)
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            var line: Substring?
            for _ in 0..<400 where line == nil {
                try await Task.sleep(for: .milliseconds(50))
                line = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").first { $0.contains("next hourly run") }
            }
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<200 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
            let text = try #require(line, "TZ=\(host): no schedule line")
            let times = text.matches(of: /next (hourly|daily) run (\S+)/).compactMap { try? Date(String($0.output.2), strategy: .iso8601) }
            try #require(times.count == 2, "TZ=\(host): \(text)")
            // The next hourly run is at :10 Seoul time within the hour, the next daily run at 02:30 Seoul time within the day.
            let hourly = calendar.dateComponents([.hour, .minute], from: times[0])
            let daily = calendar.dateComponents([.hour, .minute], from: times[1])
            #expect(hourly.minute == 10 && times[0] > started && times[0].timeIntervalSince(started) <= 3600, "TZ=\(host): \(text)")
            #expect(daily.hour == 2 && daily.minute == 30 && times[1] > started && times[1].timeIntervalSince(started) <= 86_400, "TZ=\(host): \(text)")
            #expect(text.contains("Asia/Seoul time"))
        }
    }
}
