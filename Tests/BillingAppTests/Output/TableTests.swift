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
}
