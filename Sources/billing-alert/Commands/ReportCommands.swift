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

/// `--domain`, `--project`, `--service`: which keys a listing shows.
struct KeyFilterOptions: ParsableArguments {
    @Option(help: "Only this domain: its id or name, ignoring case; * matches any run of characters.")
    var domain: String = ""
    @Option(help: "Only this project: its id or name, ignoring case; * matches any run of characters.")
    var project: String = ""
    @Option(help: "Only this service: its id or name, ignoring case; * matches any run of characters.")
    var service: String = ""

    var filter: KeyFilter {
        KeyFilter(domain: KeyPattern(domain), project: KeyPattern(project), service: KeyPattern(service))
    }
}

/// How a listing is printed.
struct ListingOptions: ParsableArguments {
    @Option(help: "table (for reading), json or csv (every stored field, for programs).") var format: Table.Format = .table
    @Flag(help: "In a table, show whole ids and more columns, and never cut a line to 120 columns.") var wide = false
}

/// A command that lists what the store holds for a range of days.
protocol DayListingCommand: AsyncParsableCommand {
    var options: GlobalOptions { get }
    var days: DayRangeOptions { get }
    var listing: ListingOptions { get }

    func listing(_ app: BillingApp, _ days: ClosedRange<CalendarDay>) async throws -> Listing
}

extension DayListingCommand {
    func run() async throws {
        try await options.withApp { app in
            app.output(try await listing(app, days.range(today: app.today(Date()).day)).render(listing.format, wide: listing.wide))
        }
    }
}

struct CostsCommand: DayListingCommand {
    static let configuration = CommandConfiguration(
        commandName: "costs", abstract: "Show stored daily costs per (domain, project, service).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var days: DayRangeOptions
    @OptionGroup var keys: KeyFilterOptions
    @OptionGroup var listing: ListingOptions

    func listing(_ app: BillingApp, _ days: ClosedRange<CalendarDay>) async throws -> Listing {
        try await app.costsListing(days: days, keys: keys.filter, wide: listing.wide)
    }
}

struct BaselinesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baselines", abstract: "Show the current baseline statistics per (domain, project, service).",
        discussion: "The daily job recomputes them over the last `baselineDays` days it stored; the classic rule compares with them.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var keys: KeyFilterOptions
    @OptionGroup var listing: ListingOptions

    func run() async throws {
        try await options.withApp { app in
            app.output(try await app.baselinesListing(keys: keys.filter, wide: listing.wide).render(listing.format, wide: listing.wide))
        }
    }
}

struct AnomaliesCommand: DayListingCommand {
    static let configuration = CommandConfiguration(
        commandName: "anomalies", abstract: "Show recorded anomalies and where each stands (open, acknowledged, silenced).",
        discussion: """
            The table shows each anomaly once, as its latest record says (hour `day` is the daily job's verdict on the \
            whole day); --format json or csv gives every record, hour 24 being the whole day.
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var days: DayRangeOptions
    @OptionGroup var keys: KeyFilterOptions
    @Flag(help: "Only anomalies with no verdict and no silence holding them back.") var open = false
    @Option(help: "Only anomalies that cost at least this many KRW more than expected.") var minImpact: Double?
    @OptionGroup var listing: ListingOptions

    func validate() throws {
        if let minImpact, !minImpact.isFinite || minImpact < 0 {
            throw ValidationError("--min-impact takes an amount in KRW of 0 or more, such as 50000")
        }
    }

    func listing(_ app: BillingApp, _ days: ClosedRange<CalendarDay>) async throws -> Listing {
        try await app.anomaliesListing(
            days: days, filter: .init(keys: keys.filter, openOnly: open, minImpact: minImpact), wide: listing.wide, now: Date())
    }
}

struct RunsCommand: DayListingCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "Show the finished job runs: which days each job has done, with rows and keys.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var days: DayRangeOptions
    @OptionGroup var listing: ListingOptions

    func listing(_ app: BillingApp, _ days: ClosedRange<CalendarDay>) async throws -> Listing {
        try await app.runsListing(days: days)
    }
}
