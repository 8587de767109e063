import ArgumentParser
import Foundation
import BillingApp

@main
struct BillingAlertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing-alert",
        abstract: "Watches a Kakao Cloud bill: daily aggregates, baselines, anomaly alerts.",
        discussion: """
            Without a config file every command uses the embedded default: a SQLite store and a folder archive under data/.
            Fetching needs Billing API credentials (billingApi.credentialId/credentialSecret or BILLING_API_CREDENTIAL_ID/SECRET);
            `billing-alert demo` needs nothing.
            """,
        version: versionText,
        subcommands: [
            HourlyCommand.self, DailyCommand.self, BackfillCommand.self, ReprocessCommand.self,
            StatusCommand.self, CostsCommand.self, BaselinesCommand.self, AnomaliesCommand.self, RunsCommand.self, AckCommand.self, SilenceCommand.self, ConfigCommand.self, CronCommand.self,
            StoreCommand.self, AlertCommand.self, BacktestCommand.self, DetectorBenchmarkCommand.self, BenchCommand.self,
            ServeCommand.self, ReportCommand.self, DemoCommand.self, SimulateAPICommand.self,
        ])
}

extension BillingAlertCommand {
    /// "billing-alert 0.9.0 (commit 1a2b3c4d5e6f)", the commit recorded when the binary was built.
    static let versionText = "billing-alert \(BillingApp.version) (commit \(BuildInfo.commit))"

    /// Runs the command line; `help` with a command that does not exist is a usage error (64), not the
    /// overview with status 0.
    static func main() async {
        ProcessMemory.mapLargeBuffers()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "help", let unknown = unknownCommand(Array(arguments.dropFirst())) {
            FileHandle.standardError.write(Data("Error: no command '\(unknown)'; `billing-alert help` lists them\n".utf8))
            Foundation.exit(64)
        }
        do {
            var command = try parseAsRoot(arguments)
            ProcessMemory.useOneArena()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    /// The words of `path` naming no command, nil when they name one ("silence add").
    static func unknownCommand(_ path: [String]) -> String? {
        var commands: [ParsableCommand.Type] = configuration.subcommands
        for (index, word) in path.enumerated() where !word.hasPrefix("-") {
            guard let command = commands.first(where: { $0._commandName == word }) else {
                return path[...index].joined(separator: " ")
            }
            commands = command.configuration.subcommands
        }
        return nil
    }
}
