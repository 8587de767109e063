import BillingApp
import BillingCore
import BillingPipeline
import Foundation
import HTTPTypes
import Hummingbird

extension BillingServer {
    func addPages(to router: Router<BasicRequestContext>, access: WriteAccess) {
        router.get("/") { _, _ in
            await page { store, today in try await OverviewPage.read(store, today: today).html(access) }
        }
        router.get("/anomalies") { request, _ in
            let today = app.today(clock.now).day
            let query = request.uri.queryParameters
            // A form sends its empty fields: those keep the default, the last 30 days.
            func given(_ name: String) -> String? { query.get(name).flatMap { $0.isEmpty ? nil : $0 } }
            let days: DayRange
            do throws(BadDay) {
                days = DayRange(from: try Self.day("from", given("from")) ?? today.adding(days: -29), to: try Self.day("to", given("to")) ?? today)
            } catch {
                return Self.problemPage(.badRequest, error.message)
            }
            if let problem = days.problem() { return Self.problemPage(.badRequest, problem) }
            let state = query.get("state").flatMap { $0.isEmpty ? nil : $0 }
            if let state, TrackedAnomaly.State(rawValue: state) == nil {
                return Self.problemPage(.badRequest, "state \(state) is not one of open, acknowledged, silenced.")
            }
            let filter = AnomaliesPage.Filter(
                days: days.days(today: today), domain: query.get("domain") ?? "", project: query.get("project") ?? "",
                service: query.get("service") ?? "", state: state.flatMap(TrackedAnomaly.State.init(rawValue:)))
            return await page { store, today in try await AnomaliesPage.read(store, filter: filter, today: today).html(access) }
        }
        router.get("/key") { request, _ in
            let query = request.uri.queryParameters
            guard let domain = query.get("domain"), let project = query.get("project"), let service = query.get("service") else {
                return Self.problemPage(.badRequest, "a key page needs domain, project and service; follow a link from the overview or the anomalies.")
            }
            let day: CalendarDay?
            do throws(BadDay) {
                day = try Self.day("date", query.get("date").flatMap { $0.isEmpty ? nil : $0 })
            } catch {
                return Self.problemPage(.badRequest, error.message)
            }
            let key = CostKey(domainId: domain, projectId: project, serviceId: service)
            return await page { store, today in
                try await KeyPage.read(store, key: key, day: day, detector: app.detector, today: today).html(access)
            }
        }
        router.get("/operations") { _, _ in
            await page { store, today in try await OperationsPage.read(store, app: app, monitor: monitor, today: today).html }
        }
    }

    /// A page read from the store; a store that cannot be read gets a page that says so.
    private func page(_ render: (any JobStore, CalendarDay) async throws -> String) async -> Response {
        let today = app.today(clock.now).day
        do {
            return Self.html(.ok, try await app.withStore { try await render($0, today) })
        } catch {
            return Self.problemPage(.serviceUnavailable, "The store could not be read: \(error)")
        }
    }

    static func html(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func problemPage(_ status: HTTPResponse.Status, _ message: String) -> Response {
        html(status, HTML.page(title: status == .badRequest ? "Not understood" : "Unavailable", section: nil, body: "<p>\(HTML.escape(message))</p>"))
    }
}
