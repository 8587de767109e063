import Foundation

/// The default detector: judges a day against what is normal for that key on that day, learned from
/// the days before it with robust statistics.
///
/// What it expects is the key's recent level (the median of the last week, without weekday effects,
/// projected forward when the key grows steadily) times the day's weekday factor, or the charge seen on
/// the same day of earlier months when that recurs. A new level is alerted on the day it appears and
/// accepted from the next day on; costs below the expected ones are never anomalies.
public struct SeasonalDetector: Sendable {
    public static let name = "seasonal"

    public struct Settings: Sendable, Hashable {
        /// How far above the expected cost, in the key's own day-to-day spread of log costs: 3 is a day
        /// that log-normal noise reaches about once in 740 days.
        public var zScore: Double
        /// Observed over expected; smaller rises are never alerted.
        public var ratio: Double
        /// The excess over the expected cost, in the bill's currency; smaller excesses are never alerted.
        public var minImpact: Double
        public var rule: DetectionRule
        /// How far back the detector looks.
        public var historyDays: Int
        /// Fewer days of history than this (since the key's first cost) are not judged.
        public var minHistoryDays: Int
        /// A day must be at least this rare for its key (about once in this many days, `Rarity`) to be
        /// an anomaly; 0 leaves rarity out of the decision. Where history is too short to say, it does
        /// not hold a day back.
        public var minRarityDays = 0

        public init(
            zScore: Double = 3, ratio: Double = 1.5, minImpact: Double = 1000, rule: DetectionRule = .default,
            historyDays: Int = 98, minHistoryDays: Int = 5
        ) {
            self.zScore = zScore
            self.ratio = ratio
            self.minImpact = minImpact
            self.rule = rule
            self.historyDays = historyDays
            self.minHistoryDays = minHistoryDays
        }
    }

