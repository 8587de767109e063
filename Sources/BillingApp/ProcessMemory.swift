import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How the process takes memory from the system and gives it back, through glibc's malloc settings
/// (looked up with `dlsym`: Swift's Glibc module leaves out `malloc.h`). Elsewhere nothing changes.
public enum ProcessMemory {
    /// Buffers from this size up are mapped from the system on their own and handed back whole when
    /// freed.
    public static let mappedBufferBytes = 1 << 20

    /// Has glibc's malloc map every buffer of `mappedBufferBytes` or more (`mallopt(M_MMAP_THRESHOLD)`).
    ///
    /// By default glibc raises that threshold each time it frees a mapped buffer, so after the first
    /// few pages of a day the next ones (a few MB each) come from the heap, and a day's fetch leaves
    /// tens of MB freed but still held beside its keys. A fixed threshold keeps a job's peak to what
    /// it holds.
    public static func mapLargeBuffers() {
        typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
        guard let mallopt = glibc("mallopt", as: MallocOption.self) else { return }
        _ = mallopt(mmapThreshold, Int32(mappedBufferBytes))
    }

    /// Hands the memory malloc holds freed back to the system (`malloc_trim(0)`).
    public static func releaseFreedMemory() {
        typealias Trim = @convention(c) (Int) -> Int32
        guard let trim = glibc("malloc_trim", as: Trim.self) else { return }
        _ = trim(0)
    }

    /// The C library's function `name`, when there is one.
    private static func glibc<Function>(_ name: String, as type: Function.Type) -> Function? {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
        #else
        return nil
        #endif
    }
}
