import GRDB

/// A store operation that failed; the text names the file and what to check, never a bound value.
public struct SQLiteStoreError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case cannotOpen(path: String, reason: String)
        case failed(operation: String, path: String, reason: String)
        case corruptValue(column: String, value: String)
    }

    private let code: Code

    static func cannotOpen(path: String, reason: String) -> SQLiteStoreError {
        SQLiteStoreError(code: .cannotOpen(path: path, reason: reason))
    }

    static func failed(_ operation: String, path: String, reason: String) -> SQLiteStoreError {
        SQLiteStoreError(code: .failed(operation: operation, path: path, reason: reason))
    }

    static func corruptValue(column: String, value: String) -> SQLiteStoreError {
        SQLiteStoreError(code: .corruptValue(column: column, value: value))
    }

    /// SQLite's own message without the statement or its arguments.
    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "SQLite error \(error.resultCode.rawValue)"
        }
        return "\(error)"
    }

    /// Whether trying again later can help (a locked or busy database).
    public var isRetryable: Bool {
        if case .failed(_, _, let reason) = code { return reason.contains("locked") || reason.contains("busy") }
        return false
    }

    public var description: String {
        switch code {
        case .cannotOpen(let path, let reason):
            return "cannot open the SQLite store at \(path): \(reason); check that its folder is writable, or set store.url in the config"
        case .failed(let operation, let path, let reason):
            return "could not \(operation) in the SQLite store at \(path): \(reason); nothing from this run was saved, so it is safe to run it again"
        case .corruptValue(let column, let value):
            return "the store holds an unreadable value in \(column) (\(value.prefix(40))); restore the file from a backup or rebuild it with `billing-alert reprocess`"
        }
    }
}
