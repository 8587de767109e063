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
        let authority = request.head.authority ?? "\(configuration.host)"
        state.record(
            Request(
                from: query.get("from"), to: query.get("to"), page: page, size: size, credentialId: credentialId,
                host: authority, sentSecret: secret != nil))

        if let required = configuration.credentials, credentialId != required.id || secret != required.secret {
            return json(.unauthorized, #"{"code":401,"message":"invalid credential"}"#)
        }
        if let fault = configuration.fault,
            let answer = answer(
                to: fault, page: page ?? 0, authority: authority, target: request.uri.string,
                redirected: query.get("redirected") != nil)
        {
            return answer
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
        if let fault = configuration.fault { rows = Self.rows(rows, alteredBy: fault, asked: from) }
        let body = pageBody(rows, page: page, size: size, fault: configuration.fault)
        switch configuration.fault {
        case .stall: return stalled(body)
        case .drip: return dripped(body)
        default: return json(.ok, body)
        }
    }

    /// One page of `rows`, as the API wraps it.
    private func pageBody(_ rows: [String], page: Int, size: Int, fault: SimulatorFault?) -> String {
        if fault == .nullContent { return #"{"result":{"content":null},"requestId":"sim-\#(page)"}"# }
        // duplicate-page serves page 0 again as page 1; overlap serves half a page more than asked.
        let served = fault == .duplicatePage && page == 1 ? 0 : page
        let length = fault == .overlap ? size + max(1, size / 2) : size
        let start = min(served * size, rows.count)
        let content = rows[start..<min(start + length, rows.count)]
        var body = #"{"result":{"content":["# + content.joined(separator: ",") + "]"
        if configuration.pagingMetadata {
            let totalPages = (rows.count + size - 1) / size
            body += #","totalElements":\#(rows.count),"totalPages":\#(totalPages),"last":\#(page + 1 >= totalPages)"#
        }
        body += #"},"requestId":"sim-\#(page)"}"#
        if fault == .truncated && page == 0 { return String(body.prefix(body.count * 2 / 3)) }
        return body
    }

    private func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
