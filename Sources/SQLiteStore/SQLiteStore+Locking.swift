import BillingPipeline
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File locks (flock) beside the database file: `billing.sqlite.locks/NAME.lock`. The kernel drops
/// them when a process dies, so a crashed run never leaves a stale lock.
///
/// The holder removes the file as it lets go, so one file per job and day does not pile up. A run
/// that opened the file before it was removed holds a lock on a file nobody else can reach: after
/// taking the lock it checks that the path still names the file it locked, and tries again if not.
extension SQLiteStore: JobLocking {
    public func withJobLock<T>(
        _ name: String, wait: Duration, waiting: @Sendable () -> Void, _ body: () async throws -> T
    ) async throws -> T {
        let folder = (path == ":memory:" ? NSTemporaryDirectory() + "billing-alert-memory-\(ObjectIdentifier(database).hashValue)" : path) + ".locks"
        let file = folder + "/" + name.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ":", with: "-") + ".lock"
        var descriptor: Int32 = -1
        try await acquire(name, wait: wait, waiting: waiting) {
            descriptor = try Self.openLockFile(file, name: name)
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0, Self.isStillAt(file, descriptor) { return true }
            close(descriptor)
            return false
        }
        defer {
            unlink(file)
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
        return try await body()
    }

    /// Whether `file` still names the open file `descriptor`: the same device and inode.
    static func isStillAt(_ file: String, _ descriptor: Int32) -> Bool {
        var opened = stat()
        var named = stat()
        guard fstat(descriptor, &opened) == 0, stat(file, &named) == 0 else { return false }
        return opened.st_dev == named.st_dev && opened.st_ino == named.st_ino
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
