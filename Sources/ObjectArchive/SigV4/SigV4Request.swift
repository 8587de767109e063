/// What AWS Signature Version 4 signs: a request reduced to method, path, query, headers and the
/// payload's hash.
public struct SigV4Request: Sendable, Hashable {
    public var method: String
    /// The path, not percent-encoded: `/bucket/raw/year=2026/file.json`.
    public var path: String
    /// Query items, not percent-encoded; a value of "" for `?acl`.
    public var query: [(name: String, value: String)]
    /// Headers in request order; repeated names are allowed.
    public var headers: [(name: String, value: String)]
    /// Hex SHA-256 of the body, or a marker such as `UNSIGNED-PAYLOAD`.
    public var payloadHash: String

    public init(
        method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)], payloadHash: String
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadHash = payloadHash
    }

    public static func == (lhs: SigV4Request, rhs: SigV4Request) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.payloadHash == rhs.payloadHash
            && lhs.query.map { [$0.name, $0.value] } == rhs.query.map { [$0.name, $0.value] }
            && lhs.headers.map { [$0.name, $0.value] } == rhs.headers.map { [$0.name, $0.value] }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(path)
        hasher.combine(payloadHash)
    }
}
