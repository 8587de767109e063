/// A network exchange that did not finish in time: nothing it would have returned was used.
public struct DeadlineExceeded: Error, Sendable, CustomStringConvertible {
    public var limit: Duration

    public init(limit: Duration) {
        self.limit = limit
    }

    public var description: String {
        "no complete answer within \(limit.wholeSecondsText)"
    }
}

extension Duration {
    /// `60 s`, or `1.5 s` when it is not a whole number of seconds.
    public var wholeSecondsText: String {
        let (seconds, attoseconds) = components
        guard attoseconds != 0 else { return "\(seconds) s" }
        let tenths = (Double(seconds) + Double(attoseconds) / 1e18) * 10
        return "\(tenths.rounded() / 10) s"
    }
}

/// Runs `operation` and cancels it when `limit` has passed, then throws `DeadlineExceeded`.
///
/// The limit covers the whole exchange, body included: a server that sends its headers and then one
/// byte a minute still ends the call on time, which a read timeout between bytes would never do.
/// Whichever finishes first decides: the operation's result or error, or the deadline.
public func withDeadline<T: Sendable>(
    _ limit: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let result = try await group.next() ?? nil else { throw DeadlineExceeded(limit: limit) }
        return result
    }
}
