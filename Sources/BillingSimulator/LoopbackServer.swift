import Hummingbird
import Logging
import ServiceLifecycle

/// Runs a Hummingbird router on loopback for as long as a body runs: the simulator's and the test
/// servers' shared lifetime.
public enum LoopbackServer {
    /// Serves `router` on `host:port` (0 picks a free port) while `body` runs with the bound port, then
    /// stops accepting, lets requests in flight finish, and returns the body's result.
    public static func run<T>(
        router: Router<BasicRequestContext>, host: String = "127.0.0.1", port: Int = 0, logger: Logger,
        _ body: (Int) async throws -> T
    ) async throws -> T {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
            group.addTask {
                defer { portContinuation.finish() }
                try await services.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await group.next()
                throw SimulatorError(message: "the server on \(host) stopped before it started listening")
            }
            let result: Result<T, any Error>
            do {
                result = .success(try await body(port))
            } catch {
                result = .failure(error)
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try result.get()
        }
    }
}
