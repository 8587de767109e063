import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A real HTTP server on loopback that records every request and answers with scripted statuses,
/// standing in for Slack and other webhooks in tests.
public final class CaptureServer: Sendable {
    public struct Captured: Sendable, Hashable {
        public var method: String
        public var path: String
        public var contentType: String?
        public var body: Data

        /// The body as a JSON object.
        public var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        }
    }

    private let state = Mutex<(captured: [Captured], statuses: [Int], answer: String)>(([], [], "ok"))

    public init() {}

    /// Answers the next requests with these statuses, in order, then with 200.
    public func respond(with statuses: [Int], body: String = "ok") {
        state.withLock { $0.statuses += statuses; $0.answer = body }
    }

    public var requests: [Captured] {
        state.withLock { $0.captured }
    }

    /// Runs the server while `body` runs, passing it the base URL.
    public func run<T>(_ body: (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/**") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let (status, answer) = self.state.withLock { state -> (Int, String) in
                state.captured.append(
                    Captured(
                        method: "POST", path: request.uri.path, contentType: request.headers[.contentType],
                        body: Data(bytes.readableBytesView)))
                return (state.statuses.isEmpty ? 200 : state.statuses.removeFirst(), state.answer)
            }
            return Response(
                status: HTTPResponse.Status(code: status), headers: [.contentType: "text/plain"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: status == 200 ? "ok" : answer)))
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "capture-server")
        logger.logLevel = .error
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await services.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await group.next()
                throw CancellationError()
            }
            let result: Result<T, any Error>
            do {
                result = .success(try await body("http://127.0.0.1:\(port)"))
            } catch {
                result = .failure(error)
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try result.get()
        }
    }
}
