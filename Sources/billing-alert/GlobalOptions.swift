import ArgumentParser
import BillingApp
import BillingCore
import BillingPipeline
import Foundation
import Logging
import Synchronization

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "The config file. Default: config/settings.yaml when it exists, else the embedded default.")
    var config: String?

    @Option(help: "Log level on standard error: trace, debug, info, notice, warning, error.")
    var logLevel: String = "warning"

    @Option(help: "Log lines as text, or json (one object per line, for log shippers).")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level '\(logLevel)' is not one of trace, debug, info, notice, warning, error")
        }
    }

    var logger: Logger {
        Runtime.bootstrapLogging(level: Logger.Level(rawValue: logLevel) ?? .warning, json: logFormat == .json)
        return Logger(label: "billing-alert")
    }

    /// Loads the configuration and runs `body` with the app; errors become one clear line and exit 1.
    func withApp(_ body: (BillingApp) async throws -> Void) async throws {
        let logger = logger
        try await Runtime.reportingErrors {
            let configuration = try ConfigLoader().load(path: config)
            try await body(BillingApp(configuration: configuration, logger: logger))
        }
    }
}

enum Runtime {
    /// The exit status when everything but the archive step succeeded.
    static let archiveDeferredStatus: Int32 = 3
    /// The exit status when another run of the same job and day held the lock.
    static let lockBusyStatus: Int32 = 4

    private static let bootstrapped = Mutex(false)

    /// Sets up logging to standard error, once per process.
    static func bootstrapLogging(level: Logger.Level, json: Bool = false) {
        guard bootstrapped.withLock({ done in defer { done = true }; return !done }) else { return }
        LoggingSystem.bootstrap { label in
            if json { return JSONLogHandler(label: label, logLevel: level) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    static func reportingErrors(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch let deferred as ArchiveDeferred {
            // The run's data is stored; only the archive step failed. A distinct status lets cron wrappers tell.
            FileHandle.standardError.write(Data("error: \(deferred)\n".utf8))
            throw ExitCode(Runtime.archiveDeferredStatus)
        } catch let busy as JobLockBusy {
            FileHandle.standardError.write(Data("error: \(busy)\n".utf8))
            throw ExitCode(Runtime.lockBusyStatus)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// A `YYYYMMDD` (or `YYYY-MM-DD`) day on the command line.
struct DayArgument: ExpressibleByArgument {
    let day: CalendarDay

    init?(argument: String) {
        guard let day = CalendarDay(argument) else { return nil }
        self.day = day
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

extension Table.Format: ExpressibleByArgument {}
