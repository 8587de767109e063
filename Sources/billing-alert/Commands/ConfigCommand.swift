import ArgumentParser
import BillingApp
import Foundation

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with the configuration.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate the configuration and reach each configured service, one line each.")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await options.withApp { app in
                let results = await app.checkConfiguration(now: Date())
                for result in results { app.output(result.line) }
                if results.contains(where: \.failed) { throw ExitCode.failure }
            }
        }
    }
}
