import BillingApp
import BillingCore
import BillingPipeline
import Foundation
import HTTPTypes
import Hummingbird

extension BillingServer {
    func makeRouter(access: WriteAccess) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in Self.text(.ok, "ok\n") }
        router.get("/readyz") { _, _ in await readiness() }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: await metricsText())))
        }
        addPages(to: router, access: access)
        addWrites(to: router, access: access)
        let api = router.group("/api/v1")
        api.get("costs") { request, _ in
            await listing(request) { try await app.costsTable(days: $0) }
        }
        api.get("anomalies") { request, _ in
            await listing(request) { try await app.anomaliesTable(days: $0) }
        }
        api.get("runs") { request, _ in
            await listing(request) { try await app.runsTable(days: $0) }
        }
        api.get("baselines") { _, _ in
            await answer { try await app.baselinesTable() }
        }
        api.get("silences") { _, _ in
            await answer { try await app.silencesTable(now: clock.now) }
        }
        return router
    }

    /// A listing over the days the query asks for (`date`, or `from` and `to`), as the CLI's JSON.
    private func listing(_ request: Request, _ table: (ClosedRange<CalendarDay>) async throws -> Table) async -> Response {
        let query = request.uri.queryParameters
        let range: DayRange
        do throws(BadDay) {
            range = DayRange(date: try Self.day("date", query.get("date")), from: try Self.day("from", query.get("from")), to: try Self.day("to", query.get("to")))
        } catch {
            return Self.error(.badRequest, error.message)
        }
        if let problem = range.problem() { return Self.error(.badRequest, problem) }
        let days = range.days(today: app.today(clock.now).day)
        return await answer { try await table(days) }
    }

    private func answer(_ table: () async throws -> Table) async -> Response {
        do {
            return Self.json(.ok, try await table().render(.json) + "\n")
        } catch {
            return Self.error(.serviceUnavailable, "the store could not be read: \(error)")
        }
    }

    /// Ready when the store answers and the daily job finished within 26 hours (by `serve` or cron).
    func readiness() async -> Response {
        let now = clock.now
        let today = app.today(now).day
        let lastDaily: Date?
        do {
            lastDaily = try await app.withStore { store in
                try await store.jobRuns(in: today.adding(days: -35)...today).filter { $0.job == .daily }.map(\.finishedAt).max()
            }
        } catch {
            return Self.json(.serviceUnavailable, Self.object(["ready": "false", "store": Self.quoted("unreachable: \(error)")]))
        }
        let fresh = lastDaily.map { now.timeIntervalSince($0) <= 26 * 3600 } ?? false
        return Self.json(
            fresh ? .ok : .serviceUnavailable,
            Self.object([
                "ready": fresh ? "true" : "false", "store": Self.quoted("reachable"),
                "lastDailyRun": lastDaily.map { Self.quoted($0.formatted(.iso8601)) } ?? "null",
                "reason": fresh ? "null" : Self.quoted(lastDaily == nil ? "the daily job has not finished a day yet" : "the daily job last finished over 26 hours ago"),
            ]))
    }

    /// A query parameter that is not a day, said with what to give instead.
    struct BadDay: Error {
        var message: String
    }

    /// The day the query parameter `name` gives as `text`; nil without one.
    static func day(_ name: String, _ text: String?) throws(BadDay) -> CalendarDay? {
        guard let text else { return nil }
        guard let day = CalendarDay(text) else { throw BadDay(message: "\(name)=\(text) is not a day; give YYYYMMDD, such as 20261120") }
        return day
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(status, object(["error": quoted(message)]))
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        JSONText.quoted(text)
    }

    /// A JSON object from keys and already-encoded values, keys sorted.
    static func object(_ fields: [String: String]) -> String {
        "{" + fields.sorted { $0.key < $1.key }.map { "\(quoted($0.key)): \($0.value)" }.joined(separator: ", ") + "}\n"
    }
}
