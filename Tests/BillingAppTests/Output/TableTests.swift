import Foundation
import Testing

@testable import BillingApp

@Suite struct TableTests {
    let table = Table(
        columns: ["date", "name", "amount", "tags", "flag", "missing"],
        rows: [[.text("20261120"), .text("a \"quoted\", name"), .number("12345678901234.5678"), .list(["x", "y"]), .bool(true), .null]])

    @Test func jsonKeepsNumbersExactAndTypesIntact() throws {
        let text = table.render(.json)
        #expect(text.contains(#""amount": 12345678901234.5678"#))
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(rows[0]["name"] as? String == "a \"quoted\", name")
        #expect(rows[0]["tags"] as? [String] == ["x", "y"])
        #expect(rows[0]["flag"] as? Bool == true)
        #expect(rows[0]["missing"] is NSNull)
    }

    @Test func csvQuotesWhatNeedsQuoting() {
        #expect(table.render(.csv) == "date,name,amount,tags,flag,missing\n20261120,\"a \"\"quoted\"\", name\",12345678901234.5678,x;y,true,")
    }

    @Test func anEmptyJSONResultIsAnEmptyArray() {
        #expect(Table(columns: ["a"]).render(.json) == "[]")
    }

    @Test func tablesAlignColumns() {
        let text = Table(columns: ["a", "b"], rows: [[.text("long value"), .text("x")]]).render(.table)
        #expect(text == "a           b\nlong value  x")
    }

    /// Wide names are cut, longest first, to fit the width; numbers and other columns never are, and
    /// Hangul counts two columns a character, as a terminal draws it.
    @Test func aTextTableCutsTheLongestNamesToFitAndCountsHangulAsTwoColumns() {
        var table = TextTable(
            columns: [.init("service", name: true), .init("project", name: true), .init("date"), .init("cost (KRW)", number: true)],
            empty: "nothing")
        table.rows = [
            ["Virtual Machine with a very long product name", "결제-서비스-운영-프로젝트", "2026-11-20", "1,234,567.89"],
            ["MySQL", "web", "2026-11-21", "5.00"],
        ]
        table.totals = ["total", "", "", "1,234,572.89"]
        let lines = table.render(width: 60).split(separator: "\n").map(String.init)
        #expect(lines.map(TextTable.columns).allSatisfy { $0 <= 60 }, "\(lines)")
        #expect(lines[1].contains("2026-11-20  1,234,567.89") && lines[1].contains("…"))
        #expect(lines[2].hasPrefix("MySQL ") && lines[2].hasSuffix("        5.00"))
        #expect(lines[3] == String(repeating: "-", count: TextTable.columns(lines[1])))
        #expect(lines[4].hasPrefix("total") && lines[4].hasSuffix("1,234,572.89"))
        #expect(TextTable.columns("결제") == 4 && TextTable.columns("web") == 3)
        // Without a width nothing is cut; trailing spaces are never printed.
        let whole = table.render(width: nil)
        #expect(whole.contains("Virtual Machine with a very long product name") && whole.contains("결제-서비스-운영-프로젝트"))
        #expect(!whole.split(separator: "\n").contains { $0.hasSuffix(" ") })
        #expect(TextTable(columns: [.init("a")], empty: "Nothing matched.").render() == "Nothing matched.")
    }
}
