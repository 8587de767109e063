import AsyncHTTPClient
import BillingCore
import BillingPipeline
import BillingWire
import Foundation
import HTTPTransport
import Logging
import NIOCore
import NIOHTTP1

/// The Kakao Cloud Billing API client: pages through a day's cost rows with retries.
public struct KakaoBillingClient: BillingSource {
    public let configuration: KakaoBillingConfiguration
    let httpClient: HTTPClient
    let logger: Logger
    /// Waits between retries; tests pass one that records instead of sleeping.
    let sleep: @Sendable (Duration) async throws -> Void
    let jitter: @Sendable () -> Double
    /// Told the reason (`KakaoBillingError.retryReason`) each time a request is tried again.
    public var retried: @Sendable (String) -> Void = { _ in }

    public init(
        configuration: KakaoBillingConfiguration, httpClient: HTTPClient = HTTPTransport.client, logger: Logger,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
        self.sleep = sleep
        self.jitter = jitter
    }

    public func fetchPages(
        for day: CalendarDay, read: (BillingPage) throws -> PageInfo, keep: (BillingPage) async throws -> Void
    ) async throws -> FetchSummary {
        let (base, host) = try validatedEndpoint()
        let size = configuration.pageSize
        var rowCount = 0
        var contents: [Int: Int] = [:]
        for page in 0..<configuration.maxPages {
            let body = try await get(
                "\(base)\(KakaoBillingConfiguration.costPath)?from=\(day.compact)&to=\(day.compact)&page=\(page)&size=\(size)",
                host: host)
            let fetched = BillingPage(number: page, body: body)
            let info: PageInfo
            do {
                info = try read(fetched)
            } catch let error as BillingResponseError {
                throw KakaoBillingError.malformed(day: day.compact, page: page, reason: error.reason)
            }
            try Self.checkPaging(info, body: body, day: day, page: page, size: size, seen: &contents)
            rowCount += info.rowCount
            try await keep(fetched)
            logger.debug("fetched a page", metadata: ["date": "\(day)", "page": "\(page)", "rows": "\(info.rowCount)"])
            let lastByCount = info.rowCount < size
            let lastByMetadata = info.isLast == true || info.totalPages.map { page + 1 >= $0 } == true
            if lastByCount || lastByMetadata {
                return FetchSummary(pageCount: page + 1, rowCount: rowCount, pageSize: size, endpoint: base + KakaoBillingConfiguration.costPath)
            }
        }
        throw KakaoBillingError.tooManyPages(day: day.compact, limit: configuration.maxPages)
    }

    /// Refuses a page with more rows than asked for, or the same rows as an earlier page: summing
    /// either would count rows twice. `seen` maps a digest of each page's rows to its number.
    static func checkPaging(
        _ info: PageInfo, body: [UInt8], day: CalendarDay, page: Int, size: Int, seen: inout [Int: Int]
    ) throws {
        guard info.rowCount <= size else {
            throw KakaoBillingError.pageLargerThanAsked(day: day.compact, page: page, rows: info.rowCount, size: size)
        }
        guard info.rowCount > 0, let content = info.contentBytes else { return }
        var hasher = Hasher()
        body[content].withUnsafeBytes { hasher.combine(bytes: $0) }
        let digest = hasher.finalize()
        if let earlier = seen[digest] {
            throw KakaoBillingError.repeatedPage(day: day.compact, page: page, earlier: earlier)
        }
        seen[digest] = page
    }

    /// Asks for the first row of `day`, to show that the API answers and accepts the credentials.
    ///
    /// Returns how many rows that page held (0 or 1).
    public func probe(day: CalendarDay) async throws -> Int {
        let (base, host) = try validatedEndpoint()
        // One quick try: a check should answer in seconds, not wait out the job's retries.
        let body = try await get(
            "\(base)\(KakaoBillingConfiguration.costPath)?from=\(day.compact)&to=\(day.compact)&page=0&size=1",
            host: host, attempts: 1, timeout: min(configuration.timeout, .seconds(10)))
        do {
            return try BillingResponse.decode(body).rows.count
        } catch {
            throw KakaoBillingError.malformed(day: day.compact, page: 0, reason: error.reason)
        }
    }

