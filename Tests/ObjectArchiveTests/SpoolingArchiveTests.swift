import BillingPipeline
import BillingTesting
import Foundation
import Testing

@testable import ObjectArchive

/// The spool's receipts: a day the archive refuses is kept in the spool and said to be there, not
/// thrown as an error; once the archive takes it, the spooled copy goes.
@Suite struct SpoolingArchiveTests {
    let key = "raw/year=2026/month=11/day=20/billing_20261120.json"

    @Test func aDayTheArchiveRefusesIsSpooledAndTheReceiptSaysWhy() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let unreachable = S3Archive(
            configuration: .init(endpoint: "http://127.0.0.1:1", bucket: "bucket", accessKey: "AKID", secretKey: "secret-never-shown", timeout: .seconds(1)))
        let archive = SpoolingArchive(remote: unreachable, spool: LocalFolderArchive(root: folder.url.appendingPathComponent("spool")))
        let receipt = try await archive.put(Data("{}".utf8), at: key, contentType: "application/json")
        guard case .spooled(let at, let reason) = receipt else {
            Issue.record("expected the day spooled, got \(receipt)")
            return
        }
        #expect(at == folder.file("spool/" + key))
        #expect(FileManager.default.fileExists(atPath: at))
        #expect(reason.contains("http://127.0.0.1:1") && !reason.contains("secret-never-shown"), "\(reason)")
    }

    @Test func aDayTheArchiveTakesIsStoredAndLeavesNoSpooledCopy() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let spool = LocalFolderArchive(root: folder.url.appendingPathComponent("spool"))
        _ = try await spool.put(Data("{\"old\":1}".utf8), at: key, contentType: "application/json")
        let archive = SpoolingArchive(remote: LocalFolderArchive(root: folder.url.appendingPathComponent("archive")), spool: spool)
        let receipt = try await archive.put(Data("{}".utf8), at: key, contentType: "application/json")
        #expect(receipt == .stored(at: folder.file("archive/" + key)))
        #expect(try spool.keys().isEmpty)
    }
}
