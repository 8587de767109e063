import BillingPipeline
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File locks (flock) beside the database file: `billing.sqlite.locks/NAME.lock`. The kernel drops
/// them when a process dies, so a crashed run never leaves a stale lock.
extension SQLiteStore: JobLocking {
    public func withJobLock<T>(_ name: String, wait: Duration, _ body: () async throws -> T) async throws -> T {
        let folder = (path == ":memory:" ? NSTemporaryDirectory() + "billing-alert-memory-\(ObjectIdentifier(database).hashValue)" : path) + ".locks"
        let file = folder + "/" + name.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ":", with: "-") + ".lock"
        let descriptor = try Self.openLockFile(file, name: name)
        defer { close(descriptor) }
        try await acquire(name, wait: wait) { flock(descriptor, LOCK_EX | LOCK_NB) == 0 }
        defer { flock(descriptor, LOCK_UN) }
        return try await body()
    }

    static func openLockFile(_ file: String, name: String) throws -> Int32 {
        try? FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let descriptor = open(file, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SQLiteStoreError.failed("take the lock \(name)", path: file, reason: String(cString: strerror(errno)))
        }
        return descriptor
    }

    /// Runs `body` holding an exclusive file lock, waiting for it as long as it takes.
    static func holdingFileLock<T>(_ file: String, _ body: () throws -> T) throws -> T {
        let descriptor = try openLockFile(file, name: "migrate")
        defer { close(descriptor) }
        flock(descriptor, LOCK_EX)
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
