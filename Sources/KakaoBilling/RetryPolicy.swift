/// When and how long to wait before trying a failed request again.
///
/// Exponential backoff with full jitter (a random wait between 0 and the capped exponential step), so
/// many clients that failed together do not retry together. A server's `Retry-After` wins, up to a cap.
public struct RetryPolicy: Sendable, Hashable {
    /// Tries in all, the first included.
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// The longest `Retry-After` honoured; a longer one is cut to this.
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 5, initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(120)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
    }

    /// The wait before try number `attempt + 1`, after try `attempt` (1-based) failed.
    ///
    /// `jitter` is a number in 0...1, random in production and fixed in tests.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?, jitter: Double) -> Duration {
        if let retryAfter {
            return min(max(retryAfter, .zero), maxRetryAfter)
        }
        var step = initialBackoff
        for _ in 1..<max(1, attempt) where step < maxBackoff { step *= 2 }
        return min(step, maxBackoff) * min(max(jitter, 0), 1)
    }
}
