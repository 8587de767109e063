import Foundation

/// A thread of its own for one piece of work, joined by its caller. The parse is synchronous code that
/// runs for a fraction of a second on each core, so it takes threads rather than tasks, which would
/// hold the cooperative pool's few threads meanwhile.
final class WorkerThread {
    private let done = DispatchSemaphore(value: 0)
    private var joined = false

    /// Starts `run` on a new thread.
    init(_ run: @escaping @Sendable () -> Void) {
        let done = done
        let thread = Thread {
            run()
            done.signal()
        }
        // The reader recurses only as deep as the JSON nests, which it bounds; the default is ample.
        thread.start()
    }

    /// Waits for the work to end; after the first call, returns at once.
    func join() {
        guard !joined else { return }
        done.wait()
        joined = true
    }
}
