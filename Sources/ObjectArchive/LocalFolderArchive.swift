import BillingPipeline
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The embedded archive: objects as files under one folder, keys as relative paths.
public struct LocalFolderArchive: RawArchive {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    public func put(_ body: Data, at key: String, contentType: String) async throws -> ArchiveReceipt {
        let file = try url(for: key)
        do {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Write beside, then rename: a reader never sees half a file, and a crash keeps the old one.
            try body.write(to: file, options: .atomic)
        } catch {
            throw ArchiveError.cannotWrite(file.path, reason: Self.reason(error))
        }
        return .stored(at: file.path)
    }

    public func putFile(_ source: URL, at key: String, contentType: String) async throws -> ArchiveReceipt {
        let file = try url(for: key)
        let beside = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Beside, then renamed over: a reader never sees half a file. Beside is a second name for
            // the same file where the file system allows it, so a raw day of hundreds of megabytes is
            // not copied; elsewhere (another file system) it is a copy.
            if link(source.path, beside.path) != 0 {
                try FileManager.default.copyItem(at: source, to: beside)
            }
            guard rename(beside.path, file.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? FileManager.default.removeItem(at: beside)
            throw ArchiveError.cannotWrite(file.path, reason: Self.reason(error))
        }
        return .stored(at: file.path)
    }

    /// The copies `putFile` makes beside the object, `.NAME.UUID`, that a crash left behind.
    public func removeLeftovers(of key: String) throws -> [String] {
        let file = try url(for: key)
        let folder = file.deletingLastPathComponent()
        let prefix = ".\(file.lastPathComponent)."
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return try names.filter { $0.hasPrefix(prefix) }.map { name in
            let leftover = folder.appendingPathComponent(name)
            do {
                try FileManager.default.removeItem(at: leftover)
            } catch {
                throw ArchiveError.cannotWrite(leftover.path, reason: Self.reason(error))
            }
            return leftover.path
        }
    }

    /// Where the object at `key` is on disk (it may not exist).
    public func fileURL(for key: String) throws -> URL {
        try url(for: key)
    }

    /// Reads the archive's own file in place; nothing is downloaded.
    public func withFile<T>(_ key: String, downloadingInto directory: URL, _ read: (URL) async throws -> T) async throws -> T? {
        let file = try url(for: key)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        return try await read(file)
    }

    /// Every key in the folder, sorted.
    public func keys() throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        let rootPath = root.standardizedFileURL.path + "/"
        var keys: [String] = []
        for case let file as URL in enumerator where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = file.standardizedFileURL.path
            guard path.hasPrefix(rootPath), !file.lastPathComponent.hasPrefix(".") else { continue }
            keys.append(String(path.dropFirst(rootPath.count)))
        }
        return keys.sorted()
    }

    /// Removes the object at `key`; removing what is not there is not an error.
    public func remove(_ key: String) throws {
        let file = try url(for: key)
        guard FileManager.default.fileExists(atPath: file.path) else { return }
        do {
            try FileManager.default.removeItem(at: file)
        } catch {
            throw ArchiveError.cannotWrite(file.path, reason: Self.reason(error))
        }
    }

    func url(for key: String) throws -> URL {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !key.isEmpty, !key.hasPrefix("/"), !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw ArchiveError.invalidKey(key)
        }
        return root.appendingPathComponent(key)
    }

    private static func reason(_ error: any Error) -> String {
        FileFailure.reason(error)
    }
}
