import BillingCore
import Foundation

/// The archived raw JSON of one day: every page exactly as the API sent it, plus the fetch's metadata.
///
/// Keeping page bodies verbatim means nothing the API said is lost or reformatted, and `reprocess`
/// reads them back with the same reader the fetch used. A `RawDayFiles` adapter writes one as the pages
/// arrive, and folds it back.
public enum RawDayDocument {
    public static let format = "billing-alert.raw-day.v1"
    public static let contentType = "application/json"

    /// The tutorial's layout: `raw/year=YYYY/month=MM/day=DD/billing_YYYYMMDD.json`.
    public static func key(for day: CalendarDay) -> String {
        String(format: "raw/year=%04d/month=%02d/day=%02d/billing_%@.json", day.year, day.month, day.day, day.compact)
    }

    /// Whether a document that starts with `head` is an archived day, as `RawDayWriter` starts one.
    public static func isArchivedDay(head: some Collection<UInt8>) -> Bool {
        String(decoding: head.prefix(256), as: UTF8.self).contains("\"format\":\(jsonString(format))")
    }

    public static func jsonString(_ text: String) -> String {
        JSONText.quoted(text)
    }
}
