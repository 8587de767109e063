import BillingCore
import BillingWire
import Foundation
import Testing

@testable import BillingPipeline
@testable import ObjectArchive

@Suite struct RawDayDocumentTests {
    let day = CalendarDay("20260305")!

    @Test func usesTheTutorialsKeyLayout() {
        #expect(RawDayDocument.key(for: day) == "raw/year=2026/month=03/day=05/billing_20260305.json")
    }

    @Test func keepsPagesVerbatimAndReadsTheirRowsBack() throws {
        let pages = [
            #"{"result":{"content":[{"domainId":"d","projectId":"p","serviceId":"1","expectAmount":"0.10"}]},"extra":true}"#,
            #"{"result":{"content":[{"domainId":"d","projectId":"p","serviceId":"2","expectAmount":12345678901234.5678}]}}"#,
        ]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = try RawDayWriter(directory: folder, date: day, fetchedAt: Date(timeIntervalSince1970: 0))
        for page in pages { try writer.append(page: Array(page.utf8)) }
        let file = try writer.finish(FetchSummary(pageCount: 2, rowCount: 2, pageSize: 1, endpoint: "http://x/open"))
        let data = try Data(contentsOf: file)
        let text = String(decoding: data, as: UTF8.self)
        for page in pages { #expect(text.contains(page)) }
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["format"] as? String == RawDayDocument.format)
        #expect(json["pageCount"] as? Int == 2 && json["endpoint"] as? String == "http://x/open")
        var aggregator = DailyAggregator(date: day)
        #expect(try RawDayDocument.fold(try MappedFile(path: file.path), into: &aggregator) == day)
        #expect(aggregator.dailyCosts().map(\.expectAmount) == [ExactDecimal("0.1"), ExactDecimal("12345678901234.5678")])
    }

    @Test func aDocumentThatIsNotAnArchivedDayIsAClearError() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString + ".json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("{\"pages\": 3}".utf8).write(to: file)
        var aggregator = DailyAggregator(date: day)
        let error = #expect(throws: ArchiveDocumentError.self) { try RawDayDocument.fold(try MappedFile(path: file.path), into: &aggregator) }
        #expect(error?.description.contains("billing-alert daily --date") == true)
    }
}
