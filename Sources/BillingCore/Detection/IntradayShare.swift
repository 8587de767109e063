/// How much of a day's cost has usually accrued by a given hour, learned from earlier days' hourly
/// snapshots; without enough of them, the hours elapsed.
public enum IntradayShare {
    /// The usual share of the day by `hour` and its relative spread.
    ///
    /// `samples` are (cumulative cost at that hour, the day's final cost) on comparable earlier days. With
    /// fewer than three usable samples the share is the hours elapsed over 24, which never expects more
    /// than has been billed, with a wide spread.
    public static func share(byHour hour: Int, samples: [(atHour: Double, wholeDay: Double)]) -> (share: Double, spread: Double) {
        let shares = samples.compactMap { sample -> Double? in
            sample.wholeDay > 0 ? min(max(sample.atHour / sample.wholeDay, 0), 1) : nil
        }
        guard shares.count >= 3 else { return (Double(hour) / 24, 0.2) }
        let sorted = shares.sorted()
        let median = SampleStatistics.percentile(sorted, 0.5)
        guard median > 0 else { return (Double(hour) / 24, 0.2) }
        return (median, max(SampleStatistics.robustSpread(ofDeviations: shares.map { $0 / median - 1 }), 0.03))
    }
}
