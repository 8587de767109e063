import BillingCore
import BillingPipeline
import Foundation

extension BillingApp {
    func feedbackRecorder(store: any JobStore) -> FeedbackRecorder {
        var recorder = FeedbackRecorder(store: store, baselineCalculator: BaselineCalculator(windowDays: configuration.baselineDays))
        recorder.lockWait = configuration.lockWait
        return recorder
    }

    /// Records a verdict on an anomaly and says what it changed.
    public func acknowledge(_ id: AnomalyID, as verdict: AnomalyFeedback.Verdict, note: String?, now: Date) async throws -> String {
        let report = try await withStore { try await feedbackRecorder(store: $0).acknowledge(id, as: verdict, note: note, now: now) }
        let what = "\(report.anomaly.serviceName.isEmpty ? report.anomaly.key.serviceId : report.anomaly.serviceName) in \(report.anomaly.projectName.isEmpty ? report.anomaly.key.projectId : report.anomaly.projectName) on \(id.date.iso)"
        let alerts = verdict.keepsAlerting ? "alerts for it go on as usual" : "no more alerts are sent for it"
        let baselines = switch report.dayInBaselines {
        case .some(true): "the day counts in its baselines again"
        case .some(false): "the day stays out of its baselines"
        case .none: "the daily job will \(verdict.isAnomalous ? "keep the day out of" : "count the day in") its baselines"
        }
        return "\(id) (\(what)) marked \(verdict.rawValue): \(alerts), and \(baselines)\(report.baselineChanged ? "; baselines recomputed" : "")"
    }

    /// Adds a silence through `until` (inclusive), which must not have passed.
    public func addSilence(match: String, until: CalendarDay, reason: String, now: Date) async throws -> Silence {
        let matchers = try Silence.matchers(parsing: match)
        let today = self.today(now).day
        guard until >= today else { throw FeedbackInputError.untilPassed(until, today: today) }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw FeedbackInputError.noReason }
        return try await withStore { store in
            let wanted = Set(matchers.map(\.description))
            if let same = try await store.silences().first(where: {
                $0.isActive(on: today) && $0.until == until && Set($0.matchers.map(\.description)) == wanted
            }) {
                throw FeedbackInputError.sameSilence(same)
            }
            return try await feedbackRecorder(store: store).addSilence(matchers: matchers, until: until, reason: reason, now: now)
        }
    }

    /// The anomalies of the last 7 days that `silence` holds back: it matches them and nobody gave
    /// them a verdict.
    public func anomaliesHeldBack(by silence: Silence, now: Date) async throws -> [TrackedAnomaly] {
        let today = self.today(now).day
        return try await withStore { try await Self.recentAnomalies($0, today: today) }
            .filter { $0.verdict == nil && silence.isActive(on: today) && silence.matches($0.anomaly) }
    }

    /// The anomalies of the 7 days through `today`, each at its latest record, with where it stands:
    /// what the overview, `/metrics`, `status` and `silence add` count as the last week's.
    public static func recentAnomalies(_ store: any JobStore, today: CalendarDay) async throws -> [TrackedAnomaly] {
        let week = today.adding(days: -6)...today
        return TrackedAnomaly.latest(
            try await store.anomalies(in: week), feedback: try await store.feedback(in: week), silences: try await store.silences(), today: today)
    }

    public func removeSilence(_ id: String, now: Date) async throws -> Silence {
        try await withStore { try await feedbackRecorder(store: $0).removeSilence(id, now: now) }
    }

    /// Every stored silence, with whether it still holds today.
    public func silencesTable(now: Date) async throws -> Table {
        try await silencesListing(now: now).data
    }

    /// The same, for reading.
    public func silencesListing(now: Date) async throws -> Listing {
        let today = self.today(now).day
        let silences = try await withStore { try await $0.silences() }
        let data = Table(
            columns: ["id", "match", "until", "state", "reason", "createdAt"],
            rows: silences.map { silence in
                [
                    .text(silence.id), .text(silence.matchText), .text(silence.until.compact),
                    .text(silence.isActive(on: today) ? "active" : "expired"), .text(silence.reason),
                    .text(silence.createdAt.formatted(.iso8601)),
                ]
            })
        var text = TextTable(
            columns: [.init("id"), .init("match", name: true), .init("until"), .init("state"), .init("reason", name: true)],
            empty: "No silences. `billing-alert silence add --match service=NAME --until YYYYMMDD --reason TEXT` holds alerts back.")
        text.rows = silences.map { silence in
            [silence.id, silence.matchText, silence.until.iso, silence.isActive(on: today) ? "active" : "expired", silence.reason]
        }
        return Listing(data: data, text: text)
    }
}

/// A silence or verdict asked for in a way that cannot be stored.
public struct FeedbackInputError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case untilPassed(CalendarDay, today: CalendarDay)
        case noReason
        case sameSilence(Silence)
    }

    private let code: Code

    static func untilPassed(_ until: CalendarDay, today: CalendarDay) -> Self { Self(code: .untilPassed(until, today: today)) }
    static let noReason = Self(code: .noReason)
    static func sameSilence(_ silence: Silence) -> Self { Self(code: .sameSilence(silence)) }

    public var description: String {
        switch code {
        case .untilPassed(let until, let today):
            "--until \(until.compact) has already passed (today is \(today.compact)); give today or a later day"
        case .sameSilence(let silence):
            "silence \(silence.id) already holds back alerts for \(silence.matchText) through \(silence.until.compact); nothing was added (`billing-alert silence list` shows it)"
        case .noReason:
            "--reason is empty; say why, so whoever reads `silence list` later knows"
        }
    }
}
