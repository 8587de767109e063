import Foundation
import BillingCore
import Testing

@testable import BillingWire

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
        try aggregator.add(contentsOf: [
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

    /// The jobs take the costs out of the aggregator to hold a day once: the same costs, in the same
    /// order, with its counts kept and nothing of the keys left behind.
    @Test func takingTheCostsGivesTheSameCostsAndKeepsTheCounts() throws {
        var aggregator = DailyAggregator(date: day)
        try aggregator.add(contentsOf: [
            row("3", "SPOT", "kr-central-2", expect: "1"), row("1", "ON_DEMAND", "kr-central-2", expect: "100.10"),
            row("2", nil, nil, expect: "7"), row("1", "RESERVED", "kr-central-1", expect: "0.20"),
            row("1", "ON_DEMAND", "kr-central-2", expect: "5", date: "20261119"),
        ])
        let copy = aggregator
        let taken = aggregator.takeDailyCosts()
        #expect(taken == copy.dailyCosts())
        #expect(taken.map(\.key.serviceId) == ["1", "2", "3"])
        #expect(taken[0].parts.map(\.expectAmount) == [ExactDecimal("100.10")!, ExactDecimal("0.20")!])
        #expect((aggregator.rowCount, aggregator.otherDayRowCount, aggregator.expectAmount) == (4, 1, ExactDecimal("108.3")!))
        #expect(aggregator.keyCount == 0 && aggregator.dailyCosts().isEmpty)
    }

    /// Keys share their lists of pricing types and regions; past 64 labels a key's list is made for it
    /// alone. Either way each key lists exactly its own, sorted, without the empty label.
    @Test func eachKeyListsItsOwnLabelsWhenKeysShareThemAndPastSixtyFourLabels() throws {
        var aggregator = DailyAggregator(date: day)
        var expected: [String: (types: Set<String>, regions: Set<String>)] = [:]
        func add(_ service: String, _ pricing: String?, _ region: String) throws {
            try aggregator.add(row(service, pricing, region, expect: "1"))
            expected[service, default: ([], [])].types.formUnion(pricing.map { [$0] } ?? [])
            expected[service, default: ([], [])].regions.insert(region)
        }
        // 144 keys, each with its own pair of 12 regions (or one region twice) and of the pricing types.
        for index in 0..<144 {
            try add("s\(index)", index % 3 == 0 ? nil : "ON_DEMAND", "r\(index % 12)")
            try add("s\(index)", index % 2 == 0 ? "SPOT" : nil, "r\(index / 12)")
        }
        // Then 80 more regions, a key each, beside one of the first twelve: 95 labels in all.
        for index in 0..<80 {
            try add("x\(index)", "RESERVED", "z\(index)")
            try add("x\(index)", nil, "r\(index % 12)")
        }
        let costs = aggregator.dailyCosts()
        #expect(costs.count == 224)
        for cost in costs {
            let wanted = try #require(expected[cost.key.serviceId])
            #expect(cost.pricingTypes == wanted.types.sorted(), "\(cost.key.serviceId)")
            #expect(cost.regions == wanted.regions.sorted(), "\(cost.key.serviceId)")
        }
    }

    /// Keys read from a body share one `String` for an id or name too long to be stored inline, so a
    /// day of many keys in a few projects holds each project's id once; short ones are inline anyway.
    @Test func keysShareTheirLongIdsAndNames() throws {
        let (domain, project) = ("bdd732262feb6e95ba69ec90eb4fef88", "215fdb015bbfaab4886e041d475b0b21")
        let rows = (1...3).map { service in
            #"{"domainId":"\#(domain)","domainName":"Acme Corporation Korea","projectId":"\#(project)","#
                + #""projectName":"web","serviceId":"\#(service)","expectAmount":1}"#
        }
        var aggregator = DailyAggregator(date: day)
        _ = try aggregator.add(pageBody: Array(#"{"result":{"content":[\#(rows.joined(separator: ","))]}}"#.utf8))
        let costs = aggregator.dailyCosts()
        try #require(costs.count == 3)
        func storage(_ text: String) -> UnsafeRawPointer? {
            var text = text
            return text.withUTF8 { UnsafeRawPointer($0.baseAddress) }
        }
        for texts in [costs.map(\.key.domainId), costs.map(\.key.projectId), costs.map(\.domainName)] {
            #expect(Set(texts).count == 1 && Set(texts.map(storage)).count == 1, "\(texts)")
        }
        #expect(costs[0].key.domainId == domain && costs[2].key.projectId == project && costs[1].domainName == "Acme Corporation Korea")
    }

    /// A key's part of one pricing type and region takes 32 bytes: eight of them a key, for 125,000
    /// keys, are 32 MB, and the order of its fields alone made it 48.
    @Test func aPartSlotIsThirtyTwoBytes() {
        #expect(MemoryLayout<DailyAggregator.PartSlot>.stride == 32)
    }

    @Test func leavesOutRowsOfAnotherDayAndCountsThem() throws {
        var aggregator = DailyAggregator(date: day)
        try aggregator.add(row("1", "ON_DEMAND", "r", expect: "1"))
        try aggregator.add(row("1", "ON_DEMAND", "r", expect: "1000", date: "20261119"))
        try aggregator.add(row("1", "ON_DEMAND", "r", expect: "2", date: nil))
        #expect(aggregator.dailyCosts().first?.expectAmount == ExactDecimal(3))
        #expect(aggregator.otherDayRowCount == 1)
    }

    @Test func takesNamesFromLaterRowsAndCountsMissingUsageAsZero() throws {
        var aggregator = DailyAggregator(date: day)
        try aggregator.add(BillingRow(domainId: "d", projectId: "p", serviceId: "s", expectAmount: ExactDecimal(1)))
        try aggregator.add(BillingRow(domainId: "d", projectId: "p", serviceId: "s", serviceName: "Named later", expectAmount: ExactDecimal(4)))
        let costs = aggregator.dailyCosts()
        #expect(costs.count == 1)
        #expect(costs[0].expectAmount == ExactDecimal(5) && costs[0].usageSize == .zero && costs[0].generalAmount == .zero)
        #expect(costs[0].serviceName == "Named later")
    }

    /// A row that does not name its key, or has no expectAmount, was stored under an empty id or
    /// counted as zero; it is an error naming the row, on the bytes path and the rows path alike.
    @Test(arguments: [
        (#""projectId":"p","serviceId":"s","expectAmount":1"#, "has no domainId"),
        (#""domainId":"d","projectId":null,"serviceId":"s","expectAmount":1"#, "has projectId: null"),
        (#""domainId":"d","projectId":"p","serviceId":"","expectAmount":1"#, "has an empty serviceId"),
        (#""domainId":"d","projectId":"p","serviceId":"s","expectAmount":null"#, "has expectAmount: null"),
        (#""domainId":"d","projectId":"p","serviceId":"s","generalAmount":3"#, "has no expectAmount"),
        (#""domainId":"d","projectId":"p","serviceId":"s","expectAmount":" ""#, "has an empty expectAmount"),
    ])
    func aRowWithoutItsKeyOrItsAmountIsAnErrorNamingIt(fields: String, problem: String) throws {
        let good = #"{"meteringDate":"20261120","domainId":"d","projectId":"p","serviceId":"s","expectAmount":2}"#
        let body = Array(#"{"result":{"content":[\#(good),{"meteringDate":"20261120",\#(fields)}]}}"#.utf8)
        var aggregator = DailyAggregator(date: day)
        let error = #expect(throws: BillingResponseError.self) { try aggregator.add(pageBody: body) }
        #expect(error?.reason == ".result.content[1] \(problem)")
        let rows = try BillingResponse.decodeWithFoundation(body).rows
        var fromRows = DailyAggregator(date: day)
        #expect(throws: BillingResponseError.self) { try fromRows.add(contentsOf: rows) }
    }

    @Test func aRowOfAnotherDayNeedsNeitherItsKeyNorItsAmount() throws {
        let body = Array(#"{"result":{"content":[{"meteringDate":"20261119"}]}}"#.utf8)
        var aggregator = DailyAggregator(date: day)
        #expect(try aggregator.add(pageBody: body).rowCount == 1)
        #expect(aggregator.otherDayRowCount == 1 && aggregator.keyCount == 0)
    }

    /// Two rows of 38 nines overflowed the key's sum and killed the process (SIGILL); two keys of 9e37
    /// overflowed the day's total. Each is now an error naming the row, with nothing folded on.
    @Test(arguments: [
        ([("s", "99999999999999999999999999999999999999")], ".result.content[0].expectAmount is 10^15 or more"),
        ([("s", "999999999999999"), ("s", "0.5"), ("s", "1")], ".result.content[2] takes its key's expectAmount to 10^15"),
        ([("a", "600000000000000"), ("b", "600000000000000")], ".result.content[1] takes the day's expectAmount to 10^15"),
        ([("a", "-999999999999999.999999999999999999"), ("a", "-1")], ".result.content[1] takes its key's expectAmount"),
    ])
    func amountsBeyondAnyBillAreAnErrorNotACrash(rows: [(String, String)], message: String) {
        let content = rows.map { service, amount in
            #"{"meteringDate":"20261120","domainId":"d","projectId":"p","serviceId":"\#(service)","expectAmount":\#(amount)}"#
        }
        let body = Array(#"{"result":{"content":[\#(content.joined(separator: ","))]}}"#.utf8)
        var aggregator = DailyAggregator(date: day)
        let error = #expect(throws: BillingResponseError.self) { try aggregator.add(pageBody: body) }
        #expect(error?.reason.hasPrefix(message) == true, "\(error?.reason ?? "no error")")
    }

    @Test func amountsJustWithinTheLimitAddUpExactly() throws {
        let row = #"{"meteringDate":"20261120","domainId":"d","projectId":"p","serviceId":"s","expectAmount":"499999999999999.999999999999999999"}"#
        var aggregator = DailyAggregator(date: day)
        _ = try aggregator.add(pageBody: Array(#"{"result":{"content":[\#(row),\#(row)]}}"#.utf8))
        #expect(aggregator.dailyCosts().first?.expectAmount.description == "999999999999999.999999999999999998")
        #expect(aggregator.expectAmount == aggregator.dailyCosts().first?.expectAmount)
    }
}

/// Arranging in place puts each element where the order says, as building a new array would.
@Suite struct ArrangeInPlaceTests {
    @Test(arguments: [0, 1, 2, 7, 1_000])
    func arrangesAsAMapWould(count: Int) {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let order = Array(0..<count).shuffled(using: &random)
            let values = (0..<count).map { "value \($0)" }
            var arranged = values
            DailyAggregator.arrange(&arranged, in: order)
            #expect(arranged == order.map { values[$0] })
        }
    }
}
