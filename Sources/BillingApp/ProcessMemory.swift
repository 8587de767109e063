import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How the process takes memory from the system.
public enum ProcessMemory {
    /// Buffers from this size up are mapped from the system on their own and handed back whole when
    /// freed.
    public static let mappedBufferBytes = 1 << 20

    /// Has glibc's malloc map every buffer of `mappedBufferBytes` or more (`mallopt(M_MMAP_THRESHOLD)`).
    ///
    /// By default glibc raises that threshold each time it frees a mapped buffer, so after the first
    /// few pages of a day the next ones (a few MB each) come from the heap, and a day's fetch leaves
    /// tens of MB freed but still held beside its keys. A fixed threshold keeps a job's peak to what
    /// it holds. Elsewhere (no glibc, or no `mallopt`) nothing changes.
    public static func mapLargeBuffers() {
        #if canImport(Glibc)
        typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in malloc.h, which Swift's Glibc module leaves out
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: MallocOption.self)(mmapThreshold, Int32(mappedBufferBytes))
        #endif
    }
}
