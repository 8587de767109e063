import BillingCore
import BillingPipeline
import Foundation
import PostgresNIO

/// A PostgreSQL row read by column name for the shared row mapping; money comes back as exact
/// decimal text (`::text` in the queries).
struct StoredRow: StoredColumns {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row.makeRandomAccess()
    }

    func text(_ column: String) throws -> String {
        try row[column].decode(String.self)
    }

    func optionalText(_ column: String) throws -> String? {
        try row[column].decode(String?.self)
    }

    func int(_ column: String) throws -> Int {
        try row[column].decode(Int.self)
    }

    func optionalInt(_ column: String) throws -> Int? {
        try row[column].decode(Int?.self)
    }

    func double(_ column: String) throws -> Double {
        try row[column].decode(Double.self)
    }

    func optionalDouble(_ column: String) throws -> Double? {
        try row[column].decode(Double?.self)
    }

    func bool(_ column: String) throws -> Bool {
        try row[column].decode(Bool.self)
    }

    func date(_ column: String) throws -> Date {
        try row[column].decode(Date.self)
    }

    func optionalDate(_ column: String) throws -> Date? {
        try row[column].decode(Date?.self)
    }

    func corrupt(_ column: String, value: String) -> any Error {
        PostgresStoreError.corruptValue(column: column, value: value)
    }
}
