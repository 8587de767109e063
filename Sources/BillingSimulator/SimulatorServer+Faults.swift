import BillingCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension SimulatorServer {
    /// The answer a fault gives instead of a page, or nil when the page is served (perhaps altered).
    func answer(to fault: SimulatorFault, page: Int, authority: String, target: String, redirected: Bool) -> Response? {
        switch fault {
        case .redirect:
            // The redirected request reaches this same server; it is then answered normally.
            guard !authority.hasPrefix("localhost") else { return nil }
            let port = authority.split(separator: ":").last.map(String.init) ?? "80"
            return redirect(to: "http://localhost:\(port)\(target)")
        case .sameOriginRedirect:
            guard !redirected else { return nil }
            return redirect(to: "http://\(authority)\(target)&redirected=1")
        case .rateLimited:
            var response = failure(.tooManyRequests)
            response.headers[.retryAfter] = "1"
            return response
        case .serverError:
            return failure(.serviceUnavailable)
        case .flaky:
            return state.firstTry(ofPage: page) ? failure(.serviceUnavailable) : nil
        default:
            return nil
        }
    }

    /// The rows a fault serves instead of the day's own.
    static func rows(_ rows: [String], alteredBy fault: SimulatorFault, asked day: CalendarDay) -> [String] {
        switch fault {
        case .empty:
            return []
        case .wrongDate:
            let before = day.adding(days: -1).compact
            return rows.map { replacing("meteringDate", with: "\"\(before)\"", in: $0) }
        case .hugeAmount:
            guard let first = rows.first else { return rows }
            let huge = replacing("expectAmount", with: String(repeating: "9", count: 38), in: first)
            return [huge, huge] + rows
        case .nullAmount:
            guard let first = rows.first else { return rows }
            return [replacing("expectAmount", with: "null", in: first)] + rows.dropFirst()
        case .missingID:
            guard let first = rows.first else { return rows }
            return [replacing("projectId", with: "null", in: replacing("domainId", with: nil, in: first))] + rows.dropFirst()
        default:
            return rows
        }
    }

    /// The row with `member`'s value replaced, or the member removed when `value` is nil. The rows are
    /// the simulator's own: flat objects whose values hold no commas or braces.
    static func replacing(_ member: String, with value: String?, in row: String) -> String {
        guard let name = row.range(of: "\"\(member)\":") else { return row }
        let end = row[name.upperBound...].firstIndex { $0 == "," || $0 == "}" } ?? row.endIndex
        guard let value else {
            let through = end < row.endIndex && row[end] == "," ? row.index(after: end) : end
            return String(row[..<name.lowerBound] + row[through...])
        }
        return String(row[..<name.upperBound] + value + row[end...])
    }

    /// Headers and half of the body, then nothing until the server stops (or ten minutes pass).
    func stalled(_ body: String) -> Response {
        let bytes = Array(body.utf8)
        let state = state
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(contentLength: bytes.count) { writer in
                try await writer.write(ByteBuffer(bytes: bytes[..<(bytes.count / 2)]))
                try await state.waitUntilStopped(atMost: .seconds(600))
                throw SimulatorError(message: "stalled")
            })
    }

    /// The body one byte at a time, `dripInterval` apart.
    func dripped(_ body: String) -> Response {
        let bytes = Array(body.utf8)
        let (state, interval) = (state, configuration.dripInterval)
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(contentLength: bytes.count) { writer in
                for byte in bytes {
                    try await writer.write(ByteBuffer(bytes: [byte]))
                    if try await state.waitUntilStopped(atMost: interval) { throw SimulatorError(message: "stopped") }
                }
                try await writer.finish(nil)
            })
    }

    private func redirect(to location: String) -> Response {
        var response = Response(status: .temporaryRedirect)
        response.headers[.location] = location
        return response
    }

    private func failure(_ status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"code":\#(status.code),"message":"simulated fault"}"#)))
    }
}
