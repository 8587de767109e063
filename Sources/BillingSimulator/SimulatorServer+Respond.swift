import BillingCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension SimulatorServer {
    func respond(to request: Hummingbird.Request) -> Response {
        let query = request.uri.queryParameters
        let page = query.get("page").flatMap { Int($0) }
        let size = query.get("size").flatMap { Int($0) }
        let credentialId = request.headers[HTTPField.Name("Credential-ID")!]
        let secret = request.headers[HTTPField.Name("Credential-Secret")!]
        state.record(Request(from: query.get("from"), to: query.get("to"), page: page, size: size, credentialId: credentialId))

        if let required = configuration.credentials, credentialId != required.id || secret != required.secret {
            return json(.unauthorized, #"{"code":401,"message":"invalid credential"}"#)
        }
        if let failure = state.nextFailure(page: page ?? 0) {
            switch failure {
            case .status(let code, let retryAfter):
                var response = json(HTTPResponse.Status(code: code), #"{"code":\#(code),"message":"simulated failure"}"#)
                if let retryAfter { response.headers[.retryAfter] = retryAfter }
                return response
            case .malformedBody:
                return json(.ok, #"{"result":{"content":[{"meteringDate":"2026"#)
            }
        }
        guard let from = query.get("from").flatMap({ CalendarDay(String($0)) }),
            let to = query.get("to").flatMap({ CalendarDay(String($0)) }), from <= to,
            let page, page >= 0, let size, (1...10_000).contains(size)
        else {
            return json(.badRequest, #"{"code":400,"message":"from, to (YYYYMMDD), page >= 0 and size 1...10000 are required"}"#)
        }
        let (today, hour) = CalendarDay.containing(configuration.now(), in: configuration.timeZone)
        if let pages, from == to, from <= today {
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: pages(from, from == today ? Double(hour) / 24 : 1, page, size))))
        }
        var rows: [String] = []
        for day in from.through(min(to, today)) {
            rows += self.rows(day, day == today ? Double(hour) / 24 : 1)
        }
        let start = min(page * size, rows.count)
        let content = rows[start..<min(start + size, rows.count)]
        var body = #"{"result":{"content":["# + content.joined(separator: ",") + "]"
        if configuration.pagingMetadata {
            let totalPages = (rows.count + size - 1) / size
            body += #","totalElements":\#(rows.count),"totalPages":\#(totalPages),"last":\#(page + 1 >= totalPages)"#
        }
        body += #"},"requestId":"sim-\#(page)"}"#
        return json(.ok, body)
    }

    private func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
