import Foundation

/// Keeps raw billing data as objects under keys, like S3: a local folder or an object store.
public protocol RawArchive: Sendable {
    /// Stores `body` at `key`, replacing what was there, and says where it went (no credentials):
    /// stored in the archive, or kept in a local spool for a later run. Throws when it is in neither.
    func put(_ body: Data, at key: String, contentType: String) async throws -> ArchiveReceipt

    /// Stores the file's bytes at `key`, reading them in pieces, so a day of any size fits. The archive
    /// may keep the file itself under a second name: the caller may remove it afterwards, but not change it.
    func putFile(_ file: URL, at key: String, contentType: String) async throws -> ArchiveReceipt

    /// Runs `read` on the object at `key` as a file, so an object of any size is read without holding
    /// it: the archive's own file when it keeps one, else a download into `directory` that is removed
    /// afterwards. Nil, without running `read`, when there is no such object.
    func withFile<T>(_ key: String, downloadingInto directory: URL, _ read: (URL) async throws -> T) async throws -> T?

    /// Removes what a run that died while storing `key` left beside it (a half-copied file), and
    /// returns the paths removed. Called only by the run that holds the key's day.
    func removeLeftovers(of key: String) throws -> [String]
}

extension RawArchive {
    /// An object store keeps nothing of an upload that did not finish.
    public func removeLeftovers(of key: String) throws -> [String] { [] }
}
