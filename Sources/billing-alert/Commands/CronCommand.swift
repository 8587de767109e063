import ArgumentParser
import BillingApp
import Foundation

struct CronCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cron", abstract: "Install, remove or show the hourly and daily cron entries.",
        subcommands: [Add.self, Remove.self, Show.self])

    struct Target: ParsableArguments {
        @Option(help: "Edit this file instead of the user's crontab (through the crontab program).")
        var crontabFile: String?

        var crontab: CrontabFile { crontabFile.map(CrontabFile.file) ?? .user }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install the entries (hourly at :10, daily at schedule.dailyAt, KST); running it again replaces them.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var target: Target
        @Option(help: "The billing-alert binary cron runs. Default: this one.") var binary: String?

        func run() async throws {
            try await options.withApp { app in
                let workingDirectory = FileManager.default.currentDirectoryPath
                let configPath = options.config ?? (FileManager.default.fileExists(atPath: ConfigLoader.defaultPath) ? ConfigLoader.defaultPath : nil)
                let program = absolute(binary ?? CommandLine.arguments[0], in: workingDirectory)
                if let warning = Self.buildOutputWarning(program) { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
                let entries = app.cronEntries(
                    binary: program,
                    configPath: configPath.map { absolute($0, in: workingDirectory) }, workingDirectory: workingDirectory, now: Date())
                var table = CronTable(text: try target.crontab.read())
                table.install(entries)
                try target.crontab.write(table.text)
                let logs = app.configuration.schedule.logDirectory
                try? FileManager.default.createDirectory(atPath: absolute(logs, in: workingDirectory), withIntermediateDirectories: true)
                app.output("installed:\n" + entries.map(\.line).joined(separator: "\n"))
            }
        }

        /// What is wrong with cron running a binary inside swift build's output folder, if it is one.
        static func buildOutputWarning(_ path: String) -> String? {
            guard path.contains("/.build/") else { return nil }
            let debug = path.contains("/debug/")
            return "cron will run \(path), which the next `swift build` replaces"
                + (debug ? ", and a debug build runs about 13x slower than a release one" : "")
                + "; build with `swift build -c release`, copy .build/release/billing-alert somewhere it stays (such as "
                + "/usr/local/bin), and run `billing-alert cron add` from there or with --binary"
        }

        private func absolute(_ path: String, in directory: String) -> String {
            if path.hasPrefix("/") { return path }
            if !path.contains("/"), let found = Self.onPath(path) { return found }
            return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).standardizedFileURL.path
        }

        private static func onPath(_ name: String) -> String? {
            (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
                .map { "\($0)/\(name)" }.first(where: FileManager.default.isExecutableFile(atPath:))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove this tool's entries and nothing else.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var target: Target

        func run() async throws {
            try await options.withApp { app in
                var table = CronTable(text: try target.crontab.read())
                let removed = table.removeOwn()
                if removed > 0 { try target.crontab.write(table.text) }
                app.output("removed \(removed) billing-alert entries")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show this tool's entries.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var target: Target

        func run() async throws {
            try await options.withApp { app in
                let own = CronTable(text: try target.crontab.read()).ownLines
                app.output(own.isEmpty ? "no billing-alert entries installed" : own.joined(separator: "\n"))
            }
        }
    }
}
