import Foundation
import Testing

@testable import BillingCore

@Suite struct ClassicDetectorTests {
    let key = CostKey(domainId: "d", projectId: "p", serviceId: "s")
    let detector = ClassicDetector()

    func baseline(mean: Double, std: Double, samples: Int = 10) -> Baseline {
        let statistics = SampleStatistics([mean])!
        var baseline = Baseline(
            key: key, statistics: statistics, windowStart: CalendarDay("20261101")!,
            windowEnd: CalendarDay("20261130")!, computedAt: Date(timeIntervalSince1970: 0))
        baseline.std = std
        baseline.sampleCount = samples
        return baseline
    }

    func judge(_ observed: String, mean: Double, std: Double, samples: Int = 10) -> Judgement {
        detector.judge(observed: ExactDecimal(observed)!, against: baseline(mean: mean, std: std, samples: samples))
    }

    @Test func aCostBelowTheMeanIsNeverAnAnomaly() {
        // z would be far beyond -3 and the ratio far below 1: neither direction may fire.
        let judgement = judge("1", mean: 100, std: 1)
        #expect(judgement.outcome == .normal)
        #expect(judgement.zScore == -99)
    }

    @Test func aBaselineWithMeanZeroIsNotJudged() {
        guard case .notJudged = judge("1000", mean: 0, std: 0).outcome else {
            Issue.record("a zero mean must not be judged")
            return
        }
    }

    @Test func withStdZeroOnlyTheRatioRuleApplies() {
        let below = judge("199.99", mean: 100, std: 0)
        #expect(below.outcome == .normal)
        #expect(below.zScore == nil)
        #expect(judge("200", mean: 100, std: 0).outcome == .anomaly)
    }

    @Test func fewerThanMinSamplesIsNotJudged() {
        guard case .notJudged = judge("1000", mean: 100, std: 10, samples: 4).outcome else {
            Issue.record("4 samples are fewer than the default 5")
            return
        }
        #expect(judge("1000", mean: 100, std: 10, samples: 5).outcome == .anomaly)
    }

    @Test func exactlyAtTheZScoreThresholdIsAnAnomaly() {
        let atThreshold = judge("130", mean: 100, std: 10)
        #expect(atThreshold.zScore == 3.0)
        #expect(atThreshold.outcome == .anomaly)
        #expect(judge("129.99", mean: 100, std: 10).outcome == .normal)
    }

    @Test func exactlyAtTheRatioThresholdIsAnAnomaly() {
        let atThreshold = judge("200", mean: 100, std: 1000)
        #expect(atThreshold.ratio == 2.0)
        #expect(atThreshold.outcome == .anomaly)
        #expect(judge("199.99", mean: 100, std: 1000).outcome == .normal)
    }

    @Test func thresholdsAreConfigurable() {
        let strict = ClassicDetector(thresholds: DetectionThresholds(zScore: 5, ratio: 4, minSamples: 2))
        let base = baseline(mean: 100, std: 10, samples: 2)
        #expect(strict.judge(observed: ExactDecimal(140), against: base).outcome == .normal)
        #expect(strict.judge(observed: ExactDecimal(150), against: base).outcome == .anomaly)
    }

    @Test func anAnomalyDayIsLeftOutOfTheNextBaseline() throws {
        // Ten ordinary days, then a spike judged an anomaly; the baseline after the spike must not move.
        let start = CalendarDay("20261101")!
        var history = (0..<10).map { offset in
            DailyCost(date: start.adding(days: offset), key: key, expectAmount: ExactDecimal(100 + offset % 3))
        }
        let calculator = BaselineCalculator(windowDays: 30)
        let before = try #require(
            calculator.baselines(
                from: history, window: calculator.window(endingOn: start.adding(days: 9)),
                computedAt: Date(timeIntervalSince1970: 0)
            ).first)
        var spike = DailyCost(date: start.adding(days: 10), key: key, expectAmount: ExactDecimal(1000))
        let found = detector.scan([spike], baselines: [key: before], hour: Anomaly.wholeDay, detectedAt: Date(timeIntervalSince1970: 0))
        #expect(found.count == 1)
        spike.isAnomaly = !found.isEmpty
        history.append(spike)
        let after = try #require(
            calculator.baselines(
                from: history, window: calculator.window(endingOn: spike.date),
                computedAt: Date(timeIntervalSince1970: 0)
            ).first)
        #expect(after.mean == before.mean)
        #expect(after.sampleCount == 10)
        // The same day left in would have raised the bar past the next spike.
        spike.isAnomaly = false
        let polluted = calculator.baselines(
            from: history.dropLast() + [spike], window: calculator.window(endingOn: spike.date),
            computedAt: Date(timeIntervalSince1970: 0))
        #expect(polluted.first!.mean > after.mean)
    }
}
