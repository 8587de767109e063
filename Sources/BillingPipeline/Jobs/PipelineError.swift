import BillingCore

/// A job that cannot go on; the text says what to do about it.
public struct PipelineError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case archivedDayMissing(CalendarDay, key: String)
        case archivedDayMismatch(CalendarDay, found: CalendarDay, key: String)
        case anomalyNotFound(AnomalyID)
        case silenceNotFound(String)
        case futureDay(CalendarDay, today: CalendarDay, timeZone: String)
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
        case .silenceNotFound(let id):
            return "no silence has the id \(id); `billing-alert silence list` shows the ids"
        }
    }
}
