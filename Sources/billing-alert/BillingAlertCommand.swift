import ArgumentParser

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
        subcommands: [
            HourlyCommand.self, DailyCommand.self, BackfillCommand.self, ReprocessCommand.self,
            CostsCommand.self, BaselinesCommand.self, AnomaliesCommand.self, RunsCommand.self, AckCommand.self, SilenceCommand.self, ConfigCommand.self, CronCommand.self,
            StoreCommand.self, AlertCommand.self, BacktestCommand.self, DetectorBenchmarkCommand.self, BenchCommand.self,
            ServeCommand.self, ReportCommand.self, DemoCommand.self, SimulateAPICommand.self,
        ])
}
