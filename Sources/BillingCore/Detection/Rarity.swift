/// How unusual a day is for its key, as people read it: a day this high comes about once in `days`
/// days, judged from the key's own history of how far each day stood from the week before it.
///
/// With no earlier day as high, all the history can say is that the day is the highest of the
/// `historyDays` it holds: `days` is then `historyDays + 1`, a floor rather than an estimate.
public struct Rarity: Sendable, Hashable {
    /// About once in this many days.
    public var days: Int
    /// How many earlier days it was judged against.
    public var historyDays: Int

    public init(days: Int, historyDays: Int) {
        self.days = days
        self.historyDays = historyDays
    }

    /// The rarity of `deviation` among `history` (both log-ratios to the level of the week before):
    /// (n + 1) / (k + 1), where k of the n earlier days stood at least as high. Nil under a week of history.
    public init?(of deviation: Double, among history: [Double]) {
        guard history.count >= 7 else { return nil }
        let asHigh = history.reduce(0) { $0 + ($1 >= deviation ? 1 : 0) }
        self.init(days: (history.count + 1) / (asHigh + 1), historyDays: history.count)
    }

    /// Whether no earlier day stood as high.
    public var isHighest: Bool { days > historyDays }

    /// "the highest in 98 days", or "about once in 20 days".
    public var text: String {
        isHighest ? "the highest in \(historyDays) days" : "about once in \(days) days"
    }
}
