import BillingCore
import Foundation
import Testing

@testable import BillingPipeline

@Suite struct RawDayDocumentTests {
    let day = CalendarDay("20260305")!

    @Test func usesTheTutorialsKeyLayout() {
        #expect(RawDayDocument.key(for: day) == "raw/year=2026/month=03/day=05/billing_20260305.json")
    }

    @Test func keepsPagesVerbatimAndReadsTheirRowsBack() throws {
        let pages = [
            #"{"result":{"content":[{"serviceId":"1","expectAmount":"0.10"}]},"extra":true}"#,
            #"{"result":{"content":[{"serviceId":"2","expectAmount":12345678901234.5678}]}}"#,
        ]
        let document = RawDayDocument(
            date: day, fetchedAt: Date(timeIntervalSince1970: 0),
            summary: FetchSummary(pageCount: 2, rowCount: 2, pageSize: 1, endpoint: "http://x/open"),
            pageBodies: pages.map { Array($0.utf8) })
        let data = document.encoded()
        let text = String(decoding: data, as: UTF8.self)
        for page in pages { #expect(text.contains(page)) }
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["format"] as? String == RawDayDocument.format)
        #expect(json["pageCount"] as? Int == 2 && json["endpoint"] as? String == "http://x/open")
        let (date, rows) = try RawDayDocument.rows(from: data)
        #expect(date == day)
        #expect(rows.map(\.expectAmount) == [ExactDecimal("0.1"), ExactDecimal("12345678901234.5678")])
    }

    @Test func aDocumentThatIsNotAnArchivedDayIsAClearError() {
        let error = #expect(throws: ArchiveDocumentError.self) { try RawDayDocument.rows(from: Data("{\"pages\": 3}".utf8)) }
        #expect(error?.description.contains("billing-alert daily --date") == true)
    }
}
