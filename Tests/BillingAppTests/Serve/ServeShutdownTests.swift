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
            let daily = try await runner.run(["daily", "--config", path, "--date", "20261119"])
            #expect(daily.status == 0, "\(daily.all)")
            let costs = try await runner.run(["costs", "--config", path] + store)
            let runs = try await runner.run(["runs", "--config", path] + store)
            return (costs.stdout + runs.stdout, path)
        }
        #expect(before.contains("20261119"))
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
