import Logging

/// One run per job and day at a time, across processes and machines: a lock held in the store (a
/// PostgreSQL advisory lock, a file lock beside a SQLite file).
public protocol JobLocking: Sendable {
    /// Runs `body` while holding the lock called `name`.
    ///
    /// When another run holds it, calls `waiting` once and waits up to `wait` for it; throws
    /// `JobLockBusy` when it is still held then (at once, without calling `waiting`, when `wait` is zero).
    func withJobLock<T>(
        _ name: String, wait: Duration, waiting: @Sendable () -> Void, _ body: () async throws -> T
    ) async throws -> T
}

extension JobLocking {
    /// The same, saying nothing while it waits.
    public func withJobLock<T>(_ name: String, wait: Duration, _ body: () async throws -> T) async throws -> T {
        try await withJobLock(name, wait: wait, waiting: {}, body)
    }
}

extension JobLocking {
    /// Polls `tryLock` until it succeeds or `wait` has passed; shared by the stores.
    public func acquire(
        _ name: String, wait: Duration, pollEvery interval: Duration = .milliseconds(200), waiting: () -> Void = {},
        tryLock: () async throws -> Bool
    ) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: wait)
        var saidWaiting = false
        while try await !tryLock() {
            guard clock.now < deadline else { throw JobLockBusy(name: name, waited: wait) }
            if !saidWaiting {
                saidWaiting = true
                waiting()
            }
            try await Task.sleep(for: interval)
        }
    }
}

extension JobLocking {
    /// `withJobLock` for a run: when another run holds the lock, the log says so once, before the wait,
    /// so a run that seems slow to start tells why.
    func withRunLock<T>(_ name: String, wait: Duration, logger: Logger, _ body: () async throws -> T) async throws -> T {
        try await withJobLock(
            name, wait: wait,
            waiting: {
                logger.warning(
                    "another run holds the lock; waiting for it",
                    metadata: ["lock": "\(name)", "waitSeconds": "\(wait.components.seconds)"])
            }, body)
    }
}
