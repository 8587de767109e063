import GRDB
import GRDBSQLite

/// One statement run for many rows, its values bound through SQLite's own interface: a day's 125,000
/// rows went through GRDB's `StatementArguments`, whose boxing of every value took about a third of a
/// commit. Used only inside a write transaction, for the writes of a row per key.
struct BulkStatement {
    private let statement: Statement

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
    }

    /// Binds one row's values in order through `bind`, then runs the statement.
    func run(_ bind: (inout Values) throws -> Void) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        var values = Values(handle: handle)
        try bind(&values)
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw Self.error(code, handle) }
    }

    static func error(_ code: Int32, _ handle: OpaquePointer) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))))
    }

    /// A row's values, bound in the statement's order.
    struct Values {
        let handle: OpaquePointer
        private var index: Int32 = 0

        init(handle: OpaquePointer) {
            self.handle = handle
        }

        /// SQLite copies the bytes before the call returns.
        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        mutating func text(_ value: String) throws {
            index += 1
            var value = value
            let code = value.withUTF8 { bytes in
                // An empty buffer may have no address, which SQLite would take for NULL.
                bytes.isEmpty
                    ? sqlite3_bind_text(handle, index, "", 0, Self.transient)
                    : sqlite3_bind_text(handle, index, UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
            }
            try check(code)
        }

        mutating func int(_ value: Int) throws {
            index += 1
            try check(sqlite3_bind_int64(handle, index, Int64(value)))
        }

        mutating func double(_ value: Double) throws {
            index += 1
            try check(sqlite3_bind_double(handle, index, value))
        }

        mutating func bool(_ value: Bool) throws {
            try int(value ? 1 : 0)
        }

        private func check(_ code: Int32) throws {
            guard code == SQLITE_OK else { throw BulkStatement.error(code, handle) }
        }
    }
}
