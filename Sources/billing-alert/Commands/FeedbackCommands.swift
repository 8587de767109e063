import ArgumentParser
import BillingApp
import BillingCore
import Foundation

struct SilenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silence", abstract: "Hold back alerts for matching anomalies for a while; they are still detected and stored.",
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Silence anomalies whose domain, project and service match, through a day.",
            discussion: "Each value is compared with the id and the name, ignoring case; * matches any run of characters.")

        @OptionGroup var options: GlobalOptions
        @Option(help: "KEY=VALUE,... with keys domain, project, service, such as service=Virtual Machine,project=payments.")
        var match: String
        @Option(help: "The last day (YYYYMMDD) the silence holds.") var until: DayArgument?
        @Option(name: .customLong("for"), help: "How long instead of --until: 3d holds through the third day from today, 2w through the 14th.")
        var duration: SilenceDuration?
        @Option(help: "Why, for whoever reads `silence list` later.") var reason: String

        func validate() throws {
            guard (until == nil) != (duration == nil) else { throw ValidationError("give --until YYYYMMDD or --for 3d (one of them)") }
        }

        func run() async throws {
            try await options.withApp { app in
                let now = Date()
                let last = until?.day ?? app.today(now).day.adding(days: duration?.days ?? 0)
                let silence = try await app.addSilence(match: match, until: last, reason: reason, now: now)
                app.output("silence \(silence.id) holds back alerts for \(silence.matchText) through \(silence.until.compact)")
                let held = try await app.anomaliesHeldBack(by: silence, now: now)
                if held.isEmpty {
                    app.output("it matches no anomaly of the last 7 days; later ones it matches are recorded and not sent")
                } else {
                    app.output("it holds back \(held.count) anomal\(held.count == 1 ? "y" : "ies") of the last 7 days with no verdict:")
                    for tracked in held {
                        app.output("  \(tracked.id)  \(tracked.title)  \(AmountText.grouped(tracked.anomaly.observed, places: 2)) KRW")
                    }
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show every silence, active or expired.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var listing: ListingOptions

        func run() async throws {
            try await options.withApp { app in
                app.output(try await app.silencesListing(now: Date()).render(listing.format, wide: listing.wide))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a silence; what it held back is sent by the next run that finds it.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The silence's id, from `silence list`.") var id: String

        func run() async throws {
            try await options.withApp { app in
                let silence = try await app.removeSilence(id, now: Date())
                app.output("silence \(silence.id) (\(silence.matchText)) removed")
            }
        }
    }
}

struct AckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack", abstract: "Say what an anomaly was: planned, not-anomaly or real.",
        discussion: """
            planned: no more alerts for it, and its day stays out of the baselines.
            not-anomaly: no more alerts for it, and its day goes back into the baselines.
            real: alerts go on, and its day stays out of the baselines.
            """)

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The anomaly's id, such as 20261124-3f9a1c2b, as `billing-alert anomalies` shows it.") var id: String
    @Option(name: .customLong("as"), help: "planned, not-anomaly or real.") var verdict: AnomalyFeedback.Verdict
    @Option(help: "A note kept with the verdict.") var note: String?

    func validate() throws {
        guard AnomalyID(id) != nil else {
            throw ValidationError("'\(id)' is not an anomaly id; ids look like 20261124-3f9a1c2b, as the id column of `billing-alert anomalies` shows them")
        }
    }

    func run() async throws {
        try await options.withApp { app in
            app.output(try await app.acknowledge(AnomalyID(id)!, as: verdict, note: note, now: Date()))
        }
    }
}

extension AnomalyFeedback.Verdict: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// `--for 3d` or `2w`: a number of days or weeks.
struct SilenceDuration: ExpressibleByArgument {
    let days: Int

    init?(argument: String) {
        let unit = argument.last
        guard let count = Int(argument.dropLast()), count > 0, count <= 3650 else { return nil }
        switch unit {
        case "d": days = count
        case "w": days = count * 7
        default: return nil
        }
    }
}
