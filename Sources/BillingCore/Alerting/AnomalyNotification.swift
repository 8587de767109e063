/// A new notification state for the anomaly at (date, hour, key), as a run records it.
public struct AnomalyNotification: Sendable, Hashable {
    public var date: CalendarDay
    public var hour: Int
    public var key: CostKey
    public var state: NotificationState

    public init(date: CalendarDay, hour: Int, key: CostKey, state: NotificationState) {
        self.date = date
        self.hour = hour
        self.key = key
        self.state = state
    }
}
