import AsyncHTTPClient
import BillingPipeline
import Crypto
import Foundation
import HTTPTransport
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

/// A request body: bytes in memory, or a file read in pieces.
enum S3Body {
    case bytes(Data)
    case file(URL, size: Int, sha256: String)

    static let empty = S3Body.bytes(Data())

    /// A file body, with the size and SHA-256 that signing needs, read in 1 MiB pieces.
    static func file(_ url: URL) throws -> S3Body {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hash = SHA256()
        var size = 0
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
            hash.update(data: piece)
            size += piece.count
        }
        return .file(url, size: size, sha256: SigV4Signer.hex(hash.finalize()))
    }

    var sha256: String {
        switch self {
        case .bytes(let data): SigV4Signer.sha256Hex(data)
        case .file(_, _, let sha256): sha256
        }
    }

    var size: Int {
        switch self {
        case .bytes(let data): data.count
        case .file(_, let size, _): size
        }
    }

    var request: HTTPClientRequest.Body {
        switch self {
        case .bytes(let data): .bytes(ByteBuffer(bytes: data))
        case .file(let url, let size, _): .stream(FilePieces(url: url), length: .known(Int64(size)))
        }
    }
}

/// A file's bytes as 1 MiB buffers, for a streamed request body.
struct FilePieces: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let url: URL

    struct AsyncIterator: AsyncIteratorProtocol {
        var handle: FileHandle?
        let url: URL

        mutating func next() async throws -> ByteBuffer? {
            if handle == nil { handle = try FileHandle(forReadingFrom: url) }
            guard let piece = try handle?.read(upToCount: 1 << 20), !piece.isEmpty else {
                try handle?.close()
                return nil
            }
            return ByteBuffer(bytes: piece)
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(handle: nil, url: url)
    }
}

extension S3Archive {
    /// Signs and sends one request; transport failures become an `ArchiveError` that names the endpoint.
    ///
    /// With `downloadingTo`, a successful answer's body is written to that file as it arrives rather
    /// than collected, so an object of any size can be read; the returned body is then empty.
    func send(
        _ method: String, _ path: String, query: [(name: String, value: String)] = [], body: S3Body = .empty,
        contentType: String? = nil, downloadingTo file: URL? = nil
    ) async throws -> S3Response {
        guard let endpoint = URL(string: configuration.endpoint), let host = endpoint.host,
            ["http", "https"].contains(endpoint.scheme ?? "")
        else {
            throw ArchiveError.invalidEndpoint(configuration.endpoint)
        }
        let hostHeader = endpoint.port.map { "\(host):\($0)" } ?? host
        let payloadHash = body.sha256
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
            request.headers.add(name: "Content-Length", value: String(body.size))
            request.body = body.request
        }
        do {
            // The upload and the answer's head within the limit for the upload's size; the answer's body
            // within the limit for its own.
            let response = try await httpClient.execute(request, timeout: .from(transferLimit(bytes: body.size)))
            let status = Int(response.status.code)
            let contentLength = response.headers.first(name: "Content-Length").flatMap { Int($0) }
            if let file, (200..<300).contains(status) {
                try await withDeadline(transferLimit(bytes: contentLength ?? 0)) { [configuration] in
                    try await Self.write(response.body, to: file, expecting: contentLength, from: configuration.display)
                }
                return S3Response(status: status, body: Data(), contentLength: contentLength)
            }
            let collected = try await withDeadline(configuration.timeout) { [configuration] in
                method == "HEAD" ? ByteBuffer() : try await response.body.collect(upTo: configuration.maxAnswerBytes)
            }
            return S3Response(status: status, body: Data(collected.readableBytesView), contentLength: contentLength)
        } catch let error as ArchiveError {
            throw error
        } catch is NIOTooManyBytesError {
            throw ArchiveError.tooLarge(path, limit: configuration.maxAnswerBytes)
        } catch let error as DeadlineExceeded {
            throw ArchiveError.unreachable(configuration.display, reason: error.description)
        } catch where HTTPTransport.isTimeout(error) {
            throw ArchiveError.unreachable(configuration.display, reason: "no answer within \(configuration.timeout.wholeSecondsText)")
        } catch {
            throw ArchiveError.unreachable(configuration.display, reason: HTTPTransport.failureReason(error))
        }
    }

    /// How long a transfer of `bytes` may take: the timeout, and a second per MiB on top, so a large
    /// day moving at 1 MiB/s or more always fits while a stalled one still ends.
    func transferLimit(bytes: Int) -> Duration {
        configuration.timeout + .seconds(bytes >> 20)
    }
}

extension S3Archive {
    /// Writes a response body to a new file as it arrives; a body shorter than its Content-Length is
    /// an interrupted download.
    static func write(_ body: HTTPClientResponse.Body, to file: URL, expecting length: Int?, from target: String) async throws {
        guard FileManager.default.createFile(atPath: file.path, contents: nil), let handle = FileHandle(forWritingAtPath: file.path) else {
            throw ArchiveError.cannotWrite(file.path, reason: "cannot create the file")
        }
        defer { try? handle.close() }
        var written = 0
        for try await piece in body {
            do {
                try handle.write(contentsOf: Data(piece.readableBytesView))
            } catch {
                throw ArchiveError.cannotWrite(file.path, reason: FileFailure.reason(error))
            }
            written += piece.readableBytes
        }
        if let length, written != length {
            throw ArchiveError.unreachable(target, reason: "the download stopped after \(written) of \(length) bytes")
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
