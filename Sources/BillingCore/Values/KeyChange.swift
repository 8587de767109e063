/// How one key's cost on a day compares with its average day over the days before: what the overview
/// lists as the day's top movers. Amounts are for reading, not for sums (doubles).
public struct KeyChange: Sendable, Hashable {
    public var key: CostKey
    public var amount: Double
    /// The average over the days compared with, days without a cost counting as zero.
    public var before: Double

    public init(key: CostKey, amount: Double, before: Double) {
        self.key = key
        self.amount = amount
        self.before = before
    }

    public var change: Double { amount - before }
}
