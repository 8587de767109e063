/// Each key's daily cost over a span of days, in a few bytes a day: what detection, baselines and the
/// digest need of history, without names, lists or parts. A store fills it in one pass, so history
/// of any length costs memory per key and day, not per stored row's text.
public struct CostHistory: Sendable {
    public struct Entry: Sendable, Hashable {
        // The amount first: laid out in this order an entry takes 16 bytes, not 24.
        public var amount: Double
        /// Days since 1970-01-01.
        public var day: Int32
        public var isAnomaly: Bool

        public init(day: Int32, amount: Double, isAnomaly: Bool) {
            self.day = day
            self.amount = amount
            self.isAnomaly = isAnomaly
        }

        public var date: CalendarDay { CalendarDay(daysSinceEpoch: Int(day)) }
    }

    public private(set) var entries: [CostKey: [Entry]] = [:]

    public init() {}

    public init(_ costs: some Sequence<DailyCost>) {
        for cost in costs { add(cost) }
    }

    public mutating func add(date: CalendarDay, key: CostKey, amount: Double, isAnomaly: Bool) {
        entries[key, default: []].append(Entry(day: Int32(date.daysSinceEpoch), amount: amount, isAnomaly: isAnomaly))
    }

    /// Adds a key's entries read together, after any it has.
    public mutating func append(_ newEntries: [Entry], for key: CostKey) {
        if entries[key] == nil {
            entries[key] = newEntries
        } else {
            entries[key]!.append(contentsOf: newEntries)
        }
    }

    public mutating func add(_ cost: DailyCost) {
        add(date: cost.date, key: cost.key, amount: cost.expectAmount.doubleValue, isAnomaly: cost.isAnomaly)
    }

    /// The same history with `key`'s day marked as unusual or not.
    public func flagging(_ key: CostKey, on day: CalendarDay, isAnomaly: Bool) -> CostHistory {
        var copy = self
        let flagged = Int32(day.daysSinceEpoch)
        copy.entries[key] = entries[key]?.map { entry in
            var entry = entry
            if entry.day == flagged { entry.isAnomaly = isAnomaly }
            return entry
        }
        return copy
    }

    /// The key's entries dated before `day`.
    public func before(_ day: CalendarDay, of key: CostKey) -> [(day: CalendarDay, amount: Double)] {
        let limit = Int32(day.daysSinceEpoch)
        return (entries[key] ?? []).filter { $0.day < limit }.map { ($0.date, $0.amount) }
    }

    /// Each key's amount on `day`, for the keys that have one.
    public func amounts(on day: CalendarDay) -> [CostKey: Double] {
        let day = Int32(day.daysSinceEpoch)
        var amounts: [CostKey: Double] = [:]
        for (key, entries) in self.entries {
            if let entry = entries.first(where: { $0.day == day }) { amounts[key] = entry.amount }
        }
        return amounts
    }

    public var rowCount: Int { entries.values.reduce(0) { $0 + $1.count } }
}
