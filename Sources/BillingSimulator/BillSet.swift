import BillingCore

/// A generated set of daily bills that detectors are scored on.
public protocol BillSet: Sendable {
    var start: CalendarDay { get }
    /// How many days each bill covers.
    var days: Int { get }
}

extension BillSet {
    /// The days detectors are scored on: all but the first five weeks, which are history.
    public var scoredDays: ClosedRange<CalendarDay> {
        start.adding(days: 35)...start.adding(days: days - 1)
    }
}
