/// One run per job and day at a time, across processes and machines: a lock held in the store (a
/// PostgreSQL advisory lock, a file lock beside a SQLite file).
public protocol JobLocking: Sendable {
    /// Runs `body` while holding the lock called `name`.
    ///
    /// When another run holds it, waits up to `wait` for it; throws `JobLockBusy` when it is still held
    /// then (at once when `wait` is zero).
    func withJobLock<T>(_ name: String, wait: Duration, _ body: () async throws -> T) async throws -> T
}

extension JobLocking {
    /// Polls `tryLock` until it succeeds or `wait` has passed; shared by the stores.
    public func acquire(
        _ name: String, wait: Duration, pollEvery interval: Duration = .milliseconds(200),
        tryLock: () async throws -> Bool
    ) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: wait)
        while try await !tryLock() {
            guard clock.now < deadline else { throw JobLockBusy(name: name, waited: wait) }
            try await Task.sleep(for: interval)
        }
    }
}
