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

    /// Has every thread allocate from one glibc arena (`mallopt(M_ARENA_MAX, 1)`), unless the
    /// environment already sets how many (`MALLOC_ARENA_MAX`, or `arena_max` in `GLIBC_TUNABLES`).
    /// Call it before the process starts threads: a thread keeps the arena it first allocated from.
    ///
    /// By default glibc gives threads up to eight arenas a core, and memory one arena frees is not
    /// reused by another: a job's fetch, history read and commit run on whichever threads are free,
    /// so its peak moved by 30-50 MB from run to run of the same binary. With one arena the jobs'
    /// peaks were 20-50 MB lower and the same each run, at up to 4% more time. Threads that allocate
    /// at once then wait on that arena's lock. A parse on two threads gains from it too: the thread
    /// that folds does nearly all the allocating, and in an arena of its own its growing tables were
    /// handed back to the system and faulted in again page by page.
    ///
    /// Returns false when it left the setting as it was.
    @discardableResult
    public static func useOneArena(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard environment["MALLOC_ARENA_MAX"] == nil, environment["GLIBC_TUNABLES"]?.contains("arena_max") != true else { return false }
        typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
        let arenaMax: Int32 = -8  // M_ARENA_MAX
        guard let mallopt = glibc("mallopt", as: MallocOption.self) else { return false }
        return mallopt(arenaMax, 1) == 1
    }

    /// How many arenas glibc's malloc has made so far (counted in `malloc_info`'s report), or nil
    /// where there is no glibc.
    public static func arenaCount() -> Int? {
        #if canImport(Glibc)
        typealias Info = @convention(c) (Int32, UnsafeMutablePointer<FILE>?) -> Int32
        guard let info = glibc("malloc_info", as: Info.self) else { return nil }
        var text: UnsafeMutablePointer<CChar>?
        var size = 0
        guard let stream = open_memstream(&text, &size) else { return nil }
        let reported = info(0, stream) == 0
        fclose(stream)
        defer { free(text) }
        guard reported, let text else { return nil }
        return String(cString: text).components(separatedBy: "<heap nr=").count - 1
        #else
        return nil
        #endif
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
