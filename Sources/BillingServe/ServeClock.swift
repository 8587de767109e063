import Foundation

/// Wall-clock time for the scheduler: the system's in `serve`, one set by hand in tests.
public protocol ServeClock: Sendable {
    var now: Date { get }

    /// Returns at or after `deadline` by this clock; throws when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// The host's clock. It sleeps at most a minute at a time and looks at the time again, so a host whose
/// clock is set while `serve` waits still runs each job at its wall-clock time.
public struct SystemClock: ServeClock {
    public init() {}

    public var now: Date { Date() }

    public func sleep(until deadline: Date) async throws {
        while true {
            let remaining = deadline.timeIntervalSince(Date())
            guard remaining > 0 else { return }
            try await Task.sleep(for: .seconds(min(remaining, 60)))
        }
    }
}
