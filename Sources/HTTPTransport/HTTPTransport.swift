import AsyncHTTPClient
import BillingPipeline
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// How every HTTP call of this tool is made: one client that never follows a redirect, and a deadline
/// for the whole exchange.
///
/// A followed redirect would take the request's secrets (Billing API credentials in headers, a
/// signed Object Storage request, a webhook's URL) wherever the server points, so a 3xx comes back to
/// the caller as an answer like any other, and the caller decides what it means.
public enum HTTPTransport {
    public static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)

    static var configuration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            // The deadline of each call bounds it whole; these only bound a silent peer before that.
            timeout: .init(connect: .seconds(30)))
        // A refused connection fails the call at once. Each caller retries by its own policy (the
        // Billing API client backs off and counts the retry, a delivery is owed to the next run),
        // which a pool quietly retrying until the connect timeout would hold up for 30 s.
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// An answer whose body was read whole.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: ByteBuffer
    }

    /// The body was larger than the caller allows.
    public struct TooLarge: Error, Sendable {
        public var limit: Int
    }

    /// Sends `request` and reads its answer's body (up to `maxBytes`), all within `timeout`.
    ///
    /// Throws `DeadlineExceeded` when the answer is not complete in time, `TooLarge` past `maxBytes`,
    /// and the client's own errors when the connection fails.
    public static func exchange(
        _ request: HTTPClientRequest, timeout: Duration, maxBytes: Int, client: HTTPClient = client, logger: Logger? = nil
    ) async throws -> Answer {
        // The client's own deadline covers the head (and reports why a connection failed); the body
        // gets what is left of the same time.
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: timeout)
        let response = try await client.execute(request, timeout: .from(timeout), logger: logger)
        let body = try await withDeadline(max(.zero, clock.now.duration(to: end))) {
            do {
                return request.method == .HEAD ? ByteBuffer() : try await response.body.collect(upTo: maxBytes)
            } catch is NIOTooManyBytesError {
                throw TooLarge(limit: maxBytes)
            }
        }
        return Answer(status: Int(response.status.code), headers: response.headers, body: body)
    }

    /// Whether `error` says the call ran out of time: its head past the client's deadline or read
    /// timeout, or its body past `withDeadline`'s.
    public static func isTimeout(_ error: any Error) -> Bool {
        if error is DeadlineExceeded { return true }
        guard let error = error as? HTTPClientError else { return false }
        return error == .deadlineExceeded || error == .readTimeout
    }
}

extension TimeAmount {
    /// The same span in NIO's terms.
    public static func from(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

extension HTTPTransport {
    /// Why a call did not get through, in a few plain words ("Connection refused"), rather than the
    /// network library's text ("connection reset (error set): Connection refused (errno: 111)") or
    /// an error type's name. It never holds the request's URL, which may carry a secret.
    public static func failureReason(_ error: any Error) -> String {
        switch error {
        case let error as IOError:
            return String(cString: strerror(error.errnoCode))
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return failureReason(first.error) }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "its host name does not resolve" }
            return "no address of its host name answered"
        case let error as HTTPClientError where error == .connectTimeout:
            return "no connection within the time allowed"
        case let error as HTTPClientError where error == .remoteConnectionClosed:
            return "the server closed the connection"
        case is HTTPClientError:
            return "the exchange failed (\(error))"
        default:
            let text = String(describing: error)
            return text.count > 160 ? String(text.prefix(160)) + "..." : text
        }
    }
}
