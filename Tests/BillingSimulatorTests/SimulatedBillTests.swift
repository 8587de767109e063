import BillingCore
import BillingWire
import Foundation
import Testing

@testable import BillingSimulator

@Suite struct SimulatedBillTests {
    let bill = SimulatedBill(configuration: .init(seed: 11, spikeProbability: 0))

    func costs(_ day: String, accrued: Double = 1, bill: SimulatedBill? = nil) throws -> [DailyCost] {
        let date = CalendarDay(day)!
        var aggregator = DailyAggregator(date: date)
        for row in (bill ?? self.bill).rows(for: date, accrued: accrued) {
            try aggregator.add(JSONDecoder().decode(BillingRow.self, from: Data(row.utf8)))
        }
        return aggregator.dailyCosts()
    }

    func total(_ costs: [DailyCost], service: String? = nil) -> Double {
        costs.filter { service == nil || $0.key.serviceId == service }.reduce(0) { $0 + $1.expectAmount.doubleValue }
    }

    @Test func theSameSeedAndDayGiveTheSameRows() {
        let day = CalendarDay("20261120")!
        #expect(bill.rows(for: day) == SimulatedBill(configuration: .init(seed: 11, spikeProbability: 0)).rows(for: day))
        #expect(bill.rows(for: day) != SimulatedBill(configuration: .init(seed: 12, spikeProbability: 0)).rows(for: day))
        #expect(bill.rows(for: day) != bill.rows(for: day.adding(days: 7)))
    }

    @Test func coversSeveralDomainsProjectsServicesAndRowsPerService() throws {
        let costs = try costs("20261120")
        #expect(Set(costs.map(\.key.domainId)).count == 2)
        #expect(Set(costs.map(\.key.projectId)).count == 5)
        #expect(Set(costs.map(\.key.serviceId)).count >= 5)
        #expect(costs.allSatisfy { $0.rowCount >= 2 && $0.regions.count == 2 })
        #expect(costs.contains { $0.pricingTypes.count == 2 })
    }

    @Test func computeCostsLessOnWeekends() throws {
        // 2026-11-20 is a Friday, 2026-11-21 a Saturday.
        #expect(total(try costs("20261121"), service: "1") < total(try costs("20261120"), service: "1") * 0.85)
        #expect(abs(total(try costs("20261121"), service: "2") / total(try costs("20261120"), service: "2") - 1) < 0.1)
    }

    @Test func theBatchServiceRunsOnMondaysOnly() throws {
        // The organisation has the batch service, so a Monday without it would be a failure, not a pass.
        #expect(bill.organization.projects.contains { $0.services.contains { $0.id == "8" } })
        #expect(try costs("20261123").contains { $0.key.serviceId == "8" })
        #expect(try !costs("20261124").contains { $0.key.serviceId == "8" })
    }

    @Test func costsGrowOverMonths() throws {
        #expect(total(try costs("20261120")) > total(try costs("20260522")) * 1.1)
    }

    @Test func todayHoldsOnlyWhatHasAccrued() throws {
        let whole = total(try costs("20261120"))
        let quarter = total(try costs("20261120", accrued: 0.25))
        #expect(abs(quarter / whole - 0.25) < 0.01)
        #expect(bill.rows(for: CalendarDay("20261120")!, accrued: 0).isEmpty)
    }

    @Test func plannedSpikesMultiplyOneServiceInOneProject() throws {
        let day = CalendarDay("20261120")!
        let spiked = SimulatedBill(configuration: .init(seed: 11, spikeProbability: 0, spikes: [.init(day: day, serviceId: "1", projectName: "payments", factor: 5)]))
        let before = try costs("20261120")
        let after = try costs("20261120", bill: spiked)
        let changed = zip(before, after).filter { $0.expectAmount != $1.expectAmount }
        #expect(changed.count == 1)
        let ratio = changed[0].1.expectAmount.doubleValue / changed[0].0.expectAmount.doubleValue
        #expect(abs(ratio - 5) < 0.001)
    }

    @Test func sendsSomeAmountsAsStringsAndSomeFieldsAsNull() {
        let rows = bill.rows(for: CalendarDay("20261120")!).joined()
        #expect(rows.contains(#""expectAmount":""#))
        #expect(rows.contains(#""usageSize":null"#))
    }
}
