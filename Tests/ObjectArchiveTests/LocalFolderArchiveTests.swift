import BillingTesting
import Foundation
import Testing

@testable import ObjectArchive

@Suite struct LocalFolderArchiveTests {
    @Test func putsAndGetsObjectsUnderTheirKeys() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let archive = LocalFolderArchive(root: folder.url)
        let key = "raw/year=2026/month=11/day=20/billing_20261120.json"
        let location = try await archive.put(Data("{\"a\":1}".utf8), at: key, contentType: "application/json")
        #expect(location == .stored(at: folder.file(key)))
        #expect(try await archive.contents(of: key) == Data("{\"a\":1}".utf8))
        _ = try await archive.put(Data("{}".utf8), at: key, contentType: "application/json")
        #expect(try await archive.contents(of: key) == Data("{}".utf8))
        #expect(try await archive.contents(of: "raw/none.json") == nil)
    }

    @Test func readsAnObjectAsItsOwnFileWithoutACopy() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let archive = LocalFolderArchive(root: folder.url.appendingPathComponent("archive"))
        let key = "raw/year=2026/month=11/day=20/billing_20261120.json"
        _ = try await archive.put(Data("{\"a\":1}".utf8), at: key, contentType: "application/json")
        let downloads = folder.url.appendingPathComponent("incoming")
        let read = try await archive.withFile(key, downloadingInto: downloads) { file in (file.path, try Data(contentsOf: file)) }
        #expect(read?.0 == archive.root.appendingPathComponent(key).path && read?.1 == Data("{\"a\":1}".utf8))
        #expect(try await archive.withFile("raw/none.json", downloadingInto: downloads) { _ in true } == nil)
        #expect(!FileManager.default.fileExists(atPath: downloads.path))
    }

    @Test(arguments: ["", "/etc/passwd", "../escape.json", "raw/../../x", "raw//x", "./x"])
    func refusesKeysThatLeaveTheFolder(key: String) async throws {
        let archive = LocalFolderArchive(root: URL(fileURLWithPath: "/tmp/unused"))
        await #expect(throws: ArchiveError.self) { _ = try await archive.put(Data(), at: key, contentType: "application/json") }
    }

    @Test func anUnwritableFolderSaysWhatToCheck() async throws {
        let archive = LocalFolderArchive(root: URL(fileURLWithPath: "/proc/archive"))
        let error = await #expect(throws: ArchiveError.self) { _ = try await archive.put(Data(), at: "a.json", contentType: "application/json") }
        #expect(error?.description.contains("archive.url") == true)
    }
}
