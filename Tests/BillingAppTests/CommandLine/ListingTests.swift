import BillingTesting
import Foundation
import Testing

/// The listings (`costs`, `anomalies`, `baselines`, `runs`, `silence list`) as a person reads them, on
/// the demo's data, through the built binary; the expected figures come from the same command's JSON.
@Suite struct ListingTests {
    struct AnomalyRow: Decodable {
        var id: String
        var hour: Int
        var serviceName: String
        var observed: Decimal
        var expected: Double?
        var impact: Double?
    }

    /// A folder holding the demo's store, and the arguments that point a command at it.
    struct Demo {
        var folder: TemporaryDirectory
        var runner: CommandRunner
        /// Every day the demo could have stored.
        let days = ["--config", "data/demo/settings.yaml", "--from", "20000101", "--to", "20991231"]

        /// A demo of its own, for a test that changes what it holds.
        static func run() async throws -> Demo {
            let folder = try TemporaryDirectory()
            let runner = CommandRunner(directory: folder)
            let demo = try await runner.run(["demo"])
            guard demo.status == 0 else { throw DemoFailed(output: demo.all) }
            return Demo(folder: folder, runner: runner)
        }

        /// One demo that tests only read, made once: each demo run backfills five weeks through the
        /// simulator, and the suite runs many at once on few cores.
        static func shared() async throws -> Demo {
            try await SharedDemo.instance.demo()
        }

        func run(_ arguments: [String]) async throws -> CommandRunner.Result {
            let result = try await runner.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.all)")
            return result
        }

