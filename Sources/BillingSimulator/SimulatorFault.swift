/// A way the simulated Billing API misbehaves on purpose, on every request, so that users can rehearse
/// failures (`simulate-api --fault MODE`) and tests drive each one through the real HTTP client.
public enum SimulatorFault: String, CaseIterable, Sendable {
    /// 307 to the same server under another host name (`localhost` for `127.0.0.1`): another origin.
    case redirect
    /// 307 to the same origin with one more query parameter, then the normal answer.
    case sameOriginRedirect = "same-origin-redirect"
    /// Headers and half of the body, then silence.
    case stall
    /// The body one byte at a time, a second apart.
    case drip
    /// Page 1 repeats page 0's rows.
    case duplicatePage = "duplicate-page"
    /// Every page holds half a page more rows than asked for, which the next page holds again.
    case overlap
    /// Every page is empty.
    case empty
    /// `"content": null`.
    case nullContent = "null-content"
    /// Every row is dated the day before the day asked for.
    case wrongDate = "wrong-date"
    /// Two more rows of the first key, each with a 38-digit expectAmount.
    case hugeAmount = "huge-amount"
    /// The first row's expectAmount is null.
    case nullAmount = "null-amount"
    /// The first row has no domainId and a null projectId.
    case missingID = "missing-id"
    /// Every request is answered 429 with `Retry-After: 1`.
    case rateLimited = "429"
    /// Every request is answered 503.
    case serverError = "5xx"
    /// The first request for each page is answered 503; the retry gets the page.
    case flaky
    /// Page 0 is cut off in the middle of a row.
    case truncated

    /// Whether a client that guards against it still ends with the whole day, exactly.
    public var isRecoverable: Bool {
        self == .sameOriginRedirect || self == .flaky
    }

    /// One line per mode, for `simulate-api --help`.
    public var summary: String {
        switch self {
        case .redirect: "307 to another origin (localhost instead of 127.0.0.1)"
        case .sameOriginRedirect: "307 to the same origin, then the normal answer"
        case .stall: "headers and half of the body, then silence"
        case .drip: "the body one byte a second"
        case .duplicatePage: "page 1 repeats page 0"
        case .overlap: "pages of 1.5 times the size asked for, overlapping the next"
        case .empty: "every page empty"
        case .nullContent: "\"content\": null"
        case .wrongDate: "rows of the day before only"
        case .hugeAmount: "two rows of one key with 38-digit amounts"
        case .nullAmount: "a row whose expectAmount is null"
        case .missingID: "a row without domainId and with a null projectId"
        case .rateLimited: "HTTP 429 with Retry-After: 1, always"
        case .serverError: "HTTP 503, always"
        case .flaky: "HTTP 503 on the first try of each page"
        case .truncated: "page 0 cut off mid-row"
        }
    }
}
