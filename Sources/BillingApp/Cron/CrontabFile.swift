import BillingPipeline
import Foundation

/// Where the crontab lives: the user's crontab through the `crontab` program, or a plain file.
public enum CrontabFile: Sendable {
    case user
    case file(String)

    public func read() throws -> String {
        switch self {
        case .file(let path):
            guard FileManager.default.fileExists(atPath: path) else { return "" }
            do {
                return try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw CronError("cannot read \(path): \(FileFailure.reason(error))")
            }
        case .user:
            let (status, output, errors) = try Self.crontab(["-l"], input: nil)
            if status != 0 {
                // `crontab -l` fails when the user has no crontab yet, which is an empty one.
                if errors.contains("no crontab") { return "" }
                throw CronError("`crontab -l` failed: \(errors.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
            return output
        }
    }

    public func write(_ text: String) throws {
        switch self {
        case .file(let path):
            do {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw CronError("cannot write \(path): \(FileFailure.reason(error))")
            }
        case .user:
            let (status, _, errors) = try Self.crontab(["-"], input: text)
            guard status == 0 else {
                throw CronError("`crontab -` refused the new table: \(errors.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
        }
    }

    private static func crontab(_ arguments: [String], input: String?) throws -> (Int32, String, String) {
        let candidates = ["/usr/bin/crontab", "/bin/crontab", "/usr/local/bin/crontab"]
        guard let program = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw CronError("the crontab program is not installed; install cron (`apt-get install cron`), or pass --crontab-file to write the entries to a file")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }
}

public struct CronError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