    /// The base URL and its host, after checking that credentials are set and the URL is usable.
    private func validatedEndpoint() throws -> (base: String, host: String) {
        guard !configuration.credentialId.isEmpty, !configuration.credentialSecret.isEmpty else {
            throw KakaoBillingError.missingCredentials
        }
        let base = configuration.trimmedBaseURL
        guard let url = URL(string: base), ["http", "https"].contains(url.scheme ?? ""), let host = url.host,
            !URLCredentials.present(in: base)
        else {
            throw KakaoBillingError.invalidBaseURL(configuration.baseURL)
        }
        return (base, host)
    }

    /// One GET with retries on 429, 5xx, timeouts and connection errors; `attempts` and `timeout` (for
    /// each try, body included) default to the configuration's.
    ///
    /// A redirect is followed only within the base URL's origin (scheme, host and port), where the
    /// credentials were meant to go; one to anywhere else is refused before anything is sent there.
    private func get(_ url: String, host: String, attempts: Int? = nil, timeout: Duration? = nil) async throws -> [UInt8] {
        let policy = configuration.retry
        let maxAttempts = attempts ?? policy.maxAttempts
        let timeout = timeout ?? configuration.timeout
        var target = url
        var redirects = 0
        var attempt = 0
        while true {
            attempt += 1
            let failure: KakaoBillingError
            var retryAfter: Duration?
            do {
                var request = HTTPClientRequest(url: target)
                request.method = .GET
                request.headers.add(name: "Credential-ID", value: configuration.credentialId)
                request.headers.add(name: "Credential-Secret", value: configuration.credentialSecret)
                request.headers.add(name: "Accept", value: "application/json")
                let answer = try await HTTPTransport.exchange(
                    request, timeout: timeout, maxBytes: configuration.maxResponseBytes, client: httpClient, logger: logger)
                switch answer.status {
                case 200..<300:
                    return Array(answer.body.readableBytesView)
                case 301, 302, 303, 307, 308:
                    target = try Self.redirectTarget(answer.headers, from: target, hops: redirects)
                    redirects += 1
                    attempt -= 1
                    continue
                case 401, 403:
                    throw KakaoBillingError.unauthorized(status: answer.status)
                case 429:
                    retryAfter = Self.retryAfter(answer.headers)
                    failure = .rateLimited(attempts: attempt)
                case 500..<600:
                    retryAfter = answer.status == 503 ? Self.retryAfter(answer.headers) : nil
                    failure = .serverError(status: answer.status, attempts: attempt)
                default:
                    throw KakaoBillingError.unexpectedStatus(answer.status)
                }
            } catch let error as KakaoBillingError {
                throw error
            } catch is HTTPTransport.TooLarge {
                throw KakaoBillingError.responseTooLarge(limit: configuration.maxResponseBytes)
            } catch where HTTPTransport.isTimeout(error) {
                failure = .timedOut(host: host, limit: timeout, attempts: attempt)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = .unreachable(host: host, reason: Self.reason(error), attempts: attempt)
            }
            guard attempt < maxAttempts else { throw failure }
            let delay = policy.delay(afterAttempt: attempt, retryAfter: retryAfter, jitter: jitter())
            logger.info(
                "retrying the Billing API",
                metadata: ["attempt": "\(attempt)", "delay": "\(delay)", "reason": "\(failure)"])
            retried(failure.retryReason ?? "other")
            try await sleep(delay)
        }
    }

    /// Where a redirect from `current` leads, when that is within its origin.
    static func redirectTarget(_ headers: HTTPHeaders, from current: String, hops: Int) throws -> String {
        let origin = URL(string: current).map(Origin.init)
        guard let location = headers.first(name: "Location"), let next = URL(string: location, relativeTo: URL(string: current))?.absoluteURL
        else {
            throw KakaoBillingError.redirected(from: origin?.description ?? "?", to: nil)
        }
        guard Origin(next) == origin else {
            throw KakaoBillingError.redirected(from: origin?.description ?? "?", to: Origin(next).description)
        }
        guard hops < 5 else { throw KakaoBillingError.tooManyRedirects(origin?.description ?? "?") }
        return next.absoluteString
    }

    /// `Retry-After` as delay-seconds or an HTTP date.
    static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
        guard let value = headers.first(name: "Retry-After")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Int(value), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .seconds(max(0, Int(date.timeIntervalSinceNow.rounded(.up))))
    }

    private static func reason(_ error: any Error) -> String {
        HTTPTransport.failureReason(error)
    }
}
