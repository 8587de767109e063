/// How to reach the Kakao Cloud Billing API; the defaults follow the API contract.
public struct KakaoBillingConfiguration: Sendable {
    public static let defaultBaseURL = "https://billing-api.kakaocloud.com"
    public static let costPath = "/open/billing/public/v2/cost/resources"

    public var baseURL: String
    public var credentialId: String
    public var credentialSecret: String
    /// Rows per page; the API allows at most 10,000.
    public var pageSize: Int
    /// A day with more pages than this is an error rather than an endless loop.
    public var maxPages: Int
    /// Per request, including reading the body.
    public var timeout: Duration
    /// Responses larger than this are refused.
    public var maxResponseBytes: Int
    public var retry: RetryPolicy

    public init(
        baseURL: String = defaultBaseURL, credentialId: String, credentialSecret: String,
        pageSize: Int = 10_000, maxPages: Int = 2_000, timeout: Duration = .seconds(60),
        maxResponseBytes: Int = 256 << 20, retry: RetryPolicy = RetryPolicy()
    ) {
        self.baseURL = baseURL
        self.credentialId = credentialId
        self.credentialSecret = credentialSecret
        self.pageSize = pageSize
        self.maxPages = maxPages
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        self.retry = retry
    }

    /// The base URL without a trailing slash.
    var trimmedBaseURL: String {
        var url = baseURL
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