    public var settings: Settings

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Judges `observed` on `day`, the day after `history` ends.
    ///
    /// `accrued` is the share of the day's cost expected so far (from intraday history, or the hours
    /// elapsed); below 1 the expected cost, its range and the noise scale with it.
    public func assess(
        observed: Double, on day: CalendarDay, history full: DailySeries, accrued: Double = 1, accruedSpread: Double = 0
    ) -> Assessment {
        let history = Self.trimmed(full.suffix(settings.historyDays))
        guard history.count >= settings.minHistoryDays else {
            return Assessment(observed: observed, reason: "\(history.count) of \(settings.minHistoryDays) days of history")
        }
        let model = SeasonalModel(history)
        guard var level = model.level(endingAt: history.count) else {
            return Assessment(observed: observed, reason: "no recent cost to compare with")
        }
        let weekLevel = level
        level *= model.growthPerDay(endingAt: history.count).map { Double.power($0, 4) } ?? 1
        var sigma = model.relativeNoise(endingAt: history.count)
        var explanation = "recent level"
        if let shifted = model.shiftedLevel(endingAt: history.count, level: level, sigma: sigma) {
            level = shifted
            explanation = "the new level of the last days"
        }
        let factor = model.weekdayFactor(day.isoWeekday) * accrued
        var expected = level * factor
        // A recurring charge varies as much as its own months did.
        var chargeScale = 0.0
        if factor != 1 { explanation += " x weekday factor \(AlertText.fixed(factor))" }
        if let recurring = model.recurringCharge(on: day, level: level), recurring.expected > expected {
            expected = recurring.expected * accrued
            sigma = max(sigma, recurring.sigma)
            chargeScale = Foundation.log(1 + recurring.sigma)
            explanation = "the charge seen on day \(day.day) of earlier months"
        }
        // A new level appears as two high days in a row: alert the first, accept the second.
        // (A recurring charge yesterday is not a new level.)
        if model.recurringCharge(on: day.adding(days: -1), level: level) == nil,
            let previous = model.previousElevation(endingAt: history.count, level: level, sigma: sigma),
            observed / max(factor, 0.05) >= previous * 0.7, observed / max(factor, 0.05) <= previous * 1.43
        {
            expected = max(expected, previous * factor)
            explanation = "the new level of the last days"
        }
        // Cost noise is multiplicative: a day at 1.8x the usual is far likelier than one at 0.2x. So the
        // day is weighed in log space, observed over expected, against the key's own log deviations
        // (each earlier day against the level of the week before it), plus how unsure the share accrued
        // so far is. Those deviations are read only for a day above expected by at least the minimum
        // impact, the only kind that can be an anomaly; any other day is weighed against the quicker
        // relative spread.
        let residuals = expected > 0 && observed - expected >= settings.minImpact
            ? model.logResiduals(endingAt: history.count, window: settings.historyDays) : nil
        let logScale = max(residuals.map { SeasonalModel.logScale(of: $0, zScore: settings.zScore) } ?? Foundation.log(1 + sigma), chargeScale)
        let scale = (logScale * logScale + accruedSpread * accruedSpread).squareRoot()
        let logRatio = expected > 0 && observed > 0 ? Foundation.log(observed / expected) : (observed > 0 ? .infinity : 0)
        let z = logRatio.isFinite ? logRatio / scale : 99
        let ratio = expected > 0 ? observed / expected : (observed > 0 ? .infinity : 1)
        let impact = observed - expected
        var crossed: Set<DetectionRule.Term> = []
        if z >= settings.zScore { crossed.insert(.z) }
        if ratio >= settings.ratio { crossed.insert(.ratio) }
        if impact >= settings.minImpact { crossed.insert(.impact) }
        let crossesRule = observed > expected && impact >= settings.minImpact && settings.rule.holds(crossed)
        // How unusual the day is for the key, against its own days: each weighed, like this one, against
        // the level of the week before it, without weekday effects. It reads the whole history, so it is
        // worked out only where it can matter: for a day that crosses the rule, or when a minimum is set.
        let neutral = observed / max(factor, 0.05)
        let rarity = (crossesRule || settings.minRarityDays > 0) && neutral > 0
            ? Rarity(
                of: Foundation.log(neutral / weekLevel),
                among: residuals ?? model.logResiduals(endingAt: history.count, window: settings.historyDays))
            : nil
        let rareEnough = settings.minRarityDays <= 0 || (rarity.map { $0.days >= settings.minRarityDays } ?? true)
        let isAnomaly = crossesRule && rareEnough
        return Assessment(
            observed: observed, expected: expected, low: expected * Foundation.exp(-2 * scale), high: expected * Foundation.exp(3 * scale),
            zScore: z, ratio: ratio, impact: impact, isAnomaly: isAnomaly,
            reason: isAnomaly
                ? "\(settings.rule) crossed against \(explanation)"
                : rareEnough ? "within what is normal (\(explanation))" : "not rare enough for this key (\(rarity?.text ?? ""))",
            rarity: rarity)
    }

    /// The history from the key's first cost on.
    static func trimmed(_ series: DailySeries) -> DailySeries {
        guard let first = series.values.firstIndex(where: { $0 != 0 }) else { return DailySeries(start: series.start, values: []) }
        return DailySeries(start: series.day(at: first), values: Array(series.values[first...]))
    }
}

/// What a detector concluded about one day, with the numbers that explain it.
public struct Assessment: Sendable, Hashable {
    public var observed: Double
    /// Nil when the day was not judged.
    public var expected: Double?
    /// The range of normal costs.
    public var low: Double?
    public var high: Double?
    public var zScore: Double?
    public var ratio: Double?
    /// Observed minus expected.
    public var impact: Double?
    public var isAnomaly: Bool
    /// The rule that fired, or why the day is normal or not judged.
    public var reason: String
    /// How unusual the day is for its key; nil where history is too short to say, and for a day that
    /// does not cross the rule unless a minimum rarity is set.
    public var rarity: Rarity?

    public init(
        observed: Double, expected: Double? = nil, low: Double? = nil, high: Double? = nil, zScore: Double? = nil,
        ratio: Double? = nil, impact: Double? = nil, isAnomaly: Bool = false, reason: String, rarity: Rarity? = nil
    ) {
        self.rarity = rarity
        self.observed = observed
        self.expected = expected
        self.low = low
        self.high = high
        self.zScore = zScore
        self.ratio = ratio
        self.impact = impact
        self.isAnomaly = isAnomaly
        self.reason = reason
    }

    public var isJudged: Bool { expected != nil }
}

extension Double {
    static func power(_ base: Double, _ exponent: Int) -> Double {
        (0..<exponent).reduce(1) { result, _ in result * base }
    }
}
