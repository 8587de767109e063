import BillingPipeline
import Foundation
import Logging

/// An archive that never loses a day: what the remote archive refuses is kept in a local spool folder,
/// and `flush()` uploads it later.
public struct SpoolingArchive: RawArchive {
    public let remote: any RawArchive
    public let spool: LocalFolderArchive

    public init(remote: any RawArchive, spool: LocalFolderArchive) {
        self.remote = remote
        self.spool = spool
    }

    /// Stores at the remote archive; when that fails, keeps the data in the spool and says so in the
    /// receipt. Fails outright only when the spool cannot take it either.
    public func put(_ body: Data, at key: String, contentType: String) async throws -> ArchiveReceipt {
        try await store(key) { try await $0.put(body, at: key, contentType: contentType) }
    }

    /// The same for a file's bytes.
    public func putFile(_ file: URL, at key: String, contentType: String) async throws -> ArchiveReceipt {
        try await store(key) { try await $0.putFile(file, at: key, contentType: contentType) }
    }

    /// Runs `put` against the remote archive, and against the spool when the remote one fails.
    private func store(_ key: String, _ put: (any RawArchive) async throws -> ArchiveReceipt) async throws -> ArchiveReceipt {
        do {
            let receipt = try await put(remote)
            try? spool.remove(key)
            return receipt
        } catch {
            return .spooled(at: try await put(spool).location, reason: "\(error)")
        }
    }

    /// The spooled copy when there is one (it is the newest), else the remote object.
    public func withFile<T>(_ key: String, downloadingInto directory: URL, _ read: (URL) async throws -> T) async throws -> T? {
        if let spooled = try await spool.withFile(key, downloadingInto: directory, read) { return spooled }
        return try await remote.withFile(key, downloadingInto: directory, read)
    }

    public func removeLeftovers(of key: String) throws -> [String] {
        try remote.removeLeftovers(of: key) + spool.removeLeftovers(of: key)
    }

    /// Uploads every spooled object, oldest key first, removing each once the remote archive has it.
    ///
    /// Returns the keys uploaded; stops at the first failure and throws it, keeping the rest spooled.
    @discardableResult
    public func flush(logger: Logger) async throws -> [String] {
        var uploaded: [String] = []
        for key in try spool.keys() {
            _ = try await remote.putFile(spool.fileURL(for: key), at: key, contentType: "application/json")
            try spool.remove(key)
            uploaded.append(key)
            logger.info("uploaded a spooled day", metadata: ["key": "\(key)"])
        }
        return uploaded
    }
}
