import BillingCore

/// A Billing API call that failed; the text says what to check and never contains a credential.
public struct KakaoBillingError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case missingCredentials
        case invalidBaseURL(String)
        case unauthorized(status: Int)
        case rateLimited(attempts: Int)
        case serverError(status: Int, attempts: Int)
        case unexpectedStatus(status: Int)
        case unreachable(host: String, reason: String, attempts: Int)
        case timedOut(host: String, limit: Duration, attempts: Int)
        case redirected(from: String, to: String?)
        case tooManyRedirects(String)
        case responseTooLarge(limit: Int)
        case malformed(day: String, page: Int, reason: String)
        case tooManyPages(day: String, limit: Int)
        case pageLargerThanAsked(day: String, page: Int, rows: Int, size: Int)
        case repeatedPage(day: String, page: Int, earlier: Int)
    }

    private let code: Code

    static let missingCredentials = KakaoBillingError(code: .missingCredentials)
    static func invalidBaseURL(_ url: String) -> Self { Self(code: .invalidBaseURL(url)) }
    static func unauthorized(status: Int) -> Self { Self(code: .unauthorized(status: status)) }
    static func rateLimited(attempts: Int) -> Self { Self(code: .rateLimited(attempts: attempts)) }
    static func serverError(status: Int, attempts: Int) -> Self { Self(code: .serverError(status: status, attempts: attempts)) }
    static func unexpectedStatus(_ status: Int) -> Self { Self(code: .unexpectedStatus(status: status)) }
    static func unreachable(host: String, reason: String, attempts: Int) -> Self {
        Self(code: .unreachable(host: host, reason: reason, attempts: attempts))
    }
    static func timedOut(host: String, limit: Duration, attempts: Int) -> Self {
        Self(code: .timedOut(host: host, limit: limit, attempts: attempts))
    }
    static func redirected(from: String, to: String?) -> Self { Self(code: .redirected(from: from, to: to)) }
    static func tooManyRedirects(_ origin: String) -> Self { Self(code: .tooManyRedirects(origin)) }
    static func responseTooLarge(limit: Int) -> Self { Self(code: .responseTooLarge(limit: limit)) }
    static func malformed(day: String, page: Int, reason: String) -> Self {
        Self(code: .malformed(day: day, page: page, reason: reason))
    }
    static func tooManyPages(day: String, limit: Int) -> Self { Self(code: .tooManyPages(day: day, limit: limit)) }
    static func pageLargerThanAsked(day: String, page: Int, rows: Int, size: Int) -> Self {
        Self(code: .pageLargerThanAsked(day: day, page: page, rows: rows, size: size))
    }
    static func repeatedPage(day: String, page: Int, earlier: Int) -> Self {
        Self(code: .repeatedPage(day: day, page: page, earlier: earlier))
    }

    /// Whether the same call may succeed later without a change of configuration.
    /// Why a try failed in a way worth another, as a metric label: `rate_limited`, `server_error`,
    /// `timeout` or `unreachable`; nil for a failure that is not retried.
    public var retryReason: String? {
        switch code {
        case .rateLimited: "rate_limited"
        case .serverError: "server_error"
        case .timedOut: "timeout"
        case .unreachable: "unreachable"
        default: nil
        }
    }

    public var isRetryable: Bool {
        switch code {
        case .rateLimited, .serverError, .unreachable, .timedOut: return true
        default: return false
        }
    }

    /// True for refused credentials, which need the user's attention rather than a retry.
    public var isAuthenticationFailure: Bool {
        if case .unauthorized = code { return true }
        return false
    }

    public var description: String {
        switch code {
        case .missingCredentials:
            return "the Billing API needs credentials: set billingApi.credentialId and billingApi.credentialSecret in the config, or the environment variables BILLING_API_CREDENTIAL_ID and BILLING_API_CREDENTIAL_SECRET (`billing-alert demo` runs without them)"
        case .invalidBaseURL(let url):
            return "billingApi.baseUrl '\(URLCredentials.redacted(url))' is not an http(s) URL without a user or password; use e.g. https://billing-api.kakaocloud.com"
        case .unauthorized(let status):
            return "the Billing API refused the credentials (HTTP \(status)); check billingApi.credentialId and billingApi.credentialSecret (or BILLING_API_CREDENTIAL_ID and BILLING_API_CREDENTIAL_SECRET), and that the credential may read billing data"
        case .rateLimited(let attempts):
            return "the Billing API kept rate-limiting the requests (HTTP 429, \(attempts) tries); run the job again later, or less often"
        case .serverError(let status, let attempts):
            return "the Billing API kept failing (HTTP \(status), \(attempts) tries); this is on the API's side, so run the job again later"
        case .unexpectedStatus(let status):
            return "the Billing API answered HTTP \(status), which this tool does not expect; check billingApi.baseUrl"
        case .unreachable(let host, let reason, let attempts):
            return "cannot reach the Billing API at \(host) (\(reason), \(attempts) tries); check billingApi.baseUrl and the network, then run the job again"
        case .timedOut(let host, let limit, let attempts):
            return "the Billing API at \(host) did not send a complete answer within \(limit.wholeSecondsText) (\(attempts) tries); nothing was stored, so run the job again later, or raise billingApi.timeoutSeconds"
        case .redirected(let from, let to?):
            return "the Billing API at \(from) redirected the request to another address (\(to)); it was not followed and the credentials were not sent there: if the API has moved, set billingApi.baseUrl to the new address"
        case .redirected(let from, nil):
            return "the Billing API at \(from) answered with a redirect that names no valid address; check billingApi.baseUrl"
        case .tooManyRedirects(let origin):
            return "the Billing API at \(origin) redirected the request more than 5 times; check billingApi.baseUrl"
        case .responseTooLarge(let limit):
            return "a Billing API page was larger than \(limit >> 20) MiB; lower billingApi.pageSize"
        case .malformed(let day, let page, let reason):
            return "the Billing API's page \(page) for \(day) is not in the expected shape (\(reason)); nothing was stored, so run the job again once the API answers properly"
        case .pageLargerThanAsked(let day, let page, let rows, let size):
            return "the Billing API's page \(page) for \(day) held \(rows) rows, more than the \(size) asked for, so its pages overlap and rows would count twice; nothing was stored, so run the job again later"
        case .repeatedPage(let day, let page, let earlier):
            return "the Billing API's page \(page) for \(day) repeats page \(earlier) row for row, so rows would count twice; nothing was stored, so run the job again later"
        case .tooManyPages(let day, let limit):
            return "stopped fetching \(day) after \(limit) pages without reaching the last one; raise billingApi.maxPages if the day really has that many rows"
        }
    }
}
