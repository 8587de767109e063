import BillingCore
import Foundation
import Testing

/// What a day of the simulator's rows adds up to, worked out without the code under test: the rows read
/// by Foundation, each amount taken from its own text and added up in Foundation's `Decimal`.
enum ExpectedSums {
    /// Per key (`domainId/projectId/serviceId`), the sum of each amount in `names` over the rows of `day`.
    static func of(_ rows: [String], day: CalendarDay, amounts names: [String]) throws -> [String: [String: Decimal]] {
        var sums: [String: [String: Decimal]] = [:]
        for row in rows {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(row.utf8)) as? [String: Any])
            guard object["meteringDate"] as? String == day.compact else { continue }
            let key = ["domainId", "projectId", "serviceId"].map { "\(object[$0] ?? "")" }.joined(separator: "/")
            for name in names {
                let text = try #require(numberText(name, in: row), "\(name) in \(row)")
                sums[key, default: [:]][name, default: 0] += try #require(Decimal(string: text))
            }
        }
        return sums
    }

    /// The digits of a row's amount as written, quoted or not.
    static func numberText(_ name: String, in row: String) -> String? {
        guard let start = row.range(of: "\"\(name)\":") else { return nil }
        let value = row[start.upperBound...].drop { $0 == "\"" }
        return String(value.prefix { $0.isNumber || $0 == "." || $0 == "-" })
    }
}
