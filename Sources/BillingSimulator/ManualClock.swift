import Foundation
import Synchronization

/// A "now" set by hand, for a simulator that bills today up to the current hour: tests and the
/// bench move it between runs.
public final class ManualClock: Sendable {
    private let current: Mutex<Date>

    public init(_ now: Date) {
        current = Mutex(now)
    }

    public var now: Date {
        current.withLock { $0 }
    }

    public func set(_ now: Date) {
        current.withLock { $0 = now }
    }
}
