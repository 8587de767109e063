import Synchronization

struct ScriptedFailure: Sendable {
    var page: Int?
    var failure: SimulatorServer.Failure
}

/// The simulator's mutable parts: scripted failures and the request log.
final class SimulatorState: Sendable {
    private let failures = Mutex<[ScriptedFailure]>([])
    private let log = Mutex<[SimulatorServer.Request]>([])

    func script(_ more: [ScriptedFailure]) {
        failures.withLock { $0 += more }
    }

    func nextFailure(page: Int) -> SimulatorServer.Failure? {
        failures.withLock { queue in
            guard let index = queue.firstIndex(where: { $0.page == nil || $0.page == page }) else { return nil }
            return queue.remove(at: index).failure
        }
    }

    func record(_ request: SimulatorServer.Request) {
        log.withLock { $0.append(request) }
    }

    var requests: [SimulatorServer.Request] {
        log.withLock { $0 }
    }
}
