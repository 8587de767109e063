import BillingCore
import BillingPipeline
import Foundation
import GRDB

/// How values are written to SQLite: timestamps as ISO 8601 text with fractional seconds.
enum StoredValue {
    static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func timestamp(_ date: Date) -> String {
        date.formatted(timestampStyle)
    }
}

/// A SQLite row read by column name for the shared row mapping. A value of the wrong kind is a
/// `corruptValue` error, never a crash.
struct SQLiteColumns: StoredColumns {
    let row: Row

    private func optional<T: DatabaseValueConvertible>(_ column: String) throws -> T? {
        let value: DatabaseValue = row[column] ?? .null
        if value.isNull { return nil }
        guard let converted = T.fromDatabaseValue(value) else { throw corrupt(column, value: value.description) }
        return converted
    }

    private func required<T: DatabaseValueConvertible>(_ column: String) throws -> T {
        guard let value: T = try optional(column) else { throw corrupt(column, value: "NULL") }
        return value
    }

    func text(_ column: String) throws -> String { try required(column) }
    func optionalText(_ column: String) throws -> String? { try optional(column) }
    func int(_ column: String) throws -> Int { try required(column) }
    func optionalInt(_ column: String) throws -> Int? { try optional(column) }
    func double(_ column: String) throws -> Double { try required(column) }
    func optionalDouble(_ column: String) throws -> Double? { try optional(column) }
    func bool(_ column: String) throws -> Bool { try required(column) }

    func date(_ column: String) throws -> Date {
        try parsed(column) { try? Date($0, strategy: StoredValue.timestampStyle) }
    }

    func optionalDate(_ column: String) throws -> Date? {
        try optionalText(column).map { _ in try date(column) }
    }

    func corrupt(_ column: String, value: String) -> any Error {
        SQLiteStoreError.corruptValue(column: column, value: value)
    }
}

/// A SQLite row read by position, for the reads of millions of rows: the same checks as
/// `SQLiteColumns` (a NULL or a value of the wrong kind is `corruptValue`, never a crash), without
/// looking each column up by name.
struct IndexedColumns {
    let row: Row
    /// The selected columns' names, for errors.
    let names: [String]

    func text(_ index: Int) throws -> String {
        guard !row.hasNull(atIndex: index) else { throw corrupt(index, value: "NULL") }
        return row[index]
    }

    func bool(_ index: Int) throws -> Bool {
        guard !row.hasNull(atIndex: index) else { throw corrupt(index, value: "NULL") }
        let value: DatabaseValue = row[index]
        guard let bool = Bool.fromDatabaseValue(value) else { throw corrupt(index, value: value.description) }
        return bool
    }

    func corrupt(_ index: Int, value: String) -> any Error {
        SQLiteStoreError.corruptValue(column: names[index], value: value)
    }
}

extension Row {
    var columns: SQLiteColumns { SQLiteColumns(row: self) }
}

extension SQLiteStore {
    private static let keyColumns = ["id", "domain_id", "project_id", "service_id"]

    /// Each key of billing_keys with its number; a key's ids are read only when `wanted` asks for
    /// its number. What the history read and the history writes both need of the key numbers.
    static func forEachNumberedKey(
        in db: Database, wanted: (Int64) -> Bool = { _ in true }, _ body: (Int64, CostKey) throws -> Void
    ) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT id, domain_id, project_id, service_id FROM billing_keys")
        while let row = try rows.next() {
            let number: Int64 = row[0]
            guard wanted(number) else { continue }
            let columns = IndexedColumns(row: row, names: keyColumns)
            try body(number, CostKey(domainId: try columns.text(1), projectId: try columns.text(2), serviceId: try columns.text(3)))
        }
    }
}

extension Database {
    /// Runs one statement, compiled once per connection: a run writes up to a row per key through the
    /// same few statements, and compiling each time took most of a commit.
    func run(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
