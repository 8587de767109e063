import BillingCore
import BillingTesting
import BillingWire
import Foundation
import Testing

@testable import BillingPipeline
@testable import ObjectArchive

@Suite struct MappedFileTests {
    let day = CalendarDay("20261125")!

    /// One response of `rows` rows over 50 keys, about 150 bytes a row.
    func writeResponse(rows: Int, to file: URL) throws {
        let content = (0..<rows).map { index in
            #"{"meteringDate":"20261125","domainId":"d","projectId":"p\#(index % 5)","serviceId":"\#(index % 10)","#
                + #""pricingType":"ON_DEMAND","region":"kr-central-2","expectAmount":\#(index % 97).\#(index % 10)5}"#
        }
        try Data(#"{"result":{"content":[\#(content.joined(separator: ","))]}}"#.utf8).write(to: file)
    }

    /// The resident size of this process's mapping of `path`, from /proc/self/smaps.
    ///
    /// The file is made as it is read, and other tests map and unmap memory meanwhile, so a read can
    /// miss a mapping; it is read again until the mapping shows.
    func residentKilobytes(ofMappingOf path: String) throws -> Int? {
        for _ in 0..<10 {
            // procfs files report no size, so they are read to their end rather than by size.
            let smaps = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps")).readDataToEndOfFile()
            let lines = String(decoding: smaps, as: UTF8.self).split(separator: "\n")
            guard let header = lines.firstIndex(where: { $0.hasSuffix(" " + path) }) else { continue }
            let rss = lines[(header + 1)...].first { $0.hasPrefix("Rss:") }
            return rss.flatMap { Int($0.split(separator: " ")[1]) }
        }
        return nil
    }

    @Test func foldsAFileAsItsBytesFoldAndLetsGoOfThePagesBehindTheReader() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("day.json")
        try writeResponse(rows: 40_000, to: URL(fileURLWithPath: path))
        var expected = DailyAggregator(date: day)
        _ = try expected.add(pageBody: try Data(contentsOf: URL(fileURLWithPath: path)))

        let window = 64 << 10
        let file = try MappedFile(path: path, window: window)
        #expect(file.count > 5_000_000)
        var aggregator = DailyAggregator(date: day)
        let info = try file.withBytes { bytes, passed in try aggregator.add(pageBody: bytes, passed: passed) }
        #expect(info.rowCount == 40_000)
        #expect(aggregator.dailyCosts() == expected.dailyCosts())
        // Read through, the file holds little of what the reader passed: the window behind the last
        // row, and what the kernel reads ahead of it (its fault-around and readahead sizes, which vary
        // by kernel and disk), well under a tenth of the file that a mapping kept whole would hold.
        let resident = try #require(try residentKilobytes(ofMappingOf: path))
        #expect(resident * 1024 < file.count / 10, "\(resident) kB resident of \(file.count / 1024) kB")
    }

    @Test func anArchivedDayFoldsFromItsFileToo() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let writer = try RawDayWriter(directory: folder.url, date: day, fetchedAt: Date(timeIntervalSince1970: 0))
        let page = try Data(contentsOf: {
            let url = folder.url.appendingPathComponent("page.json")
            try writeResponse(rows: 3_000, to: url)
            return url
        }())
        for _ in 0..<4 { try writer.append(page: Array(page)) }
        let archived = try writer.finish(FetchSummary(pageCount: 4, rowCount: 12_000, pageSize: 3_000, endpoint: "http://x"))
        var expected = DailyAggregator(date: day)
        for _ in 0..<4 { _ = try expected.add(pageBody: page) }
        var aggregator = DailyAggregator(date: day)
        #expect(try RawDayDocument.fold(try MappedFile(path: archived.path, window: 16 << 10), into: &aggregator) == day)
        #expect(aggregator.rowCount == 12_000 && aggregator.dailyCosts() == expected.dailyCosts())
    }

    @Test func aFileThatCannotBeMappedIsNamedWithTheReason() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let missing = #expect(throws: MappedFileError.self) { try MappedFile(path: folder.file("nope.json")) }
        #expect(missing?.description == "\(folder.file("nope.json")): cannot open it: No such file or directory")
        let directory = #expect(throws: MappedFileError.self) { try MappedFile(path: folder.url.path) }
        #expect(directory?.description.hasSuffix("it is not a regular file") == true)
        #expect(FileManager.default.createFile(atPath: folder.file("empty.json"), contents: nil))
        let empty = try MappedFile(path: folder.file("empty.json"))
        var aggregator = DailyAggregator(date: day)
        let error = #expect(throws: BillingResponseError.self) {
            try empty.withBytes { bytes, passed in try aggregator.add(pageBody: bytes, passed: passed) }
        }
        #expect(error?.reason.contains("ends early") == true)
    }
}
