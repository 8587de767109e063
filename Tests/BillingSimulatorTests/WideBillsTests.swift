import BillingCore
import Foundation
import Testing

@testable import BillingSimulator

@Suite struct WideBillsTests {
    static let set = WideBills(seed: 9, keys: 112, days: 150)
    static let bills = set.generate()

    @Test func coversEveryPatternNoiseBandAndTailTheSameWayForASeed() {
        #expect(Set(Self.bills.map(\.pattern)) == Set(WideBills.Pattern.allCases))
        #expect(Set(Self.bills.map(\.band)) == Set(WideBills.NoiseBand.allCases))
        #expect(Set(Self.bills.map(\.tail)) == Set(WideBills.Tail.allCases))
        #expect(Self.bills.allSatisfy { $0.band.range.contains($0.noise) })
        #expect(Self.set.generate().map(\.series) == Self.bills.map(\.series))
        #expect(WideBills(seed: 10, keys: 112, days: 150).generate().map(\.series) != Self.bills.map(\.series))
    }

    @Test func aSteadyKeysDayToDaySpreadIsItsNoise() {
        // Log-normal steady keys before any event: the robust spread of log values is the log sigma.
        for bill in Self.bills where bill.pattern == .steady && bill.tail == .logNormal {
            let firstEvent = bill.verdicts.firstIndex { $0 != .unwanted } ?? bill.series.count
            let logs = bill.series.values[..<firstEvent].map { Foundation.log($0) }.sorted()
            let median = logs[logs.count / 2]
            let deviations = logs.map { abs($0 - median) }.sorted()
            let spread = 1.4826 * deviations[deviations.count / 2]
            let sigma = Foundation.log(1 + bill.noise * bill.noise).squareRoot()
            #expect(abs(spread / sigma - 1) < 0.45, "\(bill.key): spread \(spread), sigma \(sigma)")
        }
    }

    @Test func eachDaysNormalIsItsCostWithoutNoiseOrTheWantedRise() {
        // Over all log-normal steady keys: ordinary days scatter around their normal by the key's noise,
        // and a wanted spike day stands its injected factor above it.
        for bill in Self.bills where bill.pattern == .steady && bill.tail == .logNormal {
            let sigma = Foundation.log(1 + bill.noise * bill.noise).squareRoot()
            let ordinary = bill.series.values.indices.filter { bill.verdicts[$0] == .unwanted && bill.normal[$0] > 0 }
            let logs = ordinary.map { Foundation.log(bill.series.values[$0] / bill.normal[$0]) }.sorted()
            #expect(abs(logs[logs.count / 2]) < 0.5 * sigma, "\(bill.key): median \(logs[logs.count / 2])")
            for event in bill.events where event.kind == .spike {
                for day in event.wantedDays {
                    let index = bill.series.start.days(until: day)
                    let rise = Foundation.log(bill.series.values[index] / bill.normal[index]) - Foundation.log(event.factor)
                    #expect(abs(rise) < 5 * sigma, "\(bill.key) \(day)")
                }
            }
        }
    }

    @Test func theCeilingCatchesWhatItsTruthAllowsAndNothingElse() {
        // Told the truth, calm keys' wanted rises are caught, and log-normal keys' ordinary days are rarely
        // flagged; heavy-tailed keys' ordinary days reach 2-3x, and are.
        let benchmark = WideBenchmark(Self.set)
        let ceiling = benchmark.ceiling(SeasonalDetector.Settings())
        #expect(ceiling.byBand[.upTo10]!.recall > 0.95)
        #expect(ceiling.byTail[.logNormal]!.falseAlertsPerThousandDays < 2)
        #expect(ceiling.byTail[.logNormal]!.falseAlertsPerThousandDays < ceiling.byTail[.heavy]!.falseAlertsPerThousandDays)
    }

