import AsyncHTTPClient
import BillingCore
import BillingPipeline
import Foundation
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

    public init(
        configuration: KakaoBillingConfiguration, httpClient: HTTPClient = .shared, logger: Logger,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
        self.sleep = sleep
        self.jitter = jitter
    }

    public func fetchCosts(
        for day: CalendarDay, into aggregator: inout DailyAggregator, onPage: (BillingPage) async throws -> Void
    ) async throws -> FetchSummary {
        let (base, host) = try validatedEndpoint()
        let size = configuration.pageSize
        var rowCount = 0
        for page in 0..<configuration.maxPages {
            let body = try await get(
                "\(base)\(KakaoBillingConfiguration.costPath)?from=\(day.compact)&to=\(day.compact)&page=\(page)&size=\(size)",
                host: host)
            let info: PageInfo
            do {
                info = try aggregator.add(pageBody: body)
            } catch {
                throw KakaoBillingError.malformed(day: day.compact, page: page, reason: error.reason)
            }
            rowCount += info.rowCount
            try await onPage(BillingPage(number: page, body: body))
            logger.debug("fetched a page", metadata: ["date": "\(day)", "page": "\(page)", "rows": "\(info.rowCount)"])
            let lastByCount = info.rowCount < size
            let lastByMetadata = info.isLast == true || info.totalPages.map { page + 1 >= $0 } == true
            if lastByCount || lastByMetadata {
                return FetchSummary(pageCount: page + 1, rowCount: rowCount, pageSize: size, endpoint: base + KakaoBillingConfiguration.costPath)
            }
        }
        throw KakaoBillingError.tooManyPages(day: day.compact, limit: configuration.maxPages)
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
        guard let url = URL(string: base), ["http", "https"].contains(url.scheme ?? ""), let host = url.host else {
            throw KakaoBillingError.invalidBaseURL(configuration.baseURL)
        }
        return (base, host)
    }

    /// One GET with retries on 429, 5xx, timeouts and connection errors.
    /// `attempts` and `timeout` default to the configuration's.
    private func get(_ url: String, host: String, attempts: Int? = nil, timeout: Duration? = nil) async throws -> [UInt8] {
        let policy = configuration.retry
        let maxAttempts = attempts ?? policy.maxAttempts
        var attempt = 0
        while true {
            attempt += 1
            let failure: KakaoBillingError
            var retryAfter: Duration?
            do {
                var request = HTTPClientRequest(url: url)
                request.method = .GET
                request.headers.add(name: "Credential-ID", value: configuration.credentialId)
                request.headers.add(name: "Credential-Secret", value: configuration.credentialSecret)
                request.headers.add(name: "Accept", value: "application/json")
                let (seconds, attoseconds) = (timeout ?? configuration.timeout).components
                let timeout = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
                let response = try await httpClient.execute(request, timeout: timeout, logger: logger)
                let status = Int(response.status.code)
                switch status {
                case 200..<300:
                    do {
                        let buffer = try await response.body.collect(upTo: configuration.maxResponseBytes)
                        return Array(buffer.readableBytesView)
                    } catch is NIOTooManyBytesError {
                        throw KakaoBillingError.responseTooLarge(limit: configuration.maxResponseBytes)
                    }
                case 401, 403:
                    throw KakaoBillingError.unauthorized(status: status)
                case 429:
                    retryAfter = Self.retryAfter(response.headers)
                    failure = .rateLimited(attempts: attempt)
                case 500..<600:
                    retryAfter = status == 503 ? Self.retryAfter(response.headers) : nil
                    failure = .serverError(status: status, attempts: attempt)
                default:
                    throw KakaoBillingError.unexpectedStatus(status)
                }
            } catch let error as KakaoBillingError {
                throw error
            } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
                failure = .timedOut(host: host, attempts: attempt)
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
            try await sleep(delay)
        }
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
        let text = String(describing: error)
        return text.count > 160 ? String(text.prefix(160)) + "..." : text
    }
}
