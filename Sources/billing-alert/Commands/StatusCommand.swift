import ArgumentParser
import BillingApp
import Foundation

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Say where billing-alert stands: each job's last day and next run, the spool, deliveries owed, open anomalies.",
        discussion: "Exits 1 when the store cannot be read (after saying so), else 0.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @OptionGroup var options: GlobalOptions
    @Option(help: "table (for reading) or json.") var format: Format = .table
    @Option(help: "Read this file instead of the user's crontab for the installed entries.") var crontabFile: String?

    func run() async throws {
        try await options.withApp { app in
            var report = await app.status(now: Date(), crontab: crontabFile.map(CrontabFile.file) ?? .user)
            report.version = BillingAlertCommand.versionText
            app.output(format == .json ? report.json : report.text)
            if report.storeError != nil { throw ExitCode.failure }
        }
    }
}