    @Test func labelsFollowTheInjectedRiseNotADetector() throws {
        for bill in Self.bills {
            for (index, event) in bill.events.enumerated() {
                // A wanted day is one of the event's and nothing else's; a rise under 2.5x wants nothing.
                for day in event.wantedDays { #expect(bill.verdict(on: day) == .wanted(index)) }
                if event.factor < Self.set.wantedRise { #expect(event.wantedDays.isEmpty, "\(bill.key) \(event)") }
            }
            let wantedDays = bill.verdicts.filter { if case .wanted = $0 { return true } else { return false } }.count
            #expect(wantedDays == bill.events.map(\.wantedDays.count).reduce(0, +))
        }
        // Level shifts leave two weeks without a verdict after the two wanted days.
        let shifted = try #require(Self.bills.first { $0.events.contains { $0.kind == .levelShift && !$0.wantedDays.isEmpty } })
        let shift = try #require(shifted.events.first { $0.kind == .levelShift && !$0.wantedDays.isEmpty })
        let last = try #require(shift.wantedDays.last)
        #expect((1...14).allSatisfy { shifted.verdict(on: last.adding(days: $0)) == .noVerdict })
        #expect(Self.bills.contains { $0.events.contains { $0.kind == .ramp } })
    }

    @Test func scoresCaughtEventsAndFalseAlertsByTheLabels() throws {
        let benchmark = WideBenchmark(Self.set)
        let bill = try #require(benchmark.bills.first { $0.wanted.count == 1 && $0.wanted[0].wantedDays.count == 1 })
        let wantedDay = bill.wanted[0].wantedDays[0]
        let unwanted = try #require((35..<150).map { bill.series.start.adding(days: $0) }.first { bill.verdict(on: $0) == .unwanted })
        let quiet = benchmark.score(bill, flagged: [])
        #expect(quiet.events == 1 && quiet.caught == 0 && quiet.falseAlerts == 0)
        let both = benchmark.score(bill, flagged: [wantedDay, unwanted])
        #expect(both.caught == 1 && both.falseAlerts == 1)
        #expect(both.precision == 0.5 && both.recall == 1)
        #expect(both.unwantedDays == quiet.unwantedDays)
        #expect(abs(both.falseAlertsPerThousandDays - 1000 / Double(both.unwantedDays)) < 1e-9)
    }

    /// The lag-1 autocorrelation of a steady key's log costs before any event.
    static func persistence(_ bill: WideBills.Bill) -> Double {
        let firstEvent = bill.verdicts.firstIndex { $0 != .unwanted } ?? bill.series.count
        let logs = bill.series.values[..<firstEvent].filter { $0 > 0 }.map { Foundation.log($0) }
        let mean = logs.reduce(0, +) / Double(logs.count)
        let centered = logs.map { $0 - mean }
        let lagged = zip(centered.dropFirst(), centered).map { $0 * $1 }.reduce(0, +)
        return lagged / centered.map { $0 * $0 }.reduce(0, +)
    }

    @Test func thePersistentPrincipleCarriesNoiseFromDayToDayAndStepsDownWithoutWantingAlerts() {
        let persistent = WideBills(seed: 9, keys: 112, days: 150, principle: .persistent).generate()
        let steady = { (bills: [WideBills.Bill]) in bills.filter { $0.pattern == .steady && $0.band != .upTo10 } }
        let carried = steady(persistent).map(Self.persistence)
        let independent = steady(Self.bills).map(Self.persistence)
        #expect(carried.reduce(0, +) / Double(carried.count) > 0.25, "\(carried)")
        #expect(abs(independent.reduce(0, +) / Double(independent.count)) < 0.15, "\(independent)")
        #expect(persistent.contains { $0.events.contains { $0.kind == .stepDown } })
        #expect(persistent.flatMap(\.events).filter { $0.kind == .stepDown }.allSatisfy { $0.wantedDays.isEmpty && $0.factor < 1 })
        // Maintenance days: a key that bills every day has a few days at zero.
        #expect(persistent.filter { $0.pattern == .steady }.contains { $0.series.values.contains(0) })
        #expect(!Self.bills.filter { $0.pattern == .steady }.contains { $0.series.values.contains(0) })
    }
}