        func json<T: Decodable>(_ type: T.Type, _ arguments: [String]) async throws -> T {
            try JSONDecoder().decode(type, from: Data(try await run(arguments + ["--format", "json"]).stdout.utf8))
        }
    }

    struct DemoFailed: Error, CustomStringConvertible {
        var output: String
        var description: String { "the demo failed: \(output)" }
    }

    actor SharedDemo {
        static let instance = SharedDemo()
        private var made: Task<Demo, any Error>?

        func demo() async throws -> Demo {
            if made == nil { made = Task { try await Demo.run() } }
            return try await made!.value
        }
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }

    @Test func everyListingFitsIn120ColumnsAndWideKeepsWholeIds() async throws {
        let demo = try await Demo.shared()
        let costs = try await demo.json([CostRow].self, ["costs"] + demo.days)
        let key = try #require(costs.first)
        for command in [["costs"], ["anomalies"], ["runs"]] {
            let text = try await demo.run(command + demo.days).stdout
            #expect(Self.lines(text).count > 3, "\(command): \(text)")
            for line in Self.lines(text) { #expect(line.count <= 120, "\(command): \(line.count) columns: \(line)") }
            // Ids are cut to 8 characters.
            #expect(!text.contains(key.domainId))
        }
        let baselines = try await demo.run(["baselines", "--config", "data/demo/settings.yaml"]).stdout
        for line in Self.lines(baselines) { #expect(line.count <= 120, "baselines: \(line)") }
        #expect(baselines.contains(String(key.domainId.prefix(8))) && !baselines.contains(key.domainId))
        let wide = try await demo.run(["costs", "--wide"] + demo.days).stdout
        #expect(wide.contains(key.domainId) && wide.contains(key.projectId))
        // Names come first: the header reads service, project, domain before the key.
        let header = try #require(Self.lines(wide).first)
        let order = ["service", "project", "domain", "cost (KRW)", "key"].map { header.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order.compactMap { $0 } == order.compactMap { $0 }.sorted())
    }

    @Test func amountsAreRightAlignedWithTwoDecimalsAndTheTotalsLineAddsUpToTheCent() async throws {
        let demo = try await Demo.shared()
        let costs = try await demo.json([CostRow].self, ["costs"] + demo.days)
        let lines = Self.lines(try await demo.run(["costs"] + demo.days).stdout)
        #expect(lines.count == costs.count + 3)
        let total = costs.reduce(Decimal(0)) { $0 + $1.expectAmount }
        let last = try #require(lines.last)
        #expect(last.hasPrefix("total") && last.contains(" \(ExpectedText.grouped(total))  "), "\(last)")
        let keys = Set(costs.map { "\($0.domainId)/\($0.projectId)/\($0.serviceId)" })
        #expect(last.contains("\(keys.count) keys"))
        // Every amount ends at the same column as the header's "cost (KRW)".
        let header = lines[0]
        let end = try #require(header.range(of: "cost (KRW)")).upperBound.utf16Offset(in: header)
        for (line, cost) in zip(lines.dropFirst(), costs) {
            let amount = ExpectedText.grouped(cost.expectAmount)
            let range = try #require(line.range(of: " \(amount)"), "\(line) lacks \(amount)")
            #expect(range.upperBound.utf16Offset(in: line) == end, "\(line)")
        }

        let anomalies = try await demo.json([AnomalyRow].self, ["anomalies"] + demo.days)
        let anomalyLines = Self.lines(try await demo.run(["anomalies"] + demo.days).stdout)
        let ids = Set(anomalies.map(\.id))
        #expect(!ids.isEmpty)
        // One line per anomaly, then the rule and the totals.
        #expect(anomalyLines.count == ids.count + 3)
        #expect(anomalyLines.last?.hasPrefix("\(ids.count) anomal") == true)
        for id in ids { #expect(anomalyLines.filter { $0.hasPrefix(id) }.count == 1) }
    }

    /// `costs --format csv` is a contract for scripts: this header, word for word, then one line per row
    /// of the JSON, the same values in the header's order.
    @Test func costsAsCSVHaveTheirHeaderThenTheJSONsRowsInOrder() async throws {
        let demo = try await Demo.shared()
        let costs = try await demo.json([CostRow].self, ["costs"] + demo.days)
        let lines = Self.lines(try await demo.run(["costs", "--format", "csv"] + demo.days).stdout)
        #expect(
            lines.first
                == "date,domainId,domainName,projectId,projectName,serviceId,serviceName,expectAmount,generalAmount,"
                + "discountAmount,usageTime,usageSize,pricingTypes,regions,rowCount,isAnomaly")
        #expect(lines.count == costs.count + 1 && !costs.isEmpty)
        for (line, cost) in zip(lines.dropFirst(), costs) {
            let fields = Self.csvFields(line)
            #expect(fields.count == 16, "\(line)")
            guard fields.count == 16 else { continue }
            #expect(fields[0] == cost.date && fields[1] == cost.domainId && fields[2] == cost.domainName, "\(line)")
            #expect(fields[3] == cost.projectId && fields[4] == cost.projectName, "\(line)")
            #expect(fields[5] == cost.serviceId && fields[6] == cost.serviceName, "\(line)")
            #expect(Decimal(string: fields[7]) == cost.expectAmount, "\(line)")
            #expect(["true", "false"].contains(fields[15]), "\(line)")
        }
    }

    /// A CSV line's fields: commas split them, quotes hold commas and doubled quotes.
    static func csvFields(_ line: String) -> [String] {
        var fields: [String] = [], field = "", quoted = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            switch (character, quoted) {
            case ("\"", true):
                if let next = characters.next() {
                    if next == "\"" { field.append("\"") } else {
                        quoted = false
                        if next == "," { fields.append(field); field = "" } else { field.append(next) }
                    }
                } else { quoted = false }
            case ("\"", false) where field.isEmpty: quoted = true
            case (",", false): fields.append(field); field = ""
            default: field.append(character)
            }
        }
        return fields + [field]
    }

    @Test func filtersPickKeysByIdNameOrPatternAndAnomaliesByStateAndImpact() async throws {
        let demo = try await Demo.run()
        defer { demo.folder.remove() }
        let costs = try await demo.json([CostRow].self, ["costs"] + demo.days)
        let key = try #require(costs.last)

        let byPattern = try await demo.json([CostRow].self, ["costs", "--service", "virtual*"] + demo.days)
        #expect(byPattern.count == costs.filter { $0.serviceName.lowercased().hasPrefix("virtual") }.count && !byPattern.isEmpty)
        let byName = try await demo.json([CostRow].self, ["costs", "--domain", key.domainName.uppercased()] + demo.days)
        #expect(byName.count == costs.filter { $0.domainId == key.domainId }.count && byName.count < costs.count)
        let byIds = try await demo.json(
            [CostRow].self, ["costs", "--domain", key.domainId, "--project", key.projectId, "--service", key.serviceId] + demo.days)
        #expect(byIds.count == costs.filter { ($0.domainId, $0.projectId, $0.serviceId) == (key.domainId, key.projectId, key.serviceId) }.count)
        #expect(!byIds.isEmpty)
        let table = Self.lines(try await demo.run(["costs", "--project", "*\(key.projectName.suffix(3))"] + demo.days).stdout)
        #expect(table.count == costs.filter { $0.projectName.hasSuffix(key.projectName.suffix(3)) }.count + 3)

        let anomalies = try await demo.json([AnomalyRow].self, ["anomalies"] + demo.days)
        let acked = try #require(anomalies.first)
        #expect(try await demo.run(["ack", acked.id, "--as", "planned", "--config", "data/demo/settings.yaml"]).status == 0)
        let open = try await demo.json([AnomalyRow].self, ["anomalies", "--open"] + demo.days)
        #expect(Set(open.map(\.id)) == Set(anomalies.map(\.id)).subtracting([acked.id]))
        #expect(Self.lines(try await demo.run(["anomalies", "--open"] + demo.days).stdout).last?.hasSuffix("\(Set(open.map(\.id)).count) open") == true)

        // The latest record of each anomaly says its impact; keep those at least the median one.
        var latest: [String: AnomalyRow] = [:]
        for anomaly in anomalies where (latest[anomaly.id]?.hour ?? -1) < anomaly.hour { latest[anomaly.id] = anomaly }
        let impacts = latest.values.compactMap(\.impact).sorted()
        let threshold = impacts[impacts.count / 2]
        let large = try await demo.json([AnomalyRow].self, ["anomalies", "--min-impact", String(format: "%.2f", threshold)] + demo.days)
        #expect(Set(large.map(\.id)) == Set(latest.values.filter { ($0.impact ?? 0) >= (threshold * 100).rounded() / 100 }.map(\.id)))
        #expect(Set(large.map(\.id)).count < latest.count)
        let bad = try await demo.runner.run(["anomalies", "--min-impact=-5"] + demo.days)
        #expect(bad.status == 64 && bad.stderr.contains("--min-impact takes an amount in KRW"))
    }

    @Test func aListingWithNothingToShowSaysSoInASentence() async throws {
        let demo = try await Demo.shared()
        let costs = try await demo.run(["costs", "--service", "no such service"] + demo.days)
        // One sentence, wrapped at 120 columns.
        #expect(Self.lines(costs.stdout).joined(separator: " ") == "No daily cost is stored from 2000-01-01 to 2099-12-31 that matches --service 'no such service'. "
            + "`billing-alert daily --date YYYYMMDD` fetches a finished day; `backfill --from --to` fetches many.")
        #expect(Self.lines(costs.stdout).allSatisfy { $0.count <= 120 })
        let anomalies = try await demo.run(["anomalies", "--project", "nope", "--open"] + demo.days)
        #expect(anomalies.stdout.hasPrefix("None of the ") && anomalies.stdout.contains("matches --project 'nope' --open."))
        let silences = try await demo.run(["silence", "list", "--config", "data/demo/settings.yaml"])
        #expect(silences.stdout.hasPrefix("No silences."))
        let runs = try await demo.run(["runs", "--config", "data/demo/settings.yaml", "--date", "20000101"])
        #expect(runs.stdout.hasPrefix("No job finished a day on 2000-01-01."))
        // JSON stays a contract: an empty array.
        #expect(try await demo.run(["costs", "--service", "nope", "--format", "json"] + demo.days).stdout == "[]\n")
    }
}
