import ArgumentParser
import BillingApp
import Foundation

struct AlertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert", abstract: "Work with the alert channels.", subcommands: [Test.self])

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a sample message through each configured channel and report ok or the reason.")

        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this channel: console, syslog, slack, kakaowork or webhook.") var channel: String?

        func run() async throws {
            try await options.withApp { app in
                let outcomes = try await app.testAlerts(channel: channel, now: Date())
                if outcomes.contains(where: { !$0.delivered }) { throw ExitCode.failure }
            }
        }
    }
}
