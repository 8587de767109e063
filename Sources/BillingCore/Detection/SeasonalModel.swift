import Foundation

/// Robust statistics of one key's history: weekday factors, recent level, growth, noise and charges
/// that recur on the same day of the month. Indices count days into the series.
struct SeasonalModel {
    let series: DailySeries
    /// Index 1...7 by ISO weekday; index 0 unused.
    let factors: [Double]
    /// The weekday-neutral value of each day, nil where its weekday normally costs nothing.
    let neutral: [Double?]

    init(_ series: DailySeries) {
        self.series = series
        let factors = Self.weekdayFactors(series)
        self.factors = factors
        neutral = series.values.indices.map { index in
            let factor = factors[series.day(at: index).isoWeekday]
            return factor >= 0.1 ? series.values[index] / factor : nil
        }
    }

    func weekdayFactor(_ weekday: Int) -> Double {
        factors[weekday]
    }

    /// The median weekday-neutral value of the last 3 days before `end`, when it stands well above the
    /// 7-day level: costs that moved to a new level two days ago are that level now.
    func shiftedLevel(endingAt end: Int, level: Double, sigma: Double) -> Double? {
        let recent = neutral[max(0, end - 3)..<end].compactMap { $0 }
        guard recent.count == 3 else { return nil }
        let shifted = Self.median(recent)
        return shifted > level * (1 + 2.2 * sigma) ? shifted : nil
    }

