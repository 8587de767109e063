import Foundation
import Testing

@testable import BillingCore

/// The hourly judgement decides from data alone: today so far, the evidence the detector asked for.
@Suite struct HourlyJudgementTests {
    let day = CalendarDay("20261125")!
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let key = CostKey(domainId: "d", projectId: "p", serviceId: "s")
    let seasonal = AnomalyDetector.seasonal(SeasonalDetector())

    /// 24,000 a day for the 28 days before `day`.
    var steadyHistory: CostHistory {
        var history = CostHistory()
        for offset in 1...28 { history.add(date: day.adding(days: -offset), key: key, amount: 24_000, isAnomaly: false) }
        return history
    }

    /// Snapshots at `hour` with `accrued` billed by then, on the 28 days before `day` that `keep` admits.
    func snapshots(hour: Int, accrued: Int, keep: (CalendarDay) -> Bool) -> [IntradaySnapshot] {
        (1...28).map { day.adding(days: -$0) }.filter(keep).map {
            IntradaySnapshot(date: $0, hour: hour, key: key, expectAmount: ExactDecimal(accrued))
        }
    }

    func today(_ amount: Int) -> [DailyCost] {
        [DailyCost(date: day, key: key, expectAmount: ExactDecimal(amount))]
    }

    @Test func theSeasonalDetectorAsksForNothingBefore2AndJudgesNothing() {
        #expect(HourlyJudgement.evidence(for: seasonal, day: day, hour: 1) == .nothing)
        #expect(HourlyJudgement.evidence(for: seasonal, day: day, hour: 2)
            == .history(days: day.adding(days: -98)...day.adding(days: -1), snapshotDays: day.adding(days: -28)...day.adding(days: -1)))
        // Ten times a whole day by 01:00 would be flagged at any later hour.
        let early = HourlyJudgement(today(240_000), day: day, hour: 1, detector: seasonal, history: steadyHistory, now: now)
        #expect(early.anomalies.isEmpty && early.judgedKeyCount == 0)
        let later = HourlyJudgement(today(240_000), day: day, hour: 2, detector: seasonal, history: steadyHistory, now: now)
        #expect(later.anomalies.map(\.key) == [key] && later.judgedKeyCount == 1)
    }

    @Test func aFrontLoadedKeyIsJudgedByHowItsComparableDaysAccrued() {
        // By 06:00 this key has usually billed three quarters of its day, not the 6/24 the hours suggest.
        let comparable = snapshots(hour: 6, accrued: 18_000) { $0.isWeekend == day.isWeekend }
        let usual = HourlyJudgement(
            today(18_000), day: day, hour: 6, detector: seasonal, history: steadyHistory, snapshots: comparable, now: now)
        #expect(usual.anomalies.isEmpty)
        #expect(usual.judgedKeyCount == 1)

        // Snapshots of the other kind of day (weekend for a weekday) do not count: the hours elapsed do.
        let otherKind = snapshots(hour: 6, accrued: 18_000) { $0.isWeekend != day.isWeekend }
        let byHours = HourlyJudgement(
            today(18_000), day: day, hour: 6, detector: seasonal, history: steadyHistory, snapshots: otherKind, now: now)
        #expect(byHours.anomalies.map(\.key) == [key])
        #expect(byHours.accrued[key] == 0.25)
        #expect(byHours.anomalies.first?.explanation.expected == 6_000)

        // Twice the usual share by 06:00 is unusual with the comparable days too.
        let doubled = HourlyJudgement(
            today(36_000), day: day, hour: 6, detector: seasonal, history: steadyHistory, snapshots: comparable, now: now)
        #expect(doubled.anomalies.map(\.key) == [key])
        #expect(doubled.accrued[key] == 0.75)
    }

    @Test func theClassicRuleComparesTodaySoFarWithWholeDayBaselines() {
        let classic = AnomalyDetector.classic(ClassicDetector(), BaselineCalculator())
        #expect(HourlyJudgement.evidence(for: classic, day: day, hour: 1) == .baselines)
        let stats = SampleStatistics(count: 30, mean: 10_000, std: 1_000, min: 8_000, max: 12_000, p50: 10_000, p95: 11_500)
        let baseline = Baseline(key: key, statistics: stats, windowStart: day.adding(days: -30), windowEnd: day.adding(days: -1), computedAt: now)
        let other = CostKey(domainId: "d", projectId: "p", serviceId: "no-baseline")
        let costs = today(25_000) + [DailyCost(date: day, key: other, expectAmount: 1_000_000)]
        let judgement = HourlyJudgement(costs, day: day, hour: 1, detector: classic, baselines: [baseline], now: now)
        // z = (25,000 - 10,000) / 1,000 = 15; the key without a baseline is not judged at all.
        #expect(judgement.anomalies.map(\.key) == [key])
        #expect(judgement.anomalies.first?.zScore == 15)
        #expect(judgement.anomalies.first?.hour == 1)
        #expect(judgement.judgedKeyCount == 1)
        #expect(judgement.accrued.isEmpty)
        // Half a day's usual cost by 01:00 is not unusual to the tutorial's rule.
        #expect(HourlyJudgement(today(12_000), day: day, hour: 1, detector: classic, baselines: [baseline], now: now).anomalies.isEmpty)
    }
}
