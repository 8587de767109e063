import BillingCore
import Foundation

/// Synthetic daily bills with known anomalies, for scoring detectors: each key follows one pattern a
/// real bill shows, and labels say on which days an alert is wanted.
public struct LabelledBills: BillSet {
    public enum Pattern: String, Sendable, CaseIterable {
        case steady, weekly, growing, monthlyCharge, intermittent, tiny, noisy, newService
    }

    /// An injected anomaly: an alert is wanted on at least one of its days.
    public struct Anomaly: Sendable, Hashable {
        public enum Kind: String, Sendable { case spike, levelShift }
        public var kind: Kind
        public var days: ClosedRange<CalendarDay>
    }

    public struct Bill: Sendable {
        public var key: CostKey
        public var pattern: Pattern
        public var series: DailySeries
        /// Where alerts are wanted; any other flagged day is a false alert.
        public var anomalies: [Anomaly]
    }

    public var seed: UInt64
    public var keys: Int
    public var days: Int
    public var start: CalendarDay

    public init(seed: UInt64 = 42, keys: Int = 160, days: Int = 182, start: CalendarDay = CalendarDay("20250601")!) {
        self.seed = seed
        self.keys = keys
        self.days = days
        self.start = start
    }

    public func generate() -> [Bill] {
        (0..<keys).map { index in
            let pattern = Pattern.allCases[index % Pattern.allCases.count]
            return bill(index: index, pattern: pattern)
        }
    }

    private func bill(index: Int, pattern: Pattern) -> Bill {
        var random = SeededRandom(seed, "labelled", String(index))
        let key = CostKey(domainId: "d\(index % 3)", projectId: "p\(index % 11)", serviceId: "\(pattern.rawValue)-\(index)")
        let base = pattern == .tiny ? random.uniform(40...150) : 20_000 * Double.pow10(random.uniform(0...1.5))
        let noise = pattern == .noisy ? random.uniform(0.15...0.3) : random.uniform(0.02...0.07)
        let weekendFactor = pattern == .weekly ? random.uniform(0.3...0.7) : 1
        let growth = pattern == .growing ? random.uniform(0.004...0.012) : 0
        let firstDay = pattern == .newService ? random.int(45...90) : 0
        let chargeDay = random.int(1...28)
        var values = (0..<days).map { offset -> Double in
            guard offset >= firstDay else { return 0 }
            let day = start.adding(days: offset)
            var value = base * (1 + growth * Double(offset))
            if day.isWeekend { value *= weekendFactor }
            if pattern == .intermittent, day.isoWeekday != 1 { return 0 }
            if pattern == .intermittent { value *= 6 }
            value *= Swift.max(0.05, 1 + noise * random.normal())
            if pattern == .monthlyCharge, day.day == chargeDay { value += base * random.uniform(4...8) }
            return value
        }
        // One or two injected anomalies in the scored days, on a day the pattern bills.
        var anomalies: [Anomaly] = []
        var taken = Set<Int>()
        for _ in 0..<random.int(1...2) {
            let scoredStart = Swift.max(49, firstDay + 21)
            guard scoredStart < days - 8 else { break }
            var offset = random.int(scoredStart...(days - 8))
            if pattern == .intermittent { offset += (8 - start.adding(days: offset).isoWeekday) % 7 }
            guard !(offset - 10...offset + 10).contains(where: taken.contains), offset < days - 4 else { continue }
            taken.insert(offset)
            if random.unit() < 0.7 || pattern == .intermittent {
                let length = pattern == .intermittent ? 1 : random.int(1...3)
                let factor = random.uniform(2.5...5)
                for day in offset..<(offset + length) { values[day] *= factor }
                anomalies.append(Anomaly(kind: .spike, days: start.adding(days: offset)...start.adding(days: offset + length - 1)))
            } else {
                let factor = random.uniform(1.8...3)
                for day in offset..<days { values[day] *= factor }
                // Wanted when the new level appears; from the third day on it is the new normal.
                anomalies.append(Anomaly(kind: .levelShift, days: start.adding(days: offset)...start.adding(days: offset + 1)))
            }
        }
        // A tiny bill's spike is below any sensible minimum impact: no alert is wanted for it.
        if pattern == .tiny { anomalies = [] }
        let rounded = values.map { ($0 * 100).rounded() / 100 }
        return Bill(key: key, pattern: pattern, series: DailySeries(start: start, values: rounded), anomalies: anomalies)
    }
}

extension SeededRandom {
    /// A standard normal draw (Box-Muller).
    mutating func normal() -> Double {
        let u = Swift.max(unit(), 1e-12)
        let v = unit()
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }
}

extension Double {
    static func pow10(_ exponent: Double) -> Double {
        Foundation.pow(10, exponent)
    }
}
