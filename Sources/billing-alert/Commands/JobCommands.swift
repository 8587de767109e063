import ArgumentParser
import BillingApp
import BillingCore
import Foundation

struct HourlyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hourly",
        abstract: "Fetch today so far (KST), judge each key against its baseline, record and announce anomalies.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Judge this day (YYYYMMDD) instead of today; an earlier day is judged whole, as hour 23.")
    var date: DayArgument?

    func run() async throws {
        try await options.withApp { app in
            try await app.runHourly(day: date?.day, now: Date())
        }
    }
}

struct DailyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daily",
        abstract: "Fetch a finished day (yesterday, KST), archive its raw JSON, store its aggregates, recompute baselines.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "The day to fetch (YYYYMMDD). Default: yesterday in the configured timezone.")
    var date: DayArgument?

    @Flag(help: "Fetch today so far instead; the next run for today replaces it.")
    var today = false

    @OptionGroup var empty: EmptyAnswerOption

    func validate() throws {
        if date != nil && today { throw ValidationError("give --date or --today, not both") }
    }

    func run() async throws {
        try await options.withApp { app in
            let now = Date()
            try await app.runDaily(day: today ? app.today(now).day : date?.day, now: now, allowEmpty: empty.allowEmpty)
        }
    }
}

struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Run the daily job for every day in a range, oldest first, without sending alerts.",
        discussion: "Days already fetched are skipped, so an interrupted backfill resumes where it stopped. --refetch fetches them again; rows are replaced, never added twice.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "First day (YYYYMMDD).")
    var from: DayArgument

    @Option(help: "Last day (YYYYMMDD), at most yesterday.")
    var to: DayArgument

    @Flag(help: "Fetch days that were already fetched again.")
    var refetch = false

    @OptionGroup var empty: EmptyAnswerOption

    func validate() throws {
        guard from.day <= to.day else {
            throw ValidationError("--from \(from.day) is after --to \(to.day); give the earlier day first")
        }
        guard from.day.days(until: to.day) < 3660 else {
            throw ValidationError("the range is longer than ten years; backfill it in parts")
        }
    }

    func run() async throws {
        try await options.withApp { app in
            let today = app.today(Date()).day
            guard to.day < today else {
                throw ValidationError("--to \(to.day) has not finished yet (today is \(today) in \(app.configuration.timeZone.identifier)); end at \(today.adding(days: -1)) and use `daily --today` for today")
            }
            try await app.runBackfill(days: from.day...to.day, refetch: refetch, allowEmpty: empty.allowEmpty)
        }
    }
}

struct ReprocessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reprocess",
        abstract: "Rebuild a day's aggregates and the baselines from the raw archive, without calling the API.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "The day to rebuild (YYYYMMDD).")
    var date: DayArgument

    @OptionGroup var empty: EmptyAnswerOption

    func run() async throws {
        try await options.withApp { app in
            try await app.runReprocess(day: date.day, now: Date(), allowEmpty: empty.allowEmpty)
        }
    }
}

/// `--allow-empty`, for the jobs that replace a stored day.
struct EmptyAnswerOption: ParsableArguments {
    @Flag(help: "Let an answer without a row of the day replace the day's stored costs (refused by default, as an API fault is likelier).")
    var allowEmpty = false
}
