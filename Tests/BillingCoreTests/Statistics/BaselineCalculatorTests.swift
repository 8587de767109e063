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

/// The daily job computes baselines from the history it read and the day it fetched, without making
/// the history with that day in it.
@Suite struct BaselinesOfAReplacedDayTests {
    let day = CalendarDay("20261110")!
    let calculator = BaselineCalculator(windowDays: 5)
    let at = Date(timeIntervalSince1970: 0)

    func key(_ name: String) -> CostKey { CostKey(domainId: "d", projectId: "p", serviceId: name) }

    func cost(_ name: String, _ amount: Int, anomaly: Bool = false) -> DailyCost {
        DailyCost(date: day, key: key(name), expectAmount: ExactDecimal(amount), isAnomaly: anomaly)
    }

    /// History of the window's days 06-09 and of the day itself (10), as a store holds it before a rerun.
    var history: CostHistory {
        var history = CostHistory()
        for (name, amounts) in [("kept", [10, 20]), ("gone", [40, 60]), ("flagged", [5, 7])] {
            history.add(date: day.adding(days: -2), key: key(name), amount: Double(amounts[0]), isAnomaly: false)
            history.add(date: day.adding(days: -1), key: key(name), amount: Double(amounts[1]), isAnomaly: false)
            history.add(date: day, key: key(name), amount: 999, isAnomaly: false)
        }
        history.add(date: day.adding(days: -9), key: key("old"), amount: 1, isAnomaly: false)  // before the window
        history.add(date: day, key: key("onlyTheDay"), amount: 999, isAnomaly: false)
        return history
    }

    @Test func theDaysStoredAmountsGiveWayToItsCosts() throws {
        let costs = [cost("flagged", 900, anomaly: true), cost("kept", 30), cost("new", 8)]
        let baselines = calculator.baselines(
            from: history, replacing: day, with: costs, window: calculator.window(endingOn: day), computedAt: at)
        let byKey = Dictionary(uniqueKeysWithValues: baselines.map { ($0.key.serviceId, $0) })
        // Worked by hand: the stored 999s are gone; the new amounts count unless flagged.
        #expect(byKey["kept"]?.sampleCount == 3)
        #expect(byKey["kept"]?.mean == 20)
        #expect(byKey["gone"]?.sampleCount == 2)
        #expect(byKey["gone"]?.mean == 50)
        #expect(byKey["flagged"]?.sampleCount == 2)
        #expect(byKey["flagged"]?.mean == 6)
        #expect(byKey["new"]?.sampleCount == 1)
        #expect(byKey["new"]?.mean == 8)
        #expect(byKey["onlyTheDay"] == nil, "its one amount was the day's, and the day no longer has it")
        #expect(byKey["old"] == nil, "outside the window")
        #expect(baselines.map(\.key) == baselines.map(\.key).sorted())
    }

    @Test func theyAreTheBaselinesOfTheHistoryWithTheDayReplaced() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            var history = CostHistory()
            for index in 0..<40 {
                for back in 0...8 where Bool.random(using: &random) {
                    history.add(
                        date: day.adding(days: -back), key: key("k\(index)"), amount: Double(Int.random(in: 0...500, using: &random)),
                        isAnomaly: Int.random(in: 0..<6, using: &random) == 0)
                }
            }
            let costs = (0..<60).filter { _ in Bool.random(using: &random) }.map {
                cost("k\($0)", Int.random(in: 0...500, using: &random), anomaly: Int.random(in: 0..<6, using: &random) == 0)
            }.sorted { $0.key < $1.key }
            // The history with the day replaced, made here entry by entry.
            var replaced = CostHistory()
            for (key, entries) in history.entries {
                for entry in entries where entry.date != day {
                    replaced.add(date: entry.date, key: key, amount: entry.amount, isAnomaly: entry.isAnomaly)
                }
            }
            for cost in costs { replaced.add(cost) }
            for windowEnd in [day, day.adding(days: -1), day.adding(days: 3)] {
                let window = calculator.window(endingOn: windowEnd)
                #expect(
                    calculator.baselines(from: history, replacing: day, with: costs, window: window, computedAt: at)
                        == calculator.baselines(from: replaced, window: window, computedAt: at))
            }
        }
    }
}

@Suite struct CostHistoryTests {
    @Test func anEntryTakesSixteenBytes() {
        #expect(MemoryLayout<CostHistory.Entry>.stride == 16)
    }
}
