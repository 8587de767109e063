import BillingCore
import Foundation

/// Labelled daily bills across the noise real costs show, for scoring detectors where they fail: noise
/// from 2 % to 50 %, multiplicative (log-normal) or heavy-tailed (Student-t in log space), weekly and
/// monthly patterns, keys that start late and grow, and injected spikes, level shifts and ramps.
///
/// Labels come from the injected change, not from any detector: a day whose injected rise is at least
/// `wantedRise` times the noise-free level, with an excess of at least `minImpact`, is wanted; days of
/// smaller rises, and the weeks right after a level shift or a ramp, get no verdict either way; every
/// other day is unwanted, and an alert there is a false one.
public struct WideBills: BillSet {
    public enum Pattern: String, Sendable, CaseIterable {
        case steady, weekly, monthlyFee, growing, lateStart, mondayOnly, tiny
    }

    /// How a set's bills are made. Two principles, so that no one generator's shape decides a detector's
    /// defaults.
    public enum Principle: String, Sendable, CaseIterable {
        /// Each day's noise drawn on its own around a level with weekends, growth and a monthly fee;
        /// events are spikes, level shifts and ramps.
        case independent
        /// Noise that persists from day to day (AR(1) in log space), a profile over all seven weekdays,
        /// maintenance days that cost nothing, and step-downs (no alert wanted) among the events.
        case persistent
    }

    public enum Tail: String, Sendable, CaseIterable {
        /// Normal in log space: a day at 1.8x the usual is as likely as one at 1/1.8.
        case logNormal
        /// Student-t with 4 degrees of freedom in log space: rare days far out, on both sides.
        case heavy
    }

    /// The noise bands scores are reported by: a key's day-to-day spread, as a coefficient of variation.
    public enum NoiseBand: String, Sendable, CaseIterable {
        case upTo10 = "2-10%", upTo20 = "10-20%", upTo35 = "20-35%", upTo50 = "35-50%"

        var range: ClosedRange<Double> {
            switch self {
            case .upTo10: return 0.02...0.10
            case .upTo20: return 0.10...0.20
            case .upTo35: return 0.20...0.35
            case .upTo50: return 0.35...0.50
            }
        }
    }

    public struct Event: Sendable, Hashable {
        public enum Kind: String, Sendable { case spike, levelShift, ramp, stepDown }
        public var kind: Kind
        /// The injected multiplier at its height.
        public var factor: Double
        /// The days an alert is wanted on; empty when the rise is too small to want one.
        public var wantedDays: [CalendarDay]
    }

    public enum Verdict: Sendable, Hashable {
        case unwanted
        case noVerdict
        /// An alert is wanted: the day belongs to event `index`.
        case wanted(Int)
    }

    public struct Bill: Sendable {
        public var key: CostKey
        public var pattern: Pattern
        public var tail: Tail
        public var band: NoiseBand
        /// The noise's coefficient of variation.
        public var noise: Double
        public var series: DailySeries
        public var events: [Event]
        /// One per day of `series`.
        public var verdicts: [Verdict]
        /// What each day would have cost without its noise and without the event an alert is wanted for
        /// on it: the key's normal, which a detector told everything but the noise would expect.
        public var normal: [Double]

        public func verdict(on day: CalendarDay) -> Verdict {
            let index = series.start.days(until: day)
            return verdicts.indices.contains(index) ? verdicts[index] : .noVerdict
        }

        /// The events an alert is wanted for.
        public var wanted: [Event] { events.filter { !$0.wantedDays.isEmpty } }
    }

    public var seed: UInt64
    public var keys: Int
    public var days: Int
    public var start: CalendarDay
    /// The smallest injected rise an alert is wanted for, over the noise-free level.
    public var wantedRise = 2.5
    /// The smallest excess over the noise-free level an alert is wanted for, in the bill's currency.
    public var minImpact = 1000.0
    public var principle: Principle

    public init(
        seed: UInt64 = 42, keys: Int = 280, days: Int = 150, start: CalendarDay = CalendarDay("20250601")!,
        principle: Principle = .independent
    ) {
        self.principle = principle
        self.seed = seed
        self.keys = keys
        self.days = days
        self.start = start
    }

    public func generate() -> [Bill] {
        (0..<keys).map(bill)
    }

