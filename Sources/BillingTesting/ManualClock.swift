import Foundation
import Synchronization

/// A clock that tests set by hand, for servers that bill "today" up to the current hour.
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
