import Foundation

/// Keeps raw billing data as objects under keys, like S3: a local folder or an object store.
public protocol RawArchive: Sendable {
    /// Stores `body` at `key`, replacing what was there, and returns where it went (no credentials).
    func put(_ body: Data, at key: String, contentType: String) async throws -> String

    /// The object at `key`, or nil when there is none.
    func get(_ key: String) async throws -> Data?
}
