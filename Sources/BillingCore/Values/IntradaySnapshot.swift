/// One key's cost so far at one hour of a day, as the hourly job saw it: what teaches how a day
/// usually accrues.
public struct IntradaySnapshot: Sendable, Hashable {
    public var date: CalendarDay
    public var hour: Int
    public var key: CostKey
    /// The day's cumulative expectAmount at that hour.
    public var expectAmount: ExactDecimal

    public init(date: CalendarDay, hour: Int, key: CostKey, expectAmount: ExactDecimal) {
        self.date = date
        self.hour = hour
        self.key = key
        self.expectAmount = expectAmount
    }
}

/// Snapshots to store: a list of them, or today's costs as of an hour, read as snapshots one at a
/// time, so an hourly run does not hold a second list beside its 125,000 costs.
public struct IntradaySnapshots: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable {
    private enum Storage: Sendable {
        case list([IntradaySnapshot])
        case costs([DailyCost], hour: Int)
    }

    private let storage: Storage

    public init(_ snapshots: [IntradaySnapshot]) {
        storage = .list(snapshots)
    }

    public init(arrayLiteral snapshots: IntradaySnapshot...) {
        self.init(snapshots)
    }

    /// Each cost's expectAmount as of `hour` of its day.
    public init(costs: [DailyCost], hour: Int) {
        storage = .costs(costs, hour: hour)
    }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        switch storage {
        case .list(let snapshots): snapshots.count
        case .costs(let costs, _): costs.count
        }
    }

    public subscript(position: Int) -> IntradaySnapshot {
        switch storage {
        case .list(let snapshots): return snapshots[position]
        case .costs(let costs, let hour):
            let cost = costs[position]
            return IntradaySnapshot(date: cost.date, hour: hour, key: cost.key, expectAmount: cost.expectAmount)
        }
    }
}
