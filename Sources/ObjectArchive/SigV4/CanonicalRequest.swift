import Foundation

/// SigV4's canonical form of a request: the exact text that gets hashed and signed.
struct CanonicalRequest {
    let text: String
    let signedHeaders: String

    init(_ request: SigV4Request, normalizesPath: Bool) {
        let path = normalizesPath ? Self.normalized(request.path) : request.path
        let uri = path.split(separator: "/", omittingEmptySubsequences: false)
            .map { Self.encode(String($0)) }.joined(separator: "/")
        let encodedQuery: [(name: String, value: String)] = request.query.map { (Self.encode($0.name), Self.encode($0.value)) }
        let sortedQuery = encodedQuery.sorted { lhs, rhs in lhs.name == rhs.name ? lhs.value < rhs.value : lhs.name < rhs.name }
        let query = sortedQuery.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        var headers: [String: [String]] = [:]
        var order: [String] = []
        for (name, value) in request.headers {
            let name = name.lowercased()
            if headers[name] == nil { order.append(name) }
            headers[name, default: []].append(Self.trimmed(value))
        }
        let names = order.sorted()
        let canonicalHeaders = names.map { "\($0):\(headers[$0]!.joined(separator: ","))\n" }.joined()
        signedHeaders = names.joined(separator: ";")
        text = [request.method, uri.isEmpty ? "/" : uri, query, canonicalHeaders, signedHeaders, request.payloadHash]
            .joined(separator: "\n")
    }

    /// Percent-encodes everything but the unreserved characters A-Z a-z 0-9 - . _ ~, as SigV4 requires.
    static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.append(Character(UnicodeScalar(byte)))
            default:
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }

    /// Leading and trailing white space removed, runs of white space (folded lines too) made one space.
    static func trimmed(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    /// The path with `.` and `..` segments resolved and repeated slashes removed; a trailing slash stays.
    static func normalized(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        let trailing = path.hasSuffix("/") && !segments.isEmpty ? "/" : ""
        return "/" + segments.joined(separator: "/") + trailing
    }
}
