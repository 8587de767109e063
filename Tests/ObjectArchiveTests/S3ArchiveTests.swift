import BillingTesting
import Foundation
import Testing

@testable import ObjectArchive

/// The S3 archive against a real S3-compatible server that checks signatures (moto, started by
/// scripts/test.sh).
@Suite struct S3ArchiveTests {
    /// An archive on a new bucket of its own.
    static func archive(prefix: String = "", secret: String? = nil, createBucket: Bool = true) async throws -> S3Archive {
        var configuration = try await TestServices.freshBucket(prefix: prefix, createBucket: createBucket)
        if let secret { configuration.secretKey = secret }
        return S3Archive(configuration: configuration)
    }

    /// 2.5 MB of random bytes: larger than one 1 MiB piece, and not a multiple of it.
    static func randomBody() -> Data {
        var random = SystemRandomNumberGenerator()
        return Data((0..<2_500_000).map { _ in UInt8.random(in: 0...255, using: &random) })
    }

    @Test(.needs(.s3))
    func putsGetsHeadsAndListsAtTheTutorialsKeys() async throws {
        let archive = try await Self.archive(prefix: "billing")
        let key = "raw/year=2026/month=11/day=20/billing_20261120.json"
        let body = Data(#"{"pages":[{"result":{"content":[{"expectAmount":"0.1"}]}}]}"#.utf8)
        let location = try await archive.put(body, at: key, contentType: "application/json")
        #expect(location == .stored(at: "s3://\(archive.configuration.bucket)/billing/\(key)"))
        #expect(try await archive.contents(of: key) == body)
        #expect(try await archive.head(key) == body.count)
        #expect(try await archive.contents(of: "raw/none.json") == nil)
        #expect(try await archive.head("raw/none.json") == nil)
        _ = try await archive.put(Data("{}".utf8), at: "raw/year=2026/month=11/day=21/billing_20261121.json", contentType: "application/json")
        #expect(try await archive.list(prefix: "raw/year=2026/") == [key, "raw/year=2026/month=11/day=21/billing_20261121.json"])
    }

    @Test(.needs(.s3))
    func listsAcrossPages() async throws {
        let archive = try await Self.archive()
        let keys = (1...5).map { "raw/k\($0).json" }
        for key in keys { _ = try await archive.put(Data("{}".utf8), at: key, contentType: "application/json") }
        #expect(try await archive.list(prefix: "raw/", pageSize: 2) == keys)
    }

    /// Answers read into memory have a ceiling; objects do not (see the download test).
    @Test(.needs(.s3))
    func anAnswerLargerThanTheCeilingIsRefusedWithTheLimit() async throws {
        var configuration = try await Self.archive().configuration
        let archive = S3Archive(configuration: configuration)
        for index in 1...5 { _ = try await archive.put(Data("{}".utf8), at: "raw/k\(index).json", contentType: "application/json") }
        configuration.maxAnswerBytes = 300
        let error = await #expect(throws: ArchiveError.self) { _ = try await S3Archive(configuration: configuration).list(prefix: "raw/") }
        #expect(error?.description.contains("is larger than 300 bytes; it was not read") == true)
        #expect(try await archive.list(prefix: "raw/").count == 5)
    }

    @Test(.needs(.s3))
    func wrongKeysSayWhichSettingsToCheckWithoutTheSecret() async throws {
        let archive = try await Self.archive(secret: "wrong-SECRET-key-123")
        let error = await #expect(throws: ArchiveError.self) {
            _ = try await archive.put(Data("{}".utf8), at: "raw/x.json", contentType: "application/json")
        }
        let text = error?.description ?? ""
        #expect(text.contains("SignatureDoesNotMatch") && text.contains("objectStorage.secretKey"))
        #expect(!text.contains("wrong-SECRET-key-123") && !text.contains(TestServices.s3?.secretKey ?? "-"))
        #expect(error?.isRetryable == false)
    }

