import BillingCore

/// The days a listing covers, as the command line and the JSON API both ask for them: one day (`date`),
/// or `from` and `to`, the last seven days through today when neither is given.
public struct DayRange: Sendable, Hashable {
    public var date: CalendarDay?
    public var from: CalendarDay?
    public var to: CalendarDay?

    public init(date: CalendarDay? = nil, from: CalendarDay? = nil, to: CalendarDay? = nil) {
        self.date = date
        self.from = from
        self.to = to
    }

    /// Why the days asked for make no range, said as a fix, with each parameter's name as `spelled`
    /// (`--from` on the command line); nil when they make one.
    public func problem(spelled name: (String) -> String = { $0 }) -> String? {
        if date != nil, from != nil || to != nil { return "give \(name("date")), or \(name("from")) and \(name("to")), not both" }
        if let from, let to, from > to {
            return "\(name("from")) \(from.compact) is after \(name("to")) \(to.compact); give the earlier day first"
        }
        return nil
    }

    public func days(today: CalendarDay) -> ClosedRange<CalendarDay> {
        if let date { return date...date }
        let last = to ?? today
        return min(from ?? last.adding(days: -6), last)...last
    }
}