    /// The median weekday-neutral value of the 7 days before `end`, or of the last three costed days within
    /// four weeks for a key that costs on fewer days of the week.
    ///
    /// The detector asks this for each of up to 98 days of a key's history, so it gathers the days on
    /// the stack, newest first, rather than in arrays.
    func level(endingAt end: Int) -> Double? {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 7) { recent in
            var count = 0
            var index = end - 1
            // The week before `end`; for a key that costs on few weekdays, back to four weeks until three.
            while index >= max(0, end - 28), index >= end - 7 || count < 3 {
                if let value = neutral[index] {
                    recent[count] = value
                    count += 1
                }
                index -= 1
            }
            guard count > 0 else { return nil }
            let level = Self.median(sorting: UnsafeMutableBufferPointer(rebasing: recent[..<count]))
            return level > 0 ? level : nil
        }
    }

    /// Daily growth when the last three weeks all moved the same way, else nil.
    func growthPerDay(endingAt end: Int) -> Double? {
        guard end >= 21, let a = level(endingAt: end), let b = level(endingAt: end - 7), let c = level(endingAt: end - 14) else {
            return nil
        }
        let recent = a / b
        let earlier = b / c
        guard (recent > 1.005 && earlier > 1.005) || (recent < 0.995 && earlier < 0.995) else { return nil }
        // Similar steps, not one jump: a level shift is not growth.
        guard max(recent, earlier) / min(recent, earlier) < 1.1 else { return nil }
        let weekly = min(max((recent * earlier).squareRoot(), 0.85), 1.15)
        return pow7(weekly)
    }

    /// Relative noise: the robust spread (1.4826 x MAD) of weekday-neutral values around their median,
    /// over the last four weeks, at least 4 %; wider with little history.
    func relativeNoise(endingAt end: Int) -> Double {
        let window = neutral[max(0, end - 28)..<end].compactMap { $0 }
        guard window.count >= 3 else { return 0.25 }
        let center = Self.median(window)
        guard center > 0 else { return 0.25 }
        let spread = max(SampleStatistics.robustSpread(ofDeviations: window.map { $0 / center - 1 }), 0.04)
        return window.count < 14 ? spread * 1.5 : spread
    }

    /// How each of the last `window` days before `end` stood against the level of the week before it,
    /// in log space: the key's own deviations from what it would have been expected to cost.
    func logResiduals(endingAt end: Int, window: Int) -> [Double] {
        var residuals: [Double] = []
        for index in max(1, end - window)..<max(1, end) {
            guard let value = neutral[index], value > 0, let level = level(endingAt: index) else { continue }
            residuals.append(Foundation.log(value / level))
        }
        return residuals
    }

    /// The key's own day-to-day spread in log space: the standard deviation of `logResiduals` with each
    /// held within 3 robust spreads of their median, at least 4 %. It holds the error of a level taken
    /// from a few noisy days, since each residual was weighed against one. A spread from few residuals is
    /// itself unsure, so it is widened by how much farther out than `zScore` the Student-t quantile of the
    /// same tail lies: 1.25x from 13 residuals (a key that costs once a week), 1.03x from 97.
    static func logScale(of residuals: [Double], zScore: Double) -> Double {
        guard residuals.count >= 3 else { return 0.25 }
        let center = median(residuals)
        let deviations = residuals.map { $0 - center }
        // As robust to a few wild days as the median absolute deviation, and over twice as sure of itself
        // from the same days, so fewer keys look calmer than they are (1.0025 makes it exact for normal
        // noise).
        let bound = 3 * SampleStatistics.robustSpread(ofDeviations: deviations)
        let held = deviations.map { min(max($0, -bound), bound) }
        let deviation = (held.reduce(0) { $0 + $1 * $1 } / Double(held.count)).squareRoot() * 1.0025
        let spread = max(deviation, 0.04)
        let z = max(zScore, 1)
        return spread * SampleStatistics.studentQuantile(normal: z, degrees: Double(residuals.count - 1)) / z
    }

    /// The weekday-neutral value of the latest day that stood well above the level before it, when the
    /// day before `end` was one; nil otherwise.
    func previousElevation(endingAt end: Int, level: Double, sigma: Double) -> Double? {
        guard end >= 2, let value = neutral[end - 1], let before = self.level(endingAt: end - 1) else { return nil }
        return value > before * (1 + 4 * sigma) && value > before * 1.2 ? value : nil
    }

    /// The charge on `day`'s day of the month in up to three earlier months, when it stood out each time:
    /// the expected charge, and its relative spread (wide while there are few of them).
    func recurringCharge(on day: CalendarDay, level now: Double) -> (expected: Double, sigma: Double)? {
        var multiples: [Double] = []
        for monthsBack in 1...3 {
            var year = day.year
            var month = day.month - monthsBack
            while month < 1 {
                month += 12
                year -= 1
            }
            let sameDay = min(day.day, CalendarDay.daysIn(month: month, year: year))
            guard let earlier = CalendarDay(year: year, month: month, day: sameDay) else { continue }
            let index = series.start.days(until: earlier)
            guard index >= 1, index < series.count, let before = level(endingAt: index) else { continue }
            let value = series.values[index]
            let factor = factors[earlier.isoWeekday]
            guard value > before * max(factor, 0.1) * 1.5 else { return nil }
            multiples.append(value / before)
        }
        guard !multiples.isEmpty else { return nil }
        let center = Self.median(multiples)
        let spread = multiples.count >= 3 ? SampleStatistics.robustSpread(ofDeviations: multiples.map { $0 / center - 1 }) : 0
        return (now * center, max(spread, multiples.count >= 3 ? 0.15 : 0.5))
    }

    /// Each weekday's median ratio to the trailing 7-day mean, over the last eight weeks, normalised to
    /// average 1. All 1 with less than three weeks of history.
    static func weekdayFactors(_ series: DailySeries) -> [Double] {
        guard series.count >= 21 else { return Array(repeating: 1, count: 8) }
        var ratios: [[Double]] = Array(repeating: [], count: 8)
        let first = max(6, series.count - 56)
        for index in first..<series.count {
            let mean = series.values[(index - 6)...index].reduce(0, +) / 7
            guard mean > 0 else { continue }
            ratios[series.day(at: index).isoWeekday].append(series.values[index] / mean)
        }
        let medians = ratios.map { $0.isEmpty ? 1 : median($0) }
        var factors = medians
        let average = factors[1...7].reduce(0, +) / 7
        guard average > 0 else { return Array(repeating: 1, count: 8) }
        for weekday in 1...7 { factors[weekday] /= average }
        factors[0] = 1
        // A factor within the noise of its own estimate is no weekday effect: keep 1 there. The noise is
        // pooled over all weekdays (each day's ratio against its weekday's median), since a handful of
        // one weekday's days can look calm by chance. Under three samples the noise cannot be told, and
        // one unusual week (a monthly charge raising the trailing mean) would set the factor: keep 1.
        let deviations = (1...7).flatMap { weekday in ratios[weekday].map { $0 - medians[weekday] } }
        let spread = deviations.isEmpty ? 0 : SampleStatistics.robustSpread(ofDeviations: deviations)
        for weekday in 1...7 {
            let count = ratios[weekday].count
            let standardError = 1.2533 * spread / Double(max(count, 1)).squareRoot()
            if count < 3 || abs(factors[weekday] - 1) < 3 * standardError { factors[weekday] = 1 }
        }
        return factors
    }

    static func median(_ values: [Double]) -> Double {
        SampleStatistics.percentile(values.sorted(), 0.5)
    }

    /// The median of a few values, sorted where they lie: the same figure as `median(_:)`.
    static func median(sorting values: UnsafeMutableBufferPointer<Double>) -> Double {
        var values = values
        values.sort()
        return SampleStatistics.percentile(values, 0.5)
    }

    private func pow7(_ weekly: Double) -> Double {
        // The seventh root, by Newton's method, to stay free of libm here.
        var root = 1.0
        for _ in 0..<30 { root -= (Double.power(root, 7) - weekly) / (7 * Double.power(root, 6)) }
        return root
    }
}