    @Test(.needs(.s3))
    func aMissingBucketSaysToCreateIt() async throws {
        let archive = try await Self.archive(createBucket: false)
        let error = await #expect(throws: ArchiveError.self) { try await archive.checkBucket() }
        #expect(error?.description.contains("NoSuchBucket") == true)
        #expect(error?.description.contains("objectStorage.bucket") == true)
        let putError = await #expect(throws: ArchiveError.self) {
            _ = try await archive.put(Data("{}".utf8), at: "raw/x.json", contentType: "application/json")
        }
        #expect(putError?.description.contains("NoSuchBucket") == true)
    }

    @Test(.needs(.s3))
    func aFileIsUploadedInPiecesAndSignedOverItsWholeBody() async throws {
        let archive = try await Self.archive()
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let body = Self.randomBody()
        let file = folder.url.appendingPathComponent("day.json")
        try body.write(to: file)
        let key = "raw/year=2026/month=11/day=25/billing_20261125.json"
        _ = try await archive.putFile(file, at: key, contentType: "application/json")
        #expect(try await archive.contents(of: key) == body)
    }

    /// Larger than the largest answer the archive collects in memory, so only a download to a file
    /// can read it.
    @Test(.needs(.s3))
    func anObjectIsDownloadedToAFileThatIsRemovedAfterItsRead() async throws {
        var archive = try await Self.archive()
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let body = Self.randomBody()
        let key = "raw/year=2026/month=11/day=25/billing_20261125.json"
        _ = try await archive.put(body, at: key, contentType: "application/json")
        archive = S3Archive(configuration: { var small = archive.configuration; small.maxAnswerBytes = 1 << 20; return small }())
        let downloads = folder.url.appendingPathComponent("incoming")
        let read = try await archive.withFile(key, downloadingInto: downloads) { file in
            #expect(file.path.hasPrefix(downloads.path))
            return try Data(contentsOf: file)
        }
        #expect(read == body)
        #expect(try FileManager.default.contentsOfDirectory(atPath: downloads.path).isEmpty)
        var ran = false
        #expect(try await archive.withFile("raw/none.json", downloadingInto: downloads) { _ in ran = true } == nil)
        #expect(!ran)
        let denied = S3Archive(configuration: { var wrong = archive.configuration; wrong.secretKey = "wrong-SECRET-key-123"; return wrong }())
        let error = await #expect(throws: ArchiveError.self) { _ = try await denied.withFile(key, downloadingInto: downloads) { _ in ran = true } }
        #expect(error?.description.contains("SignatureDoesNotMatch") == true && !ran)
        #expect(try FileManager.default.contentsOfDirectory(atPath: downloads.path).isEmpty)
    }

    @Test func anUnreachableEndpointIsRetryableAndNamesTheEndpoint() async throws {
        let archive = S3Archive(
            configuration: .init(
                endpoint: "http://127.0.0.1:1", bucket: "b", accessKey: "AKID", secretKey: "secret-never-shown", timeout: .seconds(1)))
        let error = await #expect(throws: ArchiveError.self) {
            _ = try await archive.put(Data("{}".utf8), at: "raw/x.json", contentType: "application/json")
        }
        #expect(error?.isRetryable == true)
        #expect(error?.description.contains("http://127.0.0.1:1") == true)
        #expect(error?.description.contains("objectStorage.endpoint") == true)
        #expect(error?.description.contains("secret-never-shown") == false)
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("Connection refused") || text.contains("within"), "\(text)")
        #expect(!["errno", "error set", "Error("].contains { text.contains($0) }, "\(text)")
    }

    /// An answer that stops after its headers ends the call at its limit, for an upload's answer and
    /// for a download alike; the shared client's read timeout let each wait 90 s.
    @Test func anAnswerThatStallsAfterItsHeadersEndsAtTheTimeout() async throws {
        let (errors, elapsed) = try await CaptureServer.withStalledAnswers { base in
            let archive = S3Archive(
                configuration: .init(endpoint: base, bucket: "bucket", accessKey: "AKID", secretKey: "secret-never-shown", timeout: .seconds(1)))
            var errors: [ArchiveError] = []
            do {
                _ = try await archive.put(Data("{}".utf8), at: "raw/x.json", contentType: "application/json")
            } catch let error as ArchiveError {
                errors.append(error)
            }
            let downloads = FileManager.default.temporaryDirectory.appendingPathComponent("s3-stall-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: downloads) }
            do {
                _ = try await archive.withFile("raw/x.json", downloadingInto: downloads) { _ in }
            } catch let error as ArchiveError {
                errors.append(error)
            }
            return errors
        }
        #expect(errors.count == 2, "\(errors)")
        #expect(errors.allSatisfy { $0.isRetryable && !$0.description.contains("secret-never-shown") }, "\(errors)")
        #expect(elapsed < .seconds(60))
    }
}
