import BillingApp
import BillingCore
import BillingPipeline
import Foundation
import HTTPTypes
import Hummingbird

extension BillingServer {
    /// The forms' targets: a verdict on an anomaly, and a silence made from one.
    func addWrites(to router: Router<BasicRequestContext>, access: WriteAccess) {
        router.post("/anomalies/:id/ack") { request, context in
            await write(request, access: access) { fields in
                guard let id = context.parameters.get("id").flatMap(AnomalyID.init) else { throw FormProblem("no such anomaly id") }
                guard let verdict = fields["verdict"].flatMap(AnomalyFeedback.Verdict.init(rawValue:)) else {
                    throw FormProblem("choose a verdict: planned, not-anomaly or real")
                }
                let note = fields["note"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
                return try await app.acknowledge(id, as: verdict, note: note, now: clock.now)
            }
        }
        router.get("/anomalies/:id/silence") { _, context in
            guard access.allowsWrites else { return Self.problemPage(.forbidden, Self.refusalText(access)) }
            guard let id = context.parameters.get("id").flatMap(AnomalyID.init) else { return Self.problemPage(.notFound, "No such anomaly id.") }
            let today = app.today(clock.now).day
            do {
                guard let anomaly = try await app.withStore({ try await $0.anomalies(in: id.date...id.date) }).first(where: { $0.id == id }) else {
                    return Self.problemPage(.notFound, "No anomaly \(id) is stored.")
                }
                return Self.html(.ok, SilenceForm(anomaly: anomaly, until: today.adding(days: 7), fields: access.formFields).html)
            } catch {
                return Self.problemPage(.serviceUnavailable, "The store could not be read: \(error)")
            }
        }
        router.post("/silences") { request, _ in
            await write(request, access: access) { fields in
                guard let untilText = fields["until"], let until = CalendarDay(untilText) else {
                    throw FormProblem("until \(fields["until"] ?? "") is not a day; give YYYYMMDD")
                }
                let silence = try await app.addSilence(match: fields["match"] ?? "", until: until, reason: fields["reason"] ?? "", now: clock.now)
                return "silence \(silence.id) holds back alerts matching \(silence.matchText) through \(silence.until.iso)"
            }
        }
    }

    /// Checks the form, runs `change`, and answers with a page that says what it did or why it did not.
    private func write(_ request: Request, access: WriteAccess, _ change: ([String: String]) async throws -> String) async -> Response {
        let fields: [String: String]
        do {
            fields = try await WriteAccess.fields(of: request)
        } catch {
            return Self.problemPage(.contentTooLarge, "The form is larger than 64 KiB.")
        }
        if let refusal = access.refusal(request, fields: fields) { return Self.problemPage(.forbidden, "Not changed: \(refusal).") }
        do {
            let message = try await change(fields)
            return Self.html(
                .ok,
                HTML.page(
                    title: "Done", section: .anomalies,
                    body: "<p class=\"done\">\(HTML.escape(message)).</p><p><a href=\"/anomalies\">Back to the anomalies</a> · <a href=\"/operations\">Operations</a></p>"))
        } catch let problem as FormProblem {
            return Self.problemPage(.badRequest, "Not changed: \(problem.message).")
        } catch {
            return Self.problemPage(.badRequest, "Not changed: \(error)")
        }
    }

    static func refusalText(_ access: WriteAccess) -> String {
        if case .off(let reason) = access.mode { return "Not available: \(reason)." }
        return ""
    }
}

struct FormProblem: Error {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}

/// The form that makes a silence from an anomaly: its key prefilled, a week by default.
struct SilenceForm {
    var anomaly: Anomaly
    var until: CalendarDay
    var fields: String

    var html: String {
        let key = anomaly.key
        let match = "domain=\(key.domainId),project=\(key.projectId),service=\(key.serviceId)"
        let title = key.title(service: anomaly.serviceName, project: anomaly.projectName, domain: anomaly.domainName)
        return HTML.page(
            title: "Silence alerts", section: .anomalies,
            body: """
                <p>Alerts for anomalies that match are held back until the day given (inclusive); they are still detected and stored. \
                Made from the anomaly of \(anomaly.date.iso) in \(HTML.escape(title)).</p>
                <form class="filters" method="post" action="/silences">\(fields)\
                <label>match (KEY=VALUE, comma separated; * matches anything)<input name="match" size="60" value="\(HTML.escape(match))" required></label>\
                <label>until (YYYYMMDD)<input name="until" value="\(until.compact)" required></label>\
                <label>reason<input name="reason" size="40" required></label><button type="submit">Silence</button></form>
                """)
    }
}
