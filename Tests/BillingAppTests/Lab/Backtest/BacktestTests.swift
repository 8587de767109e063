import BillingCore
import BillingSimulator
import BillingTesting
import Foundation
import Testing

@testable import BillingApp
@testable import BillingLab

@Suite struct CostCSVTests {
    @Test func readsQuotedFieldsBothDateFormsAndAddsUpRowsOfOneDay() throws {
        let csv = try CostCSV(
            text: "region,date,domainId,projectId,service,expectAmount\r\nr1,2025-06-02,d,p,\"Storage, \"\"block\"\"\",10.10\nr2,20250602,d,p,\"Storage, \"\"block\"\"\",0.20\n\n",
            source: "costs.csv")
        let key = CostCSV.Key(domainId: "d", projectId: "p", service: "Storage, \"block\"")
        #expect(csv.costs == [key: [CalendarDay("20250602")!: ExactDecimal("10.3")!]])
    }

    @Test(arguments: [
        ("date,domainId,projectId,expectAmount\n", "line 1: the header has no service column"),
        ("date,domainId,projectId,service,expectAmount\n2025-13-01,d,p,s,1\n", "line 2: '2025-13-01' is not a date"),
        ("date,domainId,projectId,service,expectAmount\n2025-01-01,d,p,s,1\n2025-01-02,d,p,s,12abc\n", "line 3: expectAmount '12abc' is not a number"),
        ("date,domainId,projectId,service,expectAmount\n2025-01-01,d,p\n", "line 2: it has 3 fields"),
        ("", "line 1: the file is empty"),
    ])
    func badInputSaysWhereAndWhat(text: String, message: String) {
        let error = #expect(throws: CostCSVError.self) { try CostCSV(text: text, source: "costs.csv") }
        #expect(error?.description.contains("costs.csv, \(message)") == true, "\(String(describing: error))")
    }
}

@Suite struct BacktestCommandTests {
    /// 90 days of a weekday/weekend bill split over two regions, with a 3x spike on day 70, and a flat
    /// service whose name holds a comma.
    static func csv() -> String {
        var lines = ["date,domainId,projectId,service,expectAmount,region"]
        let start = CalendarDay("20250602")!
        for index in 0..<90 {
            let day = start.adding(days: index)
            var value = 100_000 * (day.isWeekend ? 0.4 : 1) * (1 + 0.03 * [0.3, -0.5, 0.8, -0.2, 0.1, -0.9, 0.6][index % 7])
            if index == 70 { value *= 3 }
            for region in ["kr-central-1", "kr-central-2"] {
                lines.append("\(day.iso),dom-1,prj-1,Virtual Machine,\(String(format: "%.2f", value / 2)),\(region)")
            }
            lines.append("\(day.compact),dom-1,prj-1,\"Storage, block\",20000.00,x")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func printsTheFlaggedDaysInTheScriptContract() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try Self.csv().write(toFile: folder.file("costs.csv"), atomically: true, encoding: .utf8)
        let result = try await CommandRunner(directory: folder).run(["backtest", "--input", "costs.csv", "--format", "json"])
        #expect(result.status == 0, "\(result.all)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(Set(row.keys) == ["date", "domainId", "projectId", "service", "observed", "expected", "impact", "zScore", "ratio", "detector"])
        #expect(row["date"] as? String == "2025-08-11")
        #expect(row["domainId"] as? String == "dom-1" && row["projectId"] as? String == "prj-1")
        #expect(row["service"] as? String == "Virtual Machine")
        #expect(row["detector"] as? String == "seasonal")
        let observed = try #require(row["observed"] as? Double)
        let expected = try #require(row["expected"] as? Double)
        let impact = try #require(row["impact"] as? Double)
        #expect(abs(impact - (observed - expected)) < 0.011)
        #expect(row["zScore"] is Double && row["ratio"] is Double)
        #expect(abs(observed - 300_000 * (1 + 0.03 * 0.3)) < 0.02)
    }

    @Test func judgesOnlyTheDaysAskedForWithTheDetectorAskedFor() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try Self.csv().write(toFile: folder.file("costs.csv"), atomically: true, encoding: .utf8)
        let runner = CommandRunner(directory: folder)
        let before = try await runner.run(["backtest", "--input", "costs.csv", "--to", "2025-08-10", "--format", "json"])
        #expect(before.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        let classic = try await runner.run(["backtest", "--input", "costs.csv", "--detector", "classic", "--from", "20250811", "--format", "table"])
        #expect(classic.stdout.contains("2025-08-11") && classic.stdout.contains("classic"))
        let unknown = try await runner.run(["backtest", "--input", "costs.csv", "--detector", "magic"])
        #expect(unknown.status == 64 && unknown.stderr.contains("seasonal, classic"))
        let missing = try await runner.run(["backtest", "--input", "nope.csv"])
        #expect(missing.status == 1 && missing.stderr.contains("cannot read nope.csv"))
    }

