import ArgumentParser
import BillingApp
import BillingCore
import Foundation

/// `--date` or `--from/--to`; the last seven days when neither is given.
struct DayRangeOptions: ParsableArguments {
    @Option(help: "One day (YYYYMMDD).")
    var date: DayArgument?

    @Option(help: "First day (YYYYMMDD).")
    var from: DayArgument?

    @Option(help: "Last day (YYYYMMDD).")
    var to: DayArgument?

    func validate() throws {
        if date != nil, from != nil || to != nil {
            throw ValidationError("give --date, or --from and --to, not both")
        }
        if let from, let to, from.day > to.day {
            throw ValidationError("--from \(from.day) is after --to \(to.day); give the earlier day first")
        }
    }

    func range(today: CalendarDay) -> ClosedRange<CalendarDay> {
        if let date { return date.day...date.day }
        let last = to?.day ?? today
        return (from?.day ?? last.adding(days: -6))...last
    }
}

struct CostsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "costs", abstract: "Show stored daily costs per (domain, project, service).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var days: DayRangeOptions
    @Option(help: "table, json or csv.") var format: Table.Format = .table

    func run() async throws {
        try await options.withApp { app in
            app.output(try await app.costsTable(days: days.range(today: app.today(Date()).day)).render(format))
        }
    }
}

struct BaselinesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baselines", abstract: "Show the current baseline statistics per (domain, project, service).")

    @OptionGroup var options: GlobalOptions
    @Option(help: "table, json or csv.") var format: Table.Format = .table

    func run() async throws {
        try await options.withApp { app in
            app.output(try await app.baselinesTable().render(format))
        }
    }
}

struct AnomaliesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anomalies", abstract: "Show recorded anomalies (hour 24 is a whole day judged by the daily job).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var days: DayRangeOptions
    @Option(help: "table, json or csv.") var format: Table.Format = .table

    func run() async throws {
        try await options.withApp { app in
            app.output(try await app.anomaliesTable(days: days.range(today: app.today(Date()).day)).render(format))
        }
    }
}
