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

    @Test func aFileOnTheArchivesFileSystemIsStoredWithoutCopyingItsBytes() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let archive = LocalFolderArchive(root: folder.url.appendingPathComponent("archive"))
        let source = folder.url.appendingPathComponent("draft.json")
        try Data("{\"day\":1}".utf8).write(to: source)
        let key = "raw/year=2026/month=11/day=20/billing_20261120.json"
        _ = try await archive.putFile(source, at: key, contentType: "application/json")
        let stored = archive.root.appendingPathComponent(key).path
        #expect(try Self.inode(stored) == Self.inode(source.path), "the archived day is the same file, not a copy")
        // The caller removes its file afterwards; the archived one stays whole.
        try FileManager.default.removeItem(at: source)
        #expect(try await archive.contents(of: key) == Data("{\"day\":1}".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: (stored as NSString).deletingLastPathComponent) == [
            "billing_20261120.json"
        ])
    }

    @Test func aFileOnAnotherFileSystemIsCopied() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        // /dev/shm is a memory file system on Linux: a file there cannot be linked into the folder.
        let elsewhere = try TemporaryDirectory(in: URL(fileURLWithPath: "/dev/shm"))
        defer { elsewhere.remove() }
        try #require(try Self.device(elsewhere.path) != Self.device(folder.path), "/dev/shm must be another file system")
        let archive = LocalFolderArchive(root: folder.url.appendingPathComponent("archive"))
        let source = elsewhere.url.appendingPathComponent("draft.json")
        try Data("{\"day\":2}".utf8).write(to: source)
        let key = "raw/billing_20261121.json"
        _ = try await archive.putFile(source, at: key, contentType: "application/json")
        try FileManager.default.removeItem(at: source)
        #expect(try await archive.contents(of: key) == Data("{\"day\":2}".utf8))
    }

    static func inode(_ path: String) throws -> UInt64 {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? UInt64)
    }

    static func device(_ path: String) throws -> UInt64 {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.systemNumber] as? UInt64)
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
