import PostgresNIO

/// A PostgreSQL operation that failed; the text names the server (never the password) and what to
/// check, and carries the server's message but never a bound value.
public struct PostgresStoreError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case connecting(location: String, reason: String, hint: String)
        case failed(operation: String, location: String, reason: String)
        case corruptValue(column: String, value: String)
    }

    private let code: Code
    /// Whether trying again later can help (the server was down or busy, or a transaction conflicted).
    public let isRetryable: Bool

    static func connecting(_ location: PostgresLocation, _ error: any Error) -> PostgresStoreError {
        let (reason, sqlState) = describe(error)
        let hint: String
        let retryable: Bool
        switch sqlState {
        case "28P01", "28000":
            hint = "check the user and password in store.url (or BILLING_ALERT_STORE_PASSWORD)"
            retryable = false
        case "3D000":
            hint = "create the database (createdb \(location.database)) or fix its name in store.url"
            retryable = false
        default:
            hint = "check store.url's host and port, and that PostgreSQL is running and accepts connections"
            retryable = true
        }
        return PostgresStoreError(
            code: .connecting(location: "\(location)", reason: reason, hint: hint), isRetryable: retryable)
    }

    static func failed(_ operation: String, _ location: PostgresLocation, _ error: any Error) -> PostgresStoreError {
        let (reason, sqlState) = describe(error)
        let retryable = sqlState == nil || sqlState?.hasPrefix("40") == true || sqlState?.hasPrefix("08") == true
        return PostgresStoreError(code: .failed(operation: operation, location: "\(location)", reason: reason), isRetryable: retryable)
    }

    static func corruptValue(column: String, value: String) -> PostgresStoreError {
        PostgresStoreError(code: .corruptValue(column: column, value: value), isRetryable: false)
    }

    /// The server's message and SQLSTATE, or the kind of connection failure; nothing from the query.
    private static func describe(_ error: any Error) -> (String, String?) {
        if let error = error as? PostgresStoreError { return ("\(error)", nil) }
        guard let error = error as? PSQLError else { return (String(describing: error).prefix(200).description, nil) }
        if let info = error.serverInfo, let message = info[.message] {
            let state = info[.sqlState]
            return ("\(message)\(state.map { " (SQLSTATE \($0))" } ?? "")", state)
        }
        if let underlying = error.underlying {
            return (String(describing: underlying).prefix(200).description, nil)
        }
        return ("\(error.code)", nil)
    }

    public var description: String {
        switch code {
        case .connecting(let location, let reason, let hint):
            return "cannot connect to PostgreSQL at \(location): \(reason); \(hint)"
        case .failed(let operation, let location, let reason):
            return "could not \(operation) in PostgreSQL at \(location): \(reason); nothing from this run was saved, so it is safe to run it again"
        case .corruptValue(let column, let value):
            return "the store holds an unreadable value in \(column) (\(value.prefix(40))); rebuild the day with `billing-alert reprocess`"
        }
    }
}
