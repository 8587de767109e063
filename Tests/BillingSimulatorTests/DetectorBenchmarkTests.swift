import BillingCore
import Testing

@testable import BillingSimulator

@Suite struct DetectorBenchmarkTests {
    @Test func labelsEveryPatternAndInjectsAnomaliesWhereAlertsAreWanted() {
        let bills = LabelledBills(seed: 5, keys: 32, days: 140).generate()
        #expect(Set(bills.map(\.pattern)) == Set(LabelledBills.Pattern.allCases))
        #expect(bills.filter { $0.pattern != .tiny }.allSatisfy { !$0.anomalies.isEmpty })
        #expect(bills.filter { $0.pattern == .tiny }.allSatisfy { $0.anomalies.isEmpty })
        #expect(bills.contains { $0.anomalies.contains { $0.kind == .levelShift } })
        let again = LabelledBills(seed: 5, keys: 32, days: 140).generate()
        #expect(bills.map(\.series) == again.map(\.series))
    }

    @Test func scoresCaughtAnomaliesAndFalseAlertsAsDefined() {
        let bills = LabelledBills(seed: 5, keys: 16, days: 120)
        let benchmark = DetectorBenchmark(bills: bills)
        let seasonal = benchmark.score(.seasonal(SeasonalDetector()))
        #expect(seasonal.anomalies == bills.generate().flatMap(\.anomalies).filter { bills.scoredDays.contains($0.days.lowerBound) }.count)
        let score = DetectorBenchmark.Score(detector: "x", anomalies: 10, caught: 9, falseAlerts: 1)
        #expect(score.precision == 0.9 && score.recall == 0.9 && abs(score.f1 - 0.9) < 1e-12)
    }

    /// The project's targets for the default detector, on a smaller run of the benchmark.
    @Test(arguments: [3, 11] as [UInt64])
    func theDefaultDetectorMeetsItsTargetsWhereTheClassicRuleDoesNot(seed: UInt64) {
        let benchmark = DetectorBenchmark(bills: LabelledBills(seed: seed, keys: 48, days: 150))
        let seasonal = benchmark.score(.seasonal(SeasonalDetector()))
        let classic = benchmark.score(.classic(ClassicDetector(), BaselineCalculator()))
        #expect(seasonal.precision >= 0.85, "\(seasonal)")
        #expect(seasonal.recall >= 0.90, "\(seasonal)")
        #expect(classic.precision < 0.5, "\(classic)")
    }
}
