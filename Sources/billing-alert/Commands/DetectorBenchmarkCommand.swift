import ArgumentParser
import BillingApp
import BillingLab
import BillingCore
import BillingSimulator

struct DetectorBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detector-benchmark",
        abstract: "Score the classic and the default detector on labelled synthetic bills: precision, recall, F1.",
        discussion: "Bills follow the patterns real ones show (weekends, growth, monthly charges, batch services, tiny and noisy services, new services) with injected spikes and level shifts. An anomaly is caught when any of its days is flagged; every other flagged day is a false alert.")

    @Option(help: "The generator's seed.") var seed: UInt64 = 42
    @Option(help: "How many keys (domain, project, service).") var keys = 160
    @Option(help: "How many days each bill covers; the first 35 are history only.") var days = 182
    @Option(help: "table, json or csv.") var format: Table.Format = .table
    @Flag(help: "A row per pattern as well.") var byPattern = false

    func validate() throws {
        guard keys > 0, days > 42 else { throw ValidationError("--keys must be positive and --days more than 42") }
    }

    func run() throws {
        let bills = LabelledBills(seed: seed, keys: keys, days: days)
        let table = DetectorBenchmarkReport.table(
            bills: bills, detectors: [.classic(ClassicDetector(), BaselineCalculator()), .seasonal(SeasonalDetector())],
            byPattern: byPattern)
        print(table.render(format))
    }
}
