import BillingCore
import Foundation

/// One stored row read by column name: what each store gives the shared row mapping
/// (`StoredRows.swift`), so SQLite and PostgreSQL turn rows into values the same way.
///
/// Money is stored as exact decimal text; days as `YYYYMMDD`; lists and parts as JSON text. A value
/// that is missing or cannot be read is the store's `corrupt` error, naming the column and the value.
public protocol StoredColumns {
    func text(_ column: String) throws -> String
    func optionalText(_ column: String) throws -> String?
    func int(_ column: String) throws -> Int
    func optionalInt(_ column: String) throws -> Int?
    func double(_ column: String) throws -> Double
    func optionalDouble(_ column: String) throws -> Double?
    func bool(_ column: String) throws -> Bool
    func date(_ column: String) throws -> Date
    func optionalDate(_ column: String) throws -> Date?
    /// The store's error for a column whose stored value cannot be read.
    func corrupt(_ column: String, value: String) -> any Error
}

extension StoredColumns {
    @inlinable
    public func decimal(_ column: String) throws -> ExactDecimal {
        try parsed(column) { ExactDecimal($0) }
    }

    @inlinable
    public func day(_ column: String) throws -> CalendarDay {
        try parsed(column) { CalendarDay($0) }
    }

    @inlinable
    public func key() throws -> CostKey {
        CostKey(domainId: try text("domain_id"), projectId: try text("project_id"), serviceId: try text("service_id"))
    }

    public func list(_ column: String) throws -> [String] {
        try parsed(column) { DailyCost.list(fromJSON: $0) }
    }

    public func parts(_ column: String) throws -> [DailyCost.Part] {
        try parsed(column) { DailyCost.Part.parts(fromJSON: $0) }
    }

    public func matchers(_ column: String) throws -> [Silence.Matcher] {
        try parsed(column) { try? Silence.matchers(parsing: $0) }
    }

    public func verdict(_ column: String) throws -> AnomalyFeedback.Verdict {
        try parsed(column) { AnomalyFeedback.Verdict(rawValue: $0) }
    }

    /// The column's text read by `parse`; the store's `corrupt` error when it cannot be.
    @inlinable
    public func parsed<T>(_ column: String, _ parse: (String) -> T?) throws -> T {
        let text = try text(column)
        guard let value = parse(text) else { throw corrupt(column, value: text) }
        return value
    }
}
