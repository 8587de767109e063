import BillingCore

/// What people told the tool: silences that hold alerts back, and verdicts on anomalies.
public protocol FeedbackLog: Sendable {
    /// Every silence, expired ones included, sorted by id.
    func silences() async throws -> [Silence]

    /// Feedback on anomalies dated in `days`, sorted by date then key.
    func feedback(in days: ClosedRange<CalendarDay>) async throws -> [AnomalyFeedback]
}
