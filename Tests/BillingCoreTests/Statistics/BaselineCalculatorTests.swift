import Foundation
import Testing

@testable import BillingCore

@Suite struct BaselineCalculatorTests {
    let key = CostKey(domainId: "d", projectId: "p", serviceId: "s")
    let end = CalendarDay("20261110")!

    func cost(_ daysBefore: Int, _ amount: Int, anomaly: Bool = false) -> DailyCost {
        DailyCost(
            date: end.adding(days: -daysBefore), key: key, expectAmount: ExactDecimal(amount),
            isAnomaly: anomaly)
    }

    @Test func coversOnlyTheWindowAndLeavesOutAnomalyDays() throws {
        let calculator = BaselineCalculator(windowDays: 5)
        let window = calculator.window(endingOn: end)
        #expect(window.lowerBound.compact == "20261106")
        let costs = [
            cost(0, 10), cost(1, 20), cost(2, 1000, anomaly: true), cost(3, 30), cost(4, 40),
            cost(5, 5000),  // outside the window
        ]
        let baseline = try #require(
            calculator.baselines(from: costs, window: window, computedAt: Date(timeIntervalSince1970: 0))
                .first)
        #expect(baseline.sampleCount == 4)
        #expect(baseline.mean == 25)
        #expect(baseline.max == 40)
        #expect(baseline.windowEnd == end)
    }

    @Test func aKeyWithOnlyAnomalyDaysGetsNoBaseline() {
        let calculator = BaselineCalculator(windowDays: 3)
        let result = calculator.baselines(
            from: [cost(0, 10, anomaly: true)], window: calculator.window(endingOn: end),
            computedAt: Date(timeIntervalSince1970: 0))
        #expect(result.isEmpty)
    }
}
