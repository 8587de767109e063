import BillingApp
import BillingCore
import BillingServe
import BillingTesting
import Foundation
import GRDB
import Testing

/// The pages `serve` renders, read over loopback from a store the daily job filled from the simulator,
/// checked against the store's own JSON answers.
@Suite struct PagesTests {
    struct AnomalyRow: Decodable {
        var id: String
        var domainId: String
        var projectId: String
        var serviceId: String
    }

    /// A store with November 1-20 (the month so far) and October 1-31 (the same days of October).
    static func seeded() async throws -> (AppHarness, BillingApp) {
        let harness = try AppHarness(bill: .init(configuration: .init(seed: 11, spikeProbability: 0.04)), now: ServeTests.now)
        try await harness.withApp { app in
            try await app.runBackfill(days: CalendarDay("20261001")!...CalendarDay("20261120")!, refetch: false)
        }
        return (harness, harness.app(harness.configuration(baseURL: "http://127.0.0.1:9")))
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func theOverviewShowsTheMonthSoFarToTheCentAndABarPerServiceAndDay() async throws {
        let (_, app) = try await Self.seeded()
        let (page, costs) = try await ServeTests.serving(app, clock: SteppedClock(ServeTests.now)) { base in
            (
                try await ServeTests.get(base, "/"),
                try JSONDecoder().decode([CostRow].self, from: Data(try await ServeTests.get(base, "/api/v1/costs?from=20261001&to=20261120").body.utf8))
            )
        }
        #expect(page.status == 200)
        // Summed here from the API's rows with Foundation's Decimal, not by the code under test.
        let november = costs.filter { $0.date >= "20261101" }.reduce(Decimal(0)) { $0 + $1.expectAmount }
        let october = costs.filter { $0.date >= "20261001" && $0.date <= "20261020" }.reduce(Decimal(0)) { $0 + $1.expectAmount }
        #expect(november > 0 && october > 0)
        #expect(page.body.contains("id=\"month-to-date\">\(ExpectedText.grouped(november)) KRW"))
        #expect(page.body.contains("against the same days of last month (\(ExpectedText.grouped(october)) KRW)"))
        // One bar segment per day and service with a cost, at most 6 services and "other" per day.
        let pairs = Set(costs.filter { $0.expectAmount > 0 }.map { "\($0.date)|\($0.serviceId)" })
        let services = Set(costs.map(\.serviceId)).count
        let segments = Self.count("<rect class=\"bar\"", in: page.body)
        #expect(segments > 0)
        #expect(services > 7 ? segments <= pairs.count : segments == pairs.count)
        #expect(Self.count("<rect class=\"bar\" data-date=\"20261120\"", in: page.body) >= 1)
    }

    /// The overview's movers table, one line per row: "domain/project/service amount usual".
    static func movers(in page: String) throws -> [String] {
        let start = try #require(page.range(of: "Top movers on"))
        let table = page[start.upperBound...].components(separatedBy: "</table>")[0]
        return table.components(separatedBy: "<tr><td><a href=\"").dropFirst().map { row in
            let href = row.prefix { $0 != "\"" }.replacingOccurrences(of: "&amp;", with: "&")
            let items = URLComponents(string: String(href))?.queryItems ?? []
            let key = ["domain", "project", "service"].map { name in items.first { $0.name == name }?.value ?? "?" }.joined(separator: "/")
            let numbers = row.components(separatedBy: "<td class=\"num").dropFirst().map { cell in
                String(cell.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" })
            }
            return ([key] + numbers.prefix(2)).joined(separator: " ")
        }
    }

    /// The movers are the keys furthest from the median of their 7 days before, as computed here from
    /// the API's rows; a store whose day has no movers kept shows the same ones, found from the amounts.
    @Test func theOverviewsMoversAreTheKeysFurthestFromTheirUsualDay() async throws {
        let (_, app) = try await Self.seeded()
        let (page, costs) = try await ServeTests.serving(app, clock: SteppedClock(ServeTests.now)) { base in
            (
                try await ServeTests.get(base, "/"),
                try JSONDecoder().decode([CostRow].self, from: Data(try await ServeTests.get(base, "/api/v1/costs?from=20261113&to=20261120").body.utf8))
            )
        }
        var amounts: [String: [String: Decimal]] = [:]
        for row in costs { amounts["\(row.domainId)/\(row.projectId)/\(row.serviceId)", default: [:]][row.date] = row.expectAmount }
        let week = (13...19).map { "202611\($0)" }
        #expect(Set(costs.map(\.date)).isSuperset(of: week))
        let expected = amounts.map { key, days -> (key: String, amount: Decimal, usual: Decimal) in
            (key, days["20261120"] ?? 0, week.map { days[$0] ?? 0 }.sorted()[3])
        }.filter { $0.amount != $0.usual }.sorted {
            let (left, right) = (abs(($0.amount - $0.usual) as Decimal), abs(($1.amount - $1.usual) as Decimal))
            return left == right ? $0.key < $1.key : left > right
        }.prefix(10)
        let shown = try Self.movers(in: page.body)
        #expect(shown.count == 10)
        #expect(shown.map { $0.components(separatedBy: " ")[0] } == expected.map(\.key))
        for (line, move) in zip(shown, expected) {
            let parts = line.components(separatedBy: " ")
            #expect(parts[1] == ExpectedText.grouped(move.amount), "\(line)")
            let usual = try #require(Decimal(string: parts[2].replacingOccurrences(of: ",", with: "")))
            #expect(abs(usual - move.usual) <= 1, "\(line), usual \(move.usual)")
        }

        // A day stored before the daily job kept its movers.
        guard case .sqlite(let path) = app.configuration.store else { Issue.record("the harness stores in SQLite"); return }
        let queue = try DatabaseQueue(path: path)
        try await queue.write { try $0.execute(sql: "DELETE FROM billing_daily_movers") }
        let found = try await ServeTests.serving(app, clock: SteppedClock(ServeTests.now)) { base in try await ServeTests.get(base, "/") }
        #expect(try Self.movers(in: found.body) == shown)
    }

    @Test func theAnomaliesPageListsEachStoredAnomalyOnceAndFilters() async throws {
        let (_, app) = try await Self.seeded()
        let (all, filtered, api, bad) = try await ServeTests.serving(app, clock: SteppedClock(ServeTests.now)) { base in
            let api = try JSONDecoder().decode(
                [AnomalyRow].self, from: Data(try await ServeTests.get(base, "/api/v1/anomalies?from=20261001&to=20261121").body.utf8))
            let service = api.first?.serviceId ?? "none"
            return (
                try await ServeTests.get(base, "/anomalies?from=20261001&to=20261121"),
                try await ServeTests.get(base, "/anomalies?from=20261001&to=20261121&service=\(service)&state=open"), api,
                try await ServeTests.get(base, "/anomalies?from=yesterday")
            )
        }
        let ids = Set(api.map(\.id))
        #expect(!ids.isEmpty, "the seeded bills should hold an anomaly")
        #expect(all.status == 200)
        #expect(Self.count("<tr class=\"anomaly\"", in: all.body) == ids.count)
        for id in ids { #expect(all.body.contains("data-id=\"\(id)\"")) }
        let wanted = Set(api.filter { $0.serviceId == api.first?.serviceId }.map(\.id))
        #expect(Self.count("<tr class=\"anomaly\"", in: filtered.body) == wanted.count)
        #expect(bad.status == 400 && bad.body.contains("from=yesterday is not a day; give YYYYMMDD"))
    }

    @Test func theKeyPageDrawsEachDayTheNormalRangeAndTheKeysAnomalies() async throws {
        let (_, app) = try await Self.seeded()
        let (api, page, missing) = try await ServeTests.serving(app, clock: SteppedClock(ServeTests.now)) { base in
            let api = try JSONDecoder().decode(
                [AnomalyRow].self, from: Data(try await ServeTests.get(base, "/api/v1/anomalies?from=20261001&to=20261121").body.utf8))
            let key = try #require(api.first)
            let page = try await ServeTests.get(base, "/key?domain=\(key.domainId)&project=\(key.projectId)&service=\(key.serviceId)")
            return (api, page, try await ServeTests.get(base, "/key?domain=x"))
        }
        let key = try #require(api.first)
        let days = Set(api.filter { $0.domainId == key.domainId && $0.projectId == key.projectId && $0.serviceId == key.serviceId }.map { String($0.id.prefix(8)) })
        #expect(page.status == 200)
        // October 1 to November 20: one point a day, the key's anomaly days marked.
        #expect(Self.count("<circle class=\"point", in: page.body) == 51)
        #expect(Self.count("<circle class=\"point anomaly\"", in: page.body) == days.count)
        for day in days { #expect(page.body.contains("class=\"point anomaly\" data-date=\"\(day)\"")) }
        #expect(page.body.contains("<polygon class=\"band\""))
        #expect(page.body.contains("What it was made of on 2026-11-20"))
        // Each pricing type and region of the day, its amount and the day before's, as the store holds them.
        let stored = try await app.withStore { store in
            try await store.dailyCosts(of: [CostKey(domainId: key.domainId, projectId: key.projectId, serviceId: key.serviceId)], in: CalendarDay("20261119")!...CalendarDay("20261120")!)
        }
        let (before, day) = (try #require(stored.first), try #require(stored.last))
        #expect(!day.parts.isEmpty)
        for part in day.parts {
            let earlier = before.parts.first { $0.pricingType == part.pricingType && $0.region == part.region }?.expectAmount.description ?? "0"
            let row = "<tr><td>\(part.pricingType) in \(part.region)</td><td class=\"num\">\(ExpectedText.grouped(Decimal(string: part.expectAmount.description)!))</td>"
                + "<td class=\"num\">\(ExpectedText.grouped(Decimal(string: earlier)!))</td>"
            #expect(page.body.contains(row), "\(row)")
        }
        #expect(missing.status == 400)
    }

    @Test func theOperationsPageListsTheDaysEachJobFinished() async throws {
        let (_, app) = try await Self.seeded()
        let page = try await ServeTests.serving(app, clock: SteppedClock(ServeTests.now)) { base in try await ServeTests.get(base, "/operations") }
        #expect(page.status == 200)
        // The last 14 days: November 8 to 21, of which the 8th to the 20th were fetched.
        #expect(Self.count("<tr class=\"run\"", in: page.body) == 13)
        #expect(page.body.contains("No day is waiting for the archive."))
    }

    @Test func theMonthReportIsOneFileThatStandsAloneWithTheMonthToTheCent() async throws {
        let (harness, app) = try await Self.seeded()
        let costs = try JSONDecoder().decode(
            [CostRow].self, from: Data(try await app.costsTable(days: CalendarDay("20261101")!...CalendarDay("20261130")!).render(.json).utf8))
        let november = costs.reduce(Decimal(0)) { $0 + $1.expectAmount }
        let file = harness.folder.file("november.html")
        let result = try await CommandRunner(directory: harness.folder).run([
            "report", "--config", try ServeTests.configFile(harness), "--month", "202611", "--out", file,
        ])
        #expect(result.status == 0, "\(result.all)")
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(html.contains("Bill report, November 2026"))
        #expect(html.contains("id=\"month-total\">\(ExpectedText.grouped(november)) KRW"))
        // November 1-20: a bar segment per day and service at least, and nothing fetched from anywhere.
        #expect(Self.count("<rect class=\"bar\" data-date=\"20261101\"", in: html) >= 1)
        #expect(Self.count("<rect class=\"bar\" data-date=\"20261031\"", in: html) == 0)
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("href=\"/") && !html.contains("src="))
        let bad = try await CommandRunner(directory: harness.folder).run(["report", "--month", "2026-11", "--out", file])
        #expect(bad.status == 64 && bad.stderr.contains("give YYYYMM"))
    }
}
