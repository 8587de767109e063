import Foundation
import Testing

@testable import BillingCore

@Suite struct AlertTextTests {
    @Test func anAnomalyLineStartsWithTheAlertCenterKeywordAndCarriesTheFigures() throws {
        let cost = DailyCost(
            date: CalendarDay("20261125")!, key: CostKey(domainId: "dom-1", projectId: "prj-9", serviceId: "7"),
            domainName: "Acme", projectName: "web shop", serviceName: "Virtual Machine",
            expectAmount: ExactDecimal("12345.67")!)
        var baseline = Baseline(
            key: cost.key, statistics: SampleStatistics([1000, 1200])!, windowStart: cost.date,
            windowEnd: cost.date, computedAt: Date(timeIntervalSince1970: 0))
        baseline.sampleCount = 10
        let anomaly = try #require(
            ClassicDetector().scan([cost], baselines: [cost.key: baseline], hour: 5, detectedAt: Date())
                .first)
        let line = AlertText.anomalyLine(anomaly)
        #expect(line.hasPrefix("[BILLING_ANOMALY] date=20261125 hour=05 "))
        #expect(line.contains(#"project="web shop"(prj-9)"#))
        #expect(line.contains("service=\"Virtual Machine\"(7)"))
        #expect(line.contains("observed=12345.67"))
        #expect(line.contains("mean=1100.00"))
        #expect(line.contains("thresholds=z>=3.00,ratio>=2.00"))
    }

    @Test func theDailyTotalLineSumsTheDayExactly() {
        let day = CalendarDay("20261125")!
        let costs = ["0.1", "0.2", "1000"].enumerated().map { index, amount in
            DailyCost(
                date: day, key: CostKey(domainId: "d", projectId: "p", serviceId: "\(index)"),
                expectAmount: ExactDecimal(amount)!, rowCount: 2)
        }
        let line = AlertText.dailyTotalLine(DailyTotal(date: day, costs: costs, anomalyCount: 1))
        #expect(line == "[BILLING_DAILY_TOTAL] date=20261125 total=1000.3 keys=3 rows=6 anomalies=1")
    }
}
