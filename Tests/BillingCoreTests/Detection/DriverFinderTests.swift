import Testing

@testable import BillingCore

@Suite struct DriverFinderTests {
    let key = CostKey(domainId: "d", projectId: "p", serviceId: "1")

    func cost(_ day: String, _ parts: [(String, String, Int)]) -> DailyCost {
        var cost = DailyCost(date: CalendarDay(day)!, key: key)
        cost.parts = parts.map { DailyCost.Part(pricingType: $0.0, region: $0.1, expectAmount: ExactDecimal($0.2)) }
        return cost
    }

    @Test func namesThePartWhoseCostRoseTheMost() {
        let history = (10...16).map { cost("202611\($0)", [("ON_DEMAND", "kr-central-2", 1000), ("RESERVED", "kr-central-1", 5000)]) }
        // The larger part grew a little; the smaller one grew the most.
        let today = cost("20261117", [("ON_DEMAND", "kr-central-2", 9000), ("RESERVED", "kr-central-1", 5500)])
        #expect(DriverFinder.driver(of: today, history: history) == "ON_DEMAND in kr-central-2 (+8,000.00)")
    }

    @Test func aNewPartCountsFromZeroAndPartialDaysScaleTheUsualLevel() {
        let history = (10...16).map { cost("202611\($0)", [("ON_DEMAND", "kr-central-2", 2400)]) }
        let today = cost("20261117", [("ON_DEMAND", "kr-central-2", 600), ("SPOT", "", 500)])
        // By 06:00 a quarter of the usual 2,400 (600) has accrued: only the new SPOT rows rose.
        #expect(DriverFinder.driver(of: today, history: history, accrued: 0.25) == "SPOT in (no region) (+500.00)")
        #expect(DriverFinder.driver(of: cost("20261117", [("ON_DEMAND", "kr-central-2", 100)]), history: history) == nil)
    }
}
