/// One service's cost on one day, summed over every domain and project: what the overview charts.
public struct ServiceDayTotal: Sendable, Hashable {
    public var date: CalendarDay
    public var serviceId: String
    /// The name the day's rows carry (the greatest, where they differ).
    public var serviceName: String
    public var amount: ExactDecimal
    /// How many (domain, project) keys of the service cost that day.
    public var keyCount: Int

    public init(date: CalendarDay, serviceId: String, serviceName: String, amount: ExactDecimal, keyCount: Int) {
        self.date = date
        self.serviceId = serviceId
        self.serviceName = serviceName
        self.amount = amount
        self.keyCount = keyCount
    }
}
