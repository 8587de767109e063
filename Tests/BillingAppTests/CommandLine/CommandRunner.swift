import BillingTesting
import Foundation

/// Runs the built `billing-alert` binary as a user would, capturing its exit status and output.
struct CommandRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var all: String { stdout + stderr }
    }

    /// The binary beside the test bundle, which `swift build --build-tests` builds.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("billing-alert")
    }

    var directory: TemporaryDirectory
    var environment: [String: String] = [:]

    func run(_ arguments: [String]) async throws -> Result {
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        environment.merge(self.environment) { $1 }
        return try await Self.capture(Self.binary, arguments, environment: environment, directory: directory.url)
    }

    /// Runs `executable` with `input` on its standard input, and returns its status and output. The
    /// output goes through files, so a large one never fills a pipe.
    static func capture(
        _ executable: URL, _ arguments: [String], environment: [String: String], directory: URL? = nil, input: Data = Data()
    ) async throws -> Result {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let (inURL, outURL, errURL) = (folder.url.appendingPathComponent("in"), folder.url.appendingPathComponent("out"), folder.url.appendingPathComponent("err"))
        try input.write(to: inURL)
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardInput = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let status = try await process.runUntilExit()
        return Result(
            status: status, stdout: try String(contentsOf: outURL, encoding: .utf8), stderr: try String(contentsOf: errURL, encoding: .utf8))
    }
}

extension TemporaryDirectory {
    /// Writes `settings.yaml` for the binary and returns its path: the Billing API at `baseURL` with
    /// `credentials` and `api` lines added to its section, `store` (a SQLite file under data/ unless
    /// given), a folder archive under data/, syslog off, then `extra`.
    func writeConfig(baseURL: String, id: String, secret: String, api: [String] = [], store: String? = nil, extra: String = "") throws -> String {
        let path = file("settings.yaml")
        let apiLines = api.map { "\n  \($0)" }.joined()
        try """
            billingApi:
              baseUrl: \(baseURL)
              credentialId: \(id)
              credentialSecret: \(secret)\(apiLines)
            store:
              url: "\(store ?? "sqlite:" + file("data/billing.sqlite"))"
            archive:
              url: file:\(file("data/archive"))
            alert:
              syslog: off
            \(extra)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

extension Process {
    /// Starts the process and waits for it to end without holding a thread: a server under test in
    /// this same process needs the threads to answer it.
    func runUntilExit() async throws -> Int32 {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try run()
            } catch {
                terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}
