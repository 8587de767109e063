import BillingCore
import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A local HTTP server that speaks the Billing API contract, for the demo and for tests.
///
/// Days before today return the whole day's rows; today returns what has accrued up to the current
/// KST hour; later days return nothing. Scripted failures let tests exercise retries and errors.
public struct SimulatorServer: Sendable {
    public struct Credentials: Sendable, Hashable {
        public var id: String
        public var secret: String

        public init(id: String, secret: String) {
            self.id = id
            self.secret = secret
        }
    }

    public struct Configuration: Sendable {
        public var host: String
        /// 0 picks a free port.
        public var port: Int
        /// When set, requests with other credentials get 401.
        public var credentials: Credentials?
        /// Adds `totalElements`, `totalPages` and `last` to each page, which the real API may omit.
        public var pagingMetadata: Bool
        public var timeZone: TimeZone
        public var now: @Sendable () -> Date
        /// Misbehaves this way on every request.
        public var fault: SimulatorFault?
        /// How far apart the bytes of a `drip` answer are.
        public var dripInterval: Duration = .seconds(1)

        public init(
            host: String = "127.0.0.1", port: Int = 0, credentials: Credentials? = nil, pagingMetadata: Bool = false,
            timeZone: TimeZone = TimeZone(identifier: "Asia/Seoul") ?? TimeZone(secondsFromGMT: 9 * 3600)!,
            fault: SimulatorFault? = nil, now: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.host = host
            self.port = port
            self.credentials = credentials
            self.pagingMetadata = pagingMetadata
            self.timeZone = timeZone
            self.fault = fault
            self.now = now
        }
    }

    /// A scripted answer that replaces the next matching request's normal response.
    public enum Failure: Sendable, Hashable {
        case status(Int, retryAfter: String? = nil)
        case malformedBody
    }

    /// What the server was asked, for tests.
    public struct Request: Sendable, Hashable {
        public var from: String?
        public var to: String?
        public var page: Int?
        public var size: Int?
        public var credentialId: String?
        /// The Host header it came with, such as `127.0.0.1:53211`.
        public var host: String?
        /// Whether it carried a Credential-Secret header.
        public var sentSecret: Bool
    }

    public let configuration: Configuration
    let rows: @Sendable (CalendarDay, Double) -> [String]
    /// When set, serves pages made on demand instead: (day, share of the day billed, page, size).
    var pages: (@Sendable (CalendarDay, Double, Int, Int) -> [UInt8])?
    let state = SimulatorState()

    /// Serves the rows `rows(day, accrued)` returns: JSON objects, one per API row.
    public init(configuration: Configuration = Configuration(), rows: @escaping @Sendable (CalendarDay, Double) -> [String]) {
        self.configuration = configuration
        self.rows = rows
    }

    /// Serves a bench day for every day asked for, a page at a time, without holding the day.
    public init(configuration: Configuration = Configuration(), benchDay: BenchDay) {
        self.init(configuration: configuration) { _, _ in [] }
        pages = { day, share, page, size in benchDay.page(page, size: size, day: day, share: share) }
    }

    /// Serves a simulated bill.
    public init(configuration: Configuration = Configuration(), bill: SimulatedBill) {
        self.init(configuration: configuration) { day, accrued in bill.rows(for: day, accrued: accrued) }
    }

    /// Answers the next requests with these failures, in order; `page` limits one to that page.
    public func fail(_ failures: [Failure], onPage page: Int? = nil) {
        state.script(failures.map { ScriptedFailure(page: page, failure: $0) })
    }

    public var requests: [Request] { state.requests }

    /// Runs the server while `body` runs, passing it the base URL, such as `http://127.0.0.1:53211`.
    public func run<T>(_ body: (String) async throws -> T) async throws -> T {
        var logger = Logger(label: "billing-alert.simulator")
        logger.logLevel = .error
        return try await LoopbackServer.run(router: makeRouter(), host: configuration.host, port: configuration.port, logger: logger) {
            defer { state.stop() }
            return try await body("http://\(configuration.host):\($0)")
        }
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/open/billing/public/v2/cost/resources") { request, _ in
            self.respond(to: request)
        }
        return router
    }
}

struct SimulatorError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
