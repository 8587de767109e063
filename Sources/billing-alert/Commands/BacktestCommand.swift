import ArgumentParser
import BillingApp
import BillingLab
import BillingCore
import Foundation

struct BacktestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Replay daily costs day by day and print the days a detector would have flagged; nothing is sent.",
        discussion: """
            Each day is judged only with the days before it, as the daily job would have judged it. --input reads a CSV with a \
            header holding at least date,domainId,projectId,service,expectAmount (date as YYYY-MM-DD or YYYYMMDD, service a \
            name or an id); without --input the store's daily costs are used. JSON output is an array of objects with date \
            (YYYY-MM-DD), domainId, projectId, service, observed, expected, impact, zScore, ratio and detector. What \
            `costs --format csv` writes is such a file.
            """)

    @OptionGroup var options: GlobalOptions
    @Option(help: "A CSV file of daily costs.") var input: String?
    @Option(help: "First day judged (YYYY-MM-DD or YYYYMMDD). Default: the start of the data (the last 30 days for the store).") var from: DayArgument?
    @Option(help: "Last day judged. Default: the end of the data (yesterday for the store).") var to: DayArgument?
    @Option(help: "seasonal (the default) or classic (the tutorial's rule).") var detector = SeasonalDetector.name
    @OptionGroup var listing: ListingOptions

    func validate() throws {
        if let from, let to, from.day > to.day {
            throw ValidationError("--from \(from.day) is after --to \(to.day); give the earlier day first")
        }
        guard BillingApp.detectorNames.contains(detector) else {
            throw ValidationError("--detector '\(detector)' is not one of \(BillingApp.detectorNames.joined(separator: ", "))")
        }
    }

    func run() async throws {
        try await options.withApp { app in
            let table: Listing
            if let input {
                let days = from.map { from in from.day...(to?.day ?? CalendarDay(year: 9999, month: 12, day: 31)!) }
                    ?? to.map { CalendarDay(year: 1970, month: 1, day: 1)!...$0.day }
                table = try app.backtest(csvAt: input, days: days, detector: detector)
            } else {
                let yesterday = app.today(Date()).day.adding(days: -1)
                let last = to?.day ?? yesterday
                table = try await app.backtestStore(days: (from?.day ?? last.adding(days: -29))...last, detector: detector)
            }
            app.output(table.render(listing.format, wide: listing.wide))
        }
    }
}
