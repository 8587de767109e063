import BillingCore
import BillingWire

#if canImport(Glibc)
import Glibc
#endif

/// A file mapped read-only into memory and read once, front to back, in bounded memory: the pages
/// ahead of a reader are mapped in a window at a time, and the pages behind it are handed back, so a
/// day of any size holds a few windows of memory however large its file is.
///
/// A page handed back that is read again, by the reader or another thread, is read again from the
/// file, since the mapping is never written.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let count: Int
    // Read-only after `init`: only the kernel's page tables change as readers pass.
    private let base: UnsafeMutableRawPointer?
    private let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    /// How far ahead of a reader pages are mapped, and how often the pages behind it are let go.
    private let window: Int

    /// Maps `path`; throws a `MappedFileError` that names the file when it cannot be opened or mapped.
    public init(path: String, window: Int = 4 << 20) throws {
        self.path = path
        self.window = window
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw MappedFileError(path: path, doing: "open", errno: errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw MappedFileError(path: path, doing: "read the size of", errno: errno) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw MappedFileError(path: path, reason: "it is not a regular file") }
        count = Int(status.st_size)
        guard count > 0 else {
            base = nil
            return
        }
        guard let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            throw MappedFileError(path: path, doing: "map", errno: errno)
        }
        base = mapped
        madvise(mapped, count, MADV_SEQUENTIAL)
        populate(after: 0)
    }

    deinit {
        if let base { munmap(base, count) }
    }

    /// Runs `read` over the file's bytes; `passed` (for the readers to call) maps the next window and
    /// lets go of the pages of each stretch read.
    public func withBytes<T, Failure: Error>(
        _ read: (UnsafeBufferPointer<UInt8>, BytesPassed) throws(Failure) -> T
    ) throws(Failure) -> T {
        let bytes = UnsafeBufferPointer(start: base?.assumingMemoryBound(to: UInt8.self), count: count)
        return try read(bytes, BytesPassed(every: window) { [self] stretch in passed(stretch) })
    }

    /// A reader has read `stretch` and will not read it again.
    func passed(_ stretch: Range<Int>) {
        guard let base else { return }
        // From the page the stretch starts in: the reader passed its start, or a reader before it
        // will read that page again from the file.
        let (start, end) = (stretch.lowerBound / pageSize * pageSize, stretch.upperBound / pageSize * pageSize)
        if end > start { madvise(base + start, end - start, MADV_DONTNEED) }
        populate(after: stretch.upperBound)
    }

    /// Maps the pages of the two windows after `offset` in one call rather than a fault at a time;
    /// pages already mapped cost the call little.
    private func populate(after offset: Int) {
        guard let base else { return }
        let start = offset / pageSize * pageSize
        let end = min(count, (offset + 2 * window + pageSize - 1) / pageSize * pageSize)
        guard end > start else { return }
        // On kernels before 5.14 this fails, and the pages fault in as they are read.
        _ = madvise(base + start, end - start, MADV_POPULATE_READ)
    }
}

/// A file that cannot be mapped for reading.
public struct MappedFileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String

    init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    init(path: String, doing: String, errno code: Int32) {
        self.init(path: path, reason: "cannot \(doing) it: \(String(cString: strerror(code)))")
    }

    public var description: String { "\(path): \(reason)" }
}
