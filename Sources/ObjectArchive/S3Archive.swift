import AsyncHTTPClient
import BillingPipeline
import Foundation
import HTTPTransport
import NIOCore
import NIOHTTP1

/// The production archive: an S3-compatible bucket (Kakao Cloud Object Storage), path-style URLs,
/// SigV4 over headers with the payload's SHA-256, as Kakao requires: no chunked upload, no trailers.
public struct S3Archive: RawArchive {
    public struct Configuration: Sendable {
        /// `https://objectstorage.kr-central-2.kakaocloud.com`
        public var endpoint: String
        public var bucket: String
        /// Keys are stored under this prefix (no leading or trailing slash), or at the bucket's root.
        public var prefix: String
        public var accessKey: String
        public var secretKey: String
        public var region: String
        public var timeout: Duration
        /// Answers read into memory (lists, errors) larger than this are refused; objects are read
        /// through a download to a file, whatever their size.
        public var maxAnswerBytes: Int

        public init(
            endpoint: String, bucket: String, prefix: String = "", accessKey: String, secretKey: String,
            region: String = "kr-central-2", timeout: Duration = .seconds(60), maxAnswerBytes: Int = 64 << 20
        ) {
            self.endpoint = endpoint
            self.bucket = bucket
            self.prefix = prefix.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            self.accessKey = accessKey
            self.secretKey = secretKey
            self.region = region
            self.timeout = timeout
            self.maxAnswerBytes = maxAnswerBytes
        }

        /// `s3://BUCKET/PREFIX` at the endpoint, for messages; no keys.
        public var display: String {
            "s3://\(bucket)\(prefix.isEmpty ? "" : "/" + prefix) at \(endpoint)"
        }
    }

    public let configuration: Configuration
    let httpClient: HTTPClient
    let now: @Sendable () -> Date

    public init(configuration: Configuration, httpClient: HTTPClient = HTTPTransport.client, now: @escaping @Sendable () -> Date = Date.init) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.now = now
    }

    public func put(_ body: Data, at key: String, contentType: String) async throws -> ArchiveReceipt {
        let response = try await send("PUT", objectPath(key), body: .bytes(body), contentType: contentType)
        guard (200..<300).contains(response.status) else { throw failure(response, action: "upload \(key)") }
        return .stored(at: "s3://\(configuration.bucket)/\(fullKey(key))")
    }

    /// Uploads the file in one PUT, read twice in pieces: once for its SHA-256 (SigV4 signs the payload
    /// hash), once as the request body.
    public func putFile(_ file: URL, at key: String, contentType: String) async throws -> ArchiveReceipt {
        let body: S3Body
        do {
            body = try S3Body.file(file)
        } catch {
            throw ArchiveError.cannotRead(file.path, reason: "\(error)")
        }
        let response = try await send("PUT", objectPath(key), body: body, contentType: contentType)
        guard (200..<300).contains(response.status) else { throw failure(response, action: "upload \(key)") }
        return .stored(at: "s3://\(configuration.bucket)/\(fullKey(key))")
    }

    /// Downloads the object into a new file in `directory` as its bytes arrive, runs `read` on it, and
    /// removes it.
    public func withFile<T>(_ key: String, downloadingInto directory: URL, _ read: (URL) async throws -> T) async throws -> T? {
        let file = directory.appendingPathComponent(ScratchFiles.downloadPrefix(of: key) + UUID().uuidString)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ArchiveError.cannotWrite(directory.path, reason: "\(error)")
        }
        defer { try? FileManager.default.removeItem(at: file) }
        let response = try await send("GET", objectPath(key), downloadingTo: file)
        if response.status == 404, response.errorCode == "NoSuchKey" || response.errorCode == nil { return nil }
        guard (200..<300).contains(response.status) else { throw failure(response, action: "download \(key)") }
        return try await read(file)
    }

    /// The object's size, or nil when there is none.
    public func head(_ key: String) async throws -> Int? {
        let response = try await send("HEAD", objectPath(key))
        if response.status == 404 { return nil }
        guard (200..<300).contains(response.status) else { throw failure(response, action: "look up \(key)") }
        return response.contentLength
    }

    /// Every key under `prefix` (relative to the configured prefix), in order, across pages.
    public func list(prefix: String) async throws -> [String] {
        try await list(prefix: prefix, pageSize: 1000)
    }

    func list(prefix: String, pageSize: Int) async throws -> [String] {
        var keys: [String] = []
        var token: String?
        repeat {
            var query: [(name: String, value: String)] = [("list-type", "2"), ("max-keys", String(pageSize)), ("prefix", fullKey(prefix))]
            if let token { query.append(("continuation-token", token)) }
            let response = try await send("GET", "/\(configuration.bucket)", query: query)
            guard (200..<300).contains(response.status) else { throw failure(response, action: "list \(prefix)") }
            let xml = String(decoding: response.body, as: UTF8.self)
            let strip = configuration.prefix.isEmpty ? 0 : configuration.prefix.count + 1
            keys += S3XML.values(of: "Key", in: xml).map { String($0.dropFirst(strip)) }
            token = S3XML.values(of: "IsTruncated", in: xml).first == "true"
                ? S3XML.values(of: "NextContinuationToken", in: xml).first : nil
        } while token != nil
        return keys
    }

    /// Whether the bucket exists and the keys may use it; the error says what is wrong when not.
    public func checkBucket() async throws {
        var response = try await send("HEAD", "/\(configuration.bucket)")
        guard (200..<300).contains(response.status) else {
            // HEAD answers carry no body, so no error code: name the usual one for the status.
            if response.status == 404 { response.body = Data("<Code>NoSuchBucket</Code>".utf8) }
            throw failure(response, action: "reach the bucket")
        }
    }

    /// Creates the bucket in the configured region.
    public func createBucket() async throws {
        let body = Data(
            "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>\(configuration.region)</LocationConstraint></CreateBucketConfiguration>".utf8)
        let response = try await send("PUT", "/\(configuration.bucket)", body: .bytes(body), contentType: "application/xml")
        guard (200..<300).contains(response.status) || response.errorCode == "BucketAlreadyOwnedByYou" else {
            throw failure(response, action: "create the bucket")
        }
    }

    func fullKey(_ key: String) -> String {
        configuration.prefix.isEmpty ? key : configuration.prefix + "/" + key
    }

    func objectPath(_ key: String) -> String {
        "/\(configuration.bucket)/\(fullKey(key))"
    }

    private func failure(_ response: S3Response, action: String) -> ArchiveError {
        let code = response.errorCode ?? (response.status == 403 ? "AccessDenied" : nil)
        return ArchiveError.s3(status: response.status, code: code, action: action, target: configuration.display)
    }
}
