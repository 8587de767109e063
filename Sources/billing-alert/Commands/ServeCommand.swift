import ArgumentParser
import BillingApp
import BillingServe
import Foundation

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the hourly and daily jobs on schedule, and serve the dashboard pages, the JSON API, /metrics, /healthz and /readyz.",
        discussion: """
            The jobs run at schedule.hourlyMinute past each hour and at schedule.dailyAt, in the configured timezone, \
            taking the same locks as cron runs. On start a missed daily run (its day not finished) is caught up once. \
            SIGTERM or SIGINT stops scheduling; a run in progress gets --grace-seconds to finish, else it is abandoned \
            with nothing written.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080
    @Flag(inversion: .prefixedNo, help: "Run the scheduled jobs (--no-jobs when cron runs them).") var jobs = true
    @Option(help: "Seconds a run in progress may take to finish after SIGTERM or SIGINT.") var graceSeconds = 60

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not a port; give 1 to 65535, or 0 for any free one") }
        guard graceSeconds >= 0 else { throw ValidationError("--grace-seconds \(graceSeconds) is negative; give 0 or more") }
    }

    func run() async throws {
        try await options.withApp { app in
            var serveOptions = BillingServer.Options()
            serveOptions.host = host
            serveOptions.port = port
            serveOptions.runsJobs = jobs
            serveOptions.grace = .seconds(graceSeconds)
            let logger = app.logger
            // Job summaries go to the log, where a service's output is read.
            let served = BillingApp(configuration: app.configuration, logger: logger) { logger.notice("\($0)") }
            try await BillingServer(app: served).run(serveOptions) { bound in
                // Written straight to the descriptor, so a supervisor or a script reading a pipe sees it at once.
                FileHandle.standardOutput.write(
                    Data("serving on http://\(host):\(bound) (\(jobs ? "running the scheduled jobs" : "jobs left to cron"))\n".utf8))
            }
        }
    }
}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one month's bill as a single HTML file (styles and charts inline) to mail or archive.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "The month (YYYYMM).") var month: String
    @Option(help: "The file to write.") var out: String

    func validate() throws {
        guard month.count == 6, let number = Int(month), (1...12).contains(number % 100), number / 100 >= 2000 else {
            throw ValidationError("--month \(month) is not a month; give YYYYMM, such as 202611")
        }
    }

    func run() async throws {
        try await options.withApp { app in
            let number = Int(month) ?? 0
            let html = try await BillingServer.monthReport(app, year: number / 100, month: number % 100, now: Date())
            try html.write(toFile: out, atomically: true, encoding: .utf8)
            app.output("report: \(out) (\(html.utf8.count / 1024) KiB)")
        }
    }
}
