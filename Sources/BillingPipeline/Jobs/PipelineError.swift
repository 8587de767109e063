import BillingCore

/// A job that cannot go on; the text says what to do about it.
public struct PipelineError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case archivedDayMissing(CalendarDay, key: String)
        case archivedDayMismatch(CalendarDay, found: CalendarDay, key: String)
        case anomalyNotFound(AnomalyID)
        case silenceNotFound(String)
        case futureDay(CalendarDay, today: CalendarDay, timeZone: String)
        case emptyAnswer(CalendarDay, storedKeys: Int, otherDayRows: Int, source: String)
    }

    private let code: Code

    static func archivedDayMissing(_ day: CalendarDay, key: String) -> PipelineError {
        PipelineError(code: .archivedDayMissing(day, key: key))
    }

    static func archivedDayMismatch(_ day: CalendarDay, found: CalendarDay, key: String) -> PipelineError {
        PipelineError(code: .archivedDayMismatch(day, found: found, key: key))
    }

    static func anomalyNotFound(_ id: AnomalyID) -> PipelineError {
        PipelineError(code: .anomalyNotFound(id))
    }

    static func silenceNotFound(_ id: String) -> PipelineError {
        PipelineError(code: .silenceNotFound(id))
    }

    /// A job was asked for a day that has not begun: it would store nothing and mark the day done.
    public static func futureDay(_ day: CalendarDay, today: CalendarDay, timeZone: String) -> PipelineError {
        PipelineError(code: .futureDay(day, today: today, timeZone: timeZone))
    }

    /// An answer without a row of a day whose costs the store holds: an API fault far likelier than a
    /// bill that vanished, so it does not replace them unless asked to.
    static func emptyAnswer(_ day: CalendarDay, storedKeys: Int, otherDayRows: Int, source: String) -> PipelineError {
        PipelineError(code: .emptyAnswer(day, storedKeys: storedKeys, otherDayRows: otherDayRows, source: source))
    }

    public var description: String {
        switch code {
        case .archivedDayMissing(let day, let key):
            return "the archive has no raw data for \(day) (looked for \(key)); run `billing-alert daily --date \(day)` to fetch it"
        case .archivedDayMismatch(let day, let found, let key):
            return "the archived file \(key) holds \(found), not \(day); move it aside and run `billing-alert daily --date \(day)`"
        case .anomalyNotFound(let id):
            return "no anomaly has the id \(id); `billing-alert anomalies --date \(id.date)` lists that day's anomalies with their ids"
        case .futureDay(let day, let today, let timeZone):
            return "\(day) has not begun yet (today is \(today) in \(timeZone)), so there is nothing to fetch; give a day up to \(today)"
        case .emptyAnswer(let day, let storedKeys, let otherDayRows, let source):
            let others = otherDayRows == 0 ? "" : " (only \(otherDayRows) row\(otherDayRows == 1 ? "" : "s") of other days)"
            return "\(source) held no cost row for \(day)\(others), while the store holds the costs of \(storedKeys) service\(storedKeys == 1 ? "" : "s") for it; nothing was changed. Run the job again later, or with --allow-empty if the day truly has no costs now"
        case .silenceNotFound(let id):
            return "no silence has the id \(id); `billing-alert silence list` shows the ids"
        }
    }
}
