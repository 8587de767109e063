import Testing

@testable import BillingCore

@Suite struct DailyAggregatorTests {
    let day = CalendarDay("20261120")!

    func row(
        _ service: String, _ pricing: String?, _ region: String?, expect: String, general: String = "0",
        date: String? = "20261120"
    ) -> BillingRow {
        BillingRow(
            meteringDate: date, domainId: "d1", domainName: "Acme", projectId: "p1",
            projectName: "web", serviceId: service, serviceName: "Service \(service)", region: region,
            pricingType: pricing, usageTime: ExactDecimal("1.5"), usageSize: ExactDecimal("2"),
            generalAmount: ExactDecimal(general), discountAmount: ExactDecimal("0.25"),
            expectAmount: ExactDecimal(expect))
    }

    @Test func sumsEveryAmountPerKeyAndKeepsThePricingTypesAndRegionsSeen() throws {
        var aggregator = DailyAggregator(date: day)
        aggregator.add(contentsOf: [
            row("1", "ON_DEMAND", "kr-central-2", expect: "100.10", general: "120"),
            row("1", "RESERVED", "kr-central-1", expect: "0.20", general: "1"),
            row("1", "ON_DEMAND", "kr-central-2", expect: "5", general: "5"),
            row("2", nil, nil, expect: "7"),
        ])
        let costs = aggregator.dailyCosts()
        #expect(costs.count == 2)
        let vm = costs[0]
        #expect(vm.key == CostKey(domainId: "d1", projectId: "p1", serviceId: "1"))
        #expect(vm.expectAmount == ExactDecimal("105.3"))
        #expect(vm.generalAmount == ExactDecimal("126"))
        #expect(vm.discountAmount == ExactDecimal("0.75"))
        #expect(vm.usageTime == ExactDecimal("4.5"))
        #expect(vm.usageSize == ExactDecimal(6))
        #expect(vm.pricingTypes == ["ON_DEMAND", "RESERVED"])
        #expect(vm.regions == ["kr-central-1", "kr-central-2"])
        #expect(vm.rowCount == 3)
        #expect(vm.parts == [
            DailyCost.Part(pricingType: "ON_DEMAND", region: "kr-central-2", expectAmount: ExactDecimal("105.10")!),
            DailyCost.Part(pricingType: "RESERVED", region: "kr-central-1", expectAmount: ExactDecimal("0.2")!),
        ])
        #expect(vm.serviceName == "Service 1")
        #expect(costs[1].pricingTypes.isEmpty && costs[1].regions.isEmpty)
        #expect(aggregator.rowCount == 4)
    }

    @Test func leavesOutRowsOfAnotherDayAndCountsThem() {
        var aggregator = DailyAggregator(date: day)
        aggregator.add(row("1", "ON_DEMAND", "r", expect: "1"))
        aggregator.add(row("1", "ON_DEMAND", "r", expect: "1000", date: "20261119"))
        aggregator.add(row("1", "ON_DEMAND", "r", expect: "2", date: nil))
        #expect(aggregator.dailyCosts().first?.expectAmount == ExactDecimal(3))
        #expect(aggregator.otherDayRowCount == 1)
    }

    @Test func treatsMissingFieldsAsEmptyAndZero() {
        var aggregator = DailyAggregator(date: day)
        aggregator.add(BillingRow())
        aggregator.add(BillingRow(serviceName: "Named later", expectAmount: ExactDecimal(4)))
        let costs = aggregator.dailyCosts()
        #expect(costs.count == 1)
        #expect(costs[0].key == CostKey(domainId: "", projectId: "", serviceId: ""))
        #expect(costs[0].expectAmount == ExactDecimal(4))
        #expect(costs[0].serviceName == "Named later")
    }
}
