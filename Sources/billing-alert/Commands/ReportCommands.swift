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

    var request: DayRange {
        DayRange(date: date?.day, from: from?.day, to: to?.day)
    }

    func validate() throws {
        if let problem = request.problem(spelled: { "--" + $0 }) { throw ValidationError(problem) }
    }

    func range(today: CalendarDay) -> ClosedRange<CalendarDay> {
        request.days(today: today)
    }
}

/// A command that lists what the store holds for a range of days, in a chosen format.
protocol DayListingCommand: AsyncParsableCommand {
    var options: GlobalOptions { get }
    var days: DayRangeOptions { get }
    var format: Table.Format { get }

    func table(_ app: BillingApp, _ days: ClosedRange<CalendarDay>) async throws -> Table
}

extension DayListingCommand {
    func run() async throws {
        try await options.withApp { app in
            app.output(try await table(app, days.range(today: app.today(Date()).day)).render(format))
        }
    }
}

struct CostsCommand: DayListingCommand {
    static let configuration = CommandConfiguration(
        commandName: "costs", abstract: "Show stored daily costs per (domain, project, service).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var days: DayRangeOptions
    @Option(help: "table, json or csv.") var format: Table.Format = .table

    func table(_ app: BillingApp, _ days: ClosedRange<CalendarDay>) async throws -> Table {
        try await app.costsTable(days: days)
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

struct AnomaliesCommand: DayListingCommand {
    static let configuration = CommandConfiguration(
        commandName: "anomalies", abstract: "Show recorded anomalies (hour 24 is a whole day judged by the daily job).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var days: DayRangeOptions
    @Option(help: "table, json or csv.") var format: Table.Format = .table

    func table(_ app: BillingApp, _ days: ClosedRange<CalendarDay>) async throws -> Table {
        try await app.anomaliesTable(days: days)
    }
}

struct RunsCommand: DayListingCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "Show the finished job runs: which days each job has done, with rows and keys.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var days: DayRangeOptions
    @Option(help: "table, json or csv.") var format: Table.Format = .table

    func table(_ app: BillingApp, _ days: ClosedRange<CalendarDay>) async throws -> Table {
        try await app.runsTable(days: days)
    }
}
