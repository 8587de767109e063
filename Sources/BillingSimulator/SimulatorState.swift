import Synchronization

struct ScriptedFailure: Sendable {
    var page: Int?
    var failure: SimulatorServer.Failure
}

/// The simulator's mutable parts: scripted failures, the request log, and what faults remember.
final class SimulatorState: Sendable {
    private let failures = Mutex<[ScriptedFailure]>([])
    private let log = Mutex<[SimulatorServer.Request]>([])
    private let triedPages = Mutex<Set<Int>>([])
    private let stopped = Atomic<Bool>(false)

    func script(_ more: [ScriptedFailure]) {
        failures.withLock { $0 += more }
    }

    func nextFailure(page: Int) -> SimulatorServer.Failure? {
        failures.withLock { queue in
            guard let index = queue.firstIndex(where: { $0.page == nil || $0.page == page }) else { return nil }
            return queue.remove(at: index).failure
        }
    }

    /// True the first time `page` is asked for.
    func firstTry(ofPage page: Int) -> Bool {
        triedPages.withLock { $0.insert(page).inserted }
    }

    func record(_ request: SimulatorServer.Request) {
        log.withLock { $0.append(request) }
    }

    var requests: [SimulatorServer.Request] {
        log.withLock { $0 }
    }

    /// Lets answers that hold a connection open (stall, drip) end when the server stops.
    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    /// Waits until the server stops or `limit` passes; returns whether it stopped.
    @discardableResult
    func waitUntilStopped(atMost limit: Duration) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        while !stopped.load(ordering: .relaxed) {
            guard clock.now < deadline else { return false }
            try await Task.sleep(for: min(.milliseconds(50), deadline - clock.now))
        }
        return true
    }
}
