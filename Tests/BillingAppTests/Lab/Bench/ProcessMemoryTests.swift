import BillingTesting
import Foundation
import Testing

@testable import BillingApp

/// The process's malloc settings: one arena for every thread, unless the environment or the bench
/// asks otherwise.
@Suite struct ProcessMemoryTests {
    /// Six new threads that each allocate add no arena once one arena is asked for. Run in a process
    /// of its own (an exit test): a thread keeps the arena it first allocated from, and the limit
    /// holds for the rest of the process.
    @Test func threadsStartedAfterwardsShareTheArenasThereAre() async throws {
        let child = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            let limited = ProcessMemory.useOneArena(environment: [:])
            let before = ProcessMemory.arenaCount() ?? -1
            let done = DispatchSemaphore(value: 0)
            for _ in 0..<6 {
                Thread {
                    let block = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 16)
                    block.storeBytes(of: 1, as: UInt8.self)
                    block.deallocate()
                    done.signal()
                }.start()
            }
            for _ in 0..<6 { done.wait() }
            print(limited, before, ProcessMemory.arenaCount() ?? -1)
        }
        let figures = String(decoding: try #require(child).standardOutputContent, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        try #require(figures.count == 3, "\(figures)")
        #expect(figures[0] == "true" && Int(figures[1]) ?? 0 >= 1)
        #expect(figures[1] == figures[2], "arenas before the threads \(figures[1]), after \(figures[2])")
    }

    /// A limit the environment sets is the user's: it is left alone.
    @Test(arguments: [["MALLOC_ARENA_MAX": "4"], ["GLIBC_TUNABLES": "glibc.malloc.arena_max=2"]])
    func anArenaLimitFromTheEnvironmentIsLeftAlone(environment: [String: String]) {
        #expect(!ProcessMemory.useOneArena(environment: environment))
    }

    /// The binary's runs keep one arena through their threads, a bench on two threads too. The bench
    /// reports how many there were.
    @Test func theBinaryKeepsOneArenaWhateverTheBenchsThreads() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        struct Figures: Decodable { var mallocArenas: Int }
        var arenas: [Int] = []
        for threads in ["1", "2"] {
            let result = try await CommandRunner(directory: folder).run(
                ["bench", "--rows", "2000", "--keys", "100", "--days", "2", "--history-keys", "20", "--threads", threads])
            #expect(result.status == 0, "\(result.all)")
            arenas.append(try JSONDecoder().decode(Figures.self, from: Data(result.stdout.utf8)).mallocArenas)
        }
        #expect(arenas == [1, 1], "arenas with --threads 1 and 2: \(arenas)")
    }
}
