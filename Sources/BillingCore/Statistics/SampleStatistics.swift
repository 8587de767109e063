/// Summary statistics of a sample: mean, sample standard deviation, extremes and percentiles.
public struct SampleStatistics: Sendable, Hashable {
    public var count: Int
    public var mean: Double
    public var std: Double
    public var min: Double
    public var max: Double
    public var p50: Double
    public var p95: Double

    public init(count: Int, mean: Double, std: Double, min: Double, max: Double, p50: Double, p95: Double) {
        self.count = count
        self.mean = mean
        self.std = std
        self.min = min
        self.max = max
        self.p50 = p50
        self.p95 = p95
    }

    /// Nil for an empty sample.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        count = sorted.count
        mean = sorted.reduce(0, +) / Double(count)
        let mean = mean
        let squares = sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        std = count > 1 ? (squares / Double(count - 1)).squareRoot() : 0
        min = sorted[0]
        max = sorted[count - 1]
        p50 = Self.percentile(sorted, 0.50)
        p95 = Self.percentile(sorted, 0.95)
    }

    /// The robust stand-in for a standard deviation: 1.4826 times the median absolute deviation, given
    /// each value's deviation from its centre. It equals the standard deviation for normal noise, and a
    /// few wild values barely move it.
    public static func robustSpread(ofDeviations deviations: [Double]) -> Double {
        1.4826 * percentile(deviations.map { abs($0) }.sorted(), 0.5)
    }

    /// The Student-t quantile with `degrees` degrees of freedom that has the tail of the normal quantile
    /// `z` (the Cornish-Fisher expansion: within 1 % from 4 degrees of freedom on for z up to 4). A spread
    /// estimated from n values is itself uncertain; the same rarity then lies this far out in it.
    public static func studentQuantile(normal z: Double, degrees: Double) -> Double {
        let z2 = z * z
        let terms = [
            (z2 + 1) * z / 4,
            ((5 * z2 + 16) * z2 + 3) * z / 96,
            (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384,
            ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160,
        ]
        var quantile = z
        var power = 1.0
        for term in terms {
            power *= degrees
            quantile += term / power
        }
        return quantile
    }

    /// Linear interpolation between closest ranks (numpy's default): rank = (n - 1) * fraction.
    /// Any sorted run of values: an array, or a few on the stack.
    @inlinable
    public static func percentile<Sorted: RandomAccessCollection>(_ sorted: Sorted, _ fraction: Double) -> Double
    where Sorted.Element == Double, Sorted.Index == Int {
        precondition(!sorted.isEmpty && (0...1).contains(fraction))
        let rank = Double(sorted.count - 1) * fraction
        let lower = Int(rank.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let weight = rank - Double(lower)
        let first = sorted.startIndex
        return sorted[first + lower] + (sorted[first + upper] - sorted[first + lower]) * weight
    }
}
