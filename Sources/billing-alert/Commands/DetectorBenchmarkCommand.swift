import ArgumentParser
import BillingApp
import BillingLab
import BillingCore
import BillingSimulator

struct DetectorBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detector-benchmark",
        abstract: "Score the classic and the default detector on labelled synthetic bills: precision, recall, F1.",
        discussion: """
            wide (the default): bills with noise from 2 % to 50 %, log-normal or heavy-tailed, weekly and monthly \
            patterns, late and growing keys, tiny keys, and injected spikes (1.5-10x), level shifts and ramps. An alert is \
            wanted for a rise of at least 2.5x the noise-free level with an excess of 1,000 or more; smaller rises and \
            the two weeks after a level shift or a ramp count neither way; an alert on any other day is a false alert.
            persistent: the same labels on bills made another way: noise that persists from day to day (AR(1) in log \
            space), a profile over all seven weekdays, maintenance days that cost nothing, spikes of 1.5-8x, level \
            shifts of 2-4x, and step-downs, which want no alert.
            labelled: the earlier set (noise up to 30 %, spikes of 2.5-5x, level shifts), where an anomaly is caught \
            when any of its days is flagged and every other flagged day is a false alert.
            """)

    enum BillSet: String, ExpressibleByArgument, CaseIterable {
        case wide, persistent, labelled
    }

    @Option(help: "wide, persistent or labelled.") var bills: BillSet = .wide
    @Option(help: "The generator's seed.") var seed: UInt64 = 42
    @Option(help: "How many keys (domain, project, service); default 280 (wide) or 160 (labelled).") var keys: Int?
    @Option(help: "How many days each bill covers, the first 35 history only; default 150 (wide) or 182 (labelled).") var days: Int?
    @Option(help: "table, json or csv.") var format: Table.Format = .table
    @Flag(help: "A row per pattern as well, and for the wide set per noise band and tail.") var byPattern = false

    func validate() throws {
        guard (keys ?? 1) > 0, (days ?? 43) > 42 else { throw ValidationError("--keys must be positive and --days more than 42") }
    }

    func run() throws {
        let detectors: [AnomalyDetector] = [.classic(ClassicDetector(), BaselineCalculator()), .seasonal(SeasonalDetector())]
        let table: Table
        switch bills {
        case .wide, .persistent:
            let principle: WideBills.Principle = bills == .wide ? .independent : .persistent
            table = DetectorBenchmarkReport.table(
                wide: WideBills(seed: seed, keys: keys ?? 280, days: days ?? 150, principle: principle), detectors: detectors,
                byGroup: byPattern)
        case .labelled:
            table = DetectorBenchmarkReport.table(
                bills: LabelledBills(seed: seed, keys: keys ?? 160, days: days ?? 182), detectors: detectors, byPattern: byPattern)
        }
        print(table.render(format))
    }
}
