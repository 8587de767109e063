import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import BillingSimulator
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
    /// Whether answers send their headers and then hold the body until the server stops.
    private let stalls = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)

    public init() {}

    /// Answers the next requests with these statuses, in order, then with 200.
    public func respond(with statuses: [Int], body: String = "ok") {
        state.withLock { $0.statuses += statuses; $0.answer = body }
    }

    /// From now on, answers send their headers and a first byte, then nothing until the server stops.
    public func stallAnswers() {
        stalls.store(true, ordering: .relaxed)
    }

    public var requests: [Captured] {
        state.withLock { $0.captured }
    }

    /// Runs a server whose answers stall after their headers while `body` runs, passing it the base
    /// URL; returns what `body` returned and how long it took.
    public static func withStalledAnswers<T>(_ body: (String) async throws -> T) async throws -> (result: T, elapsed: Duration) {
        let server = CaptureServer()
        server.stallAnswers()
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await server.run(body)
        return (result, start.duration(to: clock.now))
    }

    /// Runs the server while `body` runs, passing it the base URL.
    public func run<T>(_ body: (String) async throws -> T) async throws -> T {
        let router = Router()
        // POST for the alert channels; PUT and GET for Object Storage.
        for method in [HTTPRequest.Method.post, .put, .get] {
            router.on("/**", method: method) { request, _ in try await self.answer(request) }
        }
        var logger = Logger(label: "capture-server")
        logger.logLevel = .error
        return try await LoopbackServer.run(router: router, logger: logger) {
            defer { stopped.store(true, ordering: .relaxed) }
            return try await body("http://127.0.0.1:\($0)")
        }
    }

    /// Records the request and answers it: the next status queued (200 when none), or a stalled answer.
    private func answer(_ request: Request) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 1 << 20)
        let (status, answer) = self.state.withLock { state -> (Int, String) in
            state.captured.append(
                Captured(
                    method: request.method.rawValue, path: request.uri.path, contentType: request.headers[.contentType],
                    body: Data(bytes.readableBytesView)))
            return (state.statuses.isEmpty ? 200 : state.statuses.removeFirst(), state.answer)
        }
        if self.stalls.load(ordering: .relaxed) {
            return Response(
                status: .ok, headers: [.contentType: "text/plain"],
                body: ResponseBody(contentLength: 2) { writer in
                    try await writer.write(ByteBuffer(string: "o"))
                    while !self.stopped.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(50)) }
                    throw CancellationError()
                })
        }
        var response = Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: "text/plain"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: status == 200 ? "ok" : answer)))
        // A redirect points at the same server, where a client that follows it would be recorded.
        if (300..<400).contains(status) { response.headers[.location] = request.uri.path + "/moved" }
        return response
    }
}