    private func bill(_ index: Int) -> Bill {
        var random = principle == .independent
            ? SeededRandom(seed, "wide", String(index)) : SeededRandom(seed, "wide", principle.rawValue, String(index))
        let persistent = principle == .persistent
        let pattern = Pattern.allCases[index % Pattern.allCases.count]
        let band = NoiseBand.allCases[(index / Pattern.allCases.count) % NoiseBand.allCases.count]
        let tail = Tail.allCases[(index / (Pattern.allCases.count * NoiseBand.allCases.count)) % Tail.allCases.count]
        let key = CostKey(domainId: "d\(index % 3)", projectId: "p\(index % 11)", serviceId: "\(pattern.rawValue)-\(index)")
        let noise = random.uniform(band.range)
        let sigma = (Foundation.log(1 + noise * noise)).squareRoot()
        let base = pattern == .tiny ? random.uniform(40...150) : 20_000 * Double.pow10(random.uniform(0...1.5))
        let weekend = pattern == .weekly && !persistent ? random.uniform(0.3...0.7) : 1
        // The persistent principle's weekly keys cost differently on each weekday.
        var profile = (0..<8).map { _ in pattern == .weekly && persistent ? random.uniform(0.4...1.3) : 1 }
        let profileMean = profile[1...7].reduce(0, +) / 7
        profile = profile.map { $0 / profileMean }
        let persistence = persistent ? random.uniform(0.3...0.8) : 0
        let growth = pattern == .growing ? random.uniform(0.003...0.012) : 0
        let firstDay = pattern == .lateStart ? random.int(20...90) : 0
        let feeDay = random.int(1...31)
        let fee = base * random.uniform(3...8)

        // The noise-free level of each day, before any event.
        let clean = (0..<days).map { offset -> Double in
            guard offset >= firstDay else { return 0 }
            let day = start.adding(days: offset)
            if pattern == .mondayOnly, day.isoWeekday != 1 { return 0 }
            var value = base * (1 + growth * Double(offset - firstDay))
            if day.isWeekend { value *= weekend }
            value *= profile[day.isoWeekday]
            if pattern == .mondayOnly { value *= 6 }
            return value
        }
        var multiplier = Array(repeating: 1.0, count: days)
        var verdicts = Array(repeating: Verdict.unwanted, count: days)
        for offset in 0..<firstDay { verdicts[offset] = .noVerdict }
        var events: [Event] = []
        var riseWanted = Array(repeating: 1.0, count: days)
        var taken: [Int] = []
        let earliest = Swift.max(42, firstDay + 21)
        for _ in 0..<random.int(1...2) where earliest < days - 10 {
            var offset = random.int(earliest...(days - 10))
            if pattern == .mondayOnly { offset += (8 - start.adding(days: offset).isoWeekday) % 7 }
            guard offset < days - 3, !taken.contains(where: { abs($0 - offset) < 25 }) else { continue }
            taken.append(offset)
            let draw = random.unit()
            let kind: Event.Kind = pattern == .mondayOnly || draw < 0.6 ? .spike : draw < 0.85 ? .levelShift : persistent ? .stepDown : .ramp
            let eventIndex = events.count
            var wantedDays: [CalendarDay] = []
            var factor = 1.0
            /// Marks `day` wanted when its rise is large enough, and no verdict otherwise.
            func judge(_ day: Int, rise: Double) {
                let excess = (rise - 1) * clean[day]
                if rise >= wantedRise, excess >= minImpact, clean[day] > 0 {
                    verdicts[day] = .wanted(eventIndex)
                    riseWanted[day] = rise
                    wantedDays.append(start.adding(days: day))
                } else {
                    verdicts[day] = .noVerdict
                }
            }
            switch kind {
            case .spike:
                factor = random.uniform(1.5...(persistent ? 8 : 10))
                let length = pattern == .mondayOnly ? 1 : random.int(1...3)
                for day in offset..<Swift.min(days, offset + length) {
                    multiplier[day] *= factor
                    judge(day, rise: factor)
                }
            case .levelShift:
                factor = random.uniform(persistent ? 2...4 : 2...5)
                for day in offset..<days { multiplier[day] *= factor }
                // Wanted when the new level appears; the next two weeks it becomes the new normal.
                for day in offset..<Swift.min(days, offset + 2) { judge(day, rise: factor) }
                for day in (offset + 2)..<Swift.min(days, offset + 16) { verdicts[day] = .noVerdict }
            case .ramp:
                factor = random.uniform(2.5...4)
                let length = random.int(5...10)
                for day in offset..<days {
                    let progress = Swift.min(1, Double(day - offset + 1) / Double(length))
                    multiplier[day] *= 1 + (factor - 1) * progress
                }
                for day in offset..<Swift.min(days, offset + length) { judge(day, rise: multiplier[day]) }
                for day in (offset + length)..<Swift.min(days, offset + length + 14) { verdicts[day] = .noVerdict }
            case .stepDown:
                // Costs that fall want no alert, then or after.
                factor = random.uniform(0.3...0.7)
                for day in offset..<days { multiplier[day] *= factor }
            }
            events.append(Event(kind: kind, factor: factor, wantedDays: wantedDays))
        }

        // Persistent noise keeps its marginal spread: each day's innovation is scaled by sqrt(1 - phi^2).
        var carried = 0.0
        var normal = Array(repeating: 0.0, count: days)
        let values = (0..<days).map { offset -> Double in
            if persistent {
                carried = persistence * carried + (1 - persistence * persistence).squareRoot() * draw(tail, sigma: sigma, &random)
            }
            guard clean[offset] > 0 else { return 0 }
            if !persistent { carried = draw(tail, sigma: sigma, &random) }
            // Maintenance: now and then a persistent-principle key bills nothing for a day.
            if persistent, verdicts[offset] == .unwanted, random.unit() < 0.015 { return 0 }
            var value = clean[offset] * multiplier[offset] * Foundation.exp(carried)
            normal[offset] = clean[offset] * multiplier[offset] / riseWanted[offset]
            if pattern == .monthlyFee, start.adding(days: offset).day == Swift.min(feeDay, start.adding(days: offset).daysInMonth) {
                value += fee
                normal[offset] += fee
            }
            return (value * 100).rounded() / 100
        }
        return Bill(
            key: key, pattern: pattern, tail: tail, band: band, noise: noise,
            series: DailySeries(start: start, values: values), events: events, verdicts: verdicts, normal: normal)
    }

    /// One day's log-space noise with spread `sigma`, centred on 0 (the median day is the level).
    private func draw(_ tail: Tail, sigma: Double, _ random: inout SeededRandom) -> Double {
        switch tail {
        case .logNormal:
            return sigma * random.normal()
        case .heavy:
            // Student-t with 4 degrees of freedom, scaled so its median absolute value matches the
            // normal's (0.6745 sigma against t4's 0.7407).
            let chiSquare = (0..<4).reduce(0.0) { total, _ in
                let z = random.normal()
                return total + z * z
            }
            return sigma * 0.6745 / 0.7407 * random.normal() / (chiSquare / 4).squareRoot()
        }
    }
}

extension CalendarDay {
    var daysInMonth: Int { CalendarDay.daysIn(month: month, year: year) }
}
