import Foundation
import Testing

@testable import ObjectArchive

/// The AWS SigV4 test suite (34 cases) and the S3 API Reference's worked examples, from Fixtures/sigv4
/// (see its README for where they come from).
@Suite struct SigV4SuiteTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/sigv4").standardizedFileURL

    /// Every folder holding a `.req` file, as a path relative to the suite's root.
    static let cases: [String] = {
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        let requests = (enumerator?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".req") }
        return requests.map { ($0 as NSString).deletingLastPathComponent }.sorted()
    }()

    static let suiteSigner = SigV4Signer(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region: "us-east-1",
        service: "service")

    func file(_ folder: String, _ suffix: String) throws -> String {
        let name = (folder as NSString).lastPathComponent
        return try String(contentsOf: Self.root.appendingPathComponent("\(folder)/\(name).\(suffix)"), encoding: .utf8)
    }

    /// Parses a raw `.req`: request line, headers (indented lines continue the one before), body.
    static func parse(_ text: String) -> SigV4Request {
        var lines = text.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        let method = String(requestLine.prefix { $0 != " " })
        let target = String(requestLine.dropFirst(method.count + 1).dropLast(" HTTP/1.1".count))
        var headers: [(name: String, value: String)] = []
        while let line = lines.first, !line.isEmpty {
            lines.removeFirst()
            if line.first == " " || line.first == "\t", let last = headers.popLast() {
                headers.append((last.name, last.value + "\n" + line))
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        let body = lines.dropFirst().joined(separator: "\n")
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let query: [(name: String, value: String)] = parts.count > 1
            ? parts[1].split(separator: "&").map { item in
                let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let decode = { (text: Substring) in String(text).removingPercentEncoding ?? String(text) }
                return (decode(pair[0]), pair.count > 1 ? decode(pair[1]) : "")
            } : []
        return SigV4Request(
            method: method, path: String(parts[0]), query: query, headers: headers,
            payloadHash: SigV4Signer.sha256Hex(Data(body.utf8)))
    }

    @Test func theSuiteHasAllItsCases() {
        #expect(Self.cases.count == 34)
    }

    @Test(arguments: cases)
    func signsLikeTheSuite(folder: String) throws {
        let request = Self.parse(try file(folder, "req"))
        var signer = Self.suiteSigner
        if folder == "get-vanilla-with-session-token" {
            // This case's input: a session token the signer adds and signs (the .req leaves it out).
            signer.sessionToken = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
        }
        let signature = signer.signature(for: request, amzDate: "20150830T123600Z")
        #expect(signature.canonicalRequest == (try file(folder, "creq")))
        #expect(signature.stringToSign == (try file(folder, "sts")))
        #expect(signature.authorization == (try file(folder, "authz")))
    }

    struct S3Examples: Decodable {
        struct Common: Decodable {
            var access_key_id: String
            var secret_access_key: String
            var region: String
            var amz_date: String
            var signing_key_hex: String
        }

        struct Case: Decodable {
            var name: String
            var method: String
            var path: String
            var query: [String: String]?
            var headers: [String: String]
            var payload_sha256: String
            var signed_headers: String
            var canonical_request: String
            var string_to_sign: String
            var signature: String
        }

        struct KeyExample: Decodable {
            var secret: String
            var date: String
            var region: String
            var service: String
            var signing_key_hex: String
        }

        var common: Common
        var cases: [Case]
        var signing_key_iam_example: KeyExample
    }

    static let s3 = try! JSONDecoder().decode(
        S3Examples.self, from: Data(contentsOf: root.appendingPathComponent("S3_EXAMPLES.json")))

    /// The header-signed examples; the presigned URL is query signing, which this tool does not use.
    static let s3Cases = s3.cases.filter { $0.query != nil }.map(\.name)

    @Test(arguments: s3Cases)
    func signsTheS3Examples(name: String) throws {
        let example = try #require(Self.s3.cases.first { $0.name == name })
        let common = Self.s3.common
        let signer = SigV4Signer(accessKeyId: common.access_key_id, secretAccessKey: common.secret_access_key, region: common.region)
        let request = SigV4Request(
            method: example.method, path: example.path,
            query: (example.query ?? [:]).map { ($0.key, $0.value) },
            headers: example.headers.map { ($0.key, $0.value) }, payloadHash: example.payload_sha256)
        let signature = signer.signature(for: request, amzDate: common.amz_date)
        #expect(signature.canonicalRequest == example.canonical_request)
        #expect(signature.stringToSign == example.string_to_sign)
        #expect(signature.signature == example.signature)
        #expect(signature.authorization.contains("SignedHeaders=\(example.signed_headers),"))
    }

    @Test func derivesTheDocumentedSigningKeys() {
        let common = Self.s3.common
        let s3Key = SigV4Signer(accessKeyId: "", secretAccessKey: common.secret_access_key, region: common.region)
            .signingKey(day: String(common.amz_date.prefix(8)))
        #expect(s3Key.withUnsafeBytes { SigV4Signer.hex($0) } == common.signing_key_hex)
        let iam = Self.s3.signing_key_iam_example
        let iamKey = SigV4Signer(accessKeyId: "", secretAccessKey: iam.secret, region: iam.region, service: iam.service)
            .signingKey(day: iam.date)
        #expect(iamKey.withUnsafeBytes { SigV4Signer.hex($0) } == iam.signing_key_hex)
    }

    @Test func formatsTheAmzDateInUTC() {
        #expect(SigV4Signer.amzDate(Date(timeIntervalSince1970: 1_440_938_160)) == "20150830T123600Z")
    }
}
