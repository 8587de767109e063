import BillingApp
import BillingCore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `billing-alert serve`: the scheduled jobs and the HTTP endpoints in one long-running process.
public struct BillingServer: Sendable {
    public struct Options: Sendable {
        public var host = "127.0.0.1"
        public var port = 8080
        /// Whether this process runs the scheduled jobs (off when cron runs them).
        public var runsJobs = true
        /// How long a run in progress may take to finish after SIGTERM or SIGINT before it is abandoned.
        public var grace: Duration = .seconds(60)

        public init() {}
    }

    let app: BillingApp
    let clock: any ServeClock
    let monitor: RunMonitor
    let work: any ScheduledWork

    public init(app: BillingApp, clock: any ServeClock = SystemClock(), monitor: RunMonitor = RunMonitor(), work: (any ScheduledWork)? = nil) {
        var app = app
        app.apiRetried = { monitor.recordAPIRetry(reason: $0) }
        self.app = app
        self.clock = clock
        self.monitor = monitor
        self.work = work ?? AppWork(app: app)
    }

    var schedule: JobSchedule { app.schedule }

    /// Serves until SIGTERM or SIGINT (or until the task is cancelled), then lets a run in progress
    /// finish within `options.grace` and returns. `listening` gets the bound port.
    public func run(_ options: Options, listening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let logger = app.logger
        let http = Application(
            router: makeRouter(access: WriteAccess(host: options.host, token: app.configuration.serve.token, readOnly: app.configuration.serve.readOnly)),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { listening($0.localAddress?.port ?? options.port) }, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: http)]
        if options.runsJobs {
            let scheduler = JobScheduler(schedule: schedule, clock: clock, work: work, monitor: monitor, logger: logger)
            services.append(.init(service: scheduler))
        }
        var configuration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
        configuration.maximumGracefulShutdownDuration = options.grace
        try await ServiceGroup(configuration: configuration).run()
    }
}
