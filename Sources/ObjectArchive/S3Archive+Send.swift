import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// An S3 answer: status, body, and the error code S3 puts in its XML body.
struct S3Response {
    var status: Int
    var body: Data
    var contentLength: Int?

    var errorCode: String? {
        S3XML.values(of: "Code", in: String(decoding: body, as: UTF8.self)).first
    }
}

extension S3Archive {
    /// Signs and sends one request; transport failures become an `ArchiveError` that names the endpoint.
    func send(
        _ method: String, _ path: String, query: [(name: String, value: String)] = [], body: Data = Data(),
        contentType: String? = nil
    ) async throws -> S3Response {
        guard let endpoint = URL(string: configuration.endpoint), let host = endpoint.host,
            ["http", "https"].contains(endpoint.scheme ?? "")
        else {
            throw ArchiveError.invalidEndpoint(configuration.endpoint)
        }
        let hostHeader = endpoint.port.map { "\(host):\($0)" } ?? host
        let payloadHash = SigV4Signer.sha256Hex(body)
        let amzDate = SigV4Signer.amzDate(now())
        var headers: [(name: String, value: String)] = [
            ("host", hostHeader), ("x-amz-content-sha256", payloadHash), ("x-amz-date", amzDate),
        ]
        if let contentType { headers.append(("content-type", contentType)) }
        let signer = SigV4Signer(accessKeyId: configuration.accessKey, secretAccessKey: configuration.secretKey, region: configuration.region)
        let signature = signer.signature(
            for: SigV4Request(method: method, path: path, query: query, headers: headers, payloadHash: payloadHash), amzDate: amzDate)

        let encodedPath = path.split(separator: "/", omittingEmptySubsequences: false)
            .map { CanonicalRequest.encode(String($0)) }.joined(separator: "/")
        let encodedQuery = query.map { "\(CanonicalRequest.encode($0.name))=\(CanonicalRequest.encode($0.value))" }
            .joined(separator: "&")
        var base = configuration.endpoint
        while base.hasSuffix("/") { base.removeLast() }
        var request = HTTPClientRequest(url: base + encodedPath + (encodedQuery.isEmpty ? "" : "?" + encodedQuery))
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers where name != "host" { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Authorization", value: signature.authorization)
        if method == "PUT" {
            request.headers.add(name: "Content-Length", value: String(body.count))
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let (seconds, attoseconds) = configuration.timeout.components
        do {
            let response = try await httpClient.execute(
                request, timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
            let collected = method == "HEAD" ? ByteBuffer() : try await response.body.collect(upTo: configuration.maxObjectBytes)
            return S3Response(
                status: Int(response.status.code), body: Data(collected.readableBytesView),
                contentLength: response.headers.first(name: "Content-Length").flatMap { Int($0) })
        } catch is NIOTooManyBytesError {
            throw ArchiveError.tooLarge(path, limit: configuration.maxObjectBytes)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw ArchiveError.unreachable(configuration.display, reason: "no answer in time")
        } catch {
            throw ArchiveError.unreachable(configuration.display, reason: "\(type(of: error))")
        }
    }
}

/// Reads values out of S3's small XML answers.
enum S3XML {
    static func values(of element: String, in xml: String) -> [String] {
        var values: [String] = []
        var rest = xml[...]
        while let open = rest.range(of: "<\(element)>"), let close = rest.range(of: "</\(element)>", range: open.upperBound..<rest.endIndex) {
            values.append(unescape(String(rest[open.upperBound..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        return values
    }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
