/// What one channel receives: anomalies at least this large, as they are found, and the daily digest
/// if it asks for it. A page-worthy channel can take only large anomalies while a team channel takes
/// everything.
public struct ChannelRoute: Sendable, Hashable {
    /// The smallest excess over the expected cost, in the bill's currency, worth sending here.
    public var minImpact: Double
    /// The smallest excess in percent of the expected cost worth sending here.
    public var minPercent: Double
    /// Whether anomalies are sent as the jobs find them.
    public var immediate: Bool
    /// Whether the daily job's digest is sent here.
    public var digest: Bool

    public init(minImpact: Double = 0, minPercent: Double = 0, immediate: Bool = true, digest: Bool = false) {
        self.minImpact = minImpact
        self.minPercent = minPercent
        self.immediate = immediate
        self.digest = digest
    }

    /// Whether the anomaly is large enough, in money and in percent, to be sent here now.
    public func admits(_ anomaly: Anomaly) -> Bool {
        guard immediate else { return false }
        let expected = anomaly.explanation.expected ?? anomaly.baselineMean
        let impact = anomaly.explanation.impact ?? (anomaly.observed.doubleValue - expected)
        let percent = (anomaly.ratio - 1) * 100
        return impact >= minImpact && percent >= minPercent
    }
}

/// The alert channels, by the names the configuration, the routes and the delivery outbox use.
public enum ChannelName: String, CaseIterable, Sendable {
    case console, syslog, slack, kakaowork, webhook

    /// Whether the channel gets the daily digest when its route does not say: the console and syslog,
    /// where the daily job's summary has always gone.
    public var takesDigestUnlessTold: Bool { self == .console || self == .syslog }

    /// Whether the channel can carry a digest at all: the Alertmanager webhook carries alerts only.
    public var canTakeDigest: Bool { self != .webhook }
}
