/// The daily job's summary for people who want one message a day: the day's total against the usual,
/// the keys that moved the most, and the anomalies nobody has closed yet.
public struct DailyDigest: Sendable, Hashable {
    /// A key whose cost moved away from its usual amount.
    public struct Mover: Sendable, Hashable {
        public var key: CostKey
        public var domainName: String
        public var projectName: String
        public var serviceName: String
        public var amount: ExactDecimal
        /// The median of the key's cost over the days before (a day without it counts as 0).
        public var usual: Double
        public var change: Double { amount.doubleValue - usual }

        public init(key: CostKey, domainName: String, projectName: String, serviceName: String, amount: ExactDecimal, usual: Double) {
            self.key = key
            self.domainName = domainName
            self.projectName = projectName
            self.serviceName = serviceName
            self.amount = amount
            self.usual = usual
        }
    }

    /// How far one key's cost on a day is from its usual, before it is named.
    public struct Move: Sendable, Hashable {
        public var key: CostKey
        public var amount: Double
        public var usual: Double
        public var change: Double { amount - usual }
    }

    /// The `top` keys whose cost on `day` (`today`, a key missing from it costing 0) is furthest from
    /// their usual: the median of the `usualDays` days before in `history`, a day with some cost but
    /// none for the key counting as 0, times `accrued` (the share of the day billed so far; 1 for a
    /// finished day). Largest first, then by key; a key that did not move is left out.
    public static func moves(on day: CalendarDay, today: [CostKey: Double], history: CostHistory, top: Int, accrued: Double = 1) -> [Move] {
        let first = Int32(day.adding(days: -usualDays).daysSinceEpoch), last = Int32(day.daysSinceEpoch) - 1
        var earlierDays = Set<Int32>()
        for entries in history.entries.values {
            for entry in entries where entry.day >= first && entry.day <= last { earlierDays.insert(entry.day) }
        }
        // Only the `top` moves are kept as the keys go by, and one buffer holds each key's days: a day
        // of 125,000 keys needs no array per key, nor a sort of them all.
        var best = TopMoves(limit: top)
        var withHistory = Set<CostKey>()
        var amounts: [Double] = []
        for (key, entries) in history.entries {
            amounts.removeAll(keepingCapacity: true)
            for entry in entries where entry.day >= first && entry.day <= last { amounts.append(entry.amount) }
            guard !amounts.isEmpty else { continue }
            withHistory.insert(key)
            // Days without the key billed nothing for it.
            amounts.append(contentsOf: repeatElement(0, count: max(0, earlierDays.count - amounts.count)))
            amounts.sort()
            best.consider(Move(key: key, amount: today[key] ?? 0, usual: SampleStatistics.percentile(amounts, 0.5) * accrued))
        }
        for (key, amount) in today where !withHistory.contains(key) {
            best.consider(Move(key: key, amount: amount, usual: 0))
        }
        return best.moves
    }

    /// The largest moves seen so far, in the order `moves` gives: largest change first, then by key.
    private struct TopMoves {
        let limit: Int
        private(set) var moves: [Move] = []

        init(limit: Int) { self.limit = max(0, limit) }

        static func precedes(_ a: Move, _ b: Move) -> Bool {
            (abs(a.change), b.key) > (abs(b.change), a.key)
        }

        mutating func consider(_ move: Move) {
            guard move.change != 0, limit > 0 else { return }
            if moves.count == limit {
                guard let last = moves.last, Self.precedes(move, last) else { return }
                moves.removeLast()
            }
            let index = moves.firstIndex { Self.precedes(move, $0) } ?? moves.endIndex
            moves.insert(move, at: index)
        }
    }