    @Test func backtestsTheStoreWhenThereIsNoInput() async throws {
        let spike = SimulatedBill.Spike(day: CalendarDay("20261118")!, serviceId: "1", projectName: "payments", factor: 5)
        let harness = try AppHarness(bill: SimulatedBill(configuration: .init(seed: 3, spikeProbability: 0, spikes: [spike])), now: Date.kst("20261125", hour: 3))
        try await harness.withApp { app in
            try await app.runBackfill(days: CalendarDay("20261001")!...CalendarDay("20261124")!, refetch: false)
            let table = try await app.backtestStore(days: CalendarDay("20261110")!...CalendarDay("20261124")!, detector: "seasonal")
            let flagged = table.data.rows.map { [$0[0], $0[3]] }
            #expect(flagged.contains([.text("2026-11-18"), .text("1")]))
            #expect(table.data.rows.allSatisfy { $0[0] == .text("2026-11-18") }, "\(table.render(.table))")
        }
    }

    /// What `costs --format csv` writes is a backtest's input, and it replays to the same flags as the
    /// store it came from; the table names the keys and sums the alerts up.
    @Test func theCostsCSVReplaysAsTheStoreItCameFrom() async throws {
        let demo = try await ListingTests.Demo.shared()
        let config = ["--config", "data/demo/settings.yaml"]
        let csv = try await demo.run(["costs", "--format", "csv"] + demo.days).stdout
        try csv.write(toFile: demo.folder.file("costs.csv"), atomically: true, encoding: .utf8)
        let costs = try await demo.json([CostRow].self, ["costs"] + demo.days)
        let dates = costs.map(\.date).sorted()
        let (first, last) = (try #require(dates.first), try #require(dates.last))
        let from = DateFormatter.compactDay.string(from: DateFormatter.compactDay.date(from: first)!.addingTimeInterval(14 * 86_400))
        let days = ["--from", from, "--to", last]
        let fromStore = try await demo.run(["backtest", "--format", "json"] + days + config).stdout
        let fromFile = try await demo.run(["backtest", "--input", "costs.csv", "--format", "json"] + days + config).stdout
        #expect(fromFile == fromStore)
        let flags = try #require(try JSONSerialization.jsonObject(with: Data(fromFile.utf8)) as? [[String: Any]])
        #expect(!flags.isEmpty)

        let table = try await demo.run(["backtest", "--input", "costs.csv"] + days + config).stdout
        let flagged = try #require(flags.first)
        let named = try #require(costs.first { $0.domainId == flagged["domainId"] as? String && $0.projectId == flagged["projectId"] as? String
            && $0.serviceId == flagged["service"] as? String })
        #expect(table.contains("\(named.serviceName) in \(named.projectName) (\(named.domainName))"), "\(table)")
        let judged = Set(costs.filter { $0.date >= from && $0.date <= last }.map(\.date)).count
        let keys = Set(costs.map { "\($0.domainId)/\($0.projectId)/\($0.serviceId)" }).count
        #expect(table.contains("The seasonal detector: \(flags.count) alert"), "\(table)")
        #expect(table.contains("keys over \(judged) days") && table.contains(" of \(keys) keys"), "\(table)")
        #expect(table.contains("Most flagged: "))
        #expect(table.split(separator: "\n").allSatisfy { $0.count <= 120 })
    }
}
