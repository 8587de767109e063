import Foundation

/// Where a PostgreSQL store is: parsed from `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=MODE`.
///
/// The password is a secret: `description` leaves it out, and so does every error.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Hashable {
        /// TLS when the server offers it, without checking its certificate (libpq's default).
        case prefer
        case disable
        /// TLS or no connection, without checking the certificate.
        case require
        /// TLS with a certificate the system trusts, for the host named.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// How long connecting may take in all, sign-in included (`connect_timeout`, in seconds, as libpq names it).
    public var connectTimeout: Duration

    public init(
        host: String, port: Int = 5432, user: String, password: String?, database: String, tls: TLSMode = .prefer,
        connectTimeout: Duration = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
        self.connectTimeout = connectTimeout
    }

    /// Parses a `postgres://` or `postgresql://` URL; nil when it is not one. `password` (from the
    /// environment) replaces one in the URL.
    public init?(url: String, password: String? = nil) {
        guard let schemeEnd = url.range(of: "://"), ["postgres", "postgresql"].contains(url[..<schemeEnd.lowerBound]) else {
            return nil
        }
        var rest = Substring(url[schemeEnd.upperBound...])
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var userInfo = Substring("")
        if let at = rest.lastIndex(of: "@") {
            userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        let hostPort = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let authority = hostPort.first, !authority.isEmpty else { return nil }
        let database = hostPort.count > 1 ? String(hostPort[1]) : ""
        var host = String(authority)
        var port = 5432
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let parsed = Int(authority[authority.index(after: colon)...]), (1...65535).contains(parsed) else { return nil }
            port = parsed
            host = String(authority[..<colon])
        }
        host = host.trimmingCharacters(in: ["[", "]"])
        let userParts = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let user = userParts.first.map { Self.decode($0) } ?? ""
        let urlPassword = userParts.count > 1 ? Self.decode(userParts[1]) : nil
        var tls = TLSMode.prefer
        var connectTimeout = Duration.seconds(10)
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            if parts[0] == "connect_timeout" {
                guard let seconds = Int(parts[1]), (1...3600).contains(seconds) else { return nil }
                connectTimeout = .seconds(seconds)
                continue
            }
            guard parts[0] == "sslmode" else { continue }
            switch parts[1] {
            case "disable": tls = .disable
            case "allow", "prefer": tls = .prefer
            case "require", "verify-ca": tls = .require
            case "verify-full": tls = .verifyFull
            default: return nil
            }
        }
        guard !host.isEmpty, !user.isEmpty, !database.isEmpty else { return nil }
        self.init(host: host, port: port, user: user, password: password ?? urlPassword, database: Self.decode(Substring(database)), tls: tls,
            connectTimeout: connectTimeout)
    }

    /// The URL without the password, for messages.
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)"
    }

    private static func decode(_ text: Substring) -> String {
        String(text).removingPercentEncoding ?? String(text)
    }
}
