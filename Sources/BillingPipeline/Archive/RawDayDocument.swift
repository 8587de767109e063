import BillingCore
import Foundation

/// The archived raw JSON of one day: every page exactly as the API sent it, plus the fetch's metadata.
///
/// Keeping page bodies verbatim means nothing the API said is lost or reformatted, and `reprocess`
/// reads them back with the same decoder the fetch used.
public struct RawDayDocument: Sendable {
    public static let format = "billing-alert.raw-day.v1"
    public static let contentType = "application/json"

    public var date: CalendarDay
    public var fetchedAt: Date
    public var summary: FetchSummary
    public var pageBodies: [[UInt8]]

    public init(date: CalendarDay, fetchedAt: Date, summary: FetchSummary, pageBodies: [[UInt8]]) {
        self.date = date
        self.fetchedAt = fetchedAt
        self.summary = summary
        self.pageBodies = pageBodies
    }

    /// The tutorial's layout: `raw/year=YYYY/month=MM/day=DD/billing_YYYYMMDD.json`.
    public static func key(for day: CalendarDay) -> String {
        String(format: "raw/year=%04d/month=%02d/day=%02d/billing_%@.json", day.year, day.month, day.day, day.compact)
    }

    public func encoded() -> Data {
        let header: [(String, String)] = [
            ("format", Self.jsonString(Self.format)),
            ("date", Self.jsonString(date.compact)),
            ("fetchedAt", Self.jsonString(fetchedAt.formatted(.iso8601))),
            ("endpoint", Self.jsonString(summary.endpoint)),
            ("pageSize", String(summary.pageSize)),
            ("pageCount", String(summary.pageCount)),
            ("rowCount", String(summary.rowCount)),
        ]
        var data = Data("{".utf8)
        for (name, value) in header {
            data.append(contentsOf: Array("\"\(name)\":\(value),\n".utf8))
        }
        data.append(contentsOf: Array("\"pages\":[".utf8))
        for (index, body) in pageBodies.enumerated() {
            data.append(contentsOf: Array((index == 0 ? "\n" : ",\n").utf8))
            data.append(contentsOf: body)
        }
        data.append(contentsOf: Array("\n]}\n".utf8))
        return data
    }

    /// Reads an archived day back into its rows.
    public static func rows(from data: Data) throws -> (date: CalendarDay?, rows: [BillingRow]) {
        struct Document: Decodable {
            var format: String?
            var date: String?
            var pages: [BillingResponse]
        }
        do {
            let document = try JSONDecoder().decode(Document.self, from: data)
            return (document.date.flatMap(CalendarDay.init), document.pages.flatMap(\.rows))
        } catch {
            throw ArchiveDocumentError(reason: "\(error)".prefix(300).description)
        }
    }

    private static func jsonString(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// An archived day that cannot be read back.
public struct ArchiveDocumentError: Error, CustomStringConvertible {
    public let reason: String

    public var description: String {
        "the archived raw day cannot be read (\(reason)); fetch the day again with `billing-alert daily --date YYYYMMDD`"
    }
}