    /// `moves` named after the day's costs; a key missing from the day keeps its ids only.
    public static func movers(on day: CalendarDay, costs: [DailyCost], history: CostHistory, top: Int, accrued: Double = 1) -> [Mover] {
        var positions: [CostKey: Int] = [:]
        var today: [CostKey: Double] = [:]
        positions.reserveCapacity(costs.count)
        today.reserveCapacity(costs.count)
        for (position, cost) in costs.enumerated() where positions[cost.key] == nil {
            positions[cost.key] = position
            today[cost.key] = cost.expectAmount.doubleValue
        }
        return moves(on: day, today: today, history: history, top: top, accrued: accrued).map { move in
            let cost = positions[move.key].map { costs[$0] }
            return Mover(
                key: move.key, domainName: cost?.domainName ?? "", projectName: cost?.projectName ?? "", serviceName: cost?.serviceName ?? "",
                amount: cost?.expectAmount ?? .zero, usual: move.usual)
        }
    }

    /// How many movers the daily job keeps of each day, for the dashboard's overview.
    public static let keptMovers = 10

    /// How many days before the digest's day make up "usual".
    public static let usualDays = 7

    public var total: DailyTotal
    /// The share of the day billed when the digest was made: 1 for a finished day, less for today so
    /// far, whose usual figures are scaled by it so that like is compared with like.
    public var accrued: Double = 1
    /// The median of the earlier days' totals (times `accrued`); nil without any earlier day.
    public var usualTotal: Double?
    /// The largest moves up or down, largest first.
    public var topMovers: [Mover]
    /// One per anomaly id from the last `usualDays` days, not closed by feedback nor silenced, largest first.
    public var openAnomalies: [Anomaly]
    /// Open anomalies a silence holds back.
    public var silencedCount: Int

    public var date: CalendarDay { total.date }

    /// Builds the digest for `total.date` from that day's costs, the days before it, and the recent
    /// anomalies with what people said of them.
    public init(
        total: DailyTotal, costs: [DailyCost], history: [DailyCost], anomalies: [Anomaly],
        feedback: [AnomalyFeedback], silences: [Silence], top: Int = 5, accrued: Double = 1
    ) {
        self.init(
            total: total, costs: costs, history: CostHistory(history), anomalies: anomalies, feedback: feedback,
            silences: silences, top: top, accrued: accrued)
    }

    /// The same from amounts only; a key missing from the day is named by its ids. `movers`, when the
    /// caller has found them already (`movers(on:costs:history:top:accrued:)` with these arguments and a
    /// `top` of at least this one), are used instead of finding them again over every key.
    public init(
        total: DailyTotal, costs: [DailyCost], history: CostHistory, anomalies: [Anomaly],
        feedback: [AnomalyFeedback], silences: [Silence], top: Int = 5, accrued: Double = 1, movers: [Mover]? = nil
    ) {
        let day = total.date
        let first = Int32(day.adding(days: -Self.usualDays).daysSinceEpoch), last = Int32(day.daysSinceEpoch) - 1
        self.total = total
        var totalsByDay: [Int32: Double] = [:]
        for entries in history.entries.values {
            for entry in entries where entry.day >= first && entry.day <= last { totalsByDay[entry.day, default: 0] += entry.amount }
        }
        self.accrued = accrued
        usualTotal = totalsByDay.isEmpty ? nil : SampleStatistics.percentile(totalsByDay.values.sorted(), 0.5) * accrued
        // The first `top` of a longer list of the largest moves are the `top` largest.
        topMovers = movers.map { Array($0.prefix(top)) } ?? Self.movers(on: day, costs: costs, history: history, top: top, accrued: accrued)

        let closed = Set(feedback.filter { !$0.verdict.keepsAlerting }.map(\.id))
        var latest: [AnomalyID: Anomaly] = [:]
        for anomaly in anomalies where anomaly.date > day.adding(days: -Self.usualDays) && anomaly.date <= day {
            guard !closed.contains(anomaly.id) else { continue }
            if let seen = latest[anomaly.id], seen.hour >= anomaly.hour { continue }
            latest[anomaly.id] = anomaly
        }
        let open = latest.values.filter { Silence.silencing($0, among: silences, on: day) == nil }
        silencedCount = latest.count - open.count
        openAnomalies = open.sorted {
            (($0.explanation.impact ?? 0), $1.date, $1.key) > (($1.explanation.impact ?? 0), $0.date, $0.key)
        }
    }
}
